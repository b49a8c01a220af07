package io.github.bpfevents.bench;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.btf.Btf;
import io.github.bpfevents.btf.BtfChecker;
import io.github.bpfevents.btf.BtfImporter;
import io.github.bpfevents.btf.BtfKind;
import io.github.bpfevents.btf.BtfReader;
import io.github.bpfevents.layout.EventLayout;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The heap and time BTF reading, importing and checking take on one file, in the JVM it
 * runs in (run it with {@code -Xmx64m}): the peak heap of each phase (the JVM's own pool
 * peaks, reset between phases), the heap the read table keeps, and the wall time.
 *
 * <pre>
 *   java -Xmx64m -cp target/classes:target/test-classes \
 *       io.github.bpfevents.bench.BtfHeap /sys/kernel/btf/vmlinux
 * </pre>
 *
 * <p>Import: every named struct of the file, one import each; check: each event imported
 * against its struct. Not a benchmark (JMH measures speed): a record of the budget.
 */
public final class BtfHeap {
  private BtfHeap() {}

  private static long peak() {
    long sum = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) {
        sum += p.getPeakUsage().getUsed();
      }
    }
    return sum >> 20;
  }

  private static void reset() {
    System.gc();
    ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
  }

  private static long used() {
    System.gc();
    Runtime r = Runtime.getRuntime();
    return (r.totalMemory() - r.freeMemory()) >> 20;
  }

  /**
   * Measures.
   *
   * @param args the file
   */
  public static void main(String[] args) {
    Path file = Path.of(args[0]);
    long base = used();
    reset();
    long t0 = System.nanoTime();
    Btf btf = BtfReader.read(file);
    long read = System.nanoTime() - t0;
    System.out.printf("read   %s: %d types in %d ms, peak heap %d MiB, the table keeps %d"
        + " MiB (heap %d MiB)%n", file, btf.count(), read / 1_000_000, peak(),
        used() - base, Runtime.getRuntime().maxMemory() >> 20);
    Set<String> names = new LinkedHashSet<>();
    for (int id = 1; id <= btf.count(); id++) {
      if (btf.kind(id) == BtfKind.STRUCT) {
        String n = btf.type(id).name();
        if (!n.isEmpty()) {
          names.add(n);
        }
      }
    }
    reset();
    t0 = System.nanoTime();
    List<EventLayout> imported = new ArrayList<>();
    List<String> structs = new ArrayList<>();
    int refused = 0;
    for (String n : names) {
      try {
        List<EventLayout> e = BtfImporter.events(btf, List.of(n));
        imported.add(e.get(e.size() - 1));
        structs.add(n);
      } catch (BpfEventsException e) {
        refused++;
      }
    }
    long imp = System.nanoTime() - t0;
    System.out.printf("import %d named structs one by one: %d import, %d refused, in %d ms,"
        + " peak heap %d MiB%n", names.size(), imported.size(), refused, imp / 1_000_000,
        peak());
    reset();
    t0 = System.nanoTime();
    int mismatches = 0;
    for (int i = 0; i < imported.size(); i++) {
      mismatches += BtfChecker.check(imported.get(i), btf, structs.get(i)).size();
    }
    long chk = System.nanoTime() - t0;
    System.out.printf("check  %d events against their structs: %d mismatches, in %d ms, peak"
        + " heap %d MiB%n", imported.size(), mismatches, chk / 1_000_000, peak());
  }
}
