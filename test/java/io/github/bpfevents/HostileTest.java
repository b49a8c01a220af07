package io.github.bpfevents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfevents.check.Tools;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The hostile suite (test/clojure/bpf_events/hostile.clj): every attack on the Clojure and
 * Java APIs, run in a JVM of its own with a 256 MiB heap and a small thread stack, each
 * case under a hang guard (a minute: no case nears it unless it never ends); each must end with its answer or the library's error. The child's
 * lines are printed, so a failure shows which case and what it got.
 */
class HostileTest {
  @Test
  void everyAttackEndsWithAnAnswerOrTheLibrarysErrorWithinItsLimits() {
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    Tools.Result r = Tools.run(new byte[0], List.of(java, "-Xmx256m", "-Xss512k",
        "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"),
        "clojure.main", "-m", "bpf-events.hostile"));
    System.out.print(r.out.lines().filter(l -> !l.startsWith("ok ")).map(l -> l + "\n")
        .reduce("", String::concat).replace("hostile:", "[hostile]"));
    assertEquals(0, r.exit, r.out + r.err);
    assertTrue(r.out.contains(", 0 failed;"), r.out);
  }
}
