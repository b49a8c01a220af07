package io.github.bpfevents.btf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfevents.check.Tools;
import io.github.bpfevents.codec.EventDecoder;
import io.github.bpfevents.layout.EventLayout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Round trip through C: gcc fills a struct (a union, an anonymous union and an anonymous
 * struct, bitfields signed and unsigned and of an enum, an enum, a zero-width bitfield)
 * through its members with random values and prints its bytes and what C reads back from
 * each member; clang-19 {@code -g -target bpf} writes the BTF of the same struct; the
 * definition imported from that BTF decodes the bytes to the values C reads.
 */
@Tag("cc")
class BtfCRoundTripTest {
  private static final String STRUCT = """
      enum kind { K_OPEN = 1, K_CLOSE = 2, K_NEG = -3 };
      struct flow {
        union { unsigned int v4; unsigned char v6[16]; } addr;
        union { unsigned int a32; unsigned short a16; };
        struct { unsigned char lo : 3, hi : 5; };
        unsigned short sport;
        unsigned char fin : 1, syn : 1, rst : 1, psh : 1, ack : 1, urg : 1, : 0;
        enum kind k;
        int sb : 5;
        unsigned long long wide : 40;
        enum kind ek : 4;
        signed char last;
        long long tail : 23;
      };
      """;
  private static final List<String> SCALARS = List.of("addr.v4", "a32", "a16", "lo", "hi",
      "sport", "fin", "syn", "rst", "psh", "ack", "urg", "k", "sb", "wide", "ek", "last",
      "tail");

  @TempDir Path dir;

  @Test
  void whatCWritesTheImportedDefinitionDecodesAsCReads() throws IOException {
    Path clang = Tools.find("clang-19", "/usr/lib/llvm-19/bin/clang");
    Path gcc = Tools.find("gcc");
    if (clang == null || gcc == null) {
      Tools.unavailable("clang-19 or gcc not found");
    }
    Path obj = dir.resolve("flow.o");
    Files.writeString(dir.resolve("flow.c"), STRUCT + "struct flow flow_var;\n");
    Tools.Result cc = Tools.run(new byte[0], List.of(clang.toString(), "-g", "-target", "bpf",
        "-c", "-o", obj.toString(), dir.resolve("flow.c").toString()));
    assertEquals(0, cc.exit, cc.err);
    List<EventLayout> imported = BtfImporter.events(BtfReader.read(obj), List.of("flow"));
    EventLayout flow = imported.get(imported.size() - 1);
    assertEquals(List.of(), BtfChecker.check(flow, BtfReader.read(obj), "flow"));
    Random rnd = new Random(20261203);
    int checked = 0;
    int enums = 0;
    for (int round = 0; round < 50; round++) {
      StringBuilder c = new StringBuilder(STRUCT).append("int main(void) {\n")
          .append("  static union { struct flow s; unsigned char b[sizeof(struct flow)]; } u;\n")
          .append("  __builtin_memset(&u, 0, sizeof u);\n");
      // the union's members overlap: write v6 first, then v4 over its first bytes
      for (int i = 0; i < 16; i++) {
        c.append("  u.s.addr.v6[").append(i).append("] = ").append(rnd.nextInt(256))
            .append(";\n");
      }
      for (String m : SCALARS) {
        if (m.equals("k") || m.equals("ek")) {
          c.append("  u.s.").append(m).append(" = ")
              .append(List.of("K_OPEN", "K_CLOSE", "K_NEG").get(rnd.nextInt(3))).append(";\n");
        } else if (!m.equals("a16") && !(m.equals("addr.v4") && rnd.nextBoolean())) {
          c.append("  u.s.").append(m).append(" = ").append(rnd.nextLong()).append("LL;\n");
        }
      }
      c.append("  for (unsigned long i = 0; i < sizeof u; i++)")
          .append(" __builtin_printf(\"%02x\", u.b[i]);\n  __builtin_printf(\"\\n\");\n");
      for (String m : SCALARS) {
        c.append("  __builtin_printf(\"").append(m).append(" %lld\\n\", (long long) u.s.")
            .append(m).append(");\n");
      }
      c.append("  return 0;\n}\n");
      Path source = dir.resolve("fill" + round + ".c");
      Files.writeString(source, c);
      Path exe = dir.resolve("fill" + round);
      Tools.Result built = Tools.run(new byte[0], List.of(gcc.toString(), "-w", "-o",
          exe.toString(), source.toString()));
      assertEquals(0, built.exit, built.err);
      Tools.Result ran = Tools.run(new byte[0], List.of(exe.toString()));
      assertEquals(0, ran.exit, ran.err);
      String[] lines = ran.out.strip().split("\n");
      byte[] bytes = new byte[lines[0].length() / 2];
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = (byte) Integer.parseInt(lines[0].substring(2 * i, 2 * i + 2), 16);
      }
      assertEquals(flow.size(), bytes.length, "sizeof(struct flow)");
      Map<String, Object> decoded = EventDecoder.decode(flow,
          ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN), 0);
      for (int i = 1; i < lines.length; i++) {
        String[] kv = lines[i].split(" ");
        Object v = decoded;
        for (String step : kv[0].split("\\.")) {
          v = ((Map<?, ?>) v).get(step);
        }
        if (!(v instanceof Number)) {
          // an enum field decodes to its constant's name: the value it names
          v = flow.field(kv[0]).enumType().values().get(String.valueOf(v));
          enums++;
        }
        assertEquals(Long.parseLong(kv[1]), ((Number) v).longValue(), kv[0] + " in round "
            + round + ": " + decoded);
        checked++;
      }
    }
    assertTrue(flow.field("syn").isBitfield() && flow.field("ek").isBitfield());
    assertEquals(List.of("k_open", "k_close", "k_neg"), flow.field("ek").enumType().names());
    assertTrue(enums >= 100, "enum readings: " + enums);
    System.out.println("[cc] round trip through C: 50 structs filled by gcc through their"
        + " members (a union, anonymous members, signed, unsigned and enum bitfields, an"
        + " enum); the definition imported from clang-19's BTF of the struct decodes " + checked
        + " member readings (" + enums + " of enums, by their constants) to the values C reads");
  }
}
