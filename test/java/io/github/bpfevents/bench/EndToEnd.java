package io.github.bpfevents.bench;


import io.github.bpfevents.asm.AluOp;
import io.github.bpfevents.asm.Insn;
import io.github.bpfevents.asm.InsnEncoder;
import io.github.bpfevents.asm.Instructions;
import io.github.bpfevents.asm.JumpOp;
import io.github.bpfevents.asm.Program;
import io.github.bpfevents.asm.Register;
import io.github.bpfevents.asm.Size;
import io.github.bpfevents.asm.Store;
import io.github.bpfevents.check.Bpf;
import io.github.bpfevents.check.Counters;
import io.github.bpfevents.check.PerfFeed;
import io.github.bpfevents.check.RingBuf;
import io.github.bpfevents.codec.FieldHandle;
import io.github.bpfevents.codec.EventView;
import io.github.bpfevents.codec.RingBufferConsumer;
import io.github.bpfevents.codec.Waiter;
import io.github.bpfevents.emit.EventEmitter;
import io.github.bpfevents.emit.FieldSource;
import io.github.bpfevents.emit.HelperValue;
import io.github.bpfevents.emit.MapRef;
import io.github.bpfevents.emit.ProgramType;
import io.github.bpfevents.emit.Wakeup;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.FieldSpec;
import io.github.bpfevents.layout.FieldType;
import io.github.bpfevents.layout.LayoutEngine;
import io.github.bpfevents.layout.Packing;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;

/**
 * The end-to-end set-up: a 64 MiB {@code BPF_MAP_TYPE_RINGBUF} fed by a socket filter
 * that sends a 128-byte TimedEvent with the library's {@link EventEmitter}: it reserves
 * the record, zeroes what no field fills, fills {@code seq} and {@code pid} from a counter
 * and {@code ts} from {@code bpf_ktime_get_ns} (the clock of {@link System#nanoTime} on
 * Linux), and submits it with the wake-up policy's flags:
 * adaptive (0: the kernel wakes a waiter when the consumer had caught up), {@code
 * BPF_RB_NO_WAKEUP}, or forced every N ({@code BPF_RB_FORCE_WAKEUP} on every N-th record,
 * no wake-up on the others). The program runs by {@code BPF_PROG_TEST_RUN}, {@code batch}
 * runs per call, on a producer thread pinned to CPU 1; the consumer pins itself to CPU 0.
 */
final class EndToEnd implements AutoCloseable {
  static final int SIZE = 64 << 20;
  static final EventLayout EVENT = LayoutEngine.layout("TimedEvent", List.of(
      FieldSpec.of("seq", FieldType.U64),
      FieldSpec.of("ts", FieldType.U64),
      FieldSpec.of("pid", FieldType.U32),
      FieldSpec.of("tid", FieldType.U32),
      FieldSpec.of("comm", FieldType.CHAR, 16),
      FieldSpec.of("payload", FieldType.U8, 88)), Packing.NATURAL);
  static final int RECORD = (EVENT.size() + 8 + 7) & ~7;
  static final int PRODUCER_CPU = 1;
  static final int CONSUMER_CPU = 0;

  final RingBuf ring;
  final RingBufferConsumer consumer;
  /** The same ring, publishing after every record (the constructor's default). */
  final RingBufferConsumer eachRecord;
  final FieldHandle seq = EventView.of(EVENT).handle("seq");
  final FieldHandle ts = EventView.of(EVENT).handle("ts");
  final int counters;
  final int prog;
  private final Thread producer;
  private final Semaphore go = new Semaphore(0);
  private final Semaphore ran = new Semaphore(0);
  private volatile int runs;
  private volatile int batch;
  private volatile long gapNanos;
  private volatile boolean closing;

  /**
   * The wake-up policy by name: "adaptive" ({@link Wakeup#ADAPTIVE} on every record),
   * "noWakeup" ({@link Wakeup#NO_WAKEUP}), "forceN" (N a power of two: {@link
   * Wakeup#FORCE_WAKEUP} on every record whose number is a multiple of N, {@link
   * Wakeup#NO_WAKEUP} on the others).
   *
   * @param policy the name
   * @return N for "forceN", 0 for the others
   */
  static int forceEvery(String policy) {
    if (policy.equals("adaptive") || policy.equals("noWakeup")) {
      return 0;
    }
    if (policy.startsWith("force")) {
      int n = Integer.parseInt(policy.substring(5));
      if (n <= 0 || Integer.bitCount(n) != 1) {
        throw new IllegalArgumentException("force every " + n + ": a power of two");
      }
      return n;
    }
    throw new IllegalArgumentException("policy " + policy);
  }

  /**
   * The record sent by the library's {@link EventEmitter}: reserve into r6, zero what no
   * field fills, {@code seq} and {@code pid} from r8, {@code ts} from {@code
   * bpf_ktime_get_ns}, submit with the wake-up policy; a refused reservation jumps to
   * "refused".
   */
  private static List<Program.Item> send(int ringFd, Wakeup wakeup) {
    return EventEmitter.builder(EVENT)
        .programType(ProgramType.SOCKET_FILTER)
        .ringBuffer(MapRef.fd(ringFd))
        .live(Register.R7, Register.R8)
        .field("seq", FieldSource.reg(Register.R8))
        .field("pid", FieldSource.reg(Register.R8))
        .field("ts", FieldSource.helper(HelperValue.KTIME_NS))
        .wakeup(wakeup)
        .onFailure("refused")
        .build()
        .items();
  }

