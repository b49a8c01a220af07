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

  /**
   * The whole C type model: clang-19 compiles the C header of generated events for BPF
   * with {@code -g}, and the BTF clang writes of it has every struct and union of the
   * writer's with the same size, and every member with the same name, kind, bit offset and
   * bitfield width (clang places them from the C declarations, not from the writer's
   * numbers). bpftool prints each blob as C that clang compiles, and pahole reads it.
   */
  @Test
  void theWholeCTypeModelComesBackThroughBpftoolsCAndClang() throws IOException {
    Path bpftool = tool("bpftool");
    Path pahole = tool("pahole");
    Path clang = Tools.find("clang-19", "/usr/lib/llvm-19/bin/clang");
    if (clang == null) {
      Tools.unavailable("clang-19 not found (apt-get install clang-19)");
    }
    io.github.bpfevents.check.RandomCTypes gen =
        new io.github.bpfevents.check.RandomCTypes(new Random(20261204));
    int aggregates = 0;
    int members = 0;
    int bitfields = 0;
    for (int b = 0; b < 10; b++) {
      List<EventLayout> batch = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        batch.add(gen.event("C" + b + "x" + i, 3));
      }
      List<BtfType> ours = BtfWriter.types(batch);
      Path blob = dir.resolve("m" + b + ".btf");
      Files.write(blob, BtfWriter.encode(ours));
      // clang's BTF of the C header: every struct and union
      String header = io.github.bpfevents.cheader.CHeader.emit(batch);
      Set<String> defined = structs(batch).keySet();
      List<BtfType> definedTypes = new ArrayList<>();
      for (BtfType t : ours) {
        if (defined.contains(t.name())) {
          definedTypes.add(t);
        }
      }
      Btf fromHeader = clangBtf(clang, "h" + b, header + globals(definedTypes));
      // bpftool's C of the blob compiles (its layouts are bpftool's guesses: BTF holds no
      // alignment, and bpftool v7.1 writes every enum as C's 4-byte one)
      Tools.Result dump = Tools.run(new byte[0], List.of(bpftool.toString(), "btf", "dump",
          "file", blob.toString(), "format", "c"));
      assertEquals(0, dump.exit, dump.err);
      clangBtf(clang, "d" + b, dump.out + globals(ours));
      Map<String, BtfType> headerTypes = byName(fromHeader);
      for (BtfType t : ours) {
        if (!(t instanceof BtfType.Struct || t instanceof BtfType.Union)
            || !defined.contains(t.name())) {
          continue;
        }
        String key = t.kind() + " " + t.name();
        BtfType h = headerTypes.get(key);
        assertTrue(h != null, key + " in clang's BTF of the header");
        members += sameMembers(t, ours, h, fromHeader, key + " (header)");
        for (BtfType.Member m : t.members()) {
          bitfields += m.bitfieldSize() > 0 ? 1 : 0;
        }
        aggregates++;
      }
      Tools.Result p = Tools.run(new byte[0], List.of(pahole.toString(), "-F", "btf",
          blob.toString()));
      assertEquals(0, p.exit, p.err);
    }
    assertTrue(bitfields > 1000, "bitfields among them: " + bitfields);
    System.out.println("[btf] the whole C type model: " + aggregates + " structs and unions"
        + " of 1000 generated events are in the writer's BTF as in clang-19's (-g -target"
        + " bpf) of their C header: the same size, " + members + " members (" + bitfields
        + " bitfields among them; anonymous members followed) at the same bit offsets and"
        + " widths; bpftool's C dump of each blob compiles with clang-19, and pahole reads"
        + " every blob");
  }

  private Btf clangBtf(Path clang, String name, String source) throws IOException {
    Path c = dir.resolve(name + ".c");
    Files.writeString(c, source);
    Path object = dir.resolve(name + ".o");
    Tools.Result cc = Tools.run(new byte[0], List.of(clang.toString(), "-g", "-target", "bpf",
        "-I/usr/include/x86_64-linux-gnu", "-c", "-o", object.toString(), c.toString()));
    assertEquals(0, cc.exit, name + ", compiled by clang-19 for BPF:\n" + cc.err);
    return BtfReader.read(object);
  }

  /** A global of each named struct and union, so that clang writes their BTF. */
  private static String globals(List<BtfType> types) {
    StringBuilder c = new StringBuilder("\n");
    for (BtfType t : types) {
      if ((t instanceof BtfType.Struct || t instanceof BtfType.Union) && !t.name().isEmpty()) {
        String kind = t instanceof BtfType.Union ? "union " : "struct ";
        c.append(kind).append(t.name()).append(' ').append(t.name()).append("_var;\n");
      }
    }
    return c.toString();
  }

  private static Map<String, BtfType> byName(Btf btf) {
    Map<String, BtfType> out = new LinkedHashMap<>();
    for (BtfType t : btf.types()) {
      if (t instanceof BtfType.Struct || t instanceof BtfType.Union) {
        out.putIfAbsent(t.kind() + " " + t.name(), t);
      }
    }
    return out;
  }

  /** Compares two structs or unions member by member, anonymous members' types too. */
  private static int sameMembers(BtfType ours, List<BtfType> ourTypes, BtfType theirs,
      Btf theirBtf, String where) {
    assertEquals(ours.kind(), theirs.kind(), where + " kind");
    assertEquals(ours.size(), theirs.size(), where + " size");
    List<BtfType.Member> a = ours.members();
    List<BtfType.Member> b = theirs.members();
    assertEquals(a.size(), b.size(), where + " members");
    int n = 0;
    for (int i = 0; i < a.size(); i++) {
      BtfType.Member x = a.get(i);
      BtfType.Member y = b.get(i);
      String at = where + "." + (x.name().isEmpty() ? "(anonymous " + i + ")" : x.name());
      assertEquals(x.name(), y.name(), at + " name");
      assertEquals(x.bitOffset(), y.bitOffset(), at + " bit offset");
      int yBits = theirs.kindFlag() ? y.bitfieldSize() : 0;
      assertEquals(x.bitfieldSize(), yBits, at + " bitfield width");
      n++;
      if (x.name().isEmpty()) {
        n += sameMembers(ourTypes.get(x.type() - 1), ourTypes,
            theirBtf.type(theirBtf.skipQualifiers(y.type())), theirBtf, at);
      }
    }
    return n;
  }
}
