package io.github.bpfevents.cheader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfevents.check.RandomEvents;
import io.github.bpfevents.check.Tools;
import io.github.bpfevents.layout.CNames;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.Field;
import io.github.bpfevents.layout.FieldRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The project's layouts against the C compiler. For a thousand generated definitions
 * (every type, arrays, nesting two levels deep, packed and natural), the test writes the
 * project's header and a C program that prints sizeof, _Alignof and the offsetof of every
 * scalar (down through nested events and array elements), compiles it with clang-19 and
 * gcc, runs it and compares every number with the project's layout. The same header must
 * compile for the BPF target, where its static asserts are checked again.
 */
@Tag("cc")
class CCompilerLayoutTest {
  private static final int EVENTS = 1000;
  private static final int BATCH = 100;

  @TempDir Path dir;

  @Test
  void compilersAgreeWithEveryOffsetAndSize() throws IOException {
    Path clang = Tools.find("clang-19", "/usr/lib/llvm-19/bin/clang");
    if (clang == null) {
      Tools.unavailable("clang-19 not found (apt-get install clang-19)");
    }
    Path gcc = Tools.find("gcc");
    List<Path> hostCompilers = new ArrayList<>(List.of(clang));
    if (gcc != null) {
      hostCompilers.add(gcc);
    } else {
      System.out.println("[c] gcc not found: checking with clang-19 only");
    }
    Random rnd = new Random(4_2026_11_26L);
    int structs = 0;
    int numbers = 0;
    int nestedRoots = 0;
    for (int b = 0; b < EVENTS / BATCH; b++) {
      List<EventLayout> events = new ArrayList<>();
      for (int i = 0; i < BATCH; i++) {
        EventLayout ev = RandomEvents.event(rnd, "Gen" + (b * BATCH + i), 2);
        events.add(ev);
        if (ev.fields().stream().anyMatch(Field::isNested)) {
          nestedRoots++;
        }
      }
      Map<String, Long> expected = expectedNumbers(events);
      Path header = dir.resolve("batch" + b + ".h");
      Files.writeString(header, CHeader.emit(events, "BATCH_" + b + "_H"));
      Path program = dir.resolve("batch" + b + ".c");
      Files.writeString(program, program(header, expected.keySet(), events));
      for (Path cc : hostCompilers) {
        Path exe = dir.resolve("batch" + b + "-" + cc.getFileName());
        Tools.Result compiled = Tools.run(new byte[0], List.of(cc.toString(), "-std=gnu11",
            "-O0", "-o", exe.toString(), program.toString()));
        assertEquals(0, compiled.exit, cc + " rejected the header:\n" + compiled.err);
        Tools.Result ran = Tools.run(new byte[0], List.of(exe.toString()));
        assertEquals(0, ran.exit, ran.err);
        assertEquals(expected, parse(ran.out), cc + " disagrees with the layout");
      }
      Path bpfSource = dir.resolve("bpf" + b + ".c");
      Files.writeString(bpfSource, "#include \"" + header.getFileName() + "\"\n"
          + "int bpf_events_layout_check;\n");
      Tools.Result bpf = Tools.run(new byte[0], List.of(clang.toString(), "-target", "bpf",
          "-O2", "-I/usr/include/x86_64-linux-gnu", "-I" + dir, "-c", "-o",
          dir.resolve("bpf" + b + ".o").toString(), bpfSource.toString()));
      assertEquals(0, bpf.exit, "the header does not compile for the BPF target:\n" + bpf.err);
      structs += events.size();
      numbers += expected.size();
    }
    assertTrue(nestedRoots > EVENTS / 10, "enough definitions nest: " + nestedRoots);
    System.out.println("[c] " + structs + " generated structs (" + nestedRoots
        + " with nested events), " + numbers + " sizes, alignments and offsets: "
        + hostCompilers.size() + " compiler(s) and the BPF target agree with the layouts");
  }

  /** Keys like {@code gen12 size}, {@code gen12 f3[2].f1} with the project's numbers. */
  static Map<String, Long> expectedNumbers(List<EventLayout> events) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (EventLayout ev : events) {
      String s = CNames.identifier(ev.name(), "event");
      out.put(s + " size", (long) ev.size());
      out.put(s + " align", (long) ev.alignment());
      for (Field f : ev.fields()) {
        out.put(s + " " + f.name(), (long) f.offset());
      }
      for (FieldRef r : RandomEvents.leaves(ev)) {
        out.put(s + " " + r.pathText(), (long) r.offset());
      }
    }
    return out;
  }

  static String program(Path header, Iterable<String> keys, List<EventLayout> events) {
    StringBuilder c = new StringBuilder();
    c.append("#include <stdio.h>\n#include \"").append(header.getFileName()).append("\"\n");
    c.append("int main(void) {\n");
    for (String k : keys) {
      String[] parts = k.split(" ", 2);
      String type = "struct " + parts[0];
      String expr = parts[1].equals("size") ? "sizeof(" + type + ")"
          : parts[1].equals("align") ? "_Alignof(" + type + ")"
          : "__builtin_offsetof(" + type + ", " + parts[1] + ")";
      c.append("  printf(\"%s %lu\\n\", \"").append(k).append("\", (unsigned long) ")
          .append(expr).append(");\n");
    }
    return c.append("  return 0;\n}\n").toString();
  }

  static Map<String, Long> parse(String out) {
    Map<String, Long> m = new LinkedHashMap<>();
    for (String line : out.split("\n")) {
      int sp = line.lastIndexOf(' ');
      m.put(line.substring(0, sp), Long.parseLong(line.substring(sp + 1)));
    }
    return m;
  }
}
