package io.github.bpfevents.bench;

import io.github.bpfevents.check.PerfFeed;
import io.github.bpfevents.codec.PerfBufferConsumer;
import io.github.bpfevents.codec.RingBufferConsumer;
import io.github.bpfevents.codec.Waiter;
import io.github.bpfevents.layout.EventLayout;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

/**
 * The perf buffer end to end, as {@link ReceiveProbe} does the ring buffer: the program of
 * {@link PerfFeed} ({@code bpf_perf_event_output} of a 128-byte event) run by {@code
 * BPF_PROG_TEST_RUN} on a thread pinned to CPU 1, {@code batch} runs per call, drained by
 * {@link PerfBufferConsumer} on CPU 0 with each wait mode, for perf events that wake their
 * waiters after every sample ({@code wakeup_events} 1, as libbpf opens them) and after
 * every 64; beside the producer alone (nothing consumed, 1024 data pages per CPU so that
 * nothing is lost). One run each, with the producer's CPU time per event. Arguments:
 * [runs] [waits] [batch] (default 200000, spin,backoff,epoll,lingerEpoll, 10000).
 */
public final class PerfProbe {
  private PerfProbe() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    String[] waits = (args.length > 1 ? args[1] : "spin,backoff,epoll,lingerEpoll").split(",");
    int batch = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
    StringBuilder out = new StringBuilder();
    Exception[] failed = {null};
    Thread t = new Thread(() -> {
      try {
        PerfFeed.pin(EndToEnd.CONSUMER_CPU);
        rows(out, runs, waits, batch);
      } catch (Exception e) {
        failed[0] = e;
      }
    }, "consumer");
    t.start();
    t.join();
    if (failed[0] != null) {
      throw failed[0];
    }
    System.out.print(out);
  }

  static Waiter waiter(String wait, int[] fds) {
    switch (wait) {
      case "spin":
        return Waiter.spin();
      case "backoff":
        return Waiter.backoff();
      case "epoll":
        return Waiter.epoll(fds);
      case "lingerEpoll":
        return Waiter.lingering(Waiter.epoll(fds), 100_000L);
      default:
        throw new IllegalArgumentException("wait " + wait);
    }
  }

  static void rows(StringBuilder out, int runs, String[] waits, int batch) throws Exception {
    EventLayout event = io.github.bpfevents.Examples.RING_EVENT;
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    out.append("| perf buffer | wait | M events/s | alone M events/s | producer CPU ns/event"
        + " | alone | lost |\n|---|---|---:|---:|---:|---:|---:|\n");
    for (int wakeup : new int[] {1, 64}) {
      try (PerfFeed feed = PerfFeed.create(1024, wakeup, event)) {
        PerfBufferConsumer c = new PerfBufferConsumer(feed.rings, feed.pageSize);
        long[] sum = {0};
        RingBufferConsumer.RecordHandler h = (buf, off, len) -> sum[0] += buf.getLong(off);
        long[] cpu = new long[1];
        for (String wait : waits) {
          try (Waiter w = waiter(wait, feed.fds)) {
            double[] r = new double[4];
            for (int round = 0; round < 2; round++) {
              c.poll(h);
              long lost0 = c.lost();
              Thread producer = new Thread(() -> {
                PerfFeed.pin(EndToEnd.PRODUCER_CPU);
                long c0 = mx.getCurrentThreadCpuTime();
                for (int done = 0; done < runs; done += batch) {
                  feed.run(Math.min(batch, runs - done));
                }
                cpu[0] = mx.getCurrentThreadCpuTime() - c0;
              }, "bpf-prog-test-run");
              long t0 = System.nanoTime();
              producer.start();
              long got = 0;
              while (producer.isAlive() || c.hasPending()) {
                int n = c.poll(h);
                got += n;
                if (n == 0 && producer.isAlive()) {
                  w.await(c, 1_000_000L);
                }
              }
              producer.join();
              got += c.poll(h);
              long took = System.nanoTime() - t0;
              r[0] = got / (took / 1e3);
              r[1] = cpu[0] / (double) runs;
              r[3] = c.lost() - lost0;
            }
            // alone: nothing consumed while the program runs (the rings hold every sample)
            int alone = Math.min(runs, 1024 * feed.pageSize / 144 - 100);
            Thread producer = new Thread(() -> {
              PerfFeed.pin(EndToEnd.PRODUCER_CPU);
              long c0 = mx.getCurrentThreadCpuTime();
              for (int done = 0; done < alone; done += batch) {
                feed.run(Math.min(batch, alone - done));
              }
              cpu[0] = mx.getCurrentThreadCpuTime() - c0;
            }, "bpf-prog-test-run");
            long t0 = System.nanoTime();
            producer.start();
            producer.join();
            double aloneRate = alone / ((System.nanoTime() - t0) / 1e3);
            double aloneCpu = cpu[0] / (double) alone;
            c.poll(h);
            out.append(String.format(Locale.ROOT, "| wakeup_events %d | %s | %.2f | %.2f | %.0f"
                + " | %.0f | %.0f |%n", wakeup, wait, r[0], aloneRate, r[1], aloneCpu, r[3]));
          }
        }
      }
    }
  }
}