  /**
   * The program: r7 the counters (u64 records reserved at 0, u64 reservations refused at
   * 8), r8 the record's number, the record sent by {@link #send}, its number kept only when
   * the reservation succeeded. "forceN" branches on the number to one of two fragments,
   * forcing the wake-up in one and suppressing it in the other.
   */
  static List<Insn> program(int ringFd, int counterFd, String policy) {
    Register r0 = Register.R0;
    Register r1 = Register.R1;
    Register r2 = Register.R2;
    Register r7 = Register.R7;
    Register r8 = Register.R8;
    int force = forceEvery(policy);
    List<Program.Item> p = new ArrayList<>();
    // r7 = the counters, entry 0 of the array map; r8 = the next number
    p.add(Program.insn(Store.st(Size.W, Register.R10, -4, 0)));
    p.addAll(Counters.lookupNextNumber(counterFd));
    if (force == 0) {
      p.addAll(send(ringFd, policy.equals("adaptive") ? Wakeup.ADAPTIVE : Wakeup.NO_WAKEUP));
    } else {
      // every force-th record wakes the consumer, the others do not
      p.add(Program.jump(JumpOp.JSET, r8, force - 1, "quiet"));
      p.addAll(send(ringFd, Wakeup.FORCE_WAKEUP));
      p.add(Program.jump("reserved"));
      p.add(Program.label("quiet"));
      p.addAll(send(ringFd, Wakeup.NO_WAKEUP));
    }
    // reserved: the number is taken
    p.add(Program.label("reserved"));
    p.add(Program.insn(Store.stx(Size.DW, r7, 0, r8)));
    p.add(Program.jump("exit"));
    // refused: count it, take no number
    p.addAll(Counters.refusedThenExit());
    return Program.link(p);
  }

  EndToEnd(String policy) {
    Bpf.requirePermitted();
    ring = RingBuf.create(SIZE);
    counters = Bpf.createArrayMap(16);
    prog = Bpf.load(Bpf.PROG_TYPE_SOCKET_FILTER,
        InsnEncoder.encode(program(ring.fd, counters, policy)), 0);
    consumer = new RingBufferConsumer(ring.consumer, ring.producer, ring.pageSize, SIZE,
        RingBufferConsumer.ONCE_PER_POLL);
    eachRecord = new RingBufferConsumer(ring.consumer, ring.producer, ring.pageSize, SIZE);
    producer = new Thread(() -> {
      PerfFeed.pin(PRODUCER_CPU);
      while (true) {
        go.acquireUninterruptibly();
        if (closing) {
          return;
        }
        produce(runs, batch, gapNanos);
        ran.release();
      }
    }, "bpf-prog-test-run");
    producer.setDaemon(true);
    producer.start();
  }

  private void produce(int runs, int batch, long gap) {
    for (int done = 0; done < runs; done += batch) {
      Bpf.testRun(prog, Math.min(batch, runs - done));
      if (gap > 0) {
        long until = System.nanoTime() + gap;
        while (System.nanoTime() < until) {
          Thread.onSpinWait();
        }
      }
    }
  }

  /** Runs the program {@code runs} times in this thread, {@code batch} per call. */
  void fill(int runs, int batch) {
    long before = consumer.producerPosition();
    produce(runs, batch, 0);
    if (consumer.producerPosition() - before != (long) runs * RECORD) {
      throw new IllegalStateException("the kernel refused reservations: " + refused());
    }
  }

  long refused() {
    return ByteBuffer.wrap(Bpf.lookup(counters, 16)).order(ByteOrder.nativeOrder()).getLong(8);
  }

  /** Gives the whole ring back to the kernel without reading it. */
  void skipAll() {
    ring.consumer.putLong(0, consumer.producerPosition());
  }

  /** Starts the runs on the producer thread, {@code gap} ns of spinning between calls. */
  void start(int runs, int batch, long gap) {
    this.runs = runs;
    this.batch = batch;
    this.gapNanos = gap;
    go.release();
  }

  /** CPU time of the producer thread so far (user and system: the program runs in it). */
  long producerCpuNanos() {
    return java.lang.management.ManagementFactory.getThreadMXBean()
        .getThreadCpuTime(producer.getId());
  }

  void await() {
    ran.acquireUninterruptibly();
  }

  /**
   * A waiter by name: "spin", "backoff", "epoll" (Java 22 and later), "lingerEpoll" and
   * "lingerSpin" (those after a linger of 100 µs).
   */
  Waiter waiter(String wait) {
    switch (wait) {
      case "spin":
        return Waiter.spin();
      case "backoff":
        return Waiter.backoff();
      case "epoll":
        return Waiter.epoll(ring.fd);
      case "lingerEpoll":
        return Waiter.lingering(Waiter.epoll(ring.fd), 100_000L);
      case "lingerSpin":
        return Waiter.lingering(Waiter.spin(), 100_000L);
      default:
        throw new IllegalArgumentException("wait " + wait);
    }
  }

  @Override
  public void close() {
    closing = true;
    go.release();
    try {
      producer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Bpf.close(prog);
    Bpf.close(counters);
    ring.close();
  }
}
