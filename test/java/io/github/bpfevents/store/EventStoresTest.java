package io.github.bpfevents.store;

import static io.github.bpfevents.asm.Register.R1;
import static io.github.bpfevents.asm.Register.R10;
import static io.github.bpfevents.asm.Register.R2;
import static io.github.bpfevents.asm.Register.R3;
import static io.github.bpfevents.asm.Register.R6;
import static io.github.bpfevents.asm.Register.R7;
import static io.github.bpfevents.asm.Register.R8;
import static io.github.bpfevents.asm.Register.R9;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfevents.Examples;
import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Notation;
import io.github.bpfevents.asm.Insn;
import io.github.bpfevents.asm.InsnEncoder;
import io.github.bpfevents.asm.Register;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.FieldSpec;
import io.github.bpfevents.layout.FieldType;
import io.github.bpfevents.layout.LayoutEngine;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The stores that fill and zero an event record, checked by their assembler text. */
class EventStoresTest {

  static final EventLayout CONN = Examples.CONNECTION_EVENT;

  /** blob u8[32764], x u32 @32764, y u64 @32768: y is beyond a store's signed 16-bit offset. */
  static final EventLayout BIG = LayoutEngine.layout("Big", List.of(
      FieldSpec.of("blob", FieldType.U8, 32764),
      FieldSpec.of("x", FieldType.U32),
      FieldSpec.of("y", FieldType.U64)));

  /** Width in bytes of each st opcode, from the ISA table (not from the library). */
  static final Map<Integer, Integer> ST_WIDTH = Map.of(0x72, 1, 0x6a, 2, 0x62, 4, 0x7a, 8);

