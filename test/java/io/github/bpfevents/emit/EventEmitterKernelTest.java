package io.github.bpfevents.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Library;
import com.sun.jna.Native;
import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.asm.AsmPrinter;
import io.github.bpfevents.asm.Insn;
import io.github.bpfevents.asm.InsnEncoder;
import io.github.bpfevents.check.Bpf;
import io.github.bpfevents.check.PerfEventArray;
import io.github.bpfevents.check.RingBuf;
import io.github.bpfevents.codec.EventDecoder;
import io.github.bpfevents.codec.PerfBufferConsumer;
import io.github.bpfevents.codec.RingBufferConsumer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Fragments of the emitter in the kernel: the verifier accepts every source alone and all
 * together in every program type that allows it, refuses what the library refuses, and
 * {@code BPF_PROG_TEST_RUN} delivers records through {@link RingBufferConsumer} (perf output
 * through {@link PerfBufferConsumer}, one perf event per CPU) holding the kernel's values: the test thread's ids, its name, its process's parent, increasing times.
 */
@Tag("kernel")
class EventEmitterKernelTest {
  private static final List<ProgramType> TYPES = List.of(ProgramType.SOCKET_FILTER,
      ProgramType.KPROBE, ProgramType.TRACEPOINT, ProgramType.RAW_TRACEPOINT,
      ProgramType.SYSCALL);
  private static final int PERF_EVENT_ARRAY = 4;
  private static final int SLEEPABLE = 1 << 4;

  interface Ids extends Library {
    Ids INSTANCE = Native.load("c", Ids.class);

    int gettid();

    int getuid();

    int getgid();
  }

  @BeforeAll
  static void permitted() {
    Bpf.requirePermitted();
    Emits.vmlinux();
  }

  static int load(ProgramType type, List<Insn> insns) {
    return Bpf.load(type.number(), InsnEncoder.encode(insns), type.sleepable() ? SLEEPABLE : 0);
  }

  @Test
  void verifierAcceptsEverySourceAloneAndAllTogether() {
    int ring = Bpf.createMap(Bpf.MAP_TYPE_RINGBUF, 0, 0, 1 << 16);
    int perf = Bpf.createMap(PERF_EVENT_ARRAY, 4, 4, Runtime.getRuntime().availableProcessors());
    try {
      Map<String, FieldSource> all = Emits.sources();
      List<Map<String, FieldSource>> requests = new ArrayList<>();
      all.forEach((k, v) -> requests.add(Map.of(k, v)));
      requests.add(all);
      int loaded = 0;
      for (ProgramType type : TYPES) {
        for (Delivery d : Delivery.values()) {
          int map = d == Delivery.PERF_OUTPUT ? perf : ring;
          for (Map<String, FieldSource> r : requests) {
            if (d == Delivery.PERF_OUTPUT && type.sleepable()) {
              BpfEventsException e = assertThrows(BpfEventsException.class,
                  () -> Emits.emitter(type, d, map, r).build());
              assertEquals("helper-not-allowed", e.problem());
              // the verifier refuses the same fragment, for the reason the message quotes
              Fragment f = Emits.emitter(ProgramType.SOCKET_FILTER, d, map, r).build();
              Bpf.BpfError v = assertThrows(Bpf.BpfError.class, () -> load(type,
                  Emits.program(f)));
              String reason = "Sleepable programs can only use array, hash, ringbuf and local"
                  + " storage maps";
              assertTrue(v.getMessage().contains(reason), v.getMessage());
              assertTrue(e.getMessage().contains(reason), e.getMessage());
              continue;
            }
            Fragment f = Emits.emitter(type, d, map, r).build();
            try {
              Bpf.close(load(type, Emits.program(f)));
              loaded++;
            } catch (Bpf.BpfError e) {
              throw new AssertionError(type + " " + d + " " + r.keySet() + ":\n"
                  + String.join("\n", AsmPrinter.printAll(f.insns())) + "\n" + e.getMessage(), e);
            }
          }
        }
      }
      assertEquals(TYPES.size() * 3 * requests.size() - requests.size(), loaded);
      System.out.printf("[kernel] %d emitter fragments passed the verifier in %d program"
          + " types%n", loaded, TYPES.size());
    } finally {
      Bpf.close(ring);
      Bpf.close(perf);
    }
  }

