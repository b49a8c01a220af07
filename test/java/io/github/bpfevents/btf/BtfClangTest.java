package io.github.bpfevents.btf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfevents.Examples;
import io.github.bpfevents.cheader.CHeader;
import io.github.bpfevents.check.RandomC;
import io.github.bpfevents.check.RandomEvents;
import io.github.bpfevents.check.Tools;
import io.github.bpfevents.definition.DefinitionWriter;
import io.github.bpfevents.definition.EventFile;
import io.github.bpfevents.definition.EventFileReader;
import io.github.bpfevents.layout.CNames;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.Field;
import io.github.bpfevents.layout.FieldSpec;
import io.github.bpfevents.layout.FieldType;
import io.github.bpfevents.layout.LayoutEngine;
import io.github.bpfevents.layout.Packing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BTF as clang-19 writes it into {@code -g -target bpf} objects, read by this library's
 * ELF and BTF readers: objects compiled from the project's own headers pass the check;
 * objects compiled from C where two fields were swapped, resized or re-signed fail naming
 * those fields; random C structs import to events that lay out exactly as the compiler
 * lays the structs out.
 */
@Tag("cc")
class BtfClangTest {
  @TempDir Path dir;
  private Path clang;

  @BeforeEach
  void findClang() {
    clang = Tools.find("clang-19", "/usr/lib/llvm-19/bin/clang");
    if (clang == null) {
      Tools.unavailable("clang-19 not found (apt-get install clang-19)");
    }
  }

  /** Compiles C for the BPF target with BTF; returns the object. */
  Path object(String name, String source) throws IOException {
    Path c = dir.resolve(name + ".c");
    Files.writeString(c, source);
    Path o = dir.resolve(name + ".o");
    Tools.Result r = Tools.run(new byte[0], List.of(clang.toString(), "-g", "-O2", "-target",
        "bpf", "-I/usr/include/x86_64-linux-gnu", "-I" + dir, "-c", "-o", o.toString(),
        c.toString()));
    assertEquals(0, r.exit, "clang-19 -target bpf rejected " + c + ":\n" + r.err);
    return o;
  }

  /** The header of events and a global of each struct, so that clang writes their BTF. */
  static String withGlobals(String header, List<EventLayout> events) {
    StringBuilder b = new StringBuilder(header);
    for (EventLayout e : events) {
      String s = CNames.identifier(e.name(), "event");
      b.append("struct ").append(s).append(' ').append(s).append("_var;\n");
    }
    return b.toString();
  }

  @Test
  void objectsOfTheProjectsHeadersPassTheCheck() throws IOException {
    Random rnd = new Random(20261111);
    int events = 0;
    int fields = 0;
    for (int b = 0; b < 10; b++) {
      List<EventLayout> batch = new ArrayList<>();
      if (b == 0) {
        batch.addAll(List.of(Examples.CONNECTION_EVENT, Examples.FLOW_EVENT));
      }
      for (int i = 0; i < 100; i++) {
        batch.add(RandomEvents.event(rnd, "Gen" + b + "x" + i, 3));
      }
      Path o = object("h" + b, withGlobals(CHeader.emit(batch), batch));
      Btf btf = BtfReader.read(o);
      for (EventLayout e : batch) {
        assertEquals(List.of(), BtfChecker.check(e, btf), e.name());
        events++;
        fields += e.fields().size();
      }
    }
    System.out.println("[cc] " + events + " events (" + fields + " fields, nested and"
        + " packed too) checked against the BTF of clang-19 objects compiled from their own"
        + " C headers: no mismatch");
  }

  private static final Pattern MEMBER =
      Pattern.compile("\t(__[us])(\\d+) ([a-z0-9_]+)(\\[\\d+\\])?;");

