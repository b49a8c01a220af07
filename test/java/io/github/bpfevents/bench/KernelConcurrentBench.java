package io.github.bpfevents.bench;

import io.github.bpfevents.codec.RingBufferConsumer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * (i) Concurrent: each invocation starts the BPF program of {@link KernelRing} on another
 * thread ({@code BPF_PROG_TEST_RUN}, on the other core) and drains the ring while the
 * kernel fills it, spinning ({@link Thread#onSpinWait}) when a poll finds nothing, until
 * the last record: end to end, bounded by the slower side. Publishing after each record or
 * once per poll. Beside them, the producer alone: the same runs with no consumer (the ring
 * is emptied between invocations by moving the consumer position, not measured). One
 * operation is one delivered record. Needs bpf(2).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class KernelConcurrentBench {
  private KernelRing ring;

  @Setup(Level.Trial)
  public void setup() {
    ring = new KernelRing();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    ring.close();
  }

  /** Empties the ring between invocations (a no-op after a drain). */
  @Setup(Level.Invocation)
  public void empty() {
    ring.skipAll();
  }

  private long drainWhileProduced(RingBufferConsumer c) {
    ring.startProducer();
    int got = 0;
    while (got < KernelRing.DELIVERED) {
      int n = c.poll(ring.handler);
      if (n == 0) {
        Thread.onSpinWait();
      }
      got += n;
    }
    ring.awaitProducer();
    KernelRing.expect(got);
    return ring.sum;
  }

  /** (i) draining while the program runs, publishing after each record. */
  @Benchmark
  @OperationsPerInvocation(KernelRing.DELIVERED)
  public long i_kernelConcurrentPollHandles() {
    return drainWhileProduced(ring.eachRecord);
  }

  /** (i) the same, publishing once per poll. */
  @Benchmark
  @OperationsPerInvocation(KernelRing.DELIVERED)
  public long i_kernelConcurrentPollHandlesOncePerPoll() {
    return drainWhileProduced(ring.oncePerPoll);
  }

  /** (i) the producer alone: the program's runs, nothing consumed. */
  @Benchmark
  @OperationsPerInvocation(KernelRing.DELIVERED)
  public long i_kernelProducerAlone() {
    ring.fill();
    return ring.sum;
  }
}
