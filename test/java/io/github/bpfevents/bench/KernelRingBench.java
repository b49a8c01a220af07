package io.github.bpfevents.bench;

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
 * (h) Kernel-filled: before each invocation (not measured) the BPF program fills the ring
 * of {@link KernelRing}; the invocation drains it, reading two fields of each record:
 * poll + FieldHandles, publishing after each record or once per poll, and the hand-written
 * loop over the same mapping. The consumer's own speed on memory the kernel wrote: the
 * measurement cilium/ebpf's reader benchmark makes. One operation is one delivered record.
 * Needs bpf(2): without it the setup fails and the report says the rows were not run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class KernelRingBench {
  private KernelRing ring;

  @Setup(Level.Trial)
  public void setup() {
    ring = new KernelRing();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    ring.close();
  }

  /** Fills the ring before each invocation; it is empty before. */
  @Setup(Level.Invocation)
  public void fill() {
    ring.fill();
  }

  /** (h) poll + two FieldHandle reads, publishing after each record. */
  @Benchmark
  @OperationsPerInvocation(KernelRing.DELIVERED)
  public long h_kernelFilledPollHandles() {
    KernelRing.expect(ring.eachRecord.poll(ring.handler));
    return ring.sum;
  }

  /** (h) the same, publishing once per poll. */
  @Benchmark
  @OperationsPerInvocation(KernelRing.DELIVERED)
  public long h_kernelFilledPollHandlesOncePerPoll() {
    KernelRing.expect(ring.oncePerPoll.poll(ring.handler));
    return ring.sum;
  }

  /** (h) the hand-written loop over the same mapping. */
  @Benchmark
  @OperationsPerInvocation(KernelRing.DELIVERED)
  public long h_kernelFilledHandWritten() {
    KernelRing.expect(ring.hand.drain());
    return ring.hand.sum;
  }
}
