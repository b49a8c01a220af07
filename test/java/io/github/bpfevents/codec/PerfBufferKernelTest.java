package io.github.bpfevents.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfevents.Examples;
import io.github.bpfevents.check.Bpf;
import io.github.bpfevents.check.PerfFeed;
import io.github.bpfevents.layout.EventLayout;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * PerfBufferConsumer on a real {@code BPF_MAP_TYPE_PERF_EVENT_ARRAY}: one {@code
 * BPF_OUTPUT} perf event per CPU, fed by {@code bpf_perf_event_output} from a program run
 * by {@code BPF_PROG_TEST_RUN} on a thread pinned to each CPU ({@link PerfFeed}). Every
 * sample arrives once, in order per CPU, byte for byte as the program stored it (the
 * kernel's raw padding after it is not written, so not checked); when a ring is overrun
 * the lost-sample records add up to the outputs the kernel refused; a wait returns before its timeout because a program ran.
 */
@Tag("kernel")
class PerfBufferKernelTest {
  static final EventLayout EVENT = Examples.RING_EVENT;
  static final int RAW = ((EVENT.size() + 4 + 7) & ~7) - 4;

  /** Checks each sample: its CPU's next number, every byte as stored. */
  static final class Checker implements RingBufferConsumer.RecordHandler {
    final PerfBufferConsumer consumer;
    final PerfFeed feed;
    final long[] last;
    final long[] delivered;
    final long[] gaps;
    long wrapped;

    Checker(PerfBufferConsumer consumer, PerfFeed feed) {
      this.consumer = consumer;
      this.feed = feed;
      this.last = new long[feed.cpus];
      this.delivered = new long[feed.cpus];
      this.gaps = new long[feed.cpus];
    }

    @Override
    public void onRecord(ByteBuffer data, int offset, int length) {
      int cpu = consumer.currentRing();
      if (length != RAW) {
        throw new AssertionError("CPU " + cpu + ": sample of " + length + " bytes");
      }
      long n = data.getLong(offset);
      if (n <= last[cpu]) {
        throw new AssertionError("CPU " + cpu + ": number " + n + " after " + last[cpu]);
      }
      gaps[cpu] += n - last[cpu] - 1;
      int pidAt = EVENT.resolve(java.util.List.of("pid")).offset();
      int checkAt = EVENT.resolve(java.util.List.of("check")).offset();
      for (int i = 8; i < EVENT.size(); i++) { // the kernel's padding after it is not written
        int b = data.get(offset + i);
        int want = 0;
        if (i >= pidAt && i < pidAt + 4) {
          want = (byte) (cpu >>> (8 * (i - pidAt)));
        } else if (i >= checkAt && i < checkAt + 8) {
          want = (byte) (~n >>> (8 * (i - checkAt)));
        }
        if (b != want) {
          throw new AssertionError("CPU " + cpu + " number " + n + ": byte " + i + " is " + b
              + ", expected " + want);
        }
      }
      if (!data.isDirect()) { // handed over from the consumer's copy: it wrapped
        wrapped++;
      }
      last[cpu] = n;
      delivered[cpu]++;
    }
  }

  static Waiter waiterFor(int[] fds) {
    if (Runtime.version().feature() >= 22) {
      Waiter w = Waiter.epoll(fds);
      assertEquals(Waiter.Kind.EPOLL, w.kind());
      return w;
    }
    return Waiter.kernelOrBackoff(fds);
  }

  @Test
  void everySampleOnceInOrderPerCpuWhileTheProgramRunsOnEach() throws Exception {
    Bpf.requirePermitted();
    int runs = 100_000;
    try (PerfFeed feed = PerfFeed.create(64, 1, EVENT); Waiter w = waiterFor(feed.fds)) {
      PerfBufferConsumer c = new PerfBufferConsumer(feed.rings, feed.pageSize);
      Checker checker = new Checker(c, feed);
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread[] producers = new Thread[feed.cpus];
      for (int cpu = 0; cpu < feed.cpus; cpu++) {
        int k = cpu;
        producers[cpu] = new Thread(() -> {
          try {
            PerfFeed.pin(k);
            for (int i = 0; i < runs / 200; i++) {
              feed.run(200);
              WaiterTest.sleep(1);
            }
          } catch (Throwable e) {
            failure.set(e);
          }
        }, "bpf-prog-test-run-" + cpu);
        producers[cpu].start();
      }
      DrainLoop loop = new DrainLoop(c, checker, w);
      Thread t = new Thread(() -> {
        try {
          loop.run();
        } catch (Throwable e) {
          failure.set(e);
        }
      }, "perf-drain");
      t.start();
      for (Thread p : producers) {
        p.join();
      }
      loop.stop();
      t.join(30_000);
      assertFalse(t.isAlive(), "the loop stopped");
      if (failure.get() != null) {
        throw new AssertionError("failed", failure.get());
      }
      c.poll(checker);
      // one more sample per CPU brings out a lost record the kernel still holds
      for (int cpu = 0; cpu < feed.cpus; cpu++) {
        feed.runOn(cpu, 1);
      }
      c.poll(checker);
      long total = 0;
      for (int cpu = 0; cpu < feed.cpus; cpu++) {
        long numbered = feed.numbered(cpu);
        long refused = feed.refused(cpu);
        assertEquals(numbered, checker.last[cpu], "CPU " + cpu + ": the last number arrived");
        assertEquals(numbered - refused, checker.delivered[cpu],
            "CPU " + cpu + ": every sample the kernel accepted, once");
        assertEquals(refused, checker.gaps[cpu], "CPU " + cpu + ": the gaps are the refused");
        assertEquals(refused, c.lost(cpu), "CPU " + cpu + ": lost records count the refused");
        assertEquals(c.dataHead(cpu), c.dataTail(cpu));
        total += numbered;
      }
      assertEquals((long) feed.cpus * (runs + 1), total, "every run numbered an event");
      System.out.printf("[kernel] perf buffer (%s, %d CPUs, 64 pages each): %d samples, %s"
          + " delivered per CPU, %d lost; %d records wrapped the end of a ring%n", w.kind(),
          feed.cpus, total, java.util.Arrays.toString(checker.delivered), c.lost(),
          checker.wrapped);
    }
  }

  @Test
  void anOverrunRingReportsItsLostSamplesExactly() {
    Bpf.requirePermitted();
    try (PerfFeed feed = PerfFeed.create(4, 1, EVENT)) {
      PerfBufferConsumer c = new PerfBufferConsumer(feed.rings, feed.pageSize,
          (ring, n) -> { });
      Checker checker = new Checker(c, feed);
      int cpu = feed.cpus - 1;
      long fits = 4L * feed.pageSize / (8 + 4 + RAW);
      feed.runOn(cpu, (int) fits * 3);
      long refused = feed.refused(cpu);
      assertTrue(refused > fits, "the kernel refused " + refused + " of " + fits * 3);
      int got = c.poll(checker);
      assertEquals(feed.numbered(cpu) - refused, got);
      assertEquals(0, c.lost(), "no lost record until the kernel has room to write one");
      feed.runOn(cpu, 1);
      c.poll(checker);
      assertEquals(refused, c.lost(cpu));
      assertEquals(refused, c.lost());
      assertEquals(refused, checker.gaps[cpu]);
      assertEquals(feed.numbered(cpu), checker.last[cpu]);
      System.out.printf("[kernel] perf buffer overrun on CPU %d: %d runs, %d delivered, %d"
          + " lost, as the kernel counted%n", cpu, feed.numbered(cpu), checker.delivered[cpu],
          c.lost(cpu));
    }
  }

  @Test
  void aWaitReturnsBeforeItsTimeoutBecauseTheProgramRanOnACpu() throws Exception {
    Bpf.requirePermitted();
    try (PerfFeed feed = PerfFeed.create(4, 1, EVENT); Waiter w = waiterFor(feed.fds)) {
      PerfBufferConsumer c = new PerfBufferConsumer(feed.rings, feed.pageSize);
      Checker checker = new Checker(c, feed);
      long start = System.nanoTime();
      assertFalse(w.await(c, 200_000_000L));
      assertTrue(System.nanoTime() - start >= 200_000_000L);
      for (int cpu = 0; cpu < feed.cpus; cpu++) {
        int k = cpu;
        Thread runner = new Thread(() -> {
          WaiterTest.sleep(200);
          feed.runOn(k, 1);
        });
        runner.start();
        start = System.nanoTime();
        boolean woken = w.await(c, TimeUnit.SECONDS.toNanos(30));
        long took = System.nanoTime() - start;
        runner.join();
        assertTrue(woken);
        assertTrue(took < TimeUnit.SECONDS.toNanos(10), "woken after " + took / 1_000_000
            + " ms of 30 s");
        assertTrue(took >= 150_000_000L, "waited for the run: " + took / 1_000_000 + " ms");
        assertEquals(1, c.poll(checker));
        assertEquals(1, checker.delivered[cpu]);
        System.out.printf("[kernel] perf buffer %s wait: woken %.1f ms after it began, the"
            + " program ran on CPU %d at 200 ms%n", w.kind(), took / 1e6, cpu);
      }
    }
  }
}