  @Test
  void flowDissectorRefusesPerfOutputAsTheVerifierDoes() {
    int perf = Bpf.createMap(PERF_EVENT_ARRAY, 4, 4, Runtime.getRuntime().availableProcessors());
    try {
      Map<String, FieldSource> one = Map.of("ts", FieldSource.helper(HelperValue.KTIME_NS));
      BpfEventsException e = assertThrows(BpfEventsException.class, () -> Emits.emitter(
          ProgramType.FLOW_DISSECTOR, Delivery.PERF_OUTPUT, perf, one).build());
      assertEquals("helper-not-allowed", e.problem());
      String reason = "program of this type cannot use helper bpf_perf_event_output#25";
      assertTrue(e.getMessage().contains(reason), e.getMessage());
      assertTrue(e.getMessage().contains("socket-filter, kprobe"), e.getMessage());
      Fragment f = Emits.emitter(ProgramType.SOCKET_FILTER, Delivery.PERF_OUTPUT, perf, one)
          .build();
      Bpf.BpfError v = assertThrows(Bpf.BpfError.class,
          () -> load(ProgramType.FLOW_DISSECTOR, Emits.program(f)));
      assertTrue(v.getMessage().contains(reason), v.getMessage());
      // what the library lets through, the verifier accepts
      try (RingBuf ring = RingBuf.create(4096)) {
        Bpf.close(load(ProgramType.FLOW_DISSECTOR, Emits.program(Emits.emitter(
            ProgramType.FLOW_DISSECTOR, Delivery.RESERVE, ring.fd, one).build())));
      }
    } finally {
      Bpf.close(perf);
    }
  }

  @Test
  void recordsCarryTheKernelsValues() throws Exception {
    for (ProgramType type : List.of(ProgramType.SOCKET_FILTER, ProgramType.RAW_TRACEPOINT,
        ProgramType.SYSCALL)) {
      for (Delivery d : List.of(Delivery.RESERVE, Delivery.RING_OUTPUT)) {
        for (Wakeup w : Wakeup.values()) {
          runAndCheck(type, d, w);
        }
      }
    }
  }

  @Test
  void perfEventOutputDeliversTheSameValues() throws Exception {
    for (ProgramType type : List.of(ProgramType.SOCKET_FILTER, ProgramType.RAW_TRACEPOINT)) {
      runAndCheck(type, Delivery.PERF_OUTPUT, Wakeup.ADAPTIVE);
    }
  }

