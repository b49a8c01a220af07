package io.github.bpfevents.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.bpfevents.check.Tools;
import io.github.bpfevents.codec.EventEncoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged tool, run as a process the way a user runs it: {@code java -jar
 * target/bpf-events-VERSION.jar ...}, the launcher {@code bin/bpf-events} and
 * {@code examples/run.sh}. Failsafe runs this after {@code package} and passes the jar's
 * path, the project's root and its version as system properties.
 */
class CliIT {
  private static final Path ROOT =
      Path.of(System.getProperty("bpf-events.root", "")).toAbsolutePath();
  private static final Path JAR = ROOT.resolve(System.getProperty("bpf-events.jar",
      "target/bpf-events.jar"));
  private static final String VERSION = System.getProperty("bpf-events.version", "?");
  private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

  /** {@code describe ConnectionEvent}, by hand from the README's definition. */
  private static final String DESCRIBE_CONNECTION_EVENT = """
      struct connection_event {
      	__u64                      timestamp;            /*     0     8 */
      	__u32                      pid;                  /*     8     4 */
      	__u32                      saddr;                /*    12     4 */
      	__u32                      daddr;                /*    16     4 */
      	__u16                      sport;                /*    20     2 */
      	__u16                      dport;                /*    22     2 */
      	__u8                       protocol;             /*    24     1 */
      	__u8                       direction;            /*    25     1 */
      	__u8                       padding[2];           /*    26     2 */
      	char                       comm[16];             /*    28    16 */

      	/* size: 44, cachelines: 1, members: 10 */
      	/* last cacheline: 44 bytes */
      } __attribute__((__packed__));
      /* as a plain C struct (natural alignment): 48 bytes, no member moves; the C side \
      must declare it __attribute__((packed)) */
      """;

  /** {@code stores ConnectionEvent}; the bytes agree with llvm-mc-19 for the same text. */
  private static final String STORES_CONNECTION_EVENT = """
      zero the record at r6:
        7a 06 00 00 00 00 00 00   *(u64 *)(r6 + 0) = 0
        7a 06 08 00 00 00 00 00   *(u64 *)(r6 + 8) = 0
        7a 06 10 00 00 00 00 00   *(u64 *)(r6 + 16) = 0
        7a 06 18 00 00 00 00 00   *(u64 *)(r6 + 24) = 0
        7a 06 20 00 00 00 00 00   *(u64 *)(r6 + 32) = 0
        62 06 28 00 00 00 00 00   *(u32 *)(r6 + 40) = 0

      store r7 into each field:
        7b 76 00 00 00 00 00 00   *(u64 *)(r6 + 0) = r7
        63 76 08 00 00 00 00 00   *(u32 *)(r6 + 8) = r7
        63 76 0c 00 00 00 00 00   *(u32 *)(r6 + 12) = r7
        63 76 10 00 00 00 00 00   *(u32 *)(r6 + 16) = r7
        6b 76 14 00 00 00 00 00   *(u16 *)(r6 + 20) = r7
        6b 76 16 00 00 00 00 00   *(u16 *)(r6 + 22) = r7
        73 76 18 00 00 00 00 00   *(u8 *)(r6 + 24) = r7
        73 76 19 00 00 00 00 00   *(u8 *)(r6 + 25) = r7
        73 76 1a 00 00 00 00 00   *(u8 *)(r6 + 26) = r7
        73 76 1c 00 00 00 00 00   *(u8 *)(r6 + 28) = r7
      """;

  private static final String CONNECTION = "test/resources-cli/connection.clj";
  private static final String NESTED = "test/resources-cli/nested.clj";

  @TempDir Path tmp;

  @BeforeAll
  static void theJarIsBuilt() {
    assertTrue(Files.isRegularFile(JAR), JAR + " is missing: failsafe runs after package");
  }

  // ---------------------------------------------------------------------------------
  // Running the tool

  /** What a finished process left. */
  record Run(int exit, String out, String err) {
    /** Fails unless the run succeeded with nothing on stderr. */
    String ok() {
      assertEquals("", err, "stderr");
      assertEquals(0, exit, "exit status; stderr: " + err);
      return out;
    }

    /** Fails unless the run exited with the status, nothing on stdout, no stack trace. */
    String failed(int status) {
      assertEquals(status, exit, "exit status; stdout: " + out + "\nstderr: " + err);
      assertFalse(err.contains("\tat ") || err.contains("Exception") || err.contains("Error:"),
          "a stack trace or a Java exception on stderr:\n" + err);
      return err;
    }
  }

  private Run process(Path dir, byte[] stdin, Map<String, String> env, List<String> command) {
    return process(dir, stdin, env, command, 180);
  }

