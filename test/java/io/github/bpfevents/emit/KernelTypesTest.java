package io.github.bpfevents.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.btf.Btf;
import io.github.bpfevents.btf.BtfReader;
import io.github.bpfevents.check.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kernel paths resolved over the BTF clang-19 writes, against the offsets gcc computes
 * ({@code offsetof}) for the same C: anonymous members reached by their own names,
 * qualifiers and typedefs passed, pointers followed (one hop each), bitfields refused, and
 * a missing member named with the struct's members listed.
 */
@Tag("cc")
class KernelTypesTest {
  private static final String C = String.join("\n",
      "struct inner { int a; long b; char name[12]; };",
      "typedef const volatile struct inner inner_t;",
      "struct outer {",
      "  char c;",
      "  union { int u1; struct { short x; struct inner *ip; }; };",
      "  inner_t in;",
      "  struct inner *p;",
      "  unsigned bf : 3;",
      "};",
      "");
  private static final String OFFSETS = String.join("\n",
      "#include <stddef.h>",
      "#include <stdio.h>",
      C,
      "int main(void) {",
      "  printf(\"%zu %zu %zu %zu %zu %zu %zu %zu\\n\", offsetof(struct outer, u1),",
      "    offsetof(struct outer, x), offsetof(struct outer, ip), offsetof(struct outer, in)",
      "    + offsetof(struct inner, b), offsetof(struct outer, p), offsetof(struct inner, b),",
      "    offsetof(struct inner, name), sizeof(((struct inner *)0)->name));",
      "  return 0;",
      "}",
      "");

  @TempDir Path dir;

  private Btf btf() throws IOException {
    Path clang = Tools.find("clang-19", "/usr/lib/llvm-19/bin/clang");
    if (clang == null) {
      Tools.unavailable("clang-19 not found (apt-get install clang-19)");
    }
    Path c = dir.resolve("outer.c");
    Files.writeString(c, C + "struct outer outer_var;\n");
    Path o = dir.resolve("outer.o");
    Tools.Result r = Tools.run(new byte[0], List.of(clang.toString(), "-g", "-O2", "-target",
        "bpf", "-c", "-o", o.toString(), c.toString()));
    assertEquals(0, r.exit, r.err);
    return BtfReader.read(o);
  }

  private long[] gccOffsets() throws IOException {
    Path gcc = Tools.find("gcc");
    if (gcc == null) {
      Tools.unavailable("gcc not found");
    }
    Path c = dir.resolve("offsets.c");
    Files.writeString(c, OFFSETS);
    Path exe = dir.resolve("offsets");
    Tools.Result r = Tools.run(new byte[0], List.of(gcc.toString(), "-o", exe.toString(),
        c.toString()));
    assertEquals(0, r.exit, r.err);
    Tools.Result out = Tools.run(new byte[0], List.of(exe.toString()));
    return Arrays.stream(out.out.trim().split(" ")).mapToLong(Long::parseLong).toArray();
  }

  private static KernelTypes.Resolved at(Btf btf, String... path) {
    return KernelTypes.resolve(btf, List.of(path));
  }

  @Test
  void offsetsAsTheCompilerLaysThemOut() throws IOException {
    Btf btf = btf();
    long[] gcc = gccOffsets();
    assertEquals(new KernelTypes.Resolved(List.of("outer", "u1"), List.of(), gcc[0], 4, "int"),
        at(btf, "outer", "u1"));
    assertEquals(gcc[1], at(btf, "outer", "x").offset());
    KernelTypes.Resolved ip = at(btf, "outer", "ip");
    assertEquals(List.of(gcc[2], 8L), List.of(ip.offset(), ip.size()));
    assertEquals(gcc[3], at(btf, "outer", "in", "b").offset(), "through const volatile typedef");
    KernelTypes.Resolved hop = at(btf, "outer", "p", "b");
    assertEquals(List.of(gcc[4]), hop.hops());
    assertEquals(gcc[5], hop.offset());
    KernelTypes.Resolved name = at(btf, "outer", "ip", "name");
    assertEquals(List.of(gcc[2]), name.hops());
    assertEquals(List.of(gcc[6], gcc[7]), List.of(name.offset(), name.size()));
  }

  @Test
  void whatCannotBeRead() throws IOException {
    Btf btf = btf();
    BpfEventsException e = assertThrows(BpfEventsException.class, () -> at(btf, "outer", "nope"));
    assertEquals("unknown-member", e.problem());
    assertEquals("kernel path outer.nope: struct outer has no member nope; expected one of"
        + " [c, u1, x, ip, in, p, bf]", e.getMessage());
    assertEquals("bad-kernel-path", assertThrows(BpfEventsException.class,
        () -> at(btf, "outer", "bf")).problem());
    assertEquals("bad-kernel-path", assertThrows(BpfEventsException.class,
        () -> at(btf, "outer", "c", "d")).problem());
    assertEquals("unknown-struct", assertThrows(BpfEventsException.class,
        () -> at(btf, "nothere", "x")).problem());
    assertEquals("bad-kernel-path", assertThrows(BpfEventsException.class,
        () -> at(btf, "outer")).problem());
  }
}
