package io.github.bpfevents.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Examples;
import io.github.bpfevents.Notation;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.FieldSpec;
import io.github.bpfevents.layout.FieldType;
import io.github.bpfevents.layout.LayoutEngine;
import io.github.bpfevents.layout.Packing;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The read handle: each getter reads its own type of field from bytes written out by hand,
 * at any record offset and whatever the buffer's byte order; a getter of another type is
 * {@code wrong-type}; a field beyond the buffer, a negative record index or a null buffer
 * is {@code buffer-too-short}.
 */
class FieldHandleTest {
  private static final EventLayout CONN = Examples.CONNECTION_EVENT;

  /** Every scalar type once, natural. */
  static final EventLayout ALL = LayoutEngine.layout("All", List.of(
      FieldSpec.of("i8", FieldType.I8), // @0
      FieldSpec.of("u8", FieldType.U8), // @1
      FieldSpec.of("i16", FieldType.I16), // @2
      FieldSpec.of("i32", FieldType.I32), // @4
      FieldSpec.of("i64", FieldType.I64), // @8
      FieldSpec.of("u64", FieldType.U64), // @16
      FieldSpec.of("ptr", FieldType.PTR), // @24
      FieldSpec.of("be16", FieldType.BE16), // @32
      FieldSpec.of("u16", FieldType.U16), // @34
      FieldSpec.of("be32", FieldType.BE32), // @36
      FieldSpec.of("be64", FieldType.BE64), // @40
      FieldSpec.of("u32", FieldType.U32), // @48
      FieldSpec.of("text", FieldType.CHAR, 4)), // @52, size 56
      Packing.NATURAL);

  private static final byte[] ALL_BYTES = HexFormat.ofDelimiter(" ").parseHex(String.join(" ",
      "ff", // i8 -1
      "80", // u8 128
      "00 80", // i16 -32768
      "fe ff ff ff", // i32 -2
      "00 00 00 00 00 00 00 80", // i64 -2^63
      "ff ff ff ff ff ff ff ff", // u64 2^64-1, read as its 64 bits
      "08 07 06 05 04 03 02 01", // ptr 0x0102030405060708
      "01 bb", // be16 443
      "bb 01", // u16 443
      "0a 00 00 01", // be32 10.0.0.1
      "80 00 00 00 00 00 00 01", // be64
      "00 00 00 80", // u32 2^31
      "6f 6b 00 21")); // text "ok", a NUL, "!"

  /** The record at offset 3 of a buffer with bytes around it. */
  private static ByteBuffer all(ByteOrder order) {
    byte[] b = new byte[3 + 56 + 2];
    System.arraycopy(ALL_BYTES, 0, b, 3, 56);
    return ByteBuffer.wrap(b).order(order);
  }

  /** A getter of the handle, by the name of the type it reads. */
  interface Getter {
    Object get(FieldHandle h, ByteBuffer b, int record);
  }

  static final Map<String, Getter> GETTERS = new LinkedHashMap<>();

  static {
    GETTERS.put("u8", FieldHandle::u8);
    GETTERS.put("i8", FieldHandle::i8);
    GETTERS.put("u16", FieldHandle::u16);
    GETTERS.put("i16", FieldHandle::i16);
    GETTERS.put("u32", FieldHandle::u32);
    GETTERS.put("i32", FieldHandle::i32);
    GETTERS.put("u64", FieldHandle::u64);
    GETTERS.put("i64", FieldHandle::i64);
    GETTERS.put("be16", FieldHandle::be16);
    GETTERS.put("be32", FieldHandle::be32);
    GETTERS.put("be64", FieldHandle::be64);
    GETTERS.put("string", FieldHandle::string);
  }

  /** field, the getter that reads it, the value. */
  static Stream<Arguments> reads() {
    return Stream.of(
        Arguments.of("i8", "i8", -1L),
        Arguments.of("u8", "u8", 128L),
        Arguments.of("i16", "i16", -32768L),
        Arguments.of("i32", "i32", -2L),
        Arguments.of("i64", "i64", Long.MIN_VALUE),
        Arguments.of("u64", "u64", -1L),
        Arguments.of("ptr", "u64", 0x0102030405060708L),
        Arguments.of("be16", "be16", 443L),
        Arguments.of("u16", "u16", 443L),
        Arguments.of("be32", "be32", 0x0a000001L),
        Arguments.of("be64", "be64", 0x8000000000000001L),
        Arguments.of("u32", "u32", 2147483648L),
        Arguments.of("text", "string", "ok"),
        Arguments.of("text", "u8", 0x6fL));
  }

