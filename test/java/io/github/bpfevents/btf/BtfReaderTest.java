package io.github.bpfevents.btf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Examples;
import io.github.bpfevents.check.RandomEvents;
import io.github.bpfevents.layout.EventLayout;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading BTF: what the writer writes reads back record for record, raw or inside an ELF
 * object made here by hand from the ELF layout; every malformed input is the library's
 * error naming the source and what is wrong.
 */
class BtfReaderTest {
  @TempDir Path dir;

  /**
   * A 64-bit little-endian ELF file with the given sections (after the null section), the
   * section names last; with {@code extended}, e_shnum and e_shstrndx are in section 0.
   */
  static byte[] elf(Map<String, byte[]> sections, boolean extended) {
    ByteArrayOutputStream names = new ByteArrayOutputStream();
    names.write(0);
    List<String> all = new ArrayList<>(sections.keySet());
    all.add(".shstrtab");
    int[] nameOff = new int[all.size()];
    for (int i = 0; i < all.size(); i++) {
      nameOff[i] = names.size();
      names.writeBytes(all.get(i).getBytes());
      names.write(0);
    }
    List<byte[]> data = new ArrayList<>(sections.values());
    data.add(names.toByteArray());
    int at = 64;
    int[] offsets = new int[data.size()];
    for (int i = 0; i < data.size(); i++) {
      offsets[i] = at;
      at += data.get(i).length;
    }
    int shoff = (at + 7) / 8 * 8;
    int count = data.size() + 1;
    ByteBuffer b = ByteBuffer.allocate(shoff + 64 * count).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
    b.putShort(16, (short) 1).putShort(18, (short) 247).putInt(20, 1);
    b.putLong(0x28, shoff).putShort(0x34, (short) 64).putShort(0x3a, (short) 64);
    b.putShort(0x3c, (short) (extended ? 0 : count));
    b.putShort(0x3e, (short) (extended ? 0xffff : count - 1));
    for (int i = 0; i < data.size(); i++) {
      b.put(offsets[i], data.get(i));
    }
    if (extended) {
      b.putLong(shoff + 32, count).putInt(shoff + 40, count - 1);
    }
    for (int i = 0; i < data.size(); i++) {
      int h = shoff + 64 * (i + 1);
      b.putInt(h, nameOff[i]).putInt(h + 4, i == data.size() - 1 ? 3 : 1);
      b.putLong(h + 24, offsets[i]).putLong(h + 32, data.get(i).length);
    }
    return b.array();
  }

  @Test
  void whatTheWriterWritesReadsBackRecordForRecord() {
    Random rnd = new Random(11);
    List<EventLayout> events = new ArrayList<>(List.of(Examples.CONNECTION_EVENT,
        Examples.FLOW_EVENT));
    for (int i = 0; i < 200; i++) {
      events.add(RandomEvents.event(rnd, "Gen" + i, 3));
    }
    List<BtfType> written = BtfWriter.types(events);
    Btf read = BtfReader.read(BtfWriter.encode(written), "mine");
    assertEquals(written, BtfWriterTest.types(read));
    assertEquals("mine", read.source());
    assertEquals(written.size(), read.count());
  }

  @Test
  void theBtfSectionOfAnElfObject() {
    byte[] btf = BtfWriter.write(List.of(Examples.FLOW_EVENT));
    Map<String, byte[]> sections = new LinkedHashMap<>();
    sections.put(".text", new byte[] {1, 2, 3});
    sections.put(".BTF.ext", new byte[] {9, 9});
    sections.put(".BTF", btf);
    for (boolean extended : new boolean[] {false, true}) {
      Btf read = BtfReader.read(elf(sections, extended), "x.o");
      assertEquals(BtfWriterTest.types(BtfReader.read(btf, "raw")), BtfWriterTest.types(read));
      assertTrue(read.struct("endpoint") > 0);
    }
    sections.remove(".BTF");
    BpfEventsException none = assertThrows(BpfEventsException.class,
        () -> BtfReader.read(elf(sections, false), "x.o"));
    assertEquals("no-btf", none.problem());
    assertEquals("x.o has no .BTF section; expected an object compiled with -g (clang-19 -g"
        + " -O2 -target bpf -c)", none.getMessage());
  }

