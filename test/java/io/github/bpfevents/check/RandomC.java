package io.github.bpfevents.check;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generated C structs for the import checks: C's own integer names and the kernel's
 * {@code <linux/types.h>} ones, {@code __be*}, {@code _Bool}, an enumeration, pointers to
 * non-structs, arrays and arrays of arrays, structs nested by value and in arrays, some
 * structs {@code __attribute__((packed))}; and a C program that prints how the compiler
 * lays each of them out.
 */
public final class RandomC {
  private static final String[] SCALARS = {
      "char", "signed char", "unsigned char", "short", "unsigned short", "int",
      "unsigned int", "long", "unsigned long", "long long", "unsigned long long", "__u8",
      "__s8", "__u16", "__s16", "__u32", "__s32", "__u64", "__s64", "__be16", "__be32",
      "__be64", "_Bool", "void *", "char *", "const unsigned char *", "enum rc_color",
      "__le32", "__sum16"};

  private RandomC() {}

  /**
   * A translation unit of structs.
   *
   * @param source the C text: the structs, and a global of each (so that clang writes
   *     their types into the object's BTF)
   * @param structs the struct names, in declaration order
   * @param members each struct's member names, in declaration order
   */
  public record Unit(String source, List<String> structs, Map<String, List<String>> members) {}

  /**
   * Random structs, each nesting only structs declared before it.
   *
   * @param rnd the source of randomness
   * @param prefix the structs' name prefix ({@code rc0_} gives {@code rc0_s0}, ...)
   * @param count how many structs
   * @return the unit
   */
  public static Unit generate(Random rnd, String prefix, int count) {
    StringBuilder c = new StringBuilder();
    c.append("#include <linux/types.h>\n");
    c.append("#ifndef RC_COLOR\n#define RC_COLOR\nenum rc_color { RC_RED, RC_BLUE = 7 };\n")
        .append("#endif\n");
    List<String> structs = new ArrayList<>();
    Map<String, List<String>> members = new LinkedHashMap<>();
    for (int s = 0; s < count; s++) {
      String name = prefix + "s" + s;
      List<String> names = new ArrayList<>();
      c.append("struct ").append(name).append(" {\n");
      int n = 1 + rnd.nextInt(8);
      for (int m = 0; m < n; m++) {
        String member = "m" + m;
        names.add(member);
        String type;
        if (!structs.isEmpty() && rnd.nextInt(6) == 0) {
          type = "struct " + structs.get(rnd.nextInt(structs.size()));
        } else {
          type = SCALARS[rnd.nextInt(SCALARS.length)];
        }
        String dims = "";
        int shape = rnd.nextInt(6);
        if (shape == 0) {
          dims = "[" + (1 + rnd.nextInt(8)) + "]";
        } else if (shape == 1) {
          dims = "[" + (1 + rnd.nextInt(3)) + "][" + (1 + rnd.nextInt(3)) + "]";
        }
        c.append('\t').append(type).append(type.endsWith("*") ? "" : " ").append(member)
            .append(dims).append(";\n");
      }
      c.append(rnd.nextInt(4) == 0 ? "} __attribute__((packed));\n" : "};\n");
      c.append("struct ").append(name).append(' ').append(name).append("_var;\n");
      structs.add(name);
      members.put(name, Collections.unmodifiableList(names));
    }
    return new Unit(c.toString(), Collections.unmodifiableList(structs),
        Collections.unmodifiableMap(members));
  }

  /**
   * A C program that includes the unit's file and prints, one per line, {@code S size N},
   * and {@code S M offset N} and {@code S M size N} for each member M of each struct S.
   *
   * @param unit the unit
   * @param file the name under which the unit is included
   * @return the program's text
   */
  public static String layoutProgram(Unit unit, String file) {
    StringBuilder c = new StringBuilder("#include <stdio.h>\n#include \"" + file + "\"\n");
    c.append("int main(void) {\n");
    for (String s : unit.structs()) {
      line(c, s + " size", "sizeof(struct " + s + ")");
      for (String m : unit.members().get(s)) {
        line(c, s + " " + m + " offset", "__builtin_offsetof(struct " + s + ", " + m + ")");
        line(c, s + " " + m + " size", "sizeof(((struct " + s + " *) 0)->" + m + ")");
      }
    }
    return c.append("  return 0;\n}\n").toString();
  }

  private static void line(StringBuilder c, String key, String expr) {
    c.append("  printf(\"%s %lu\\n\", \"").append(key).append("\", (unsigned long) ")
        .append(expr).append(");\n");
  }

  /**
   * The output of {@link #layoutProgram}, as numbers by key.
   *
   * @param out the program's standard output
   * @return key to number
   */
  public static Map<String, Long> parse(String out) {
    Map<String, Long> m = new LinkedHashMap<>();
    for (String line : out.split("\n")) {
      if (!line.isEmpty()) {
        int sp = line.lastIndexOf(' ');
        m.put(line.substring(0, sp), Long.parseLong(line.substring(sp + 1)));
      }
    }
    return m;
  }
}