  @ParameterizedTest(name = "{1} of {0}")
  @MethodSource("reads")
  void eachGetterReadsItsType(String field, String getter, Object value) {
    FieldHandle h = EventView.of(ALL).handle(field);
    for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
      assertEquals(value, GETTERS.get(getter).get(h, all(order), 3), order.toString());
    }
  }

  /** Every pair of a field and a getter that does not read it. */
  static Stream<Arguments> wrongGetters() {
    Map<String, List<String>> reading = new LinkedHashMap<>();
    reading.put("i8", List.of("i8"));
    reading.put("u8", List.of("u8"));
    reading.put("i16", List.of("i16"));
    reading.put("i32", List.of("i32"));
    reading.put("i64", List.of("i64"));
    reading.put("u64", List.of("u64"));
    reading.put("ptr", List.of("u64"));
    reading.put("be16", List.of("be16"));
    reading.put("u16", List.of("u16"));
    reading.put("be32", List.of("be32"));
    reading.put("be64", List.of("be64"));
    reading.put("u32", List.of("u32"));
    reading.put("text", List.of("u8", "string"));
    return reading.entrySet().stream().flatMap(e -> GETTERS.keySet().stream()
        .filter(g -> !e.getValue().contains(g))
        .map(g -> Arguments.of(e.getKey(), g)));
  }

  @ParameterizedTest(name = "{1} of {0}")
  @MethodSource("wrongGetters")
  void anyOtherGetterIsTheWrongType(String field, String getter) {
    FieldHandle h = EventView.of(ALL).handle(field);
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> GETTERS.get(getter).get(h, all(ByteOrder.LITTLE_ENDIAN), 3));
    assertEquals("wrong-type", e.problem());
    assertEquals(List.of(field), e.data().get("field"));
    assertEquals(ALL.field(field).type().typeName(), e.data().get("type"));
    String expected = getter.equals("string") ? "char" : getter;
    assertEquals(FieldType.named(expected), e.data().get("getter"));
    assertEquals((expected.startsWith("i") ? "an " : "a ") + expected + " field for this getter",
        e.data().get("expected"));
    // whatever the record offset: the type is wrong before the buffer is looked at
    for (int record : new int[] {0, 1000, Integer.MAX_VALUE, -1}) {
      assertEquals("wrong-type", assertThrows(BpfEventsException.class,
          () -> GETTERS.get(getter).get(h, all(ByteOrder.LITTLE_ENDIAN), record)).problem());
    }
  }

  @Test
  void theWrongTypeInBothNotations() {
    FieldHandle pid = EventView.of(CONN).handle("pid");
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> pid.u16(ByteBuffer.allocate(44), 0));
    assertEquals("field pid is u32; expected a u16 field for this getter", e.getMessage());
    assertEquals("field [:pid] is :u32; expected a u16 field for this getter",
        e.message(Notation.EDN));
  }

  @Test
  void aFieldBeyondTheBuffer() {
    FieldHandle pid = EventView.of(CONN).handle("pid"); // bytes 8 to 11 of the record
    ByteBuffer b = ByteBuffer.allocate(20);
    assertEquals(0L, pid.u32(b, 8), "the field ends at 20, the limit");
    BpfEventsException e = assertThrows(BpfEventsException.class, () -> pid.u32(b, 9));
    assertEquals("buffer-too-short", e.problem());
    assertEquals(List.of("pid"), e.data().get("field"));
    assertEquals(9, e.data().get("offset"));
    assertEquals(20, e.data().get("value"));
    assertEquals("a buffer holding the field at 9 + 8", e.data().get("expected"));
    assertEquals("field pid of the record at 9 lies beyond the buffer (20 bytes); expected a"
        + " buffer holding the field at 9 + 8", e.getMessage());
    b.limit(11);
    assertEquals("buffer-too-short", assertThrows(BpfEventsException.class,
        () -> pid.u32(b, 0)).problem(), "the limit, not the capacity");
    assertEquals("buffer-too-short", assertThrows(BpfEventsException.class,
        () -> pid.bits(b, 0)).problem());
    assertEquals("buffer-too-short", assertThrows(BpfEventsException.class,
        () -> pid.u32(b, Integer.MAX_VALUE)).problem());
  }

  @Test
  void aNegativeRecordIndex() {
    // record -4 + offset 8 would be index 4, inside the buffer: it must not be read
    FieldHandle pid = EventView.of(CONN).handle("pid");
    ByteBuffer b = ByteBuffer.allocate(44);
    BpfEventsException e = assertThrows(BpfEventsException.class, () -> pid.u32(b, -4));
    assertEquals("buffer-too-short", e.problem());
    assertEquals(-4, e.data().get("offset"));
    assertEquals("record offset -4 is negative; expected a record offset from 0",
        e.getMessage());
    assertEquals("buffer-too-short", assertThrows(BpfEventsException.class,
        () -> pid.bits(b, -4)).problem());
    FieldHandle comm = EventView.of(CONN).handle("comm");
    assertEquals("buffer-too-short", assertThrows(BpfEventsException.class,
        () -> comm.string(b, -20)).problem());
    assertEquals("buffer-too-short", assertThrows(BpfEventsException.class,
        () -> pid.u32(b, Integer.MIN_VALUE)).problem());
  }

  @Test
  void aNullBuffer() {
    FieldHandle pid = EventView.of(CONN).handle("pid");
    BpfEventsException e = assertThrows(BpfEventsException.class, () -> pid.u32(null, 0));
    assertEquals("not-a-buffer", e.problem());
    assertEquals("buffer is null; expected a buffer holding the record", e.getMessage());
    assertEquals("not-a-buffer", assertThrows(BpfEventsException.class,
        () -> pid.bits(null, 0)).problem());
    assertEquals("not-a-buffer", assertThrows(BpfEventsException.class,
        () -> EventView.of(CONN).handle("comm").string(null, 0)).problem());
  }

  /**
   * comm lies at 28 to 43; a buffer of 30 bytes holds only its first two. The documentation
   * says a field beyond the buffer is an error; with a NUL among those two bytes the text
   * is returned instead.
   */
  @Test
  void textBeyondTheBufferIsAnErrorWhateverItHolds() {
    FieldHandle comm = EventView.of(CONN).handle("comm");
    ByteBuffer b = ByteBuffer.allocate(30);
    b.put(28, (byte) 'a');
    BpfEventsException e = assertThrows(BpfEventsException.class, () -> comm.string(b, 0));
    assertEquals("buffer-too-short", e.problem());
  }

  @Test
  void textBeyondTheBufferWithoutANul() {
    FieldHandle comm = EventView.of(CONN).handle("comm");
    ByteBuffer b = ByteBuffer.allocate(30);
    b.put(28, (byte) 'a').put(29, (byte) 'b');
    assertEquals("buffer-too-short", assertThrows(BpfEventsException.class,
        () -> comm.string(b, 0)).problem());
  }

  @Test
  void whatAHandleKnows() {
    EventView v = EventView.of(Examples.FLOW_EVENT);
    FieldHandle port = v.handle("dst", "port");
    assertSame(FieldType.BE16, port.type());
    assertEquals(24, port.offset());
    assertEquals(1, port.count());
    assertEquals("dst.port", port.pathText());
    assertEquals("FieldHandle{dst.port @24 (2 bytes)}", port.toString());
    FieldHandle comm = v.handle("comm");
    assertEquals(16, comm.count());
    assertEquals(32, comm.offset());
    FieldHandle third = v.handle("comm", 2);
    assertEquals(1, third.count());
    assertEquals(34, third.offset());
    assertEquals("comm[2]", third.pathText());
  }

  @Test
  void elementsOfArrays() {
    ByteBuffer b = ByteBuffer.wrap(EventDecoderTest.CONN_BYTES);
    EventView v = EventView.of(CONN);
    assertEquals(2L, v.handle("padding", 1).u8(b, 0));
    assertEquals("r", v.handle("comm", 2).string(b, 0));
    assertEquals((long) 'l', v.handle("comm", 3).u8(b, 0));
    assertEquals("curl", v.handle("comm").string(b, 0));
    // an array's handle reads its first element
    assertEquals(1L, v.handle("padding").u8(b, 0));
  }

  @Test
  void bitsReadsByTheFieldsOwnType() {
    EventView v = EventView.of(ALL);
    ByteBuffer b = all(ByteOrder.BIG_ENDIAN);
    assertEquals(-1L, v.handle("i8").bits(b, 3));
    assertEquals(128L, v.handle("u8").bits(b, 3));
    assertEquals(443L, v.handle("be16").bits(b, 3));
    assertEquals(443L, v.handle("u16").bits(b, 3));
    assertEquals(-1L, v.handle("u64").bits(b, 3));
    assertEquals(0x6fL, v.handle("text").bits(b, 3));
  }

  @Test
  void handlesReadRecordsDirectly() {
    ByteBuffer b = EventViewTest.record(ByteOrder.BIG_ENDIAN);
    EventView v = EventView.of(CONN);
    FieldHandle pid = v.handle("pid");
    FieldHandle comm = v.handle("comm");
    assertEquals(0x11223344L, pid.u32(b, 5));
    assertEquals("curl", comm.string(b, 5));
    assertEquals(0xfffeL, v.handle("sport").u16(b, 5));
    assertEquals("wrong-type",
        assertThrows(BpfEventsException.class, () -> pid.u16(b, 5)).problem());
    BpfEventsException e = assertThrows(BpfEventsException.class, () -> pid.u32(b, 45));
    assertEquals("buffer-too-short", e.problem());
    assertEquals(52, e.data().get("value"));
    assertEquals("not-a-buffer",
        assertThrows(BpfEventsException.class, () -> pid.u32(null, 0)).problem());
    assertEquals("not-a-scalar",
        assertThrows(BpfEventsException.class,
            () -> EventView.of(LayoutEngine.layout("O", List.of(FieldSpec.of("in", CONN, 1))))
                .handle("in")).problem());
  }
}
