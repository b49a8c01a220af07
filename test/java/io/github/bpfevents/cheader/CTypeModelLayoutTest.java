package io.github.bpfevents.cheader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.bpfevents.check.RandomCTypes;
import io.github.bpfevents.check.Tools;
import io.github.bpfevents.layout.CNames;
import io.github.bpfevents.layout.EventKind;
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
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The layouts of the whole C type model against the C compilers. For 1,200 generated
 * definitions mixing structs and unions, packed and natural, anonymous members, bitfields
 * of every integer type and every width (signed, unnamed, zero-width), enums, arrays,
 * nested events, explicit alignment, pointers to structs and unions, flexible array
 * members, GNU zero-length arrays (mid-struct, in unions, alone), structs ending in a
 * flexible array wherever GNU C lets them stand, 128-bit integers, and empty structs, the
 * test writes the project's header and a C program that prints, for
 * each event, sizeof and _Alignof, the offsetof and sizeof of every member C can name
 * (through unions and anonymous members), and for every named bitfield the bytes of a
 * zeroed struct after C sets that bitfield to all ones: the bit positions the compiler
 * chose, not just a byte offset. Compiled with clang-19 and gcc and run, every line must
 * equal the project's layout; the header must also compile for {@code -target bpf},
 * where its static assertions are checked again.
 */
@Tag("cc")
class CTypeModelLayoutTest {
  private static final int EVENTS = 1200;
  private static final int BATCH = 100;

  @TempDir Path dir;

  @Test
  void compilersAgreeWithEveryOffsetSizeAndBit() throws IOException {
    Path clang = Tools.find("clang-19", "/usr/lib/llvm-19/bin/clang");
    if (clang == null) {
      Tools.unavailable("clang-19 not found (apt-get install clang-19)");
    }
    Path gcc = Tools.find("gcc");
    if (gcc == null) {
      Tools.unavailable("gcc not found (apt-get install gcc)");
    }
    RandomCTypes gen = new RandomCTypes(new Random(17_2026_12_03L));
    int numbers = 0;
    int bitfieldChecks = 0;
    Coverage seen = new Coverage();
    for (int b = 0; b < EVENTS / BATCH; b++) {
      List<EventLayout> events = new ArrayList<>();
      for (int i = 0; i < BATCH; i++) {
        EventLayout ev = gen.event("ct" + (b * BATCH + i), 2);
        events.add(ev);
        seen.add(ev);
      }
      Map<String, String> expected = expected(events);
      Path header = dir.resolve("types" + b + ".h");
      String text = CHeader.emit(events, "TYPES_" + b + "_H");
      Files.writeString(header, text);
      Path program = dir.resolve("types" + b + ".c");
      Files.writeString(program, program(header, expected.keySet(), events));
      for (Path cc : List.of(clang, gcc)) {
        Path exe = dir.resolve("types" + b + "-" + cc.getFileName());
        Tools.Result compiled = Tools.run(new byte[0], List.of(cc.toString(), "-std=gnu11",
            "-O0", "-fno-strict-aliasing", "-o", exe.toString(), program.toString()));
        if (compiled.exit != 0) {
          fail(cc + " rejected the header:\n" + first(compiled.err, 4000));
        }
        Tools.Result ran = Tools.run(new byte[0], List.of(exe.toString()));
        assertEquals(0, ran.exit, ran.err);
        Map<String, String> got = parse(ran.out);
        if (!expected.equals(got)) {
          fail(cc + " disagrees with the layout: " + differences(expected, got, events));
        }
      }
      Path bpfSource = dir.resolve("bpf" + b + ".c");
      Files.writeString(bpfSource, "#include \"" + header.getFileName() + "\"\n"
          + "int bpf_events_layout_check;\n");
      Tools.Result bpf = Tools.run(new byte[0], List.of(clang.toString(), "-target", "bpf",
          "-O2", "-I/usr/include/x86_64-linux-gnu", "-I" + dir, "-c", "-o",
          dir.resolve("bpf" + b + ".o").toString(), bpfSource.toString()));
      assertEquals(0, bpf.exit, "the header does not compile for the BPF target:\n"
          + first(bpf.err, 4000));
      numbers += expected.size();
      for (String k : expected.keySet()) {
        if (k.endsWith(" bits")) {
          bitfieldChecks++;
        }
      }
    }
    seen.check();
    System.out.println("[c] " + EVENTS + " generated definitions of the C type model ("
        + seen.summary() + "): " + numbers + " sizes, alignments, offsets and bit patterns,"
        + " of which " + bitfieldChecks + " bitfields set by C; clang-19, gcc and the BPF"
        + " target agree with the layouts, 0 disagreements");
  }