  private Run process(Path dir, byte[] stdin, Map<String, String> env, List<String> command,
      int seconds) {
    try {
      Path in = Files.createTempFile(tmp, "stdin", "");
      Path out = Files.createTempFile(tmp, "stdout", "");
      Path err = Files.createTempFile(tmp, "stderr", "");
      Files.write(in, stdin);
      ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
          .redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
      pb.environment().remove("BPF_EVENTS_JAR");
      pb.environment().putAll(env);
      Process p = pb.start();
      if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        fail("no answer within " + seconds + " s: " + command);
      }
      return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** {@code java -jar JAR args...} in {@code dir} with the given stdin. */
  private Run toolIn(Path dir, byte[] stdin, String... args) {
    List<String> command = new ArrayList<>(List.of(JAVA.toString(), "-jar", JAR.toString()));
    command.addAll(Arrays.asList(args));
    return process(dir, stdin, Map.of(), command);
  }

  /** The tool run in the project's root, with empty stdin. */
  private Run tool(String... args) {
    return toolIn(ROOT, new byte[0], args);
  }

  // ---------------------------------------------------------------------------------
  // describe

  @Test
  void describeConnectionEventIsGolden() {
    assertEquals(DESCRIBE_CONNECTION_EVENT, tool("describe", "ConnectionEvent").ok());
    assertEquals(DESCRIBE_CONNECTION_EVENT, tool("describe", "--example", "ConnectionEvent")
        .ok());
    assertEquals(DESCRIBE_CONNECTION_EVENT, tool("describe", CONNECTION).ok());
    assertEquals(DESCRIBE_CONNECTION_EVENT, tool("describe", CONNECTION, "ConnectionEvent")
        .ok());
  }

  @Test
  void describeEveryEventOrTheNamedOnesInTheirOrder() {
    String all = tool("describe").ok();
    assertTrue(all.startsWith(DESCRIBE_CONNECTION_EVENT + "\nstruct endpoint {\n"), all);
    int flow = all.indexOf("\nstruct flow_event {\n");
    assertTrue(flow > 0, all);
    assertTrue(all.substring(flow).contains("""
        	__u8                       protocol;             /*     8     1 */

        	/* XXX 3 bytes hole, try to pack */

        	struct endpoint            src;                  /*    12     8 */
        """), all);
    String two = tool("describe", "FlowEvent", "ConnectionEvent").ok();
    assertTrue(two.startsWith("struct flow_event {\n"), two);
    assertTrue(two.endsWith("};\n\n" + DESCRIBE_CONNECTION_EVENT), two);
    String sample = tool("describe", NESTED, "Sample").ok();
    assertTrue(sample.contains("\t/* misaligned, rejected under strict alignment: delta at 1,"
        + " ts at 5, port at 13 */\n"), sample);
  }

  // ---------------------------------------------------------------------------------
  // stores

  @Test
  void storesOfConnectionEventAreGolden() {
    assertEquals(STORES_CONNECTION_EVENT, tool("stores", "ConnectionEvent").ok());
    assertEquals(STORES_CONNECTION_EVENT, tool("stores", CONNECTION, "ConnectionEvent",
        "--event-reg", "r6", "--value-reg=r7").ok());
  }

  @Test
  @Tag("llvm")
  void storesWalkNestedEventsAndArraysWithTheGivenRegisters() {
    String out = tool("stores", NESTED, "Route", "--event-reg", "r1", "--value-reg", "r9")
        .ok();
    List<String> asm = new ArrayList<>();
    List<String> hex = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (line.startsWith("  ")) {
        hex.add(line.substring(2, 25));
        asm.add(line.substring(28));
      }
    }
    assertEquals(List.of(
        "*(u64 *)(r1 + 0) = 0", "*(u64 *)(r1 + 8) = 0", "*(u64 *)(r1 + 16) = 0",
        "*(u64 *)(r1 + 24) = 0", "*(u64 *)(r1 + 32) = 0",
        "*(u64 *)(r1 + 0) = r9",                              // id
        "*(u8 *)(r1 + 8) = r9", "*(u32 *)(r1 + 12) = r9",     // hops[0].ttl, hops[0].addr
        "*(u8 *)(r1 + 16) = r9", "*(u32 *)(r1 + 20) = r9",    // hops[1]
        "*(u16 *)(r1 + 24) = r9",                             // flags (element 0)
        "*(u8 *)(r1 + 28) = r9"), asm);                       // name (element 0)
    assertTrue(out.startsWith("zero the record at r1:\n"), out);
    assertTrue(out.contains("\n\nstore r9 into each field:\n"), out);
    assertEquals("73 91 08 00 00 00 00 00", hex.get(6));

    // LLVM's assembler turns the printed text into the printed bytes
    Path mc = Tools.find("llvm-mc-19", "/usr/lib/llvm-19/bin/llvm-mc");
    if (mc == null) {
      Tools.unavailable("llvm-mc-19 not found (apt-get install llvm-19)");
    }
    Tools.Result llvm = Tools.run(String.join("\n", asm).concat("\n").getBytes(
        StandardCharsets.UTF_8), List.of(mc.toString(), "-triple", "bpfel", "-mcpu=v4",
        "-show-encoding"));
    assertEquals(0, llvm.exit, llvm.err);
    List<String> llvmHex = new ArrayList<>();
    for (String line : llvm.out.split("\n")) {
      int at = line.indexOf("encoding: [");
      if (at >= 0) {
        llvmHex.add(line.substring(at + 11, line.indexOf(']', at)).replace("0x", "")
            .replace(",", " "));
      }
    }
    assertEquals(hex, llvmHex);
  }

  // ---------------------------------------------------------------------------------
  // c-header

