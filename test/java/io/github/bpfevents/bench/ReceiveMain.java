package io.github.bpfevents.bench;

import io.github.bpfevents.check.PerfFeed;
import io.github.bpfevents.codec.RingBufferConsumer;
import io.github.bpfevents.codec.Waiter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The receive figures: {@link EndToEndBench} in JMH ({@code forks} forks, each with 2
 * warm-up and {@code iterations} measured iterations of 1 s), reported per wake-up policy
 * and wait mode as the median over forks of each fork's mean, with the spread (lowest and
 * highest fork), beside the producer alone measured in the same forks; then, in this
 * process, the CPU a waiter uses over an idle wait (thread CPU time over wall time, no
 * events) and the wake-up latency from submit to handler (the program's {@code
 * bpf_ktime_get_ns} against {@link System#nanoTime} in the handler, one record every 200
 * µs, the consumer caught up). Arguments: [forks] [iterations] [policies] [waits] [batches]
 * [out] (default 5, 3, all, spin,backoff,epoll,lingerEpoll, 400000, bench/RECEIVE.md; "-" for out prints only).
 */
public final class ReceiveMain {
  private ReceiveMain() {}

  public static void main(String[] args) throws Exception {
    int forks = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    String policies = args.length > 2 ? args[2] : "adaptive,noWakeup,force64";
    String waits = args.length > 3 ? args[3] : "spin,backoff,epoll,lingerEpoll";
    String batches = args.length > 4 ? args[4] : "400000";
    String out = args.length > 5 ? args[5] : "bench/RECEIVE.md";
    ChainedOptionsBuilder b = new OptionsBuilder()
        .include(EndToEndBench.class.getName())
        .param("policy", policies.split(","))
        .param("wait", waits.split(","))
        .param("batch", batches.split(","))
        .forks(forks)
        .warmupIterations(2)
        .warmupTime(TimeValue.seconds(1))
        .measurementIterations(iterations)
        .measurementTime(TimeValue.seconds(1));
    if (Runtime.version().feature() >= 22) {
      b.jvmArgsAppend("--enable-native-access=ALL-UNNAMED");
    }
    Collection<RunResult> results = new Runner(b.build()).run();
    StringBuilder md = new StringBuilder();
    md.append("# Receive figures\n\n")
        .append("Produced by `bench/receive ").append(String.join(" ", args))
        .append("` (JMH 1.37, ").append(forks).append(" forks, 2 warm-up and ")
        .append(iterations).append(" measured iterations of 1 s) on ")
        .append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
        .append(System.getProperty("java.vm.name")).append(' ')
        .append(System.getProperty("java.runtime.version")).append(".\n")
        .append("The program runs by BPF_PROG_TEST_RUN on CPU 1, the consumer drains on CPU 0;")
        .append(" 128-byte events, two fields read from each, 0 B allocated per event.\n\n");
    Map<String, double[]> alone = new LinkedHashMap<>();
    Map<String, double[]> e2e = new LinkedHashMap<>();
    for (RunResult r : results) {
      String name = r.getParams().getBenchmark().replaceAll(".*\\.", "");
      String key = r.getParams().getParam("policy") + " " + r.getParams().getParam("wait")
          + (batches.contains(",") ? " batch " + r.getParams().getParam("batch") : "");
      double[] perFork = new double[r.getBenchmarkResults().size()];
      int i = 0;
      for (BenchmarkResult br : r.getBenchmarkResults()) {
        perFork[i++] = br.getPrimaryResult().getScore();
      }
      (name.equals("producerAlone") ? alone : e2e).put(key, perFork);
    }
    md.append("| policy wait | end to end, M events/s (median) | forks: lowest - highest |")
        .append(" producer alone, M events/s | ratio |\n|---|---:|---:|---:|---:|\n");
    List<String> lines = new ArrayList<>();
    for (Map.Entry<String, double[]> e : e2e.entrySet()) {
      double[] ns = e.getValue();
      double[] an = alone.get(e.getKey());
      double rate = 1000.0 / median(ns);
      double aloneRate = 1000.0 / median(an);
      md.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f - %.2f | %.2f | %.2f |%n",
          e.getKey(), rate, 1000.0 / max(ns), 1000.0 / min(ns), aloneRate, rate / aloneRate));
      lines.add(String.format(Locale.ROOT, "end-to-end: %s: %.2f M events/s, producer alone"
          + " %.2f M events/s, ratio %.2f", e.getKey(), rate, aloneRate, rate / aloneRate));
    }
    md.append("\n```text\n").append(String.join("\n", lines)).append("\n```\n");
    md.append("\n## What the producer pays: one run each, with its CPU time and the"
        + " kernel's interrupts\n\n")
        .append("Producer CPU ns/event is the producer thread's CPU time (the program runs in"
            + " it, in the kernel) per event: it does not depend on how much of its core a"
            + " busy machine gives it, as the wall-clock rates do; its share of its core is"
            + " that CPU time over the wall time. IWI is irq_work (how the"
            + " ring buffer queues a wake-up), RES a rescheduling interrupt (a sleeping"
            + " consumer woken).\n\n")
        .append(ReceiveProbe.table(400_000, policies.split(","), waits.split(","),
            batches.split(","), new String[] {"poll"}));
    md.append(idleAndLatency());
    System.out.println(md);
    if (!out.equals("-")) {
      Path p = Paths.get(out);
      Files.createDirectories(p.toAbsolutePath().getParent());
      Files.writeString(p, md.toString());
    }
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  static double min(double[] v) {
    return Arrays.stream(v).min().orElse(Double.NaN);
  }

  static double max(double[] v) {
    return Arrays.stream(v).max().orElse(Double.NaN);
  }

  /** Idle CPU and wake-up latency, per wait mode available on this Java. */
  static String idleAndLatency() throws InterruptedException {
    StringBuilder md = new StringBuilder();
    List<String> waits = new ArrayList<>(List.of("spin", "backoff"));
    if (Waiter.epollUnavailable().isEmpty()) {
      waits.add("epoll");
      waits.add("lingerEpoll");
    }
    md.append("\n## Waiting: idle CPU and wake-up latency (policy adaptive)\n\n")
        .append("| wait | CPU while idle, % of a core | submit to handler p50 µs | p99 µs |")
        .append(" records |\n|---|---:|---:|---:|---:|\n");
    try (EndToEnd e2e = new EndToEnd("adaptive")) {
      for (String w : waits) {
        double[] idle = new double[1];
        long[][] lat = new long[1][];
        Thread t = new Thread(() -> {
          PerfFeed.pin(EndToEnd.CONSUMER_CPU);
          try (Waiter waiter = e2e.waiter(w)) {
            idle[0] = idle(e2e, waiter, w.equals("spin") ? 500_000_000L : 3_000_000_000L);
            lat[0] = latency(e2e, waiter, 3000);
          }
        }, "consumer");
        t.start();
        t.join();
        long[] l = lat[0];
        Arrays.sort(l);
        md.append(String.format(Locale.ROOT, "| %s | %.2f | %.1f | %.1f | %d |%n", w, idle[0],
            l[l.length / 2] / 1000.0, l[(int) (l.length * 0.99)] / 1000.0, l.length));
      }
    }
    return md.toString();
  }

  /** The waiter's CPU over an idle wait of {@code nanos}, as a percentage of one core. */
  static double idle(EndToEnd e2e, Waiter waiter, long nanos) {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    e2e.skipAll();
    long cpu0 = mx.getCurrentThreadCpuTime();
    long wall0 = System.nanoTime();
    long left = nanos;
    while (left > 0) {
      waiter.await(e2e.consumer, left);
      left = nanos - (System.nanoTime() - wall0);
    }
    long cpu = mx.getCurrentThreadCpuTime() - cpu0;
    long wall = System.nanoTime() - wall0;
    return 100.0 * cpu / wall;
  }

  /** Submit-to-handler latencies of {@code n} records, one every 200 µs. */
  static long[] latency(EndToEnd e2e, Waiter waiter, int n) {
    long[] lat = new long[n];
    int[] got = new int[1];
    RingBufferConsumer.RecordHandler h = (buf, off, len) -> {
      long now = System.nanoTime();
      if (got[0] < n) {
        lat[got[0]] = now - e2e.ts.u64(buf, off);
      }
      got[0]++;
    };
    RingBufferConsumer c = e2e.consumer;
    c.poll((buf, off, len) -> { });
    e2e.start(n, 1, 200_000L);
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (got[0] < n && System.nanoTime() < deadline) {
      if (c.poll(h) == 0) {
        waiter.await(c, 100_000_000L);
      }
    }
    e2e.await();
    return Arrays.copyOf(lat, Math.min(n, got[0]));
  }
}
