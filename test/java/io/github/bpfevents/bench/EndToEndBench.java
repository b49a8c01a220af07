package io.github.bpfevents.bench;

import io.github.bpfevents.check.PerfFeed;
import io.github.bpfevents.codec.RingBufferConsumer;
import io.github.bpfevents.codec.Waiter;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * End to end: each invocation starts {@link #RUNS} runs of the program of {@link EndToEnd}
 * on the producer thread (CPU 1, {@code batch} runs per {@code BPF_PROG_TEST_RUN}) and
 * drains the ring on this thread (CPU 0) while the kernel fills it, reading two fields of
 * each record; when a poll finds nothing it waits with the waiter ({@code wait}: spin,
 * back-off, epoll, or epoll after a linger of 100 µs; up to 1 ms, so that a policy that
 * wakes no one still ends). One operation is one delivered record. {@link #producerAlone}
 * is the same runs with no consumer (the ring is emptied between invocations, not
 * measured). Needs bpf(2).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EndToEndBench {
  static final int RUNS = 400_000;

  @Param({"adaptive", "noWakeup", "force64"})
  public String policy;

  @Param({"spin", "backoff", "epoll", "lingerEpoll"})
  public String wait;

  @Param({"400000"})
  public int batch;

  private EndToEnd e2e;
  private Waiter waiter;
  private long sum;
  private final RingBufferConsumer.RecordHandler handler =
      (buf, offset, length) -> sum += e2e.seq.u64(buf, offset) + e2e.ts.u64(buf, offset);

  @Setup(Level.Trial)
  public void setup() {
    PerfFeed.pin(EndToEnd.CONSUMER_CPU);
    e2e = new EndToEnd(policy);
    waiter = wait.equals("none") ? null : e2e.waiter(wait);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (waiter != null) {
      waiter.close();
    }
    e2e.close();
  }

  @Setup(Level.Invocation)
  public void empty() {
    e2e.skipAll();
  }

  /** Draining while the program runs on the other core. */
  @Benchmark
  @OperationsPerInvocation(RUNS)
  public long endToEnd() {
    RingBufferConsumer c = e2e.consumer;
    e2e.start(RUNS, batch, 0);
    int got = 0;
    while (got < RUNS) {
      int n = c.poll(handler);
      if (n == 0) {
        waiter.await(c, 1_000_000L);
      }
      got += n;
    }
    e2e.await();
    return sum;
  }

  /** The producer alone, on the producer thread, in the same trial. */
  @Benchmark
  @OperationsPerInvocation(RUNS)
  public long producerAlone() {
    e2e.start(RUNS, batch, 0);
    e2e.await();
    return e2e.consumer.producerPosition();
  }
}