  private static void runAndCheck(ProgramType type, Delivery d, Wakeup w) throws Exception {
    RingBuf ring = d == Delivery.PERF_OUTPUT ? null : RingBuf.create(1 << 16);
    PerfEventArray perf = d == Delivery.PERF_OUTPUT ? PerfEventArray.create(8, 1) : null;
    try {
      Fragment f = Emits.emitter(type, d, ring != null ? ring.fd : perf.map, Emits.sources())
          .wakeup(w).build();
      int prog = load(type, Emits.program(f));
      List<Map<String, Object>> records = new ArrayList<>();
      AtomicReference<String> comm = new AtomicReference<>();
      long[] ids = new long[2];
      long[] times = new long[2];
      try {
        Thread t = new Thread(() -> {
          try {
            comm.set(Files.readString(Path.of("/proc/thread-self/comm")).strip());
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
          ids[0] = Ids.INSTANCE.gettid();
          times[0] = System.nanoTime();
          for (int i = 0; i < 3; i++) {
            int ret = type == ProgramType.SOCKET_FILTER ? Bpf.testRun(prog)
                : Bpf.testRunNoData(prog);
            assertEquals(0, ret);
          }
          times[1] = System.nanoTime();
        }, "emit-test-" + type.number());
        t.start();
        t.join();
      } finally {
        Bpf.close(prog);
      }
      if (ring != null) {
        RingBufferConsumer c = new RingBufferConsumer(ring.consumer, ring.producer,
            ring.pageSize, ring.size);
        c.poll((buf, offset, length) -> {
          assertEquals(Emits.EXEC.size(), length);
          records.add(EventDecoder.decode(Emits.EXEC, buf, offset));
        });
      } else {
        PerfBufferConsumer c = new PerfBufferConsumer(perf.rings, perf.pageSize);
        c.poll((buf, offset, length) -> {
          // the kernel's raw size: the size field and the event end on an 8-byte boundary
          assertEquals(((Emits.EXEC.size() + 4 + 7) & ~7) - 4, length,
              "raw sample of " + length + " bytes");
          records.add(EventDecoder.decode(Emits.EXEC, buf, offset));
        });
        assertEquals(0, c.lost(), "lost samples");
        // one buffer per CPU: in time order across them
        records.sort(java.util.Comparator.comparingLong(r -> num(r, "ts")));
      }
      check(type + " " + d + " " + w, records, comm.get(), ids[0], times);
    } finally {
      if (ring != null) {
        ring.close();
      }
      if (perf != null) {
        perf.close();
      }
    }
  }

  private static void check(String what, List<Map<String, Object>> records, String comm,
      long tid, long[] times) throws java.io.IOException {
    long[] ids = {tid};
    assertEquals(3, records.size(), what);
    long tgid = ProcessHandle.current().pid();
    long ppid = ProcessHandle.current().parent().orElseThrow().pid();
    long prev = 0;
    for (Map<String, Object> r : records) {
      assertEquals(ids[0], num(r, "pid"), what);
      assertEquals(ids[0], num(r, "wide_pid"), what);
      assertEquals(tgid, num(r, "tgid"), what);
      assertEquals(tgid << 32 | ids[0], num(r, "pid_tgid"), what);
      assertEquals(tgid, num(r, "read_tgid"), what);
      assertEquals(ppid, num(r, "ppid"), what + " real_parent->tgid");
      assertEquals(ppid, num(r, "ptr_ppid"), what);
      assertEquals(Ids.INSTANCE.getuid(), num(r, "uid"), what);
      assertEquals(Ids.INSTANCE.getgid(), num(r, "gid"), what);
      assertEquals((long) Ids.INSTANCE.getgid() << 32 | Ids.INSTANCE.getuid(),
          num(r, "uid_gid"), what);
      assertEquals(comm, r.get("comm"), what);
      assertEquals(comm, r.get("read_comm"), what);
      assertEquals(parentComm(ppid), r.get("parent_comm"), what);
      assertTrue(num(r, "cpu") < Runtime.getRuntime().availableProcessors(), what);
      assertEquals(cgroupId(), num(r, "cgroup"), what);
      assertEquals(Emits.R7, num(r, "reg"), what);
      assertEquals(0xbeefL, num(r, "konst"), what);
      assertEquals(List.of(0L, 0L, 0L), ((List<?>) r.get("pad")).stream()
          .map(x -> ((Number) x).longValue()).toList(), what);
      long ts = num(r, "ts");
      assertTrue(ts >= times[0] && ts <= times[1], what + ": ktime within the runs");
      assertTrue(ts > prev, what + ": ktime increases");
      assertTrue(num(r, "boot") >= ts, what + ": boot time includes the monotonic");
      prev = ts;
    }
  }

  private static long num(Map<String, Object> r, String k) {
    return ((Number) r.get(k)).longValue();
  }

  private static String parentComm(long ppid) throws java.io.IOException {
    return Files.readString(Path.of("/proc/" + ppid + "/comm")).strip();
  }

  /** The cgroup v2 id of this process: the inode of its cgroup's directory. */
  private static long cgroupId() throws java.io.IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
      if (line.startsWith("0::")) {
        Path dir = Path.of("/sys/fs/cgroup" + line.substring(3));
        return ((Number) Files.getAttribute(dir, "unix:ino")).longValue();
      }
    }
    throw new AssertionError("no cgroup v2 line in /proc/self/cgroup");
  }

  @Test
  void aFullRingTakesTheFailureBranch() {
    try (RingBuf ring = RingBuf.create(4096)) {
      Map<String, FieldSource> one = Map.of("ts", FieldSource.helper(HelperValue.KTIME_NS));
      int toLabel = load(ProgramType.SOCKET_FILTER, Emits.program(Emits.emitter(
          ProgramType.SOCKET_FILTER, Delivery.RESERVE, ring.fd, one).onFailure("failed").build()));
      int toEnd = load(ProgramType.SOCKET_FILTER, Emits.program(Emits.emitter(
          ProgramType.SOCKET_FILTER, Delivery.RESERVE, ring.fd, one).build()));
      try {
        int record = (Emits.EXEC.size() + 8 + 7) & ~7;
        for (int i = 0; i < 4096 / record; i++) {
          assertEquals(0, Bpf.testRun(toLabel), "record " + i + " fits");
        }
        assertEquals(1, Bpf.testRun(toLabel), "the full ring jumps to the label");
        assertEquals(0, Bpf.testRun(toEnd), "without a label the fragment ends");
        RingBufferConsumer c = new RingBufferConsumer(ring.consumer, ring.producer,
            ring.pageSize, ring.size);
        int[] n = {0};
        c.poll((buf, offset, length) -> n[0]++);
        assertEquals(4096 / record, n[0], "nothing half-written");
      } finally {
        Bpf.close(toLabel);
        Bpf.close(toEnd);
      }
    }
  }

  /**
   * What the library refuses about registers and stack stores, the verifier refuses too: the
   * same fragment with the store's register or offset changed to what was asked for (a
   * register a helper call clobbered, an unaligned stack slot) does not load.
   */
  @Test
  void theVerifierRefusesWhatTheLibraryRefuses() {
    try (RingBuf ring = RingBuf.create(4096)) {
      EventEmitter.Builder clobbered = Emits.emitter(ProgramType.SOCKET_FILTER, Delivery.RESERVE,
          ring.fd, Map.of("reg", FieldSource.reg(io.github.bpfevents.asm.Register.R2)));
      BpfEventsException e = assertThrows(BpfEventsException.class, clobbered::build);
      assertEquals("register-collision", e.problem());
      assertTrue(e.getMessage().contains("the helper calls clobber r0 to r5"), e.getMessage());
      List<Insn> asked = rewrite(Emits.emitter(ProgramType.SOCKET_FILTER, Delivery.RESERVE,
          ring.fd, Map.of("reg", FieldSource.reg(io.github.bpfevents.asm.Register.R7))).build(),
          i -> i.src() == 7 && i.opcode() == 0x7b
              ? Insn.of(i.opcode(), i.dst(), 2, i.offset(), i.imm()) : i);
      Bpf.BpfError v = assertThrows(Bpf.BpfError.class,
          () -> load(ProgramType.SOCKET_FILTER, Emits.program(asked)));
      assertTrue(v.getMessage().contains("R2 !read_ok"), v.getMessage());

      List<Insn> unaligned = rewrite(Emits.emitter(ProgramType.SOCKET_FILTER,
          Delivery.RING_OUTPUT, ring.fd, Map.of("ts", FieldSource.helper(HelperValue.KTIME_NS)))
          .build(), i -> i.opcode() == 0x7b && i.dst() == 10
              ? Insn.of(i.opcode(), i.dst(), i.src(), i.offset() + 1, i.imm()) : i);
      Bpf.BpfError m = assertThrows(Bpf.BpfError.class,
          () -> load(ProgramType.SOCKET_FILTER, Emits.program(unaligned)));
      assertTrue(m.getMessage().contains("misaligned stack access"), m.getMessage());
    }
  }

  private static List<Insn> rewrite(Fragment f, java.util.function.UnaryOperator<Insn> change) {
    List<Insn> out = new ArrayList<>();
    for (Insn i : f.insns()) {
      out.add(change.apply(i));
    }
    return out;
  }
}
