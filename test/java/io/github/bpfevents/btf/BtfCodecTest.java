package io.github.bpfevents.btf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfevents.check.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sealed model and its one codec: every kind {@code linux/btf.h} defines reads to its
 * record and writes back to the same bytes, for records made here, for the BTF clang-19
 * writes into an object that uses every kind, and for the running kernel's vmlinux.
 */
class BtfCodecTest {
  @TempDir Path dir;

  /** One record of every kind, with the kind flags and vlens each kind has. */
  static List<BtfType> everyKind() {
    return List.of(
        BtfType.integer("int", 4, BtfType.INT_SIGNED),                              // 1
        new BtfType.Ptr(1),                                                         // 2
        new BtfType.Array(1, 1, 7),                                                 // 3
        new BtfType.Struct("s", 8, false, List.of(new BtfType.Member("a", 1, 0, 0),
            new BtfType.Member("b", 2, 32, 0))),                                    // 4
        new BtfType.Union("u", 4, true, List.of(new BtfType.Member("x", 1, 0, 3),
            new BtfType.Member("y", 1, 3, 5), new BtfType.Member("", 4, 0, 0))),     // 5
        new BtfType.Enum("e", 4, true, List.of(new BtfType.Enumerator("A", -1),
            new BtfType.Enumerator("B", 7))),                                       // 6
        new BtfType.Fwd("later", true),                                             // 7
        new BtfType.Typedef("int_t", 1),                                            // 8
        new BtfType.Volatile(1),                                                    // 9
        new BtfType.Const(9),                                                       // 10
        new BtfType.Restrict(2),                                                    // 11
        new BtfType.Func("f", 13, 1),                                               // 12
        new BtfType.FuncProto(1, List.of(new BtfType.Param("p", 2),
            new BtfType.Param("", 0))),                                             // 13
        new BtfType.Var("v", 1, 1),                                                 // 14
        new BtfType.Datasec(".data", 4, List.of(new BtfType.SecInfo(14, 0, 4))),    // 15
        new BtfType.Float("double", 8),                                             // 16
        new BtfType.DeclTag("tag", 4, 1, false),                                    // 17
        new BtfType.TypeTag("user", 1, true),                                       // 18
        new BtfType.Enum64("e64", 8, false, List.of(new BtfType.Enumerator("BIG",
            0xfedcba9876543210L))),                                                 // 19
        new BtfType.Enum("ue", 4, false, List.of(new BtfType.Enumerator("U",
            0xffffffffL))));                                                        // 20
  }

  @Test
  void everyKindReadsToItsRecordAndWritesBackItsBytes() {
    List<BtfType> types = everyKind();
    EnumSet<BtfKind> kinds = EnumSet.noneOf(BtfKind.class);
    types.forEach(t -> kinds.add(t.kind()));
    assertEquals(EnumSet.allOf(BtfKind.class), kinds, "every kind of linux/btf.h");
    byte[] blob = BtfWriter.encode(types);
    Btf read = BtfReader.read(blob, "all");
    assertEquals(types, read.types());
    assertArrayEquals(blob, read.encode());
    assertArrayEquals(blob, BtfWriter.encode(read.types()));
    // the wire words, by hand: the union's kind flag, a bitfield's size in the top byte
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(blob)
        .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    int union = 24 + 16 + 12 + 24 + (12 + 24);
    assertEquals(0x85000003, b.getInt(union + 4), "UNION, kind flag, vlen 3");
    assertEquals(5 << 24 | 3, b.getInt(union + 12 + 12 + 8), "y: 5 bits at bit 3");
  }

  @Test
  void theRunningKernelsVmlinuxWritesBackByteForByte() throws IOException {
    Path vmlinux = Path.of("/sys/kernel/btf/vmlinux");
    if (!Files.isReadable(vmlinux)) {
      Tools.unavailable("no /sys/kernel/btf/vmlinux here");
    }
    byte[] bytes = Files.readAllBytes(vmlinux);
    Btf btf = BtfReader.read(vmlinux);
    assertArrayEquals(bytes, btf.encode());
    assertArrayEquals(bytes, BtfWriter.encode(btf.types(),
        BtfStrings.extending(btf.strings())), "pahole writes each name once");
    Map<BtfKind, Integer> counts = new EnumMap<>(BtfKind.class);
    for (BtfType t : btf.types()) {
      counts.merge(t.kind(), 1, Integer::sum);
    }
    System.out.println("[kernel] vmlinux (" + bytes.length + " bytes, " + btf.count()
        + " types: " + counts + ") decodes to records that encode to the same bytes");
  }

  /** C that makes clang-19 write every kind of BTF record. */
  static final String EVERY_KIND_C = """
      #define __tag(x) __attribute__((btf_decl_tag(x)))
      #define __user __attribute__((btf_type_tag("user")))
      struct later;
      typedef unsigned int u32_t;
      enum small { S_A = -1, S_B = 2 };
      enum big { B_A = 1ULL << 40 };
      struct flags { unsigned char fin:1, syn:1, rst:3; int whole; };
      union addr { unsigned int v4; unsigned char v6[16]; };
      struct all {
        volatile int v;
        const char *name;
        int __user *up;
        struct later *fwd;
        double d;
        enum small e;
        enum big b;
        struct flags f;
        union addr a __tag("address");
        u32_t arr[2][3];
        struct { int inner; } anon;
      } __tag("record");
      struct all g_all;
      int g_counter = 3;
      int sum(int *restrict p, int n) __tag("fn");
      int sum(int *restrict p, int n) { return p[0] + n; }
      """;

  @Test
  void clangsBtfOfEveryKindWritesBackByteForByte() throws IOException {
    Path clang = Tools.find("clang-19", "/usr/lib/llvm-19/bin/clang");
    if (clang == null) {
      Tools.unavailable("clang-19 not found (apt-get install clang-19)");
    }
    Path c = dir.resolve("all.c");
    Files.writeString(c, EVERY_KIND_C);
    Path o = dir.resolve("all.o");
    Tools.Result r = Tools.run(new byte[0], List.of(clang.toString(), "-g", "-O2", "-target",
        "bpf", "-c", "-o", o.toString(), c.toString()));
    assertEquals(0, r.exit, r.err);
    byte[] section = Elf.section(Files.readAllBytes(o), ".BTF", "all.o");
    Btf btf = BtfReader.read(o);
    assertArrayEquals(section, btf.encode());
    assertArrayEquals(section, BtfWriter.encode(btf.types(),
        BtfStrings.extending(btf.strings())), "clang writes each name once");
    EnumSet<BtfKind> kinds = EnumSet.noneOf(BtfKind.class);
    btf.types().forEach(t -> kinds.add(t.kind()));
    assertEquals(EnumSet.allOf(BtfKind.class), kinds, "clang-19 wrote every kind");
    BtfType.Struct flags = (BtfType.Struct) btf.type(btf.struct("flags"));
    assertTrue(flags.kindFlag());
    assertEquals(List.of(0L, 1L, 2L, 32L),
        flags.members().stream().map(BtfType.Member::bitOffset).toList());
    assertEquals(List.of(1, 1, 3, 0),
        flags.members().stream().map(BtfType.Member::bitfieldSize).toList());
  }
}
