package io.github.bpfevents.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the decode and ring-buffer benchmarks in one JMH run with the GC profiler and writes
 * bench/RESULTS.md: ns per event, bytes allocated per event, and the ratios the targets
 * name. Arguments: [iterations] [seconds per iteration] [pattern] (default 5, 1, all). With
 * a pattern (a regular expression over benchmark names) only those run and the report goes
 * to standard output only, so that RESULTS.md always holds a whole run.
 */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) throws RunnerException, IOException {
    int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    String pattern = args.length > 2 ? args[2] : null;
    OptionsBuilder builder = new OptionsBuilder();
    if (pattern == null) {
      builder.include(DecodeBench.class.getName())
          .include(RingBench.class.getName())
          .include(KernelRingBench.class.getName())
          .include(KernelConcurrentBench.class.getName());
    } else {
      builder.include(pattern);
    }
    Options opts = builder
        .forks(1)
        .warmupIterations(3)
        .warmupTime(TimeValue.seconds(seconds))
        .measurementIterations(iterations)
        .measurementTime(TimeValue.seconds(seconds))
        .addProfiler(GCProfiler.class)
        .build();
    Collection<RunResult> results = new Runner(opts).run();
    Map<String, double[]> rows = new LinkedHashMap<>();
    for (RunResult r : results) {
      String name = r.getParams().getBenchmark().replaceAll(".*\\.", "");
      String event = r.getParams().getParam("event");
      String key = event == null ? name : event + " " + name;
      Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
      rows.put(key, new double[] {r.getPrimaryResult().getScore(),
          r.getPrimaryResult().getScoreError(), alloc == null ? Double.NaN : alloc.getScore()});
    }
    String md = report(rows, iterations, seconds);
    System.out.println(md);
    if (pattern != null) {
      return;
    }
    Path out = Paths.get("bench", "RESULTS.md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, md);
  }

  static String report(Map<String, double[]> rows, int iterations, int seconds) {
    StringBuilder b = new StringBuilder();
    b.append("# Benchmark results\n\n");
    b.append("Produced by `bench/run` (JMH 1.37, 1 fork, 3 warm-up and ").append(iterations)
        .append(" measured iterations of ").append(seconds).append(" s, `-prof gc`) on ")
        .append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
        .append(System.getProperty("java.vm.name")).append(' ')
        .append(System.getProperty("java.runtime.version")).append(", ")
        .append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.arch"))
        .append(".\n\n");
    b.append("| benchmark | ns per event | ± | bytes allocated per event |\n|---|---:|---:|---:|\n");
    for (Map.Entry<String, double[]> e : rows.entrySet()) {
      double[] v = e.getValue();
      b.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.1f |%n", e.getKey(), v[0], v[1],
          v[2]));
    }
    b.append("\n## Targets\n\n| target | measured | met |\n|---|---:|---|\n");
    for (String ev : List.of("conn", "wide")) {
      if (!rows.containsKey(ev + " a_handWrittenMap")) {
        continue;
      }
      double a = score(rows, ev + " a_handWrittenMap");
      double bb = score(rows, ev + " b_takeDropSeq");
      double c = score(rows, ev + " c_eventDecoder");
      double d = score(rows, ev + " d_decodeEvent");
      double e = score(rows, ev + " e_handlesTwoFields");
      double view = score(rows, ev + " e_viewTwoFields");
      double f = score(rows, ev + " f_handWrittenTwoGetters");
      double eAlloc = rows.get(ev + " e_handlesTwoFields")[2];
      double viewAlloc = rows.get(ev + " e_viewTwoFields")[2];
      b.append(target(ev + ": (c) no slower than (a): a / c", a / c, a / c >= 1.0, "x"));
      b.append(target(ev + ": (c) at least 10x faster than (b): b / c", bb / c, bb / c >= 10, "x"));
      b.append(target(ev + ": (e) within 1.1x of (f): e / f", e / f, e / f <= 1.1, "x"));
      b.append(target(ev + ": (e) allocates nothing per event", eAlloc, eAlloc < 1, " B"));
      b.append(target(ev + ": (information) flyweight EventView / (f)", view / f, true, "x"));
      b.append(target(ev + ": flyweight EventView allocates nothing per event", viewAlloc,
          viewAlloc < 1, " B"));
      b.append(target(ev + ": (d) within 1.1x of (c): d / c", d / c, d / c <= 1.1, "x"));
    }
    for (String[] ring : RING_TARGETS) {
      double[] v = rows.get(ring[0]);
      if (v == null) {
        continue;
      }
      b.append(target(ring[1] + " allocates nothing per event", v[2], v[2] < 1, " B"));
    }
    b.append(ringTable(rows));
    return b.toString();
  }

  /** The ring-buffer rows: benchmark, what it is, and the hand-written row it is set beside. */
  private static final String[][] RING_TARGETS = {
    {"g_pollHandles", "(g) in memory: poll + handles, publish each record", "g_handWritten"},
    {"g_pollHandlesOncePerPoll", "(g) in memory: poll + handles, publish once per poll",
        "g_handWritten"},
    {"g_handWritten", "(g) in memory: hand-written loop", null},
    {"h_kernelFilledPollHandles", "(h) kernel-filled: poll + handles, publish each record",
        "h_kernelFilledHandWritten"},
    {"h_kernelFilledPollHandlesOncePerPoll",
        "(h) kernel-filled: poll + handles, publish once per poll", "h_kernelFilledHandWritten"},
    {"h_kernelFilledHandWritten", "(h) kernel-filled: hand-written loop", null},
    {"i_kernelConcurrentPollHandles", "(i) concurrent with the program: poll + handles,"
        + " publish each record", null},
    {"i_kernelConcurrentPollHandlesOncePerPoll", "(i) concurrent with the program: poll +"
        + " handles, publish once per poll", null},
    {"i_kernelProducerAlone", "(i) the program alone, nothing consumed", null},
  };

  private static String ringTable(Map<String, double[]> rows) {
    StringBuilder b = new StringBuilder();
    b.append("\n## Ring buffer: 128-byte events, two fields read from each, one core\n\n")
        .append("| benchmark | million events/s | ns per event | bytes allocated per event")
        .append(" | time / hand-written |\n|---|---:|---:|---:|---:|\n");
    for (String[] ring : RING_TARGETS) {
      double[] v = rows.get(ring[0]);
      if (v == null) {
        b.append("| ").append(ring[1]).append(" | not run | | | |\n");
        continue;
      }
      double[] base = ring[2] == null ? null : rows.get(ring[2]);
      b.append(String.format(Locale.ROOT, "| %s | %.1f | %.2f | %.1f | %s |%n", ring[1],
          1000.0 / v[0], v[0], v[2],
          base == null ? "" : String.format(Locale.ROOT, "%.2fx", v[0] / base[0])));
    }
    return b.toString();
  }

  private static double score(Map<String, double[]> rows, String key) {
    double[] v = rows.get(key);
    return v == null ? Double.NaN : v[0];
  }

  private static String target(String what, double value, boolean met, String unit) {
    return String.format(Locale.ROOT, "| %s | %.2f%s | %s |%n", what, value, unit,
        met ? "yes" : "**no**");
  }

  static List<String> keys(Map<String, ?> m) {
    return new ArrayList<>(m.keySet());
  }
}
