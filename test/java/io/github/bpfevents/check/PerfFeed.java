package io.github.bpfevents.check;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.github.bpfevents.asm.AluOp;
import io.github.bpfevents.asm.Insn;
import io.github.bpfevents.asm.InsnEncoder;
import io.github.bpfevents.asm.Instructions;
import io.github.bpfevents.asm.JumpOp;
import io.github.bpfevents.asm.Program;
import io.github.bpfevents.asm.Register;
import io.github.bpfevents.asm.Size;
import io.github.bpfevents.asm.Store;
import io.github.bpfevents.emit.EventEmitter;
import io.github.bpfevents.emit.FieldSource;
import io.github.bpfevents.emit.HelperValue;
import io.github.bpfevents.emit.MapRef;
import io.github.bpfevents.emit.ProgramType;
import io.github.bpfevents.layout.EventLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code BPF_MAP_TYPE_PERF_EVENT_ARRAY} fed by a real BPF program: the map and its
 * mapped perf events, one per CPU ({@link PerfEventArray}), and a socket filter that
 * writes one event with {@code bpf_perf_event_output(ctx, map, BPF_F_CURRENT_CPU, event,
 * size)} per run, the fragment built by the library's {@link EventEmitter}
 * ({@link io.github.bpfevents.emit.Delivery#PERF_OUTPUT}). The event is built on the
 * stack, zeroed where no field fills it: {@code seq} = n, the run's number on that CPU
 * (from a per-CPU counter in an array map indexed by {@code bpf_get_smp_processor_id}),
 * {@code pid} = the CPU, {@code check} = ~n; an output the kernel refuses (the ring is
 * full) is counted in the same map. {@link #runOn} pins a thread to a CPU with {@code
 * sched_setaffinity} and runs the program there with {@code BPF_PROG_TEST_RUN}.
 */
public final class PerfFeed implements AutoCloseable {
  private static final long SYS_BPF = 321;

  interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

    long syscall(long number, Object... args);

    int sched_setaffinity(int pid, long size, long[] mask);

    int sched_getaffinity(int pid, long size, long[] mask);
  }

  /** The CPUs, 0 to cpus - 1. */
  public final int cpus;
  /** The page size. */
  public final int pageSize;
  /** Each CPU's perf event fd. */
  public final int[] fds;
  /** Each CPU's mapping: the metadata page and the data pages. */
  public final List<ByteBuffer> rings;
  /** The event the program writes. */
  public final EventLayout event;
  /** The perf event array map. */
  public final int map;
  private final PerfEventArray perf;
  private final int counters;
  private final int prog;

  private PerfFeed(PerfEventArray perf, EventLayout event, int counters, int prog) {
    this.perf = perf;
    this.cpus = perf.cpus;
    this.pageSize = perf.pageSize;
    this.fds = perf.fds;
    this.rings = perf.rings;
    this.map = perf.map;
    this.event = event;
    this.counters = counters;
    this.prog = prog;
  }

  /** The online CPUs, from /sys (0-N): {@link PerfEventArray#onlineCpus}. */
  public static int onlineCpus() {
    return PerfEventArray.onlineCpus();
  }

  /**
   * Opens the perf events, maps them, fills the map and loads the program.
   *
   * @param pages data pages per CPU, a power of two
   * @param wakeupEvents the kernel wakes a ring's waiters after this many samples
   * @param event the event: fields seq (u64), pid (u32), check (u64)
   * @return the feed
   */
  public static PerfFeed create(int pages, int wakeupEvents, EventLayout event) {
    PerfEventArray perf = PerfEventArray.create(pages, wakeupEvents);
    int counters = -1;
    try {
      counters = createArray(16, perf.cpus);
      byte[] code = InsnEncoder.encode(program(perf.map, counters, event));
      int prog = Bpf.load(Bpf.PROG_TYPE_SOCKET_FILTER, code, 0);
      return new PerfFeed(perf, event, counters, prog);
    } catch (RuntimeException e) {
      if (counters >= 0) {
        Bpf.close(counters);
      }
      perf.close();
      throw e;
    }
  }

  private static long bpf(int cmd, Memory attr, String what) {
    long r = LibC.INSTANCE.syscall(SYS_BPF, (long) cmd, attr, attr.size());
    if (r < 0) {
      throw new Bpf.BpfError(what, Native.getLastError(), "");
    }
    return r;
  }

  private static int createArray(int valueSize, int entries) {
    return Bpf.createMap(2, 4, valueSize, entries);
  }

  private static ByteBuffer lookup(int mapFd, int key, int valueSize) {
    Memory k = new Memory(4);
    k.setInt(0, key);
    Memory v = new Memory(valueSize);
    Memory a = new Memory(128);
    a.clear();
    a.setInt(0, mapFd);
    a.setLong(8, Pointer.nativeValue(k));
    a.setLong(16, Pointer.nativeValue(v));
    bpf(1, a, "MAP_LOOKUP_ELEM");
    return ByteBuffer.wrap(v.getByteArray(0, valueSize)).order(ByteOrder.nativeOrder());
  }

  /**
   * The program: r6 the context, r7 this CPU's counters (u64 numbered at 0, u64 refused at
   * 8), r8 the event's number, r9 its complement; the event sent by the library's {@link
   * EventEmitter} (built on the stack below the lookup key, zeroed where no field fills it,
   * {@code pid} from {@code bpf_get_smp_processor_id}, {@code bpf_perf_event_output} to the
   * current CPU), a refused output counted.
   *
   * @param mapFd the perf event array
   * @param countersFd the array map of per-CPU counters (value of 16 bytes)
   * @param event the event
   * @return the instructions
   */
  public static List<Insn> program(int mapFd, int countersFd, EventLayout event) {
    Register r0 = Register.R0;
    Register r1 = Register.R1;
    Register r2 = Register.R2;
    Register r6 = Register.R6;
    Register r7 = Register.R7;
    Register r8 = Register.R8;
    Register r9 = Register.R9;
    List<Program.Item> send = EventEmitter.builder(event)
        .programType(ProgramType.SOCKET_FILTER)
        .perfOutput(MapRef.fd(mapFd), r6)
        .stackTop(8) // fp - 4: the counters' key
        .live(r7, r8, r9)
        .field("seq", FieldSource.reg(r8))
        .field("pid", FieldSource.helper(HelperValue.CPU))
        .field("check", FieldSource.reg(r9))
        .onFailure("refused")
        .build()
        .items();
    List<Program.Item> p = new ArrayList<>();
    p.add(Program.insn(Instructions.mov(r6, r1)));
    // r7 = this CPU's counters, entry bpf_get_smp_processor_id() of the array map
    p.add(Program.insn(Instructions.call(8))); // get_smp_processor_id
    p.add(Program.insn(Store.stx(Size.W, Register.R10, -4, r0)));
    p.addAll(Counters.lookupNextNumber(countersFd));
    // r8 = the next number, taken whether or not the output succeeds; r9 = ~r8
    p.add(Program.insn(Store.stx(Size.DW, r7, 0, r8)));
    p.add(Program.insn(Instructions.mov(r9, r8)));
    p.add(Program.insn(Instructions.aluImm(AluOp.XOR, r9, -1)));
    p.addAll(send);
    p.add(Program.jump("exit"));
    // refused (the CPU's ring is full): count it
    p.addAll(Counters.refusedThenExit());
    return Program.link(p);
  }

  /**
   * Runs the program {@code repeat} times in this thread, pinned to {@code cpu} for the
   * call (its affinity is put back after).
   *
   * @param cpu the CPU
   * @param repeat how many runs
   */
  public void runOn(int cpu, int repeat) {
    long[] before = new long[16];
    if (LibC.INSTANCE.sched_getaffinity(0, 8L * before.length, before) != 0) {
      throw new IllegalStateException("sched_getaffinity: errno " + Native.getLastError());
    }
    long[] one = new long[16];
    one[cpu / 64] = 1L << (cpu % 64);
    if (LibC.INSTANCE.sched_setaffinity(0, 8L * one.length, one) != 0) {
      throw new IllegalStateException("sched_setaffinity to CPU " + cpu + ": errno "
          + Native.getLastError());
    }
    try {
      Bpf.testRun(prog, repeat);
    } finally {
      LibC.INSTANCE.sched_setaffinity(0, 8L * before.length, before);
    }
  }

  /**
   * Pins this thread to a CPU for good (a producer thread of its own).
   *
   * @param cpu the CPU
   */
  public static void pin(int cpu) {
    long[] one = new long[16];
    one[cpu / 64] = 1L << (cpu % 64);
    if (LibC.INSTANCE.sched_setaffinity(0, 8L * one.length, one) != 0) {
      throw new IllegalStateException("sched_setaffinity to CPU " + cpu + ": errno "
          + Native.getLastError());
    }
  }

  /**
   * Runs the program in this thread, wherever it is.
   *
   * @param repeat how many runs
   */
  public void run(int repeat) {
    Bpf.testRun(prog, repeat);
  }

  /** @return events numbered on this CPU so far (the last number given) */
  public long numbered(int cpu) {
    return lookup(counters, cpu, 16).getLong(0);
  }

  /** @return outputs the kernel refused on this CPU (its ring was full) */
  public long refused(int cpu) {
    return lookup(counters, cpu, 16).getLong(8);
  }

  @Override
  public void close() {
    Bpf.close(prog);
    Bpf.close(counters);
    perf.close();
  }
}