  /** An event of 2 to 8 integer fields of random types and counts. */
  static EventLayout integers(Random rnd, String name, Packing packing) {
    FieldType[] ints = {FieldType.U8, FieldType.I8, FieldType.U16, FieldType.I16,
        FieldType.U32, FieldType.I32, FieldType.U64, FieldType.I64};
    List<FieldSpec> specs = new ArrayList<>();
    int n = 2 + rnd.nextInt(7);
    for (int i = 0; i < n; i++) {
      specs.add(FieldSpec.of("f" + i, ints[rnd.nextInt(ints.length)],
          rnd.nextInt(4) == 0 ? 2 + rnd.nextInt(3) : 1));
    }
    return LayoutEngine.layout(name, specs, packing);
  }

  @Test
  void objectsOfAlteredCFailNamingTheAlteredFields() throws IOException {
    Random rnd = new Random(77);
    int[] cases = new int[3];
    for (int b = 0; b < 3; b++) {
      List<EventLayout> batch = new ArrayList<>();
      List<String> kinds = new ArrayList<>();
      List<int[]> picks = new ArrayList<>();
      StringBuilder source = new StringBuilder("#include <linux/types.h>\n");
      for (int i = 0; i < 60; i++) {
        // swapped fields both move when fields lie back to back; with natural alignment
        // a swapped field may land where it was, so swaps are checked in packed events
        String kind = List.of("swap", "resize", "re-sign").get(i % 3);
        kinds.add(kind);
        Packing packing = kind.equals("swap") || rnd.nextBoolean() ? Packing.PACKED
            : Packing.NATURAL;
        EventLayout e = integers(rnd, "Alt" + b + "x" + i, packing);
        batch.add(e);
        int a = rnd.nextInt(e.fields().size());
        int c = (a + 1 + rnd.nextInt(e.fields().size() - 1)) % e.fields().size();
        picks.add(new int[] {a, c});
        String header = CHeader.emit(List.of(e), "ALT_" + b + "_" + i);
        String struct = header.substring(header.indexOf("struct "),
            header.indexOf("_Static_assert"));
        source.append(alter(struct, kind, a, c));
      }
      Btf btf = BtfReader.read(object("alt" + b, withGlobals(source.toString(), batch)));
      for (int i = 0; i < batch.size(); i++) {
        EventLayout e = batch.get(i);
        String a = e.fields().get(picks.get(i)[0]).name();
        String c = e.fields().get(picks.get(i)[1]).name();
        List<BtfMismatch> found = BtfChecker.check(e, btf);
        String why = kinds.get(i) + " " + a + " " + c + ": " + found;
        switch (kinds.get(i)) {
          case "swap" -> {
            assertTrue(has(found, a, "offset") && has(found, c, "offset"), why);
            cases[0]++;
          }
          case "resize" -> {
            assertEquals(Set.of(a, c), fields(found, "size"), why);
            cases[1]++;
          }
          default -> {
            assertEquals(List.of(new BtfMismatch(List.of(a), CNames.convert(e.name()),
                "signedness", signedness(e, a), flip(signedness(e, a))),
                new BtfMismatch(List.of(c), CNames.convert(e.name()), "signedness",
                    signedness(e, c), flip(signedness(e, c)))).stream()
                    .sorted((x, y) -> x.path().get(0).compareTo(y.path().get(0))).toList(),
                found.stream().sorted((x, y) -> x.path().get(0).compareTo(y.path().get(0)))
                    .toList(), why);
            cases[2]++;
          }
        }
      }
    }
    System.out.println("[cc] clang-19 objects of altered C: " + cases[0] + " with two fields"
        + " swapped, " + cases[1] + " with two resized, " + cases[2] + " with two re-signed;"
        + " each check names the two fields");
  }

  private static String signedness(EventLayout e, String field) {
    return e.field(field).type().signed() ? "signed" : "unsigned";
  }

  private static String flip(String s) {
    return s.equals("signed") ? "unsigned" : "signed";
  }

  private static boolean has(List<BtfMismatch> found, String field, String aspect) {
    return found.stream().anyMatch(m -> m.path().equals(List.of(field))
        && m.aspect().equals(aspect));
  }

  private static Set<String> fields(List<BtfMismatch> found, String aspect) {
    Set<String> out = new HashSet<>();
    for (BtfMismatch m : found) {
      if (m.aspect().equals(aspect) && !m.path().isEmpty()) {
        out.add(m.path().get(0));
      }
    }
    return out;
  }

