package io.github.bpfevents.bench;

import static io.github.bpfevents.check.Programs.addImm;
import static io.github.bpfevents.check.Programs.andImm;
import static io.github.bpfevents.check.Programs.call;
import static io.github.bpfevents.check.Programs.exit;
import static io.github.bpfevents.check.Programs.jneImm;
import static io.github.bpfevents.check.Programs.lddwMapFd;
import static io.github.bpfevents.check.Programs.ldxDw;
import static io.github.bpfevents.check.Programs.mov;
import static io.github.bpfevents.check.Programs.movImm;

import io.github.bpfevents.asm.Insn;
import io.github.bpfevents.asm.InsnEncoder;
import io.github.bpfevents.asm.Register;
import io.github.bpfevents.asm.Size;
import io.github.bpfevents.asm.Store;
import io.github.bpfevents.check.Bpf;
import io.github.bpfevents.check.PerfFeed;
import io.github.bpfevents.check.RingBuf;
import io.github.bpfevents.codec.FieldHandle;
import io.github.bpfevents.codec.EventView;
import io.github.bpfevents.codec.RingBufferConsumer;
import io.github.bpfevents.codec.Waiter;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.FieldSpec;
import io.github.bpfevents.layout.FieldType;
import io.github.bpfevents.layout.LayoutEngine;
import io.github.bpfevents.layout.Packing;
import io.github.bpfevents.store.EventStores;
import io.github.bpfevents.store.StoreValue;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * The end-to-end set-up: a 64 MiB {@code BPF_MAP_TYPE_RINGBUF} fed by a socket filter
 * that reserves a 128-byte TimedEvent, zeroes it and fills it with the project's stores
 * ({@code seq} from a counter, {@code ts} from {@code bpf_ktime_get_ns}, the clock of
 * {@link System#nanoTime} on Linux) and submits it with the wake-up policy's flags:
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
   * The wake-up policy's submit flags for record number n: "adaptive", "noWakeup",
   * "forceN" (N a power of two).
   */
  static List<Insn> flags(String policy, Register seq, Register out) {
    List<Insn> p = new ArrayList<>();
    if (policy.equals("adaptive")) {
      p.add(movImm(out, 0));
    } else if (policy.equals("noWakeup")) {
      p.add(movImm(out, 1));
    } else if (policy.startsWith("force")) {
      int n = Integer.parseInt(policy.substring(5));
      if (Integer.bitCount(n) != 1) {
        throw new IllegalArgumentException("force every " + n + ": a power of two");
      }
      p.add(mov(Register.R1, seq));
      p.add(andImm(Register.R1, n - 1));
      p.add(movImm(out, 1)); // BPF_RB_NO_WAKEUP
      p.add(jneImm(Register.R1, 0, 1));
      p.add(movImm(out, 2)); // BPF_RB_FORCE_WAKEUP every n-th
    } else {
      throw new IllegalArgumentException("policy " + policy);
    }
    return p;
  }

  static List<Insn> program(int ringFd, int counterFd, String policy) {
    Register r0 = Register.R0;
    Register r1 = Register.R1;
    Register r2 = Register.R2;
    Register r6 = Register.R6;
    Register r7 = Register.R7;
    Register r8 = Register.R8;
    List<Insn> p = new ArrayList<>();
    p.add(Store.st(Size.W, Register.R10, -4, 0));
    p.add(mov(r2, Register.R10));
    p.add(addImm(r2, -4));
    p.addAll(lddwMapFd(r1, counterFd));
    p.add(call(1));
    p.add(jneImm(r0, 0, 2));
    p.add(movImm(r0, 0));
    p.add(exit());
    p.add(mov(r7, r0));
    p.addAll(lddwMapFd(r1, ringFd));
    p.add(movImm(r2, EVENT.size()));
    p.add(movImm(Register.R3, 0));
    p.add(call(131)); // ringbuf_reserve
    p.add(jneImm(r0, 0, 5));
    p.add(ldxDw(r1, r7, 8));
    p.add(addImm(r1, 1));
    p.add(Store.stx(Size.DW, r7, 8, r1));
    p.add(movImm(r0, 0));
    p.add(exit());
    p.add(mov(r6, r0));
    p.add(ldxDw(r8, r7, 0));
    p.add(addImm(r8, 1));
    p.add(Store.stx(Size.DW, r7, 0, r8));
    p.addAll(EventStores.zeroEvent(r6, EVENT));
    p.add(call(5)); // ktime_get_ns
    p.addAll(EventStores.storeFields(r6, EVENT, Map.of(
        "seq", StoreValue.reg(r8), "ts", StoreValue.reg(r0), "pid", StoreValue.reg(r8))));
    p.addAll(flags(policy, r8, r2));
    p.add(mov(r1, r6));
    p.add(call(132)); // ringbuf_submit
    p.add(movImm(r0, 0));
    p.add(exit());
    return p;
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