  @Test
  void cHeaderOfTheExampleToStdoutAndToAFile() throws IOException {
    String h = tool("c-header").ok();
    assertTrue(h.startsWith("/* Generated by bpf-events. Do not edit: change the event"
        + " definitions. */\n#ifndef BPF_EVENTS_CONNECTION_EVENT_H\n"), h);
    int conn = h.indexOf("struct connection_event {");
    int endpoint = h.indexOf("struct endpoint {");
    int flow = h.indexOf("struct flow_event {");
    assertTrue(0 < conn && conn < endpoint && endpoint < flow, h);
    assertTrue(h.contains("} __attribute__((packed));\n"), h);
    assertTrue(h.contains("_Static_assert(__builtin_offsetof(struct flow_event, dst) == 20,"), h);

    Path out = tmp.resolve("events.h");
    assertEquals("", tool("c-header", "-o", out.toString(), "--guard", "MY_EVENTS_H").ok());
    String written = Files.readString(out, StandardCharsets.UTF_8);
    assertEquals(tool("c-header", "--guard=MY_EVENTS_H").ok(), written);
    assertTrue(written.contains("#ifndef MY_EVENTS_H\n#define MY_EVENTS_H\n"), written);
    assertEquals(written.replace("MY_EVENTS_H", "BPF_EVENTS_CONNECTION_EVENT_H"), h);

    String flowOnly = tool("c-header", "FlowEvent").ok();
    assertTrue(flowOnly.contains("#ifndef BPF_EVENTS_FLOW_EVENT_H"), flowOnly);
    assertTrue(flowOnly.contains("struct endpoint {"), "nested events come along");
    assertFalse(flowOnly.contains("connection_event"), flowOnly);
  }

  @Test
  @Tag("cc")
  void theHeadersCompileAndTheirStaticAssertsHold() throws IOException {
    Path clang = Tools.find("clang-19", "/usr/lib/llvm-19/bin/clang");
    if (clang == null) {
      Tools.unavailable("clang-19 not found (apt-get install clang-19)");
    }
    String[][] files = {{}, {CONNECTION}, {NESTED}, {"examples/connection.clj"}};
    for (String[] file : files) {
      List<String> args = new ArrayList<>(List.of("c-header"));
      args.addAll(Arrays.asList(file));
      Path h = tmp.resolve("h" + Math.abs(Arrays.hashCode(file)) + ".h");
      Files.writeString(h, tool(args.toArray(new String[0])).ok());
      Path c = tmp.resolve("use.c");
      Files.writeString(c, "#include \"" + h + "\"\nint main(void) { return 0; }\n");
      Tools.Result cc = Tools.run(new byte[0], List.of(clang.toString(), "-target", "bpf",
          "-I/usr/include/x86_64-linux-gnu", "-fsyntax-only", "-Werror", c.toString()));
      assertEquals(0, cc.exit, Arrays.toString(file) + ":\n" + cc.err);
    }
  }

  // ---------------------------------------------------------------------------------
  // decode

  /** Little-endian bytes of a value, written by hand. */
  private static void le(ByteArrayOutputStream b, long v, int n) {
    for (int i = 0; i < n; i++) {
      b.write((int) (v >>> (8 * i)) & 0xff);
    }
  }

  /** Big-endian (network order) bytes of a value, written by hand. */
  private static void be(ByteArrayOutputStream b, long v, int n) {
    for (int i = n - 1; i >= 0; i--) {
      b.write((int) (v >>> (8 * i)) & 0xff);
    }
  }

  /** The bytes, then NULs up to n. */
  private static void chars(ByteArrayOutputStream b, byte[] bytes, int n) {
    b.write(bytes, 0, bytes.length);
    for (int i = bytes.length; i < n; i++) {
      b.write(0);
    }
  }

  /** Two ConnectionEvent records: 88 bytes. */
  private static byte[] connectionRecords() {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    le(b, -1L, 8);                     // timestamp 2^64-1
    le(b, 4242, 4);                    // pid
    le(b, 0x0100007fL, 4);             // saddr
    le(b, 0x08080808L, 4);             // daddr
    le(b, 40000, 2);                   // sport
    le(b, 443, 2);                     // dport
    le(b, 6, 1);                       // protocol
    le(b, 1, 1);                       // direction
    le(b, 0x0700, 2);                  // padding [0 7]
    chars(b, "q\"\\\t\u00e9".getBytes(StandardCharsets.UTF_8), 16); // comm
    le(b, 1_700_000_000L, 8);
    le(b, 1, 4);
    le(b, 2, 4);
    le(b, 3, 4);
    le(b, 4, 2);
    le(b, 5, 2);
    le(b, 17, 1);
    le(b, 0, 1);
    le(b, 0, 2);
    chars(b, "curl\0stale bytes".getBytes(StandardCharsets.UTF_8), 16); // NUL ends it
    byte[] bytes = b.toByteArray();
    assertEquals(88, bytes.length);
    return bytes;
  }

  private static final String CONNECTION_EDN =
      "{:timestamp 18446744073709551615N, :pid 4242, :saddr 16777343, :daddr 134744072,"
      + " :sport 40000, :dport 443, :protocol 6, :direction 1, :padding [0 7],"
      + " :comm \"q\\\"\\\\\\t\u00e9\"}\n"
      + "{:timestamp 1700000000, :pid 1, :saddr 2, :daddr 3, :sport 4, :dport 5,"
      + " :protocol 17, :direction 0, :padding [0 0], :comm \"curl\"}\n";