  @Test
  void aFileIsReadByItsFirstBytes() throws IOException {
    byte[] btf = BtfWriter.write(List.of(Examples.FLOW_EVENT));
    Path raw = dir.resolve("flow.btf");
    Files.write(raw, btf);
    Path obj = dir.resolve("flow.o");
    Files.write(obj, elf(Map.of(".BTF", btf), false));
    assertEquals(BtfWriterTest.types(BtfReader.read(raw)), BtfWriterTest.types(
        BtfReader.read(obj)));
    assertEquals(raw.toString(), BtfReader.read(raw).source());
    BpfEventsException missing = assertThrows(BpfEventsException.class,
        () -> BtfReader.read(dir.resolve("nope")));
    assertEquals("unreadable-file", missing.problem());
    assertTrue(missing.getMessage().endsWith("nope: no such file; expected a readable file"
        + " of BTF or an ELF object"), missing.getMessage());
    assertEquals("unreadable-file", assertThrows(BpfEventsException.class,
        () -> BtfReader.read(dir)).problem());
    assertEquals("bad-btf-source", assertThrows(BpfEventsException.class,
        () -> BtfReader.read((Path) null)).problem());
    assertEquals("bad-btf-source", assertThrows(BpfEventsException.class,
        () -> BtfReader.read((byte[]) null, "x")).problem());
  }