  /** The struct's text with members a and c swapped, resized or re-signed. */
  static String alter(String struct, String kind, int a, int c) {
    List<String> lines = new ArrayList<>(List.of(struct.split("\n", -1)));
    int first = 1;
    int la = first + a;
    int lc = first + c;
    switch (kind) {
      case "swap" -> {
        String t = lines.get(la);
        lines.set(la, lines.get(lc));
        lines.set(lc, t);
      }
      case "resize" -> {
        lines.set(la, member(lines.get(la), true));
        lines.set(lc, member(lines.get(lc), true));
      }
      default -> {
        lines.set(la, member(lines.get(la), false));
        lines.set(lc, member(lines.get(lc), false));
      }
    }
    return String.join("\n", lines);
  }

  /** A member line resized (8 -> 16 -> 32 -> 64 -> 32 bits) or with its sign flipped. */
  private static String member(String line, boolean resize) {
    Matcher m = MEMBER.matcher(line);
    assertTrue(m.matches(), line);
    int bits = Integer.parseInt(m.group(2));
    String sign = m.group(1);
    if (resize) {
      bits = bits == 64 ? 32 : bits * 2;
    } else {
      sign = sign.equals("__u") ? "__s" : "__u";
    }
    return "\t" + sign + bits + " " + m.group(3) + (m.group(4) == null ? "" : m.group(4))
        + ";";
  }

  @Test
  void randomCStructsImportToEventsLaidOutAsTheCompilerLaysThemOut() throws IOException {
    Path gcc = Tools.find("gcc");
    Path host = gcc != null ? gcc : clang;
    Random rnd = new Random(424242);
    int structs = 0;
    int numbers = 0;
    int packed = 0;
    for (int b = 0; b < 6; b++) {
      RandomC.Unit unit = RandomC.generate(rnd, "rc" + b + "_", 100);
      Path unitFile = dir.resolve("rc" + b + ".h");
      Files.writeString(unitFile, unit.source());
      Btf btf = BtfReader.read(object("rc" + b, "#include \"rc" + b + ".h\"\n"));
      Path program = dir.resolve("rc" + b + "-layout.c");
      Files.writeString(program, RandomC.layoutProgram(unit, unitFile.getFileName()
          .toString()));
      Path exe = dir.resolve("rc" + b + "-layout");
      Tools.Result cc = Tools.run(new byte[0], List.of(host.toString(), "-o", exe.toString(),
          program.toString()));
      assertEquals(0, cc.exit, cc.err);
      Tools.Result ran = Tools.run(new byte[0], List.of(exe.toString()));
      assertEquals(0, ran.exit, ran.err);
      Map<String, Long> compiler = RandomC.parse(ran.out);

      List<EventLayout> imported = BtfImporter.events(btf, unit.structs());
      // as the tool writes them and reads them back: the definitions, evaluated
      String text = DefinitionWriter.eventFile(imported, "rc" + b);
      EventFile file = EventFileReader.read("rc" + b + ".clj",
          text.getBytes(StandardCharsets.UTF_8));
      for (String s : unit.structs()) {
        EventLayout e = file.event(s);
        assertEquals(compiler.get(s + " size"), (long) e.size(), s);
        for (String m : unit.members().get(s)) {
          Field f = e.field(m);
          assertEquals(compiler.get(s + " " + m + " offset"), (long) f.offset(), s + "." + m);
          assertEquals(compiler.get(s + " " + m + " size"), (long) f.size(), s + "." + m);
        }
        assertEquals(List.of(), BtfChecker.check(e, btf), s);
        packed += e.packing() == Packing.PACKED ? 1 : 0;
        structs++;
      }
      numbers += compiler.size();
    }
    assertTrue(packed > 50, "packed structs are among them: " + packed);
    System.out.println("[cc] " + structs + " random C structs (" + packed + " packed) imported"
        + " from clang-19 objects: " + numbers + " sizes and offsets as " + host.getFileName()
        + " lays them out");
  }
}
