package io.github.bpfevents.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.bpfevents.btf.BtfWriter;
import io.github.bpfevents.check.RandomC;
import io.github.bpfevents.check.Tools;
import io.github.bpfevents.layout.EventLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged tool's BTF commands, run as a process: {@code btf} writes the writer's
 * bytes, {@code check} passes an object compiled from the tool's own header and fails one
 * compiled from altered C, {@code import} prints an event file that the tool reads back.
 */
class BtfCliIT {
  private static final Path ROOT =
      Path.of(System.getProperty("bpf-events.root", "")).toAbsolutePath();
  private static final Path JAR = ROOT.resolve(System.getProperty("bpf-events.jar",
      "target/bpf-events.jar"));
  private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
  private static final Path VMLINUX = Path.of("/sys/kernel/btf/vmlinux");

  @TempDir Path tmp;

  @BeforeAll
  static void theJarIsBuilt() {
    assertTrue(Files.isRegularFile(JAR), JAR + " is missing: failsafe runs after package");
  }

  /** A finished run: exit status, stdout as bytes, stderr. */
  record Run(int exit, byte[] bytes, String err) {
    String out() {
      return new String(bytes, StandardCharsets.UTF_8);
    }

    String ok() {
      assertEquals("", err, "stderr");
      assertEquals(0, exit, "exit status");
      return out();
    }

    String failed(int status) {
      assertEquals(status, exit, "exit status; stdout: " + out() + "\nstderr: " + err);
      assertFalse(err.contains("\tat ") || err.contains("Exception"), err);
      return err;
    }
  }