  private static String error(byte[] bytes) {
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> BtfReader.read(bytes, "b"));
    return e.problem() + ": " + e.getMessage();
  }

  private static byte[] patched(byte[] blob, int at, int value) {
    byte[] b = blob.clone();
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(at, value);
    return b;
  }

  @Test
  void malformedBtfIsTheLibrarysErrorNamingWhatIsWrong() {
    byte[] blob = BtfWriter.write(List.of(BtfWriterTest.one("Ev",
        io.github.bpfevents.layout.FieldType.U32)));
    assertEquals("bad-btf: b: 3 bytes are too few for a BTF header; expected a BTF header"
        + " of 24 bytes", error(new byte[] {(byte) 0x9f, (byte) 0xeb, 1}));
    assertEquals("bad-btf: b: magic \"0x1234\" is not BTF's; expected little-endian BTF"
        + " starting 9f eb (magic 0xeb9f), or an ELF object",
        error(patched(blob, 0, 0x01001234)));
    assertEquals("bad-btf: b: big-endian BTF (magic \"0x9feb\") is not read; expected"
        + " little-endian BTF starting 9f eb (magic 0xeb9f), or an ELF object",
        error(patched(blob, 0, 0x01009feb)));
    assertEquals("bad-btf: b: BTF version 2 is not read; expected version 1",
        error(patched(blob, 0, 0x0002eb9f)));
    assertEquals("bad-btf: b: BTF header length 8 does not fit; expected at least 24 and"
        + " at most the blob's 83 bytes", error(patched(blob, 4, 8)));
    assertEquals("bad-btf: b: BTF sections reach past the blob's end; expected sections"
        + " inside the blob's 83 bytes", error(patched(blob, 20, 100)));
    assertEquals("bad-btf: b: the BTF string section of 18 bytes is malformed; expected a"
        + " string section that starts and ends with a NUL", error(patched(blob, 20, 18)));
    assertEquals("bad-btf: b: BTF type 1: name offset 99 is outside the string section; expected"
        + " an offset below 19", error(patched(blob, 24, 99)));
    assertEquals("bad-btf: b: type 1 has unknown kind 25; expected a kind from 1 (INT) to"
        + " 19 (ENUM64)", error(patched(blob, 28, 25 << 24)));
    assertEquals("bad-btf: b: type 2 (STRUCT, vlen 2) runs past the end of the type"
        + " section; expected whole type records", error(patched(blob, 44, 0x04000002)));
    byte[] cut = patched(blob, 12, 36);
    assertEquals("bad-btf: b: type 2 (STRUCT, vlen 1) runs past the end of the type"
        + " section; expected whole type records", error(cut));
    assertEquals("bad-btf: b: type 3 is cut short at the end of the type section; expected"
        + " whole type records", error(patched(blob, 12, 44)));
  }

  @Test
  void malformedElfIsTheLibrarysErrorToo() {
    byte[] obj = elf(Map.of(".BTF", BtfWriter.write(List.of(Examples.FLOW_EVENT))), false);
    byte[] cls32 = obj.clone();
    cls32[4] = 1;
    assertEquals("bad-elf: b is a 32-bit ELF file; expected a 64-bit ELF file (clang"
        + " -target bpf)", error(cls32));
    byte[] big = obj.clone();
    big[5] = 2;
    assertEquals("bad-elf: b is a big-endian ELF file; expected a little-endian ELF file"
        + " (clang -target bpf, or bpfel)", error(big));
    assertEquals("bad-elf: b is 10 bytes, shorter than an ELF header; expected a 64-byte"
        + " ELF header at least", error(Arrays.copyOf(obj, 10)));
    byte[] noHeaders = obj.clone();
    ByteBuffer.wrap(noHeaders).order(ByteOrder.LITTLE_ENDIAN).putLong(0x28, 0);
    assertEquals("bad-elf: b has no section headers; expected an object with sections"
        + " (clang -c)", error(noHeaders));
    String cut = error(Arrays.copyOf(obj, obj.length - 10));
    assertTrue(cut.startsWith("bad-elf: b places the section headers at "), cut);
  }

  @Test
  void typesAndStructsByName() {
    Btf btf = BtfReader.read(BtfWriter.encode(List.of(
        BtfType.integer("int", 4, BtfType.INT_SIGNED),
        BtfType.struct("", 4, List.of(new BtfType.Member("a", 1, 0, 0))),
        BtfType.typedef("anon_t", 2),
        BtfType.aggregate(BtfKind.UNION, "u", false, 4,
            List.of(new BtfType.Member("a", 1, 0, 0))),
        BtfType.refer(BtfKind.FWD, "later", 0))), "t");
    assertEquals(2, btf.struct("anon_t"), "a typedef of an anonymous struct");
    assertEquals(4, btf.struct("u"), "a union is found by its name too");
    assertEquals("t has no struct later (it holds only a forward declaration); expected a"
        + " struct of that name in the BTF", assertThrows(BpfEventsException.class,
            () -> btf.requireStruct("later")).getMessage());
    assertEquals("t: BTF refers to type 6, which it does not hold; expected a type id from 1"
        + " to 5", assertThrows(BpfEventsException.class, () -> btf.type(6)).getMessage());
    assertEquals("unknown-struct", assertThrows(BpfEventsException.class,
        () -> btf.requireStruct("nope")).problem());
    assertEquals("union u", btf.describe(4));
    assertEquals("struct later (declared only)", btf.describe(5));
    assertEquals("struct (anon)", btf.describe(2));
  }

  @Test
  void loopsOfTypedefsAreAnErrorNotAHang() {
    Btf btf = BtfReader.read(BtfWriter.encode(List.of(
        BtfType.typedef("a", 2), BtfType.typedef("b", 1),
        BtfType.struct("s", 4, List.of(new BtfType.Member("m", 1, 0, 0))))), "t");
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> BtfImporter.events(btf, List.of("s")));
    assertEquals("bad-btf", e.problem());
    assertTrue(e.getMessage().contains("a loop?"), e.getMessage());
  }
}
