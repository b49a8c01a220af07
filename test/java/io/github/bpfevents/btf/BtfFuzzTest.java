package io.github.bpfevents.btf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfevents.check.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short seeded run of the BTF mutation fuzzer ({@link BtfFuzz}) in a JVM of 64 MiB: the
 * library's own BTF, clang-19 objects compiled here and the running kernel's vmlinux (when
 * there is one) as seeds; every input must end in an answer or the library's error within
 * 5 seconds, with its round trips intact. A longer run:
 *
 * <pre>
 *   mvn -B -q test -Dtest=BtfFuzzTest -Dbtf.fuzz.inputs=200000 -Dbtf.fuzz.seed=$RANDOM
 * </pre>
 */
class BtfFuzzTest {
  @TempDir Path dir;

  @Test
  void mutatedBtfAndElfEndInAnAnswerOrTheLibrarysError() throws IOException {
    long seed = Long.getLong("btf.fuzz.seed", 20261203L);
    int inputs = Integer.getInteger("btf.fuzz.inputs", 6000);
    List<String> seeds = new ArrayList<>();
    Path clang = Tools.find("clang-19", "/usr/lib/llvm-19/bin/clang");
    if (clang != null) {
      Path c = dir.resolve("all.c");
      Files.writeString(c, BtfCodecTest.EVERY_KIND_C + """
          struct plain { unsigned long long ts; unsigned int pid; char comm[16];
                         unsigned short port; } __attribute__((packed));
          struct plain g_plain;
          """);
      Path o = dir.resolve("all.o");
      Tools.Result r = Tools.run(new byte[0], List.of(clang.toString(), "-g", "-O2",
          "-target", "bpf", "-c", "-o", o.toString(), c.toString()));
      assertEquals(0, r.exit, r.err);
      seeds.add(o.toString());
    } else {
      System.out.println("[check skipped] clang-19 not found: the fuzz has no object seeds");
    }
    Path vmlinux = Paths.get("/sys/kernel/btf/vmlinux");
    if (Files.isReadable(vmlinux)) {
      seeds.add(vmlinux.toString());
    }
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Xmx64m", "-Xss512k",
        "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"),
        BtfFuzz.class.getName(), "fuzz", String.valueOf(seed), String.valueOf(inputs), "5000",
        dir.resolve("slowest.bin").toString()));
    command.addAll(seeds);
    Tools.Result r = Tools.run(new byte[0], command);
    System.out.print(r.out.lines().map(l -> "[fuzz] " + l + "\n").reduce("", String::concat));
    assertEquals(0, r.exit, r.out + r.err);
    assertTrue(r.out.contains(", 0 failed; heap 64 MiB"), r.out);
  }
}
