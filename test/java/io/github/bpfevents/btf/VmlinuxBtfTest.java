package io.github.bpfevents.btf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.check.Bpf;
import io.github.bpfevents.check.BtfLoad;
import io.github.bpfevents.check.Tools;
import io.github.bpfevents.definition.DefinitionWriter;
import io.github.bpfevents.layout.CNames;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.FieldType;
import io.github.bpfevents.layout.Packing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The running kernel's own BTF, {@code /sys/kernel/btf/vmlinux}: read whole, every named
 * struct and union imports and checks clean against it, the bitfields of {@code iphdr} and
 * {@code tcphdr} at their bits; the imported events, written again, load into the kernel.
 */
@Tag("kernel")
class VmlinuxBtfTest {
  private static final Path VMLINUX = Path.of("/sys/kernel/btf/vmlinux");
  private static Btf vmlinux;

  @BeforeAll
  static void read() {
    if (!Files.isReadable(VMLINUX)) {
      Tools.unavailable(VMLINUX + " is not readable (a kernel built without"
          + " CONFIG_DEBUG_INFO_BTF)");
    }
    vmlinux = BtfReader.read(VMLINUX);
  }

  @Test
  void ethhdrImports() {
    List<EventLayout> eth = BtfImporter.events(vmlinux, List.of("ethhdr"));
    assertEquals(1, eth.size());
    EventLayout e = eth.get(0);
    assertEquals(14, e.size());
    assertEquals(List.of("h_dest", "h_source", "h_proto"), e.fieldNames());
    assertEquals(FieldType.U8, e.field("h_dest").type());
    assertEquals(6, e.field("h_source").count());
    assertEquals(12, e.field("h_proto").offset());
    assertEquals(FieldType.BE16, e.field("h_proto").type());
    assertEquals(List.of(), BtfChecker.check(e, vmlinux));
    assertEquals("""
        (defevent ethhdr {:align :natural}
          [:h_dest :u8 6]
          [:h_source :u8 6]
          [:h_proto :be16])
        """, DefinitionWriter.eventFile(eth, null));
  }

  @Test
  void iphdrAndTcphdrImportWithTheirBitfields() {
    List<EventLayout> ips = BtfImporter.events(vmlinux, List.of("iphdr"));
    EventLayout ip = ips.get(ips.size() - 1);
    assertEquals(4, ip.field("ihl").bits());
    assertEquals(0L, ip.field("ihl").bitOffset());
    assertEquals(4, ip.field("version").bits());
    assertEquals(4L, ip.field("version").bitOffset());
    assertEquals(List.of(), BtfChecker.check(ip, vmlinux));
    List<EventLayout> tcps = BtfImporter.events(vmlinux, List.of("tcphdr"));
    EventLayout tcp = tcps.get(tcps.size() - 1);
    assertEquals(1, tcp.field("syn").bits());
    assertEquals(List.of(), BtfChecker.check(tcp, vmlinux));
  }

  /**
   * Every named struct and union of vmlinux, imported one by one: each member's bit offset
   * and size (a bitfield's width) as the BTF has them, through anonymous members and
   * nested structs; none refused (GNU zero-length arrays and 128-bit integers included).
   * The time to import them all is printed (measured speed is the benchmarks' business:
   * {@code BtfHeap}).
   */
  @Test
  void everyNamedStructAndUnionImportsAsTheBtfLaysItOut() {
    int all = 0;
    long members = 0;
    int zeroLength = 0;
    int wide = 0;
    List<String> refused = new ArrayList<>();
    long importNanos = 0;
    for (int id = 1; id <= vmlinux.count(); id++) {
      BtfType t = vmlinux.type(id);
      if ((t.kind() == BtfKind.STRUCT || t.kind() == BtfKind.UNION) && !t.name().isEmpty()
          && vmlinux.struct(t.name()) == id) {
        all++;
        try {
          long t0 = System.nanoTime();
          List<EventLayout> one = BtfImporter.events(vmlinux, List.of(t.name()));
          importNanos += System.nanoTime() - t0;
          EventLayout e = one.get(one.size() - 1);
          members += sameAsBtf(e, id, 0, t.name());
          zeroLength += count(e, true);
          wide += count(e, false);
        } catch (BpfEventsException e) {
          refused.add(t.name() + ": " + e.getMessage());
        }
      }
    }
    assertEquals(List.of(), refused.subList(0, Math.min(10, refused.size())),
        refused.size() + " of " + all + " refused");
    assertTrue(all > 1000 && zeroLength > 0 && wide > 0, all + " " + zeroLength + " " + wide);
    System.out.println("[kernel] vmlinux: all " + all + " named structs and unions import one"
        + " by one (" + importNanos / 1_000_000 + " ms to import them all), 0 refused; "
        + members + " members at the BTF's bit offsets and widths, among them " + zeroLength
        + " GNU zero-length arrays and " + wide + " 128-bit integers");
  }

