package io.github.bpfevents.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.cheader.CHeader;
import io.github.bpfevents.check.RandomCTypes;
import io.github.bpfevents.check.Tools;
import io.github.bpfevents.layout.CNames;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.FieldRef;
import io.github.bpfevents.layout.FieldType;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records filled by C, decoded by the project. For 600 generated definitions of the whole
 * C type model (unions, anonymous members, bitfields of every width, signed and unsigned,
 * enums, arrays, nesting, packed and natural), a C program compiled by gcc fills a zeroed
 * struct through its members with random values, prints its bytes, and prints what C
 * reads back from every member (a union's members all read the same bytes). The decoder
 * must give, for every member, the value C read (an enum field's enumerator name standing
 * for its value), and {@link FieldHandle#bits} must read each bitfield and integer the
 * same. Encoding the decoded record gives C's bytes back, except where a union's members
 * overlap, which the encoder refuses.
 */
@Tag("cc")
class CRoundTripTest {
  private static final int EVENTS = 600;
  private static final int BATCH = 100;

  @TempDir Path dir;

  /** A member C can assign and read: a scalar, or one element of a scalar array. */
  private record Leaf(FieldRef ref, List<Object> path, String cPath) {}

  @Test
  void whatCWritesDecodesToWhatCReads() throws IOException {
    Path gcc = Tools.find("gcc");
    if (gcc == null) {
      Tools.unavailable("gcc not found (apt-get install gcc)");
    }
    RandomCTypes gen = new RandomCTypes(new Random(17_2026_12_04L));
    Random values = new Random(4);
    int members = 0;
    int bitfields = 0;
    int wide = 0;
    int unions = 0;
    int encoded = 0;
    int refused = 0;
    for (int b = 0; b < EVENTS / BATCH; b++) {
      List<EventLayout> events = new ArrayList<>();
      Map<String, List<Leaf>> leaves = new LinkedHashMap<>();
      for (int i = 0; i < BATCH; i++) {
        EventLayout ev = gen.event("rt" + (b * BATCH + i), 2);
        events.add(ev);
        leaves.put(ev.name(), leaves(ev));
      }
      Path header = dir.resolve("rt" + b + ".h");
      Files.writeString(header, CHeader.emit(events, "RT_" + b + "_H"));
      Path program = dir.resolve("rt" + b + ".c");
      Files.writeString(program, program(header, events, leaves, values));
      Path exe = dir.resolve("rt" + b);
      Tools.Result cc = Tools.run(new byte[0], List.of(gcc.toString(), "-std=gnu11", "-O0",
          "-w", "-fno-strict-aliasing", "-o", exe.toString(), program.toString()));
      assertEquals(0, cc.exit, cc.err);
      Tools.Result ran = Tools.run(new byte[0], List.of(exe.toString()));
      assertEquals(0, ran.exit, ran.err);
      Map<String, String> out = new LinkedHashMap<>();
      for (String line : ran.out.split("\n")) {
        int sp = line.lastIndexOf(' ');
        out.put(line.substring(0, sp), line.substring(sp + 1));
      }
      for (EventLayout ev : events) {
        String s = CNames.identifier(ev.name(), "event");
        byte[] bytes = HexFormat.of().parseHex(out.get(s + " bytes"));
        Map<String, Object> decoded = EventDecoder.decode(ev, ByteBuffer.wrap(bytes), 0);
        EventView view = EventView.of(ev).wrap(ByteBuffer.wrap(bytes), 0);
        for (Leaf leaf : leaves.get(ev.name())) {
          String c = out.get(s + " " + leaf.cPath());
          BigInteger cRead = c.startsWith("x") ? wide(c.substring(1), leaf.ref().type())
              : new BigInteger(c);
          Object ours = at(decoded, leaf.path());
          if (ours instanceof String name && leaf.ref().enumType() != null) {
            ours = leaf.ref().enumType().values().get(name);
          }
          BigInteger got = ours instanceof BigInteger big ? big
              : BigInteger.valueOf(((Number) ours).longValue());
          if (!cRead.equals(got)) {
            fail(ev.name() + " " + leaf.cPath() + ": C reads " + cRead + ", decoded " + ours
                + "\n" + CHeader.emit(List.of(ev)));
          }
          FieldRef r = leaf.ref();
          if (r.type().size() > 8 && r.isBitfield()) {
            // a bitfield of a 128-bit type: the handle gives the low 64 bits of C's value
            long bits = view.handle(leaf.path()).bits(ByteBuffer.wrap(bytes), 0);
            if (bits != cRead.longValue()) {
              fail(ev.name() + " " + leaf.cPath() + ": C reads " + cRead + ", handle "
                  + bits);
            }
            wide++;
          } else if (r.type().size() > 8) {
            FieldHandle h = view.handle(leaf.path());
            BigInteger viaHandle = r.type().signed() ? h.i128(ByteBuffer.wrap(bytes), 0)
                : h.u128(ByteBuffer.wrap(bytes), 0);
            if (!viaHandle.equals(cRead)) {
              fail(ev.name() + " " + leaf.cPath() + ": C reads " + cRead + ", handle "
                  + viaHandle);
            }
            wide++;
          } else if (r.isBitfield() || r.count() == 1) {
            FieldHandle h = view.handle(leaf.path());
            long bits = h.bits(ByteBuffer.wrap(bytes), 0);
            BigInteger viaHandle = r.type().bigEndian() ? null : BigInteger.valueOf(bits);
            if (viaHandle != null && !r.type().signed() && bits < 0) {
              viaHandle = viaHandle.add(BigInteger.ONE.shiftLeft(64));
            }
            if (viaHandle != null && !viaHandle.equals(cRead)) {
              fail(ev.name() + " " + leaf.cPath() + ": C reads " + cRead + ", handle "
                  + viaHandle);
            }
          }
          members++;
          if (r.isBitfield()) {
            bitfields++;
          }
        }
        if (ev.isUnion()) {
          unions++;
        }
        if (overlaps(ev)) {
          try {
            byte[] again = EventEncoder.encode(ev, decoded);
            // only members of no bytes overlap (empty structs): C's bytes come back
            assertArrayEquals(bytes, again, ev.name());
            encoded++;
          } catch (BpfEventsException e) {
            // a union's members overlap; or, first, a char array of a union that holds
            // another member's bytes, which are no text
            assertTrue(e.problem().equals("overlapping-fields")
                || e.problem().equals("bad-value") && e.getMessage().contains("string"),
                e.getMessage());
            refused++;
          }
        } else {
          assertArrayEquals(bytes, EventEncoder.encode(ev, decoded), ev.name());
          encoded++;
        }
      }
    }
    assertTrue(bitfields > 1000 && unions > 50 && refused > 50 && wide > 100,
        bitfields + " bitfields, " + unions + " unions, " + refused + " refused, " + wide
            + " 128-bit members");
    System.out.println("[c] " + EVENTS + " generated definitions of the C type model filled"
        + " by gcc: " + members + " members (" + bitfields + " bitfields, " + wide
        + " 128-bit integers) decode to what C"
        + " reads, through the decoder and the field handles; " + encoded + " records"
        + " encode back to C's bytes, " + refused + " with overlapping union members"
        + " refused");
  }

  /** Whether the event reaches two members that share a bit. */
  private static boolean overlaps(EventLayout ev) {
    List<long[]> spans = new ArrayList<>();
    for (String n : ev.fieldNames()) {
      FieldRef r = ev.resolve(List.of(n));
      long size = r.isBitfield() ? r.bits() : 8L * r.size();
      if (size > 0) {
        spans.add(new long[] {r.bitOffset(), r.bitOffset() + size});
      }
      if (r.isNested() && r.count() >= 1) {
        // a nested event's own members may overlap too
        if (overlaps(r.nested())) {
          return true;
        }
      }
    }
    spans.sort((x, y) -> Long.compare(x[0], y[0]));
    long end = 0;
    for (long[] s : spans) {
      if (s[0] < end) {
        return true;
      }
      end = Math.max(end, s[1]);
    }
    return false;
  }

  private static Object at(Map<String, Object> decoded, List<Object> path) {
    Object v = decoded;
    for (Object step : path) {
      v = step instanceof String s ? ((Map<?, ?>) v).get(s) : ((List<?>) v).get((Integer) step);
    }
    return v;
  }

  private static List<Leaf> leaves(EventLayout ev) {
    List<Leaf> out = new ArrayList<>();
    for (RandomCTypes.Place p : RandomCTypes.places(ev)) {
      FieldRef r = p.ref();
      if (r.isNested() || r.count() == 0 || r.type() == FieldType.CHAR) {
        continue;
      }
      if (r.isBitfield() || r.count() == 1) {
        out.add(new Leaf(r, r.path(), p.cPath()));
      } else {
        for (int k = 0; k < r.count(); k++) {
          List<Object> path = new ArrayList<>(r.path());
          path.add(k);
          out.add(new Leaf(ev.resolve(path), path, p.cPath() + "[" + k + "]"));
        }
      }
    }
    return out;
  }

  private static String program(Path header, List<EventLayout> events,
      Map<String, List<Leaf>> leaves, Random values) {
    int max = 1;
    for (EventLayout e : events) {
      max = Math.max(max, e.size());
    }
    StringBuilder c = new StringBuilder();
    c.append("#include <stdio.h>\n#include <string.h>\n#include \"")
        .append(header.getFileName()).append("\"\n");
    c.append("static unsigned char buf[").append(max)
        .append("] __attribute__((aligned(64)));\n");
    c.append("int main(void) {\n");
    for (EventLayout e : events) {
      String s = CNames.identifier(e.name(), "event");
      String v = "((" + e.kind().kindName() + " " + s + " *) buf)->";
      c.append("  memset(buf, 0, sizeof buf);\n");
      for (Leaf leaf : leaves.get(e.name())) {
        c.append("  ").append(v).append(leaf.cPath()).append(" = ")
            .append(value(leaf.ref(), values)).append(";\n");
      }
      c.append("  printf(\"").append(s).append(" bytes \");\n");
      c.append("  for (unsigned long i = 0; i < sizeof(").append(e.kind().kindName())
          .append(' ').append(s).append("); i++) printf(\"%02x\", buf[i]);\n");
      c.append("  printf(\"\\n\");\n");
      for (Leaf leaf : leaves.get(e.name())) {
        FieldType t = leaf.ref().type();
        String read = v + leaf.cPath();
        if (t.bigEndian()) {
          read = "__builtin_bswap" + 8 * t.size() + "(" + read + ")";
        }
        boolean signed = t.signed();
        if (t.size() > 8) {
          // printf has no 128-bit conversion: the high and the low 64 bits, in hex
          c.append("  printf(\"").append(s).append(' ').append(leaf.cPath())
              .append(" x%016llx%016llx\\n\", (unsigned long long) ((unsigned __int128) ")
              .append(read).append(" >> 64), (unsigned long long) ").append(read)
              .append(");\n");
          continue;
        }
        c.append("  printf(\"").append(s).append(' ').append(leaf.cPath())
            .append(signed ? " %lld\\n\", (long long) " : " %llu\\n\", (unsigned long long) ")
            .append(read).append(");\n");
      }
    }
    return c.append("  return 0;\n}\n").toString();
  }

  /** The value of 32 hex digits C printed for a 128-bit member. */
  private static BigInteger wide(String hex, FieldType t) {
    BigInteger v = new BigInteger(hex, 16);
    return t.signed() && v.testBit(127) ? v.subtract(BigInteger.ONE.shiftLeft(128)) : v;
  }

  /** A random value for C to assign: any bits (C keeps what fits the member). */
  private static String value(FieldRef r, Random rnd) {
    if (r.type().size() > 8) {
      long hi = rnd.nextInt(4) == 0 ? rnd.nextInt(3) - 1 : rnd.nextLong();
      return "(" + r.type().cType() + ") (((unsigned __int128) " + Long.toUnsignedString(hi)
          + "ULL << 64) | " + Long.toUnsignedString(rnd.nextLong()) + "ULL)";
    }
    long bits = rnd.nextLong();
    if (r.enumType() != null && rnd.nextBoolean()) {
      List<BigInteger> vs = new ArrayList<>(r.enumType().values().values());
      bits = vs.get(rnd.nextInt(vs.size())).longValue();
    } else if (rnd.nextInt(4) == 0) {
      bits = rnd.nextInt(5) - 2;
    }
    return "(" + (r.type().signed() ? "long long" : "unsigned long long") + ") "
        + Long.toUnsignedString(bits) + "ULL";
  }
}
