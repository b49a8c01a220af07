package io.github.bpfevents.btf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfevents.check.RandomEvents;
import io.github.bpfevents.check.Tools;
import io.github.bpfevents.layout.CNames;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.Field;
import io.github.bpfevents.layout.Packing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer's BTF as bpftool and pahole read it. For thousands of generated definitions
 * (natural and packed, nested four deep, arrays, every type), {@code bpftool btf dump file
 * F format c} prints C that clang-19 (for BPF) and gcc compile with a static assertion on
 * every struct's size and every member's offset; {@code pahole -F btf F} prints every
 * struct with the size and the member offsets and sizes of the layout.
 */
@Tag("btftools")
@Tag("cc")
class BtfToolsTest {
  private static final int BATCHES = 8;
  private static final int BATCH = 500;

  @TempDir Path dir;

  /** Every distinct event, nested ones first, by C name. */
  static Map<String, EventLayout> structs(List<EventLayout> events) {
    Map<String, EventLayout> out = new LinkedHashMap<>();
    Set<EventLayout> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (EventLayout e : events) {
      collect(e, out, seen);
    }
    return out;
  }

  private static void collect(EventLayout e, Map<String, EventLayout> out,
      Set<EventLayout> seen) {
    if (!seen.add(e)) {
      return;
    }
    for (Field f : e.fields()) {
      if (f.isNested()) {
        collect(f.nested(), out, seen);
      }
    }
    out.putIfAbsent(CNames.identifier(e.name(), "event"), e);
  }

  private static Path tool(String name) {
    Path p = Tools.find(name, "/usr/sbin/" + name, "/sbin/" + name);
    if (p == null) {
      Tools.unavailable(name + " not found (apt-get install bpftool pahole)");
    }
    return p;
  }

  private List<List<EventLayout>> batches() {
    Random rnd = new Random(20261120);
    List<List<EventLayout>> out = new ArrayList<>();
    for (int b = 0; b < BATCHES; b++) {
      List<EventLayout> batch = new ArrayList<>();
      for (int i = 0; i < BATCH; i++) {
        batch.add(RandomEvents.event(rnd, "Gen" + b + "x" + i, 3));
      }
      out.add(batch);
    }
    return out;
  }

  @Test
  void bpftoolsCDumpLaysOutExactlyAsTheDefinitions() throws IOException {
    Path bpftool = tool("bpftool");
    Path clang = Tools.find("clang-19", "/usr/lib/llvm-19/bin/clang");
    if (clang == null) {
      Tools.unavailable("clang-19 not found (apt-get install clang-19)");
    }
    Path gcc = Tools.find("gcc");
    int events = 0;
    int structs = 0;
    int packed = 0;
    int asserts = 0;
    int b = 0;
    for (List<EventLayout> batch : batches()) {
      Path blob = dir.resolve("b" + b + ".btf");
      Files.write(blob, BtfWriter.write(batch));
      Tools.Result dump = Tools.run(new byte[0], List.of(bpftool.toString(), "btf", "dump",
          "file", blob.toString(), "format", "c"));
      assertEquals(0, dump.exit, dump.err);
      StringBuilder c = new StringBuilder(dump.out);
      for (Map.Entry<String, EventLayout> s : structs(batch).entrySet()) {
        String type = "struct " + s.getKey();
        EventLayout e = s.getValue();
        c.append(assertion("sizeof(" + type + ")", e.size()));
        for (Field f : e.fields()) {
          c.append(assertion("__builtin_offsetof(" + type + ", "
              + CNames.identifier(f.name(), "field") + ")", f.offset()));
          asserts++;
        }
        asserts++;
        structs++;
        packed += e.packing() == Packing.PACKED ? 1 : 0;
      }
      Path source = dir.resolve("b" + b + ".c");
      Files.writeString(source, c);
      Tools.Result bpf = Tools.run(new byte[0], List.of(clang.toString(), "-target", "bpf",
          "-fsyntax-only", source.toString()));
      assertEquals(0, bpf.exit, "bpftool's C, compiled by clang-19 for BPF:\n" + bpf.err);
      if (gcc != null) {
        Tools.Result host = Tools.run(new byte[0], List.of(gcc.toString(), "-fsyntax-only",
            "-DBPF_NO_PRESERVE_ACCESS_INDEX", source.toString()));
        assertEquals(0, host.exit, "bpftool's C, compiled by gcc:\n" + host.err);
      }
      events += batch.size();
      b++;
    }
    assertTrue(packed > structs / 4, "packed structs are among them: " + packed);
    System.out.println("[btf] " + events + " generated events, " + structs + " structs ("
        + packed + " packed): bpftool's C dump of their BTF compiles with clang-19 (BPF)"
        + (gcc != null ? " and gcc" : "") + ", " + asserts + " static assertions on sizes"
        + " and offsets hold");
  }

