package io.github.bpfevents.btf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.check.Tools;
import io.github.bpfevents.definition.DefinitionWriter;
import io.github.bpfevents.definition.EventFileReader;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.FieldSpec;
import io.github.bpfevents.layout.FieldType;
import io.github.bpfevents.layout.LayoutEngine;
import io.github.bpfevents.layout.Packing;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The eight ways a hostile file cost the reader memory or time, or did not come back from
 * an import, each with a file of its kind built here ({@link HostileBtfFiles}); then the
 * same files read, imported, checked and written back in a JVM of 64 MiB, each within a
 * time limit ({@link BtfFuzz}).
 */
class BtfHostileTest {
  @TempDir Path dir;

  private static BpfEventsException refused(Runnable r) {
    return assertThrows(BpfEventsException.class, r::run);
  }

  // 1. strings per reference

  @Test
  void aNameIsDecodedOncePerOffsetAndSharedByEveryRecordThatNamesIt() {
    Btf btf = BtfReader.read(HostileBtfFiles.oneNameManyMembers(), "wide");
    BtfType.Struct wide = (BtfType.Struct) btf.type(btf.struct("wide"));
    assertEquals(0xffff, wide.members().size());
    String first = wide.members().get(0).name();
    for (BtfType.Member m : wide.members()) {
      assertSame(first, m.name());
    }
    assertSame(first, ((BtfType.Struct) btf.type(btf.struct("wide"))).members().get(9).name());
    BpfEventsException e = refused(() -> BtfReader.read(HostileBtfFiles.hugeNameManyReferences(),
        "huge"));
    assertEquals("bad-btf", e.problem());
    assertEquals("huge: BTF type 1 names a name at offset 1 of 511 bytes or more; expected"
        + " names of at most 511 bytes (KSYM_NAME_LEN 512 with the NUL, as the kernel's BTF"
        + " checker allows)", e.getMessage());
  }

  @Test
  void aNameInsideAnotherNameIsRefused() {
    BpfEventsException e = refused(() -> BtfReader.read(HostileBtfFiles.overlappingNames(),
        "over"));
    assertEquals("over: BTF type 2 names a name at offset 2, inside another name; expected"
        + " names that start after a NUL (each string once, whole, as libbpf, pahole and clang"
        + " write them)", e.getMessage());
  }

  // 2. whole descriptions kept