  /** What the definitions cover, and the check that they cover all it must. */
  private static final class Coverage {
    final Set<String> widths = new TreeSet<>();
    int unions;
    int anonymous;
    int zeroWidth;
    int packedBitfields;
    int enums;
    int arrays;
    int flexible;
    int zeroLengthMid;
    int zeroLengthInUnion;
    int zeroLengthAlone;
    int flexibleEndInside;
    int wide;
    int pointers;
    int aligned;
    int empty;

    void add(EventLayout e) {
      if (e.isUnion()) {
        unions++;
      }
      if (e.aligned() != 0) {
        aligned++;
      }
      if (e.fields().isEmpty()) {
        empty++;
      }
      for (Field f : e.fields()) {
        if (f.isBitfield()) {
          widths.add(f.type().typeName() + ":" + f.bits());
          if (f.bits() == 0) {
            zeroWidth++;
          }
          if (e.packing() == io.github.bpfevents.layout.Packing.PACKED) {
            packedBitfields++;
          }
        }
        if (f.isAnonymous()) {
          anonymous++;
        }
        if (f.enumType() != null) {
          enums++;
        }
        if (f.count() > 1) {
          arrays++;
        }
        if (f.type() != null && f.type().size() == 16) {
          wide++;
        }
        if (f.isFlexibleMember()) {
          flexible++;
        } else if (f.isFlexible()) {
          if (e.isUnion()) {
            zeroLengthInUnion++;
          } else if (e.fields().size() == 1) {
            zeroLengthAlone++;
          } else {
            zeroLengthMid++;
          }
        }
        if (f.isNested() && f.nested().endsFlexible() && (e.isUnion() || f.count() != 1
            || f != e.fields().get(e.fields().size() - 1))) {
          flexibleEndInside++;
        }
        if (f.spec().pointeeName() != null) {
          pointers++;
        }
        if (f.spec().aligned() != 0) {
          aligned++;
        }
        if (f.isNested()) {
          add(f.nested());
        }
      }
    }

    void check() {
      for (String t : List.of("u8", "i8", "u16", "i16", "u32", "i32", "u64", "i64")) {
        int max = 8 * io.github.bpfevents.layout.FieldType.named(t).size();
        for (int w = 0; w <= max; w++) {
          assertTrue(widths.contains(t + ":" + w), "a bitfield " + t + ":" + w
              + " was generated");
        }
      }
      assertTrue(unions > 100 && anonymous > 100 && zeroWidth > 100 && packedBitfields > 100
          && enums > 100 && arrays > 100 && flexible > 20 && pointers > 50 && aligned > 50
          && empty > 10 && zeroLengthMid > 20 && zeroLengthInUnion > 20 && zeroLengthAlone > 5
          && flexibleEndInside > 10 && wide > 50, summary());
    }

    String summary() {
      return unions + " unions, " + anonymous + " anonymous members, " + widths.size()
          + " bitfield types and widths, " + zeroWidth + " zero-width, " + packedBitfields
          + " in packed events, " + enums + " enums, " + arrays + " arrays, " + flexible
          + " flexible array members, " + zeroLengthMid + " zero-length arrays mid-struct, "
          + zeroLengthInUnion + " in unions, " + zeroLengthAlone + " alone, "
          + flexibleEndInside + " structs ending in a flexible array not at the end, " + wide
          + " 128-bit integers, "
          + pointers + " pointers, " + aligned + " aligned, " + empty
          + " empty";
    }
  }

  /**
   * Keys {@code ct3 size}, {@code ct3 f2.f7 offset}, {@code ct3 f4 bits}, with the
   * project's numbers (for bits: the bytes in hex).
   */
  static Map<String, String> expected(List<EventLayout> events) {
    Map<String, String> out = new LinkedHashMap<>();
    for (EventLayout ev : events) {
      String s = CNames.identifier(ev.name(), "event");
      out.put(s + " size", Long.toString(ev.size()));
      out.put(s + " align", Long.toString(ev.alignment()));
      for (RandomCTypes.Place p : RandomCTypes.places(ev)) {
        FieldRef r = p.ref();
        if (r.isBitfield()) {
          byte[] bytes = new byte[ev.size()];
          for (long bit = r.bitOffset(); bit < r.bitOffset() + r.bits(); bit++) {
            bytes[(int) (bit / 8)] |= (byte) (1 << (bit % 8));
          }
          out.put(s + " " + p.cPath() + " bits", hex(bytes));
        } else {
          out.put(s + " " + p.cPath() + " offset", Long.toString(r.offset()));
          if (r.count() != 0 || r.isNested()) {
            if (!flexibleArray(ev, r)) {
              out.put(s + " " + p.cPath() + " sizeof", Long.toString(r.size()));
            }
          }
        }
      }
    }
    return out;
  }