  private static String assertion(String expr, int value) {
    return "_Static_assert(" + expr + " == " + value + ", \"" + expr.replace("\"", "")
        + "\");\n";
  }

  private static final Pattern STRUCT = Pattern.compile("^struct (\\w+) \\{$");
  private static final Pattern MEMBER = Pattern.compile(
      "^\\t.*?(\\w+)(\\[\\d+\\])?;\\s+/\\*\\s+(\\d+)\\s+(\\d+)\\s+\\*/$");
  private static final Pattern SIZE = Pattern.compile("^\\t/\\* size: (\\d+),.*");

  @Test
  void paholeReadsEveryStructAsTheDefinitionsLayItOut() throws IOException {
    Path pahole = tool("pahole");
    int structs = 0;
    int members = 0;
    int b = 0;
    for (List<EventLayout> batch : batches()) {
      Path blob = dir.resolve("p" + b + ".btf");
      Files.write(blob, BtfWriter.write(batch));
      Tools.Result r = Tools.run(new byte[0], List.of(pahole.toString(), "-F", "btf",
          blob.toString()));
      assertEquals(0, r.exit, r.err);
      Map<String, List<long[]>> seen = new LinkedHashMap<>();
      Map<String, Long> sizes = new LinkedHashMap<>();
      String current = null;
      for (String line : r.out.split("\n")) {
        Matcher m;
        if ((m = STRUCT.matcher(line)).matches()) {
          current = m.group(1);
          seen.put(current, new ArrayList<>());
        } else if (current != null && (m = MEMBER.matcher(line)).matches()) {
          seen.get(current).add(new long[] {Long.parseLong(m.group(3)),
              Long.parseLong(m.group(4))});
        } else if (current != null && (m = SIZE.matcher(line)).matches()) {
          sizes.put(current, Long.parseLong(m.group(1)));
        }
      }
      Map<String, EventLayout> expected = structs(batch);
      assertEquals(expected.keySet(), seen.keySet(), "pahole prints every struct");
      for (Map.Entry<String, EventLayout> s : expected.entrySet()) {
        EventLayout e = s.getValue();
        assertEquals((long) e.size(), sizes.get(s.getKey()), s.getKey() + " size");
        List<long[]> got = seen.get(s.getKey());
        assertEquals(e.fields().size(), got.size(), s.getKey());
        for (int i = 0; i < got.size(); i++) {
          Field f = e.fields().get(i);
          assertEquals(f.offset(), got.get(i)[0], s.getKey() + "." + f.name() + " offset");
          assertEquals(f.size(), got.get(i)[1], s.getKey() + "." + f.name() + " size");
          members++;
        }
        structs++;
      }
      b++;
    }
    System.out.println("[btf] pahole -F btf reads " + structs + " structs of "
        + BATCHES * BATCH + " generated events: every size, and the offset and size of"
        + " each of " + members + " members, as the definitions lay them out");
  }
}
