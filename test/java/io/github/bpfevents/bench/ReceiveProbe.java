package io.github.bpfevents.bench;

import io.github.bpfevents.check.PerfFeed;
import io.github.bpfevents.codec.RingBufferConsumer;
import io.github.bpfevents.codec.Waiter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Locale;

/**
 * What limits the end-to-end rate, measured rather than guessed: for each wake-up policy,
 * wait mode and batch ({@code BPF_PROG_TEST_RUN} repeat), one end-to-end run of {@code
 * runs} events (producer on CPU 1, consumer on CPU 0, as {@link EndToEndBench}) and the
 * producer alone, with the events per poll and the interrupts the kernel took per event
 * on each CPU from /proc/interrupts: IWI (irq_work, how the ring buffer queues a
 * wake-up), RES (rescheduling, a sleeping consumer woken) and CAL. Not a benchmark (one
 * run each, no warm-up beyond a first run): a probe to tell the causes apart. The
 * producer's CPU time per event and its share of its core (CPU time over wall time) tell
 * what the consumer costs the producer from what a busy machine takes from it. Arguments:
 * [runs] [policies] [waits] [batches] [publish] (default 400000, adaptive,noWakeup,force64,
 * spin,backoff,epoll, 400000, poll; publish "each" for the consumer that publishes after
 * every record).
 */
public final class ReceiveProbe {
  private ReceiveProbe() {}

  static long[] interrupts() throws IOException {
    long[] v = new long[6];
    for (String line : Files.readAllLines(Paths.get("/proc/interrupts"))) {
      String t = line.trim();
      int k = t.startsWith("IWI:") ? 0 : t.startsWith("RES:") ? 2 : t.startsWith("CAL:") ? 4
          : -1;
      if (k >= 0) {
        String[] f = t.split("\\s+");
        v[k] = Long.parseLong(f[1]);
        v[k + 1] = Long.parseLong(f[2]);
      }
    }
    return v;
  }

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 400_000;
    String[] policies = (args.length > 1 ? args[1] : "adaptive,noWakeup,force64").split(",");
    String[] waits =
        (args.length > 2 ? args[2] : "spin,backoff,epoll,lingerEpoll").split(",");
    String[] batches = (args.length > 3 ? args[3] : "400000").split(",");
    String[] publish = (args.length > 4 ? args[4] : "poll").split(",");
    System.out.print(table(runs, policies, waits, batches, publish));
  }

  /**
   * The probe's table, in markdown, run on a thread pinned to the consumer's CPU.
   *
   * @return the table
   */
  static String table(int runs, String[] policies, String[] waits, String[] batches,
      String[] publish) throws Exception {
    StringBuilder out = new StringBuilder();
    Exception[] failed = {null};
    Thread t = new Thread(() -> {
      try {
        PerfFeed.pin(EndToEnd.CONSUMER_CPU);
        rows(out, runs, policies, waits, batches, publish);
      } catch (Exception e) {
        failed[0] = e;
      }
    }, "consumer");
    t.start();
    t.join();
    if (failed[0] != null) {
      throw failed[0];
    }
    return out.toString();
  }

  private static void rows(StringBuilder out, int runs, String[] policies, String[] waits,
      String[] batches, String[] publish) throws Exception {
    out.append("| policy | wait publish | batch | M events/s | alone M events/s"
        + " | producer CPU ns/event | alone | producer's share of its core, % | alone"
        + " | events/poll"
        + " | IWI/event cpu0 cpu1 | RES/event cpu0 cpu1 | CAL/event cpu0 cpu1 |");
    out.append("\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (String policy : policies) {
      try (EndToEnd e2e = new EndToEnd(policy)) {
        for (String batch : batches) {
          int b = Integer.parseInt(batch);
          for (String wait : waits) {
            for (String pub : publish) {
            try (Waiter w = e2e.waiter(wait)) {
              double[] r = null;
              for (int round = 0; round < 2; round++) { // the first warms up
                r = once(e2e, pub.equals("each") ? e2e.eachRecord : e2e.consumer, w, runs, b);
              }
              e2e.skipAll();
              long t0 = System.nanoTime();
              long p0 = e2e.producerCpuNanos();
              e2e.start(runs, b, 0);
              e2e.await();
              double alone = runs / ((System.nanoTime() - t0) / 1e3);
              long aloneWall = System.nanoTime() - t0;
              double aloneCpu = (e2e.producerCpuNanos() - p0) / (double) runs;
              double aloneShare = 100.0 * aloneCpu * runs / aloneWall;
              e2e.skipAll();
              out.append(String.format(Locale.ROOT, "| %s | %s %s | %d | %.2f | %.2f | %.0f | %.0f | %.0f | %.0f | %.1f | %.3f %.3f"
                  + " | %.3f %.3f | %.3f %.3f |%n", policy, wait, pub, b, r[0], alone, r[8], aloneCpu, r[9], aloneShare, r[1], r[2],
                  r[3], r[4], r[5], r[6], r[7]));
            }
            }
          }
        }
      }
    }
  }

  static double[] once(EndToEnd e2e, RingBufferConsumer c, Waiter w, int runs, int batch)
      throws IOException {
    e2e.skipAll();
    long[] sum = {0};
    RingBufferConsumer.RecordHandler h =
        (buf, off, len) -> sum[0] += e2e.seq.u64(buf, off) + e2e.ts.u64(buf, off);
    long[] i0 = interrupts();
    long p0 = e2e.producerCpuNanos();
    long t0 = System.nanoTime();
    e2e.start(runs, batch, 0);
    int got = 0;
    long polls = 0;
    while (got < runs) {
      int n = c.poll(h);
      if (n == 0) {
        w.await(c, 1_000_000L);
      } else {
        polls++;
      }
      got += n;
    }
    e2e.await();
    long t = System.nanoTime() - t0;
    long[] i1 = interrupts();
    double[] r = new double[10];
    r[8] = (e2e.producerCpuNanos() - p0) / (double) runs;
    r[9] = 100.0 * r[8] * runs / t;
    r[0] = runs / (t / 1e3);
    r[1] = (double) runs / polls;
    for (int k = 0; k < 6; k++) {
      r[2 + k] = (double) (i1[k] - i0[k]) / runs;
    }
    return r;
  }
}