  private Run tool(String... args) {
    List<String> command = new ArrayList<>(List.of(JAVA.toString(), "-jar", JAR.toString()));
    command.addAll(Arrays.asList(args));
    try {
      Path out = Files.createTempFile(tmp, "stdout", "");
      Path err = Files.createTempFile(tmp, "stderr", "");
      Process p = new ProcessBuilder(command).directory(ROOT.toFile())
          .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      p.getOutputStream().close();
      if (!p.waitFor(3, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        fail("timed out: " + command);
      }
      return new Run(p.exitValue(), Files.readAllBytes(out), Files.readString(err));
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Test
  void btfWritesTheWritersBytesToAFileOrStdout() throws IOException {
    List<EventLayout> all = ExampleEvents.events().events();
    Path out = tmp.resolve("events.btf");
    assertEquals("", tool("btf", "-o", out.toString()).ok());
    assertArrayEquals(BtfWriter.write(all), Files.readAllBytes(out));
    assertArrayEquals(BtfWriter.write(all), tool("btf", "--output", "-").bytes());
    assertArrayEquals(BtfWriter.write(List.of(ExampleEvents.events().event("FlowEvent"))),
        tool("btf", "FlowEvent", "-o", "-").bytes());
    assertEquals("bpf-events: btf writes binary BTF; expected -o OUT (or -o - for stdout)\n"
        + "usage: bpf-events btf [FILE] [NAME...] -o OUT\nRun 'bpf-events btf --help' for"
        + " more.\n", tool("btf").failed(2));
    assertTrue(tool("btf", "--help").ok().contains("bpftool btf dump file OUT format c"));
  }

  private Path compile(Path clang, String name, String source) throws IOException {
    Path c = tmp.resolve(name + ".c");
    Files.writeString(c, source);
    Path o = tmp.resolve(name + ".o");
    Tools.Result r = Tools.run(new byte[0], List.of(clang.toString(), "-g", "-O2", "-target",
        "bpf", "-I/usr/include/x86_64-linux-gnu", "-c", "-o", o.toString(), c.toString()));
    assertEquals(0, r.exit, r.err);
    return o;
  }

  private static String withGlobals(String header) {
    return header + "struct connection_event a;\nstruct flow_event b;\n";
  }

  @Test
  @Tag("cc")
  void checkPassesTheToolsOwnHeaderAndFailsAlteredC() throws IOException {
    Path clang = Tools.find("clang-19", "/usr/lib/llvm-19/bin/clang");
    if (clang == null) {
      Tools.unavailable("clang-19 not found (apt-get install clang-19)");
    }
    Path example = tmp.resolve("example.clj");
    Files.writeString(example, tool("example").ok());
    String header = tool("c-header").ok();
    Path good = compile(clang, "good", withGlobals(header));
    assertEquals("ConnectionEvent: agrees with " + good + "\nEndpoint: agrees with " + good
        + "\nFlowEvent: agrees with " + good + "\n",
        tool("check", example.toString(), good.toString()).ok());
    String altered = header.replaceAll("_Static_assert[^\n]*\n", "")
        .replace("\t__u32 saddr;\n\t__u32 daddr;", "\t__u32 daddr;\n\t__u32 saddr;")
        .replace("\t__u32 pid;\n\tchar comm[16];", "\t__s32 pid;\n\tchar comm[16];");
    Path bad = compile(clang, "bad", withGlobals(altered));
    Run r = tool("check", example.toString(), bad.toString());
    assertEquals("bpf-events: 3 mismatches between " + example + " and " + bad
        + "; expected none\n", r.failed(1));
    assertEquals("ConnectionEvent: saddr: offset 12 in the definition, 16 in BTF (struct"
        + " connection_event)\nConnectionEvent: daddr: offset 16 in the definition, 12 in BTF"
        + " (struct connection_event)\nEndpoint: agrees with " + bad + "\nFlowEvent: pid:"
        + " signedness unsigned in the definition, signed in BTF (struct flow_event)\n",
        r.out());
    Path nope = tmp.resolve("nope.clj");
    Files.writeString(nope, "(defevent Nope [:x :u8])\n");
    assertEquals("bpf-events: " + good + " has no struct nope; expected a struct of that name"
        + " in the BTF\n", tool("check", nope.toString(), good.toString()).failed(1));
    assertEquals(2, tool("check", example.toString()).exit);
  }

  @Test
  @Tag("cc")
  void importPrintsAnEventFileTheToolReadsBack() throws IOException {
    Path clang = Tools.find("clang-19", "/usr/lib/llvm-19/bin/clang");
    if (clang == null) {
      Tools.unavailable("clang-19 not found (apt-get install clang-19)");
    }
    RandomC.Unit unit = RandomC.generate(new Random(5), "cli_", 12);
    Path o = compile(clang, "random", unit.source());
    List<String> args = new ArrayList<>(List.of("import", o.toString()));
    args.addAll(unit.structs());
    String text = tool(args.toArray(new String[0])).ok();
    assertTrue(text.startsWith(";; Imported from the BTF of " + o + " by bpf-events import:"
        + " cli_s0 "), text);
    Path file = tmp.resolve("imported.clj");
    Files.writeString(file, text);
    String check = tool("check", file.toString(), o.toString()).ok();
    for (String s : unit.structs()) {
      assertTrue(check.contains(s + ": agrees with " + o + "\n"), check);
    }
    assertTrue(tool("describe", file.toString(), "cli_s11").ok()
        .startsWith("struct cli_s11 {"));
    Path out = tmp.resolve("again.clj");
    args.addAll(List.of("-o", out.toString()));
    assertEquals("", tool(args.toArray(new String[0])).ok());
    assertEquals(text, Files.readString(out));
    assertEquals(2, tool("import", o.toString()).exit);
  }

  @Test
  @Tag("kernel")
  void importFromVmlinux() throws IOException {
    if (!Files.isReadable(VMLINUX)) {
      Tools.unavailable(VMLINUX + " is not readable");
    }
    String text = tool("import", VMLINUX.toString(), "ethhdr").ok();
    assertEquals(";; Imported from the BTF of /sys/kernel/btf/vmlinux by bpf-events import:"
        + " ethhdr\n\n(defevent ethhdr {:align :natural}\n  [:h_dest :u8 6]\n  [:h_source :u8"
        + " 6]\n  [:h_proto :be16])\n", text);
    Path file = tmp.resolve("eth.clj");
    Files.writeString(file, text);
    assertEquals("ethhdr: agrees with /sys/kernel/btf/vmlinux\n",
        tool("check", file.toString(), VMLINUX.toString()).ok());
    assertTrue(tool("import", VMLINUX.toString(), "iphdr").ok()
        .contains("[:ihl :u8 {:bits 4}]\n  [:version :u8 {:bits 4}]"));
  }

  @Test
  void headersOfTheCommands() {
    for (String c : List.of("btf", "check", "import")) {
      assertTrue(tool("--help").ok().contains("\n  " + c + " "), c);
      assertTrue(tool(c, "--help").ok().startsWith("usage: bpf-events " + c + " "), c);
    }
  }

  // ---------------------------------------------------------------------------------
  // Hostile files at -Xmx64m: exit 0 or 1 with a message, never 3

  /** The tool in a JVM of 64 MiB that must finish within 30 seconds. */
  private Run bounded(String... args) {
    List<String> command = new ArrayList<>(List.of(JAVA.toString(), "-Xmx64m", "-Xss512k",
        "-XX:+ExitOnOutOfMemoryError", "-jar", JAR.toString()));
    command.addAll(Arrays.asList(args));
    try {
      Path out = Files.createTempFile(tmp, "stdout", "");
      Path err = Files.createTempFile(tmp, "stderr", "");
      Process p = new ProcessBuilder(command).directory(tmp.toFile())
          .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      p.getOutputStream().close();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        fail("no answer within 30 s: " + command);
      }
      Files.delete(out);
      return new Run(p.exitValue(), new byte[0], Files.readString(err));
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Exit 1 with the library's message (or 0 for a file that imports), never 3. */
  private static void answered(Run r, String what, boolean mayPass) {
    if (r.exit() == 0 && mayPass) {
      return;
    }
    assertEquals(1, r.exit(), what + ": " + r.err());
    assertTrue(r.err().startsWith("bpf-events: ") || r.err().contains(": "), what + ": "
        + r.err());
    assertFalse(r.err().contains("internal error") || r.err().contains("\tat "), r.err());
    assertTrue(r.err().length() < 4000, what + ": a message of " + r.err().length());
  }

  @Test
  void everyHostileFileIsAnswered() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("hostile"));
    List<Path> files = new ArrayList<>(io.github.bpfevents.btf.HostileBtfFiles.write(dir));
    Path giant = dir.resolve("sparse-giant.o");
    try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(giant.toFile(), "rw")) {
      f.setLength(3L << 30);
    }
    files.add(giant);
    Path fifo = dir.resolve("fifo.btf");
    if (new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0) {
      files.add(fifo);
    }
    files.add(Path.of("/dev/zero"));
    Random rnd = new Random(5);
    byte[] seed = BtfWriter.write(ExampleEvents.events().events());
    for (int i = 0; i < 4; i++) {
      Path m = dir.resolve("mutated-" + i + ".btf");
      Files.write(m, io.github.bpfevents.btf.BtfFuzz.mutate(seed, rnd));
      files.add(m);
    }
    Path events = tmp.resolve("events.clj");
    Files.writeString(events, tool("example").ok());
    java.util.Map<String, String> struct = java.util.Map.of("long-type-names", "described",
        "same-names", "top", "text-out-of-proportion", "top", "million-records", "s",
        "one-name-many-members", "wide", "unreadable-names", "'x", "deep-and-cyclic", "deep",
        "long-distinct-names", "names");
    StringBuilder seen = new StringBuilder();
    for (Path f : files) {
      String name = f.getFileName().toString().replaceAll("\\.(btf|o)$", "");
      String s = struct.getOrDefault(name, "connection_event");
      String file = f.toString();
      long t0 = System.nanoTime();
      Run imported = bounded("import", file, s);
      answered(imported, "import " + name, true);
      answered(bounded("check", events.toString(), file), "check " + name, true);
      answered(bounded("btf", file, "-o", tmp.resolve("out.btf").toString()), "btf " + name,
          false);
      answered(bounded("decode", file, "ConnectionEvent"), "decode " + name, false);
      seen.append(String.format("%n  %s: import %s exit %d (%s), %d ms for four commands",
          name, s, imported.exit(), imported.err().isEmpty() ? "ok"
              : imported.err().lines().findFirst().orElse("").replaceAll("(.{100}).+", "$1..."),
          (System.nanoTime() - t0) / 1_000_000));
    }
    System.out.println("[cli] btf, check, import and decode at -Xmx64m on " + files.size()
        + " hostile files: exit 0 or 1 with a message, never 3" + seen);
  }
}