  private static final String CONNECTION_JSON =
      "{\"timestamp\":18446744073709551615,\"pid\":4242,\"saddr\":16777343,"
      + "\"daddr\":134744072,\"sport\":40000,\"dport\":443,\"protocol\":6,\"direction\":1,"
      + "\"padding\":[0,7],\"comm\":\"q\\\"\\\\\\t\u00e9\"}\n"
      + "{\"timestamp\":1700000000,\"pid\":1,\"saddr\":2,\"daddr\":3,\"sport\":4,\"dport\":5,"
      + "\"protocol\":17,\"direction\":0,\"padding\":[0,0],\"comm\":\"curl\"}\n";

  @Test
  void handMadeRecordsAreTheLibrarysRecords() {
    // the hand-written bytes are what the encoder writes for the same values
    Map<String, Object> first = new LinkedHashMap<>();
    first.put("timestamp", BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE));
    first.put("pid", 4242L);
    first.put("saddr", 0x0100007fL);
    first.put("daddr", 0x08080808L);
    first.put("sport", 40000L);
    first.put("dport", 443L);
    first.put("protocol", 6L);
    first.put("direction", 1L);
    first.put("padding", List.of(0L, 7L));
    first.put("comm", "q\"\\\t\u00e9");
    byte[] encoded = EventEncoder.encode(ExampleEvents.events().event("ConnectionEvent"),
        first);
    assertEquals(Arrays.toString(Arrays.copyOf(connectionRecords(), 44)),
        Arrays.toString(encoded));
  }

  @Test
  void decodeConnectionEventsAsEdnAndJson() throws IOException {
    Path data = tmp.resolve("conn.bin");
    Files.write(data, connectionRecords());
    assertEquals(CONNECTION_EDN, tool("decode", "ConnectionEvent", data.toString()).ok());
    assertEquals(CONNECTION_EDN, tool("decode", CONNECTION, "ConnectionEvent",
        data.toString(), "--format", "edn").ok());
    assertEquals(CONNECTION_JSON, tool("decode", "ConnectionEvent", data.toString(),
        "--format", "json").ok());
    // stdin, without DATA and as -
    assertEquals(CONNECTION_EDN, toolIn(ROOT, connectionRecords(), "decode",
        "ConnectionEvent").ok());
    assertEquals(CONNECTION_JSON, toolIn(ROOT, connectionRecords(), "decode", CONNECTION,
        "ConnectionEvent", "-", "--format=json").ok());
  }

  @Test
  void decodeNestedEventsArraysSignedAndNetworkOrder() throws IOException {
    ByteArrayOutputStream flow = new ByteArrayOutputStream();
    le(flow, 1, 8);                                  // ts
    le(flow, 6, 1);                                  // protocol
    le(flow, 0, 3);                                  // hole
    be(flow, 0xc0a80001L, 4);                        // src.addr 192.168.0.1
    be(flow, 443, 2);                                // src.port
    le(flow, 0, 2);                                  // Endpoint padding
    be(flow, 0x0a000001L, 4);                        // dst.addr 10.0.0.1
    be(flow, 8080, 2);                               // dst.port
    le(flow, 0, 2);
    le(flow, 77, 4);                                 // pid
    chars(flow, "nginx".getBytes(StandardCharsets.UTF_8), 16);
    assertEquals(48, flow.size());
    assertEquals("{:ts 1, :protocol 6, :src {:addr 3232235521, :port 443}, :dst {:addr"
        + " 167772161, :port 8080}, :pid 77, :comm \"nginx\"}\n",
        toolIn(ROOT, flow.toByteArray(), "decode", "FlowEvent").ok());
    assertEquals("{\"ts\":1,\"protocol\":6,\"src\":{\"addr\":3232235521,\"port\":443},"
        + "\"dst\":{\"addr\":167772161,\"port\":8080},\"pid\":77,\"comm\":\"nginx\"}\n",
        toolIn(ROOT, flow.toByteArray(), "decode", "FlowEvent", "--format", "json").ok());

    ByteArrayOutputStream route = new ByteArrayOutputStream();
    le(route, 7, 8);                                 // id
    le(route, 64, 1);                                // hops[0].ttl
    le(route, 0, 3);
    be(route, 0xc0a80101L, 4);                       // hops[0].addr
    le(route, 63, 1);                                // hops[1].ttl
    le(route, 0, 3);
    be(route, 0x0a000001L, 4);                       // hops[1].addr
    le(route, 1, 2);                                 // flags[0]
    le(route, 0xffff, 2);                            // flags[1]
    chars(route, "eth0".getBytes(StandardCharsets.UTF_8), 8); // name
    le(route, 0, 4);                                 // tail padding to 40
    assertEquals(40, route.size());
    assertEquals("{\"id\":7,\"hops\":[{\"ttl\":64,\"addr\":3232235777},{\"ttl\":63,"
        + "\"addr\":167772161}],\"flags\":[1,65535],\"name\":\"eth0\"}\n",
        toolIn(ROOT, route.toByteArray(), "decode", NESTED, "Route", "--format", "json")
            .ok());
    assertEquals("{:id 7, :hops [{:ttl 64, :addr 3232235777} {:ttl 63, :addr 167772161}],"
        + " :flags [1 65535], :name \"eth0\"}\n",
        toolIn(ROOT, route.toByteArray(), "decode", NESTED, "Route").ok());

    ByteArrayOutputStream sample = new ByteArrayOutputStream();
    le(sample, 0xff, 1);                             // flag
    le(sample, -5, 4);                               // delta
    le(sample, Long.MIN_VALUE, 8);                   // ts
    be(sample, 8080, 2);                             // port
    assertEquals("{:flag 255, :delta -5, :ts -9223372036854775808, :port 8080}\n",
        toolIn(ROOT, sample.toByteArray(), "decode", NESTED, "Sample").ok());
  }

  @Test
  void aPartialRecordAtTheEndIsAnErrorAfterTheWholeRecords() throws IOException {
    byte[] bytes = Arrays.copyOf(connectionRecords(), 54);
    Path data = tmp.resolve("partial.bin");
    Files.write(data, bytes);
    String firstLine = CONNECTION_EDN.substring(0, CONNECTION_EDN.indexOf('\n') + 1);
    Run fromFile = tool("decode", "ConnectionEvent", data.toString());
    assertEquals("bpf-events: " + data + ": partial ConnectionEvent record at byte offset 44:"
        + " 10 of 44 bytes; expected whole records of 44 bytes (the data holds 54 bytes)\n",
        fromFile.failed(1));
    assertEquals(firstLine, fromFile.out());
    Run fromStdin = toolIn(ROOT, Arrays.copyOf(bytes, 20), "decode", "ConnectionEvent");
    assertEquals("bpf-events: stdin: partial ConnectionEvent record at byte offset 0: 20 of"
        + " 44 bytes; expected whole records of 44 bytes (the data holds 20 bytes)\n",
        fromStdin.failed(1));
    assertEquals("", fromStdin.out());
  }

  @Test
  void decodeOfNothingPrintsNothingAndMissingDataIsAnError() {
    assertEquals("", tool("decode", "ConnectionEvent").ok());
    Run missing = tool("decode", "ConnectionEvent", "no-such.bin");
    assertEquals("bpf-events: cannot read no-such.bin: no such file or directory\n",
        missing.failed(1));
    assertEquals("", missing.out());
  }

  // ---------------------------------------------------------------------------------
  // Files that try to run code, or to break the reader

  private Run hostile(String name, byte[] content, String... args) throws IOException {
    Files.write(tmp.resolve(name), content);
    List<String> all = new ArrayList<>(Arrays.asList(args));
    all.add(1, name);
    return toolIn(tmp, new byte[0], all.toArray(new String[0]));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void readerEvalIsNeverRun() throws IOException {
    byte[] text = utf8("(defevent A [:x :u8])\n#=(clojure.core/spit \"ran\" \"yes\")\n"
        + "#=(java.lang.System/exit 3)\n");
    for (String[] args : List.of(new String[] {"describe"}, new String[] {"c-header"},
        new String[] {"stores", "A"}, new String[] {"decode", "A"})) {
      Run r = hostile("eval.clj", text, args);
      assertEquals("eval.clj:2: reader dispatch #=(clojure.core/spit... is not accepted: an"
          + " event file is read as plain data, so no # form (#=, #_, #{}, #\"\", tagged"
          + " literals) is read; expected a list, vector, map, keyword, symbol, integer or"
          + " string\n", r.failed(1));
      assertEquals("", r.out());
    }
    assertFalse(Files.exists(tmp.resolve("ran")), "the file's code ran");
  }

  @Test
  void formsOtherThanDefinitionsAreNeverRun() throws IOException {
    Run r = hostile("do.clj", utf8("(defevent A [:x :u8])\n\n"
        + "(do (clojure.core/spit \"ran\" \"yes\") (System/exit 3))\n"), "describe");
    assertEquals("do.clj:3: form (do (clojure.core/spit \"ran\" \"yes\") (...) is not"
        + " accepted: an event file is read as data and never run; expected (defevent Name"
        + " [:field :type] ...) or (ns ...)\n", r.failed(1));
    assertFalse(Files.exists(tmp.resolve("ran")), "the file's code ran");
  }

  @Test
  void integersBeyond64BitsAreRefused() throws IOException {
    Run r = hostile("big.clj", utf8("(defevent A\n  [:x :u8 1000000000000000000000000000000])"),
        "describe");
    assertEquals("big.clj:2: integer 1000000000000000000000000000000 does not fit 64 signed"
        + " bits; expected -9223372036854775808 to 9223372036854775807\n", r.failed(1));
  }

  @Test
  void deepNestingIsAnErrorNotAStackOverflow() throws IOException {
    Run r = hostile("deep.clj", utf8("[".repeat(100_000)), "describe");
    assertEquals("deep.clj:1: nesting deeper than 64 levels of ( [ {; expected at most 64"
        + " (an event file needs 3)\n", r.failed(1));
  }

  @Test
  void invalidUtf8IsRefusedAtItsLine() throws IOException {
    byte[] head = utf8("(defevent A\n  [:x :u8])\n(defevent B [:c :char 4]) ; caf");
    byte[] bytes = Arrays.copyOf(head, head.length + 2);
    bytes[head.length] = (byte) 0xc3;
    bytes[head.length + 1] = '(';
    Run r = hostile("utf8.clj", bytes, "c-header");
    assertEquals("utf8.clj:3: invalid UTF-8 at byte offset " + head.length + " (0xc3);"
        + " expected a UTF-8 text file of defevent forms\n", r.failed(1));
  }

  // ---------------------------------------------------------------------------------
  // Other bad input: exit 1, FILE:LINE where there is a line

  @Test
  void badDefinitionsNameTheirLine() throws IOException {
    Run type = hostile("type.clj", utf8("(defevent A\n  [:x :u8]\n  [:y :float])"),
        "describe");
    assertEquals("type.clj:3: event A: field :y: unknown type :float; expected one of"
        + " [:u8 :i8 :u16 :i16 :u32 :i32 :u64 :i64 :char :ptr :be16 :be32 :be64 :i128 :u128]\n",
        type.failed(1));
    Run sym = hostile("sym.clj", utf8("(defevent A [:x :u8])\n(defevent B [:a Hop])"),
        "describe");
    assertTrue(sym.failed(1).startsWith("sym.clj:2: event B: field :a has type Hop, which is"
        + " not an event declared above it;"), sym.err());
    Run option = hostile("opt.clj", utf8("(defevent A {:align :c} [:x :u8])"), "describe");
    assertEquals("opt.clj:1: event A: option :align :c is not accepted; expected one of"
        + " [:natural :packed]\n", option.failed(1));
    Run keyword = hostile("kw.clj", utf8("(defevent A\n  [:x :u8]\n  [:int :u8])"),
        "c-header");
    assertEquals("kw.clj:3: event A: field name :int becomes int in C, a keyword; expected a"
        + " name that is not a C keyword\n", keyword.failed(1));
    assertTrue(hostile("kw.clj", utf8("(defevent A\n  [:x :u8]\n  [:int :u8])"), "describe")
        .ok().startsWith("struct a {"));
  }

  @Test
  void unknownNamesAndFilesAreBadInput() {
    assertEquals("bpf-events: event Nope is not declared in " + CONNECTION + "; expected one"
        + " of [ConnectionEvent]\n", tool("describe", CONNECTION, "Nope").failed(1));
    assertEquals("bpf-events: event Nope is not declared in (built-in example); expected one"
        + " of [ConnectionEvent, Endpoint, FlowEvent]\n",
        tool("stores", "--example", "Nope").failed(1));
    assertEquals("bpf-events: cannot read nope.clj: no such file; expected an event file, or"
        + " the name of an event of the built-in example [ConnectionEvent, Endpoint,"
        + " FlowEvent]\n", tool("describe", "nope.clj").failed(1));
    assertEquals("bpf-events: cannot read test: it is a directory; expected a file of"
        + " defevent forms\n", tool("c-header", "test").failed(1));
  }

  // ---------------------------------------------------------------------------------
  // The command line

  @Test
  void usageErrorsExit2() {
    String[][] cases = {
        {"frob"}, {"--frob"}, {"describe", "--frob"}, {"describe", "--help=yes"},
        {"stores"}, {"stores", "ConnectionEvent", "extra"}, {"stores", "ConnectionEvent",
            "--event-reg"}, {"stores", "ConnectionEvent", "--event-reg", "r11"},
        {"stores", "ConnectionEvent", "--value-reg", "rax"}, {"decode"},
        {"decode", "ConnectionEvent", "--format", "xml"}, {"decode", "ConnectionEvent", "a",
            "b"}, {"c-header", "--guard", "9x"}, {"c-header", "--guard=A", "--guard=B"},
        {"c-header", "-o"}, {"example", "x"}, {"help", "frob"},
    };
    for (String[] args : cases) {
      Run r = tool(args);
      String err = r.failed(2);
      assertEquals("", r.out(), Arrays.toString(args));
      assertTrue(err.startsWith("bpf-events: "), Arrays.toString(args) + ": " + err);
      assertTrue(err.contains("\nusage: bpf-events "), Arrays.toString(args) + ": " + err);
    }
    assertEquals("bpf-events: option --event-reg: unknown register r11; expected"
        + " one of [r0, r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, fp]\nusage: bpf-events stores [FILE] NAME [--event-reg rN]"
        + " [--value-reg rN]\nRun 'bpf-events stores --help' for more.\n",
        tool("stores", "ConnectionEvent", "--event-reg", "r11").failed(2));
    assertEquals("bpf-events: unknown command frob; expected one of [demo, describe, stores,"
        + " c-header, decode, btf, check, import, example]\nusage: bpf-events COMMAND"
        + " [ARGS...]\nRun 'bpf-events --help' for more.\n", tool("frob").failed(2));
  }

  @Test
  void withoutArgumentsTheToolShowsItsHelp() {
    assertEquals(tool("--help").ok(), tool().ok());
  }

  @Test
  void theDemoIsTheWholeJobOnTheExample() {
    String demo = tool("demo").ok();
    assertTrue(demo.startsWith("== the layout of ConnectionEvent (bpf-events describe)\n"
        + DESCRIBE_CONNECTION_EVENT), demo);
    assertTrue(demo.contains("== the C header for the BPF program (bpf-events c-header)\n"
        + tool("c-header", "ConnectionEvent").ok()), demo);
    assertTrue(demo.contains("\n" + STORES_CONNECTION_EVENT.replace("zero the record at r6:\n",
        "").replace("\n\nstore r7 into each field:\n", "\n")), demo);
    assertTrue(demo.endsWith("== the record decoded (bpf-events decode)\n{:timestamp 1, :pid 2,"
        + " :saddr 3, :daddr 4, :sport 5, :dport 6, :protocol 7, :direction 8, :padding [9 9],"
        + " :comm \"comm\"}\n"), demo);
    assertTrue(tool("demo", "FlowEvent").ok().contains("struct flow_event {"));
  }

  @Test
  void theDemoOfAFileIsItsLastEvent() throws Exception {
    Path f = tmp.resolve("two.clj");
    Files.writeString(f, "(defevent Inner [:x :u8])\n(defevent Outer [:in Inner] [:y :u16])\n");
    String demo = tool("demo", f.toString()).ok();
    assertTrue(demo.startsWith("== the layout of Outer (bpf-events describe)\n"), demo);
    assertTrue(tool("demo", f.toString(), "Inner").ok()
        .startsWith("== the layout of Inner (bpf-events describe)\n"));
  }

  @Test
  void helpForTheToolAndEachCommand() {
    String help = tool("--help").ok();
    assertTrue(help.startsWith("usage: bpf-events COMMAND [ARGS...]\n"), help);
    assertEquals(help, tool("-h").ok());
    assertEquals(help, tool("help").ok());
    for (String c : List.of("demo", "describe", "stores", "c-header", "decode", "btf", "check",
        "import", "example")) {
      assertTrue(help.contains("\n  " + c), c);
      String h = tool(c, "--help").ok();
      assertTrue(h.startsWith("usage: bpf-events " + c), h);
      assertTrue(h.contains("  -h, --help "), h);
      assertEquals(h, tool(c, "-h").ok());
      assertEquals(h, tool("help", c).ok());
    }
    assertTrue(tool("decode", "--help").ok().contains("--format edn|json"));
    assertTrue(tool("stores", "--help").ok().contains("--event-reg rN"));
    assertTrue(tool("c-header", "--help").ok().contains("-o, --output OUT"));
  }

  @Test
  void versionComesFromTheJarManifest() {
    assertEquals("bpf-events " + VERSION + "\n", tool("--version").ok());
    assertFalse(VERSION.equals("?") || VERSION.equals("dev"), VERSION);
  }

  @Test
  void theExampleCommandPrintsTheFileTheOthersUse() throws IOException {
    String text = tool("example").ok();
    assertEquals(Files.readString(ROOT.resolve(
        "src/main/resources/io/github/bpfevents/cli/example-events.clj")), text);
    Path copy = tmp.resolve("mine.clj");
    Files.writeString(copy, text);
    assertEquals(tool("describe").ok(), tool("describe", copy.toString()).ok());
  }

  @Test
  void anExistingFileWinsOverAnExampleEventOfTheSameName() throws IOException {
    Files.writeString(tmp.resolve("ConnectionEvent"), "(defevent Other [:x :u8])\n");
    assertTrue(toolIn(tmp, new byte[0], "describe", "ConnectionEvent").ok()
        .startsWith("struct other {"));
    assertEquals(DESCRIBE_CONNECTION_EVENT, toolIn(tmp, new byte[0], "describe", "--example",
        "ConnectionEvent").ok());
  }

  // ---------------------------------------------------------------------------------
  // The launcher and the example program

  @Test
  void theLauncherRunsTheBuiltJar() throws IOException {
    // a Maven that fails: the launcher must find the jar fresh and not build it
    Path fakeBin = Files.createDirectories(tmp.resolve("fake-bin"));
    Path mvn = fakeBin.resolve("mvn");
    Files.writeString(mvn, "#!/bin/sh\necho 'mvn must not run here' >&2\nexit 97\n");
    assertTrue(mvn.toFile().setExecutable(true));
    Map<String, String> env = new HashMap<>();
    env.put("PATH", fakeBin + ":" + JAVA.getParent() + ":" + System.getenv("PATH"));
    Run r = process(tmp, new byte[0], env,
        List.of("bash", ROOT.resolve("bin/bpf-events").toString(), "--version"));
    assertEquals("bpf-events " + VERSION + "\n", r.ok());
    Run stores = process(tmp, new byte[0], env,
        List.of(ROOT.resolve("bin/bpf-events").toString(), "stores", "ConnectionEvent"));
    assertEquals(STORES_CONNECTION_EVENT, stores.ok());
  }

  @Test
  void theExampleProgramRuns() {
    Run r = process(ROOT, new byte[0], Map.of("BPF_EVENTS_JAR", JAR.toString()),
        List.of("bash", "examples/run.sh"));
    String out = r.ok();
    assertTrue(out.contains("\n{:ts-ns 1700000000123456789, :pid 4242, :uid 1000, :src {:ip"
        + " 167772162, :port 41000}, :dst {:ip 1572395042, :port 443}, :retval 0, :comm"
        + " \"curl\"}\n{:ts-ns 1700000000223456789, :pid 4243, :uid 0, :src {:ip 167772162,"
        + " :port 41002}, :dst {:ip 167772169, :port 5432}, :retval -111, :comm \"psql\"}\n"),
        out);
    assertTrue(out.contains("\n{\"ts-ns\":1700000000123456789,\"pid\":4242,\"uid\":1000,"
        + "\"src\":{\"ip\":167772162,\"port\":41000},\"dst\":{\"ip\":1572395042,\"port\":443},"
        + "\"retval\":0,\"comm\":\"curl\"}\n"), out);
    assertTrue(out.contains("#ifndef TCP_CONNECT_H\n"), out);
    assertTrue(out.contains("\t/* size: 56, cachelines: 1, members: 7 */\n"), out);
    assertTrue(out.contains("  63 76 20 00 00 00 00 00   *(u32 *)(r6 + 32) = r7\n"), out);
    assertTrue(out.contains("== 112 bytes of records, decoded"), out);
  }

  // ---------------------------------------------------------------------------------
  // Hostile input: an answer or the library's error, in bounded time and memory

  /** The tool in a JVM of 64 MiB that must finish within 20 seconds, start-up included. */
  private Run bounded(String... args) {
    List<String> command = new ArrayList<>(List.of(JAVA.toString(), "-Xmx64m", "-Xss512k",
        "-XX:+ExitOnOutOfMemoryError", "-jar", JAR.toString()));
    command.addAll(Arrays.asList(args));
    return process(tmp, new byte[0], Map.of(), command, 20);
  }

  private Path mkfifo(String name) throws IOException, InterruptedException {
    Path fifo = tmp.resolve(name);
    Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
    Assumptions.assumeTrue(p.waitFor() == 0, "mkfifo is not available");
    return fifo;
  }

  @Test
  void aPipeWithNoWriterIsRefusedNotWaitedOn() throws Exception {
    Path fifo = mkfifo("events.clj");
    assertTrue(bounded("describe", fifo.toString()).failed(1)
        .contains("it is not a regular file (a pipe or a device)"));
    Path data = mkfifo("dump.bin");
    assertTrue(bounded("decode", "ConnectionEvent", data.toString()).failed(1)
        .contains("it is not a regular file (a pipe or a device)"));
  }

  @Test
  void sixThousandEventsAreDescribedInBoundedTime() throws IOException {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 6000; i++) {
      b.append("(defevent E").append(i).append(" [:a :u8] [:b :u32] [:c :u64 2])\n");
    }
    Files.writeString(tmp.resolve("many.clj"), b.toString());
    String out = bounded("describe", "many.clj").ok();
    assertEquals(6000, out.lines().filter(l -> l.startsWith("struct e")).count());
  }

  @Test
  void aChainSixThousandDeepIsRefusedAtItsLine() throws IOException {
    StringBuilder b = new StringBuilder("(defevent D0 [:a :u8])\n");
    for (int i = 1; i < 6000; i++) {
      b.append("(defevent D").append(i).append(" [:x D").append(i - 1).append("])\n");
    }
    Files.writeString(tmp.resolve("deep.clj"), b.toString());
    assertEquals("deep.clj:33: event D32: field :x nests events 33 deep; expected events"
        + " nested at most 32 deep\n", bounded("describe", "deep.clj").failed(1));
  }

  @Test
  void sharedNestingAndTheLargestRecordsAreDescribedAndDeclared() throws IOException {
    StringBuilder b = new StringBuilder("(defevent D0 [:a :u8])\n");
    for (int i = 1; i <= 28; i++) {
      b.append("(defevent D").append(i).append(" [:x D").append(i - 1).append("] [:y D")
          .append(i - 1).append("])\n");
    }
    b.append("(defevent Huge [:a :u8 2147483647])\n");
    b.append("(defevent Many {:align :packed} [:x :u8] [:in D1 100000000])\n");
    Files.writeString(tmp.resolve("big.clj"), b.toString());
    assertTrue(bounded("c-header", "big.clj", "D28").ok()
        .contains("_Static_assert(sizeof(struct d28) == 268435456"));
    assertTrue(bounded("describe", "big.clj", "Huge").ok()
        .contains("/* size: 2147483647, cachelines: 33554432, members: 1 */"));
    String many = bounded("describe", "big.clj", "Many").ok();
    assertTrue(many.length() < 5000, many);
  }

  @Test
  void namesTheCompilersKeepAreRefusedInHeaders() throws IOException {
    Files.writeString(tmp.resolve("names.clj"), "(defevent linux [:a :u8])\n"
        + "(defevent Ok [:__int128 :u8])\n");
    assertEquals("names.clj:1: event name linux becomes linux in C, a macro GNU C predefines;"
        + " expected a name that is not a predefined macro (linux, unix)\n",
        bounded("c-header", "names.clj", "linux").failed(1));
    assertTrue(bounded("c-header", "names.clj", "Ok").failed(1)
        .contains("field name :__int128 becomes __int128 in C, a name C reserves for the"
            + " compiler"));
    assertTrue(bounded("c-header", "--guard", "_LINUX_TYPES_H").failed(2)
        .contains("include guard \"_LINUX_TYPES_H\" is a name C reserves for the compiler"));
  }
}