  /** Zero-length arrays (or 128-bit integers) in an event and the events it holds. */
  private static int count(EventLayout e, boolean zeroLength) {
    int n = 0;
    for (io.github.bpfevents.layout.Field f : e.fields()) {
      if (zeroLength ? f.isZeroLength() : f.type() != null && f.type().size() == 16) {
        n++;
      }
      if (f.isNested()) {
        n += count(f.nested(), zeroLength);
      }
    }
    return n;
  }

  /** Compares an event with its struct, member by member; returns the members compared. */
  private static long sameAsBtf(EventLayout e, int id, long base, String where) {
    BtfType t = vmlinux.type(id);
    assertEquals(t.size(), (long) e.size(), where + " size");
    List<io.github.bpfevents.layout.Field> fields = new ArrayList<>();
    for (io.github.bpfevents.layout.Field f : e.fields()) {
      if (f.isAnonymous() || f.name() != null) {
        fields.add(f);
      }
    }
    assertEquals(t.members().size(), fields.size(), where + " members");
    long n = 0;
    for (int i = 0; i < fields.size(); i++) {
      io.github.bpfevents.layout.Field f = fields.get(i);
      BtfType.Member m = t.members().get(i);
      MemberShape s = MemberShape.of(vmlinux, m.type());
      long bit = m.bitOffset();
      int width = t.kindFlag() ? m.bitfieldSize() : 0;
      if (!t.kindFlag() && s.partialInt) {
        width = s.bits;
        bit += ((BtfType.Int) vmlinux.type(s.element)).intBitOffset();
      }
      String at = where + "." + (m.name().isEmpty() ? "(anonymous " + i + ")" : m.name());
      assertEquals(bit, f.bitOffset(), at + " bit offset");
      if (width > 0) {
        assertEquals(width, f.bits(), at + " width");
      } else {
        assertEquals(s.elementSize * s.count, (long) f.size(), at + " size");
      }
      n++;
      if (f.isAnonymous()) {
        n += sameAsBtf(f.nested(), s.element, 0, at);
      }
    }
    return n;
  }

  @Test
  void everyStructThatFitsImportsChecksCleanAndLoads() {
    Bpf.requirePermitted();
    Set<String> names = new LinkedHashSet<>();
    Set<String> cNamed = new LinkedHashSet<>();
    int structs = 0;
    for (int id = 1; id <= vmlinux.count(); id++) {
      BtfType t = vmlinux.type(id);
      if ((t.kind() == BtfKind.STRUCT || t.kind() == BtfKind.UNION) && !t.name().isEmpty()
          && vmlinux.struct(t.name()) == id) {
        structs++;
        try {
          List<EventLayout> one = BtfImporter.events(vmlinux, List.of(t.name()));
          names.add(t.name());
          assertEquals(List.of(), BtfChecker.check(one.get(one.size() - 1), vmlinux,
              t.name()), t.name());
          if (one.stream().allMatch(VmlinuxBtfTest::keepsItsNamesInC)) {
            cNamed.add(t.name());
          }
        } catch (BpfEventsException e) {
          throw new AssertionError(t.name() + " is refused: " + e.getMessage(), e);
        }
      }
    }
    // in imports of 500 names each: an anonymous struct or union is an event too, and one
    // import declares at most BtfImporter.MAX_EVENTS
    int packed = 0;
    int fields = 0;
    int eventCount = 0;
    int keptCount = 0;
    List<String> all = new ArrayList<>(names);
    List<String> allKept = new ArrayList<>(cNamed);
    for (int from = 0; from < all.size(); from += 500) {
      List<EventLayout> events = BtfImporter.events(vmlinux,
          all.subList(from, Math.min(all.size(), from + 500)));
      for (EventLayout e : events) {
        packed += e.packing() == Packing.PACKED ? 1 : 0;
        fields += e.fields().size();
      }
      eventCount += events.size();
    }
    // the writer names structs and members as the C header does (xt_DSCP_info becomes
    // xt_dscp_info, which vmlinux has too): the events whose names C keeps load
    for (int from = 0; from < allKept.size(); from += 500) {
      List<EventLayout> kept = BtfImporter.events(vmlinux,
          allKept.subList(from, Math.min(allKept.size(), from + 500)));
      BtfLoad.check(BtfWriter.write(kept));
      keptCount += kept.size();
    }
    assertTrue(names.contains("ethhdr") && names.contains("iphdr"));
    assertEquals(structs, names.size());
    System.out.println("[kernel] " + names.size() + " of the " + structs + " named structs of"
        + " vmlinux fit an event (" + eventCount + " events with those they nest, "
        + packed + " packed, " + fields + " fields): each checks clean against vmlinux; the"
        + " BTF of the " + keptCount + " whose names C keep, written again, loads");
  }

  private static boolean keepsItsNamesInC(EventLayout e) {
    return CNames.convert(e.name()).equals(e.name())
        && e.fieldNames().stream().allMatch(f -> CNames.convert(f).equals(f));
  }
}