  @Test
  void mismatchesAndMessagesHoldBoundedExcerpts() {
    Btf btf = BtfReader.read(HostileBtfFiles.longTypeNames(), "long");
    EventLayout one = LayoutEngine.layout("described", List.of(FieldSpec.of("m0",
        FieldType.U32)), Packing.NATURAL);
    List<BtfMismatch> found = BtfChecker.check(one, btf);
    assertEquals(0xffff, found.size(), "the size and 65,534 members without a field");
    Set<Object> distinct = new HashSet<>();
    for (BtfMismatch m : found) {
      if (m.btf() instanceof String s) {
        assertTrue(s.length() <= Btf.DESCRIBE_MAX, s);
        distinct.add(System.identityHashCode(s));
      }
    }
    assertTrue(distinct.size() <= 20_000, "one description per type, shared");
    BtfMismatch extra = found.get(1);
    assertEquals("m1: extra no field in the definition, t1_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        + "xxxxxxxxxxxxxxxxxxxxxxxx... in BTF (struct described)", extra.text());
    // a description through pointers and arrays stops at its bound
    StringBuilder ptrs = new StringBuilder();
    Btf chain = BtfReader.read(HostileBtfFiles.millionRecords(), "m");
    String d = chain.describe(chain.count());
    assertTrue(d.length() <= Btf.DESCRIBE_MAX, d);
    assertTrue(d.startsWith("type ") && d.endsWith(" * * *"), d + ptrs);
  }

  // 3. describe per member: importing is linear in the members

  @Test
  void aStructOf65535MembersOfLongTypesImports() {
    Btf btf = BtfReader.read(HostileBtfFiles.longTypeNames(), "long");
    List<EventLayout> events = BtfImporter.events(btf, List.of("described"));
    assertEquals(0xffff, events.get(0).fields().size());
    assertEquals(4 * 0xffff, events.get(0).size());
  }

  // 4. quadratic names: each name chosen in constant time

  @Test
  void sixtyFiveThousandStructsOfOneNameGetDistinctNames() {
    Btf btf = BtfReader.read(HostileBtfFiles.sameNames(8191), "same");
    List<EventLayout> events = BtfImporter.events(btf, List.of("top"));
    assertEquals(8192, events.size());
    assertEquals("x", events.get(0).name());
    assertEquals("x_2", events.get(1).name());
    assertEquals("x_8191", events.get(8190).name());
    Set<String> names = new HashSet<>();
    events.forEach(e -> names.add(e.name()));
    assertEquals(8192, names.size());
    BpfEventsException many = refused(() -> BtfImporter.events(
        BtfReader.read(HostileBtfFiles.sameNames(8192), "same"), List.of("top")));
    assertEquals("struct top brings the events of the import past 8192; expected at most 8192"
        + " events (structs named and nested) in one import", many.getMessage());
    BpfEventsException wide = refused(() -> BtfImporter.events(
        BtfReader.read(HostileBtfFiles.sameNames(), "same"), List.of("top")));
    assertEquals("top.m0: struct x brings the fields of the import past 65535; expected at most"
        + " 65535 fields in all the events of one import", wide.getMessage());
    // a struct already named x_2 is passed over, once
    Btf taken = BtfReader.read(BtfWriter.encode(List.of(BtfType.integer("u8", 1, 0),
        BtfType.struct("x_2", 1, List.of(HostileBtfFiles.m("b", 1, 0))),
        BtfType.struct("x", 1, List.of(HostileBtfFiles.m("b", 1, 0))),
        BtfType.struct("x", 1, List.of(HostileBtfFiles.m("c", 1, 0))),
        BtfType.struct("t", 3, List.of(HostileBtfFiles.m("a", 2, 0),
            HostileBtfFiles.m("b", 3, 8), HostileBtfFiles.m("c", 4, 16))))), "taken");
    assertEquals(List.of("x_2", "x", "x_3", "t"),
        BtfImporter.events(taken, List.of("t")).stream().map(EventLayout::name).toList());
  }

  // 5. text out of proportion

  @Test
  void definitionTextPastItsBoundIsTheLibrarysError() {
    Btf btf = BtfReader.read(HostileBtfFiles.textOutOfProportion(), "text");
    List<EventLayout> events = BtfImporter.events(btf, List.of("top"));
    BpfEventsException e = refused(() -> DefinitionWriter.eventFile(events, null));
    assertEquals("definition-too-large", e.problem());
    assertEquals("the event file of 2 events would pass 33608407 characters; expected an"
        + " event file of at most 8388608 bytes (what the event file reader reads)",
        e.getMessage());
    assertTrue(e.getMessage().endsWith(" characters; expected an event file of at most"
        + " 8388608 bytes (what the event file reader reads)"), e.getMessage());
  }

  // 6. a file that does not read back

  @Test
  void aNameTheEventFileCannotHoldIsRefusedAtImport() {
    Btf btf = BtfReader.read(HostileBtfFiles.unreadableNames(), "names");
    BpfEventsException quoted = refused(() -> BtfImporter.events(btf, List.of("'x")));
    assertEquals("cannot-import", quoted.problem());
    assertEquals("struct \"'x\" has a name that is not a C identifier; expected a C identifier"
        + " of at most 511 characters (letters, digits and _, not starting with a digit)",
        quoted.getMessage());
    assertEquals("cannot-import", refused(() -> BtfImporter.events(btf, List.of("q")))
        .problem());
    assertEquals("cannot-import", refused(() -> BtfImporter.events(btf, List.of("brace{x}")))
        .problem());
    List<EventLayout> nil = BtfImporter.events(btf, List.of("nil"));
    BpfEventsException reserved = refused(() -> DefinitionWriter.eventFile(nil, null));
    assertEquals("bad-name", reserved.problem());
    // what the writer writes reads back, or it says why not
    EventLayout quote = LayoutEngine.layout("'x", List.of(FieldSpec.of("a", FieldType.U8)),
        Packing.NATURAL);
    assertEquals("bad-name", refused(() -> DefinitionWriter.eventFile(List.of(quote), null))
        .problem());
    EventLayout ok = LayoutEngine.layout("x'", List.of(FieldSpec.of("a'", FieldType.U8)),
        Packing.NATURAL);
    String text = DefinitionWriter.eventFile(List.of(ok), null);
    assertEquals(ok, EventFileReader.read("t", text.getBytes(StandardCharsets.UTF_8))
        .event("x'"));
  }

  // 7. memory in proportion, the limits, and the size of a file before it is read

  @Test
  void aMillionRecordsReadAndTheTypeLimitIsTheKernels() {
    Btf btf = BtfReader.read(HostileBtfFiles.millionRecords(), "million");
    assertEquals(1_000_000, btf.count());
    assertEquals(List.of(FieldType.PTR), BtfImporter.events(btf, List.of("s")).get(0)
        .fields().stream().map(f -> f.type()).toList());
    BpfEventsException e = refused(() -> BtfReader.read(HostileBtfFiles.pastTheTypeLimit(),
        "many"));
    assertEquals("btf-too-large", e.problem());
    assertEquals("many: the BTF holds more than 1048575 types; expected at most 1048575 types"
        + " (BTF_MAX_TYPE, as the kernel's BTF checker allows)", e.getMessage());
  }

  @Test
  void chainsLoopsAndVlensMeetTheirLimitsInTheirErrors() {
    Btf btf = BtfReader.read(HostileBtfFiles.deepAndCyclic(), "deep");
    for (String s : List.of("deep", "loop", "selfarray")) {
      BpfEventsException e = refused(() -> BtfImporter.events(btf, List.of(s)));
      assertEquals("bad-btf", e.problem(), s);
      assertTrue(e.getMessage().contains("longer than 32 (a loop?); expected chains of at most"
          + " 32 typedefs, qualifiers and arrays (the kernel's MAX_RESOLVE_DEPTH)"),
          e.getMessage());
    }
    assertEquals("cannot-import", refused(() -> BtfImporter.events(btf, List.of("me")))
        .problem());
    BpfEventsException vlen = refused(() -> BtfReader.read(HostileBtfFiles.vlenPastTheEnd(),
        "v"));
    assertEquals("v: type 2 (STRUCT, vlen 65535) runs past the end of the type section;"
        + " expected whole type records", vlen.getMessage());
  }

  @Test
  void aFilesSizeIsCheckedBeforeItIsRead() throws Exception {
    Path giant = dir.resolve("giant.o");
    try (RandomAccessFile f = new RandomAccessFile(giant.toFile(), "rw")) {
      f.setLength(3L << 30); // sparse: no disk, and nothing is read
    }
    BpfEventsException big = refused(() -> BtfReader.read(giant));
    assertEquals("unreadable-file", big.problem());
    assertTrue(big.getMessage().endsWith(": it is 3221225472 bytes, larger than 1073741824"
        + " bytes; expected a readable file of BTF or an ELF object"), big.getMessage());
    Path raw = dir.resolve("raw.btf");
    try (RandomAccessFile f = new RandomAccessFile(raw.toFile(), "rw")) {
      f.write(HostileBtfFiles.raw(new byte[0], new byte[1]));
      f.setLength(20 << 20);
    }
    BpfEventsException tooLarge = refused(() -> BtfReader.read(raw));
    assertEquals("btf-too-large", tooLarge.problem());
    assertTrue(tooLarge.getMessage().endsWith(": the BTF is 20971520 bytes; expected at most"
        + " 16777216 bytes of BTF (BTF_MAX_SIZE, as the kernel's BTF checker allows)"));
    // an ELF object whose .BTF claims 20 MiB of a sparse file: refused before it is read
    Path elf = dir.resolve("claims.o");
    byte[] head = BtfReaderTest.elf(Map.of(".BTF", new byte[32]), false);
    ByteBuffer h = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
    int sections = h.getShort(0x3c);
    long shoff = h.getLong(0x28);
    for (int i = 1; i < sections; i++) {
      int at = (int) shoff + 64 * i;
      if (h.getInt(at + 4) == 1) {
        h.putLong(at + 24, 1L << 29).putLong(at + 32, 20 << 20);
      }
    }
    try (RandomAccessFile f = new RandomAccessFile(elf.toFile(), "rw")) {
      f.write(head);
      f.setLength(1L << 30);
    }
    assertEquals("btf-too-large", refused(() -> BtfReader.read(elf)).problem());
    Path dev = Paths.get("/dev/zero");
    if (Files.exists(dev)) {
      assertTrue(refused(() -> BtfReader.read(dev)).getMessage()
          .contains("it is not a regular file (a pipe or a device)"));
    }
    Path fifo = dir.resolve("fifo");
    Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
    if (p.waitFor() == 0) {
      assertTrue(refused(() -> BtfReader.read(fifo)).getMessage()
          .contains("it is not a regular file (a pipe or a device)"));
    }
    assertTrue(refused(() -> EventFileReader.read(giant)).getMessage()
        .contains("is larger than 8388608 bytes"));
  }

  // 8. round trip and data details

  @Test
  void anAnonymousMemberIsNamedByItsIndexAndOffsetAndPtrComesBack() {
    Btf btf = BtfReader.read(BtfWriter.encode(List.of(BtfType.integer("int", 4, 1),
        BtfType.struct("anon", 4, List.of(HostileBtfFiles.m("", 1, 0))))), "a");
    BpfEventsException e = refused(() -> BtfImporter.events(btf, List.of("anon")));
    assertFalse(e.data().containsKey("member"), e.data().toString());
    assertEquals(0, e.data().get("index"));
    assertEquals(0L, e.data().get("offset"));
    EventLayout ptr = LayoutEngine.layout("P", List.of(FieldSpec.of("p", FieldType.PTR),
        FieldSpec.of("q", FieldType.U64), FieldSpec.of("r", FieldType.PTR, 3)),
        Packing.NATURAL);
    List<EventLayout> back = BtfImporter.events(BtfReader.read(BtfWriter.write(List.of(ptr)),
        "p"), List.of("p"));
    assertEquals(List.of(FieldType.PTR, FieldType.U64, FieldType.PTR),
        back.get(0).fields().stream().map(f -> f.type()).toList());
  }

  // the same files in 64 MiB, each within 20 seconds

  @Test
  void everyHostileFileEndsInBoundedHeapAndTime() throws IOException {
    Path files = Files.createDirectories(dir.resolve("hostile"));
    HostileBtfFiles.write(files);
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    Tools.Result r = Tools.run(new byte[0], List.of(java, "-Xmx64m", "-Xss512k",
        "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"),
        BtfFuzz.class.getName(), "cases", "20000", files.toString()));
    System.out.print(r.out.lines().map(l -> "[hostile-btf] " + l + "\n")
        .reduce("", String::concat));
    assertEquals(0, r.exit, r.out + r.err);
    assertTrue(r.out.contains(", 0 failed; heap 64 MiB"), r.out);
  }
}