  /**
   * Whether the path names a flexible array member (whose sizeof C refuses); a GNU
   * zero-length array has a sizeof, 0.
   */
  private static boolean flexibleArray(EventLayout root, FieldRef r) {
    EventLayout in = root;
    Field f = null;
    for (Object step : r.path()) {
      if (step instanceof String n) {
        f = in.field(n);
        in = f.nested();
      }
    }
    return f != null && f.isFlexibleMember();
  }

  private static String hex(byte[] b) {
    StringBuilder s = new StringBuilder();
    for (byte x : b) {
      s.append(String.format("%02x", x & 0xff));
    }
    return s.toString();
  }

  static String program(Path header, Iterable<String> keys, List<EventLayout> events) {
    int max = 1;
    for (EventLayout e : events) {
      max = Math.max(max, e.size());
    }
    StringBuilder c = new StringBuilder();
    c.append("#include <stdio.h>\n#include <string.h>\n#include \"")
        .append(header.getFileName()).append("\"\n");
    c.append("static unsigned char buf[").append(max)
        .append("] __attribute__((aligned(64)));\n");
    c.append("static void hex(const char *k, unsigned long n) {\n")
        .append("  printf(\"%s \", k);\n")
        .append("  for (unsigned long i = 0; i < n; i++) printf(\"%02x\", buf[i]);\n")
        .append("  printf(\"\\n\");\n}\n");
    c.append("int main(void) {\n");
    Map<String, EventLayout> byName = new LinkedHashMap<>();
    for (EventLayout e : events) {
      byName.put(CNames.identifier(e.name(), "event"), e);
    }
    for (String k : keys) {
      String[] parts = k.split(" ");
      EventLayout e = byName.get(parts[0]);
      String type = (e.kind() == EventKind.UNION ? "union " : "struct ") + parts[0];
      if (parts[1].equals("size")) {
        print(c, k, "sizeof(" + type + ")");
      } else if (parts[1].equals("align")) {
        print(c, k, "_Alignof(" + type + ")");
      } else if (parts[2].equals("offset")) {
        print(c, k, "__builtin_offsetof(" + type + ", " + parts[1] + ")");
      } else if (parts[2].equals("sizeof")) {
        print(c, k, "sizeof(((" + type + " *) 0)->" + parts[1] + ")");
      } else {
        c.append("  memset(buf, 0, sizeof buf);\n");
        c.append("  ((").append(type).append(" *) buf)->").append(parts[1])
            .append(" = -1;\n");
        c.append("  hex(\"").append(k).append("\", sizeof(").append(type).append("));\n");
      }
    }
    return c.append("  return 0;\n}\n").toString();
  }

  private static void print(StringBuilder c, String key, String expr) {
    c.append("  printf(\"%s %lu\\n\", \"").append(key).append("\", (unsigned long) ")
        .append(expr).append(");\n");
  }

  static Map<String, String> parse(String out) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String line : out.split("\n")) {
      if (!line.isEmpty()) {
        int sp = line.lastIndexOf(' ');
        m.put(line.substring(0, sp), line.substring(sp + 1));
      }
    }
    return m;
  }

  private static String differences(Map<String, String> expected, Map<String, String> got,
      List<EventLayout> events) {
    StringBuilder b = new StringBuilder();
    int n = 0;
    Set<String> structs = new TreeSet<>();
    for (Map.Entry<String, String> e : expected.entrySet()) {
      String c = got.get(e.getKey());
      if (!e.getValue().equals(c)) {
        if (n++ < 10) {
          b.append("\n  ").append(e.getKey()).append(": layout ").append(e.getValue())
              .append(", C ").append(c);
        }
        structs.add(e.getKey().split(" ")[0]);
      }
    }
    b.append("\n").append(n).append(" disagreements in ").append(structs);
    for (EventLayout ev : events) {
      if (structs.contains(CNames.identifier(ev.name(), "event"))) {
        b.append("\n").append(first(CHeader.emit(List.of(ev)), 3000));
        break;
      }
    }
    return b.toString();
  }

  private static String first(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n) + "...";
  }
}