  static List<String> texts(List<Insn> insns) {
    List<String> out = new ArrayList<>();
    for (Insn i : insns) {
      out.add(i.toString());
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------
  // storeField / storeImm

  static Stream<Arguments> storeFieldRows() {
    return Stream.of(
        Arguments.of("timestamp", R1, "*(u64 *)(r6 + 0) = r1"),
        Arguments.of("pid", R7, "*(u32 *)(r6 + 8) = r7"),
        Arguments.of("saddr", R2, "*(u32 *)(r6 + 12) = r2"),
        Arguments.of("daddr", R3, "*(u32 *)(r6 + 16) = r3"),
        Arguments.of("sport", R8, "*(u16 *)(r6 + 20) = r8"),
        Arguments.of("dport", R9, "*(u16 *)(r6 + 22) = r9"),
        Arguments.of("protocol", R1, "*(u8 *)(r6 + 24) = r1"),
        Arguments.of("direction", R1, "*(u8 *)(r6 + 25) = r1"),
        Arguments.of("padding", R1, "*(u8 *)(r6 + 26) = r1"),
        Arguments.of("comm", R10, "*(u8 *)(r6 + 28) = r10"));
  }

  @ParameterizedTest(name = "{0}: {2}")
  @MethodSource("storeFieldRows")
  void storeField(String field, Register value, String asm) {
    assertEquals(asm, EventStores.storeField(R6, CONN, field, value).toString());
  }

  static Stream<Arguments> storeImmRows() {
    return Stream.of(
        Arguments.of("timestamp", -1L, "*(u64 *)(r6 + 0) = -1"),
        Arguments.of("timestamp", 2147483647L, "*(u64 *)(r6 + 0) = 2147483647"),
        Arguments.of("pid", 4294967295L, "*(u32 *)(r6 + 8) = -1"),
        Arguments.of("saddr", 16777343L, "*(u32 *)(r6 + 12) = 16777343"),
        Arguments.of("sport", 65535L, "*(u16 *)(r6 + 20) = 65535"),
        Arguments.of("dport", -32768L, "*(u16 *)(r6 + 22) = -32768"),
        Arguments.of("protocol", 6L, "*(u8 *)(r6 + 24) = 6"),
        Arguments.of("direction", 255L, "*(u8 *)(r6 + 25) = 255"),
        Arguments.of("padding", -128L, "*(u8 *)(r6 + 26) = -128"),
        Arguments.of("comm", 65L, "*(u8 *)(r6 + 28) = 65"));
  }

  @ParameterizedTest(name = "{0} = {1}: {2}")
  @MethodSource("storeImmRows")
  void storeImm(String field, long imm, String asm) {
    assertEquals(asm, EventStores.storeImm(R6, CONN, field, imm).toString());
  }

  @Test
  void storeBytesOfTheDocumentedExamples() {
    byte[] wire = InsnEncoder.encode(List.of(
        EventStores.storeField(R6, CONN, "pid", R7),
        EventStores.storeImm(R6, CONN, "protocol", 6)));
    assertArrayEquals(new byte[] {
        0x63, 0x76, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x72, 0x06, 0x18, 0x00, 0x06, 0x00, 0x00, 0x00}, wire);
  }

  // ---------------------------------------------------------------------------------------
  // zeroEvent / zeroField

  @Test
  void zeroConnectionEvent() {
    assertEquals(List.of(
        "*(u64 *)(r6 + 0) = 0",
        "*(u64 *)(r6 + 8) = 0",
        "*(u64 *)(r6 + 16) = 0",
        "*(u64 *)(r6 + 24) = 0",
        "*(u64 *)(r6 + 32) = 0",
        "*(u32 *)(r6 + 40) = 0"), texts(EventStores.zeroEvent(R6, CONN)));
  }

  static IntStream sizes1To64() {
    return IntStream.rangeClosed(1, 64);
  }

  @ParameterizedTest(name = "u8[{0}]")
  @MethodSource("sizes1To64")
  void zeroEventTilesTheRecordWithAlignedStores(int size) {
    EventLayout e = LayoutEngine.layout("E" + size, List.of(FieldSpec.of("b", FieldType.U8, size)));
    List<Insn> stores = EventStores.zeroEvent(R6, e);
    assertEquals(size / 8 + Integer.bitCount(size % 8), stores.size(), "store count");
    assertTiles(stores, 0, size);
    // zeroing the single field covers the same bytes the same way
    assertEquals(stores, EventStores.zeroField(R6, e, "b"));
  }

  /** The stores are st of 0 through r6, in ascending order, exactly covering [from, to). */
  static void assertTiles(List<Insn> stores, int from, int to) {
    int at = from;
    for (Insn s : stores) {
      Integer width = ST_WIDTH.get(s.opcode());
      assertNotNull(width, "not an st: " + s);
      assertEquals(6, s.dst(), s.toString());
      assertEquals(0, s.src(), s.toString());
      assertEquals(0, s.imm(), s.toString());
      assertEquals(at, s.offset(), "gap or overlap at " + s);
      assertEquals(0, s.offset() % width, "misaligned " + s);
      at += width;
    }
    assertEquals(to, at, "end of the tiling");
  }

  static Stream<Arguments> zeroFieldRows() {
    return Stream.of(
        Arguments.of("comm", List.of("*(u32 *)(r6 + 28) = 0", "*(u64 *)(r6 + 32) = 0", "*(u32 *)(r6 + 40) = 0")),
        Arguments.of("padding", List.of("*(u16 *)(r6 + 26) = 0")),
        Arguments.of("timestamp", List.of("*(u64 *)(r6 + 0) = 0")),
        Arguments.of("pid", List.of("*(u32 *)(r6 + 8) = 0")),
        Arguments.of("dport", List.of("*(u16 *)(r6 + 22) = 0")),
        Arguments.of("direction", List.of("*(u8 *)(r6 + 25) = 0")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("zeroFieldRows")
  void zeroField(String field, List<String> asm) {
    assertEquals(asm, texts(EventStores.zeroField(R6, CONN, field)));
  }

  @Test
  void zeroFieldAtAnOddOffsetStaysAligned() {
    // b u8[14] at offset 1, bytes [1, 15): no u64 fits aligned inside it
    EventLayout e = LayoutEngine.layout("Odd", List.of(
        FieldSpec.of("a", FieldType.U8), FieldSpec.of("b", FieldType.U8, 14)));
    List<Insn> stores = EventStores.zeroField(R6, e, "b");
    assertEquals(List.of("*(u8 *)(r6 + 1) = 0", "*(u16 *)(r6 + 2) = 0", "*(u32 *)(r6 + 4) = 0",
        "*(u32 *)(r6 + 8) = 0", "*(u16 *)(r6 + 12) = 0", "*(u8 *)(r6 + 14) = 0"), texts(stores));
    assertTiles(stores, 1, 15);
  }

  // ---------------------------------------------------------------------------------------
  // storeFields

  @Test
  void storeFieldsEmitsLayoutOrder() {
    Map<String, StoreValue> values = new LinkedHashMap<>();
    values.put("comm", StoreValue.imm(0));
    values.put("pid", StoreValue.reg(R7));
    values.put("protocol", StoreValue.imm(6));
    values.put("timestamp", StoreValue.reg(R1));
    List<String> expected = List.of(
        "*(u64 *)(r6 + 0) = r1",
        "*(u32 *)(r6 + 8) = r7",
        "*(u8 *)(r6 + 24) = 6",
        "*(u8 *)(r6 + 28) = 0");
    assertEquals(expected, texts(EventStores.storeFields(R6, CONN, values)));

    Map<String, StoreValue> reversed = new LinkedHashMap<>();
    reversed.put("timestamp", StoreValue.reg(R1));
    reversed.put("protocol", StoreValue.imm(6));
    reversed.put("pid", StoreValue.reg(R7));
    reversed.put("comm", StoreValue.imm(0));
    assertEquals(expected, texts(EventStores.storeFields(R6, CONN, reversed)));
  }

  @Test
  void pathsThatShareBytesAreRefused() {
    Map<List<?>, StoreValue> values = new LinkedHashMap<>();
    values.put(List.of("comm"), StoreValue.imm(1));
    values.put(List.of("comm", 0), StoreValue.imm(2));
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> EventStores.storeFieldsAt(R6, CONN, values));
    assertEquals("duplicate-field", e.problem());
    assertEquals("field comm[0] overlaps comm, which is also given; expected one value per"
        + " byte of the record", e.getMessage());
    assertEquals("field [:comm 0] overlaps [:comm], which is also given; expected one value"
        + " per byte of the record", e.message(Notation.EDN));
    Map<List<?>, StoreValue> neighbours = new LinkedHashMap<>();
    neighbours.put(List.of("comm", 0), StoreValue.imm(1));
    neighbours.put(List.of("comm", 1), StoreValue.imm(2));
    neighbours.put(List.of("direction"), StoreValue.imm(3));
    neighbours.put(List.of("padding", 0), StoreValue.imm(4));
    assertEquals(List.of("*(u8 *)(r6 + 25) = 3", "*(u8 *)(r6 + 26) = 4",
        "*(u8 *)(r6 + 28) = 1", "*(u8 *)(r6 + 29) = 2"),
        texts(EventStores.storeFieldsAt(R6, CONN, neighbours)));
  }

  @Test
  void storeFieldsOfAnEmptyMapIsEmpty() {
    assertEquals(List.of(), EventStores.storeFields(R6, CONN, Map.of()));
  }

  // ---------------------------------------------------------------------------------------
  // Errors

  static Stream<Arguments> unknownFieldCalls() {
    return Stream.of(
        Arguments.of("storeField", (Runnable) () -> EventStores.storeField(R6, CONN, "uid", R7)),
        Arguments.of("storeImm", (Runnable) () -> EventStores.storeImm(R6, CONN, "uid", 1)),
        Arguments.of("zeroField", (Runnable) () -> EventStores.zeroField(R6, CONN, "uid")),
        Arguments.of("storeFields", (Runnable) () -> EventStores.storeFields(R6, CONN,
            Map.of("uid", StoreValue.imm(1)))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unknownFieldCalls")
  void unknownField(String what, Runnable call) {
    BpfEventsException e = assertThrows(BpfEventsException.class, call::run);
    assertEquals("unknown-field", e.problem());
    assertEquals("uid", e.data().get("field"));
    assertEquals(CONN.fieldNames(), e.data().get("accepted"));
    assertTrue(e.getMessage().contains("uid"), e.getMessage());
  }

  static Stream<Arguments> immOutOfRange() {
    return Stream.of(
        Arguments.of("protocol", 256L, "-128 to 255"),
        Arguments.of("direction", -129L, "-128 to 255"),
        Arguments.of("sport", 65536L, "-32768 to 65535"),
        Arguments.of("pid", 4294967296L, "-2147483648 to 4294967295"),
        Arguments.of("timestamp", 2147483648L, "-2147483648 to 2147483647"),
        Arguments.of("timestamp", -2147483649L, "-2147483648 to 2147483647"));
  }

  @ParameterizedTest(name = "{0} = {1}")
  @MethodSource("immOutOfRange")
  void immediateOutOfRangeForAField(String field, long imm, String expected) {
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> EventStores.storeImm(R6, CONN, field, imm));
    assertEquals("immediate-out-of-range", e.problem());
    assertEquals(field, e.data().get("field"));
    assertEquals(imm, e.data().get("value"));
    assertEquals(expected, e.data().get("expected"));
    assertTrue(e.getMessage().contains(field), e.getMessage());
    assertTrue(e.getMessage().contains(Long.toString(imm)), e.getMessage());
    boolean sixtyFour = field.equals("timestamp");
    assertEquals(sixtyFour, e.getMessage().contains("lddw"), "lddw hint only for u64: " + e.getMessage());
  }

  @Test
  void immediateOutOfRangeViaStoreFields() {
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> EventStores.storeFields(R6, CONN, Map.of("timestamp", StoreValue.imm(1L << 40))));
    assertEquals("immediate-out-of-range", e.problem());
    assertEquals("timestamp", e.data().get("field"));
    assertEquals(1L << 40, e.data().get("value"));
    assertTrue(e.getMessage().contains("lddw"), e.getMessage());
  }

  @Test
  void nullValueMap() {
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> EventStores.storeFields(R6, CONN, null));
    assertEquals("bad-value-spec", e.problem());
    assertTrue(e.data().containsKey("value"));
    assertTrue(e.data().containsKey("expected"));
  }

  @Test
  void nullStoreValue() {
    Map<String, StoreValue> values = new HashMap<>();
    values.put("pid", null);
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> EventStores.storeFields(R6, CONN, values));
    assertEquals("bad-value-spec", e.problem());
    assertEquals("pid", e.data().get("field"));
    assertTrue(e.data().containsKey("value"));
    assertNull(e.data().get("value"));
  }

  @Test
  void nullRegisterInStoreValue() {
    BpfEventsException e = assertThrows(BpfEventsException.class, () -> StoreValue.reg(null));
    assertEquals("unknown-register", e.problem());
  }

  @Test
  void nullEvent() {
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> EventStores.zeroEvent(R6, null));
    assertEquals("not-an-event", e.problem());
    BpfEventsException e2 = assertThrows(BpfEventsException.class,
        () -> EventStores.storeField(R6, null, "pid", R7));
    assertEquals("not-an-event", e2.problem());
  }

  @Test
  void nullEventRegisterNamesTheField() {
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> EventStores.storeField(null, CONN, "pid", R7));
    assertEquals("missing-argument", e.problem());
    assertEquals("pid", e.data().get("field"));
  }

  @Test
  void bigEventLayout() {
    assertEquals(32764, BIG.field("x").offset());
    assertEquals(32768, BIG.field("y").offset());
    assertEquals(32776, BIG.size());
  }

  @Test
  void storesUpTo32767Work() {
    assertEquals("*(u32 *)(r6 + 32764) = r1", EventStores.storeField(R6, BIG, "x", R1).toString());
    assertEquals("*(u32 *)(r6 + 32764) = 7", EventStores.storeImm(R6, BIG, "x", 7).toString());
    assertEquals(List.of("*(u32 *)(r6 + 32764) = 0"), texts(EventStores.zeroField(R6, BIG, "x")));
  }

  static Stream<Arguments> beyondOffsetRange() {
    return Stream.of(
        Arguments.of("storeField y", (Runnable) () -> EventStores.storeField(R6, BIG, "y", R1)),
        Arguments.of("storeImm y", (Runnable) () -> EventStores.storeImm(R6, BIG, "y", 0)),
        Arguments.of("zeroField y", (Runnable) () -> EventStores.zeroField(R6, BIG, "y")),
        Arguments.of("storeFields y", (Runnable) () -> EventStores.storeFields(R6, BIG,
            Map.of("x", StoreValue.imm(1), "y", StoreValue.reg(R1)))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("beyondOffsetRange")
  void fieldBeyondOffset32767(String what, Runnable call) {
    BpfEventsException e = assertThrows(BpfEventsException.class, call::run);
    assertEquals("offset-out-of-range", e.problem());
    assertEquals("y", e.data().get("field"));
    assertEquals(32768L, e.data().get("value"));
    assertEquals("-32768 to 32767", e.data().get("expected"));
    assertTrue(e.getMessage().contains("32768"), e.getMessage());
    assertTrue(e.getMessage().contains("y"), e.getMessage());
  }

  @Test
  void zeroEventBeyondOffset32767() {
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> EventStores.zeroEvent(R6, BIG));
    assertEquals("offset-out-of-range", e.problem());
    assertEquals("Big", e.data().get("event"));
    assertEquals(32768L, e.data().get("value"));
    assertTrue(e.getMessage().contains("32768"), e.getMessage());
  }

  /**
   * zero-event-field on a bitfield: one store per unit where its bits fill the units they
   * lie in (C's {@code __u8 a:8} at byte 0, {@code __u16 d:16} at bytes 2 and 3 of
   * {@code struct { __u8 a:8; __u8 b:3; __u8 c:5; __u16 d:16; }}), changing no other bit;
   * refused, naming the stores that do it, where the bits share their unit.
   */
  @Test
  void zeroingABitfieldThatFillsItsUnitsAndRefusingOneThatShares() {
    EventLayout bits = LayoutEngine.layout("Bits", List.of(
        FieldSpec.bitfield("a", FieldType.U8, 8), FieldSpec.bitfield("b", FieldType.U8, 3),
        FieldSpec.bitfield("c", FieldType.U8, 5), FieldSpec.bitfield("d", FieldType.U16, 16)),
        io.github.bpfevents.layout.Packing.NATURAL);
    assertEquals(List.of("*(u8 *)(r6 + 0) = 0"), io.github.bpfevents.asm.AsmPrinter.printAll(
        EventStores.zeroField(R6, bits, "a")));
    assertEquals(List.of("*(u16 *)(r6 + 2) = 0"), io.github.bpfevents.asm.AsmPrinter
        .printAll(EventStores.zeroField(R6, bits, "d")));
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> EventStores.zeroField(R6, bits, "b"));
    assertEquals("unsupported-member", e.problem());
    assertEquals("field b is a bitfield that shares its bytes with other bits, which stores"
        + " of zero would change; expected store-event-bits with {:imm 0} and a scratch"
        + " register (EventStores.storeBitsImm(reg, event, path, 0, scratch)), which change"
        + " only its bits", e.getMessage());
  }
}
