package io.github.bpfevents.layout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Notation;
import io.github.bpfevents.asm.Size;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The type table, row by row as its documentation gives it (name, size, signedness, byte
 * order, C type of {@code <linux/types.h>}, the range of a C integer of that width, what it
 * reads as), and the readers and writers at the edges of each range, checked against bytes
 * written out by hand: little-endian for every type but {@code be16}, {@code be32} and
 * {@code be64}.
 */
class FieldTypeTest {
  private static final BigInteger TWO_63 = BigInteger.ONE.shiftLeft(63);
  private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

  private static final List<String> TYPE_NAMES =
      List.of("u8", "i8", "u16", "i16", "u32", "i32", "u64", "i64", "char", "ptr", "be16",
          "be32", "be64", "i128", "u128");

  static Stream<Arguments> fieldTypes() {
    return Stream.of(
        Arguments.of("u8", FieldType.U8, 1, Size.B, false),
        Arguments.of("i8", FieldType.I8, 1, Size.B, true),
        Arguments.of("u16", FieldType.U16, 2, Size.H, false),
        Arguments.of("i16", FieldType.I16, 2, Size.H, true),
        Arguments.of("u32", FieldType.U32, 4, Size.W, false),
        Arguments.of("i32", FieldType.I32, 4, Size.W, true),
        Arguments.of("u64", FieldType.U64, 8, Size.DW, false),
        Arguments.of("i64", FieldType.I64, 8, Size.DW, true),
        Arguments.of("char", FieldType.CHAR, 1, Size.B, false),
        Arguments.of("ptr", FieldType.PTR, 8, Size.DW, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fieldTypes")
  void fieldTypeTable(String name, FieldType type, int size, Size store, boolean signed) {
    assertSame(type, FieldType.named(name));
    assertEquals(name, type.typeName());
    assertEquals(size, type.size());
    assertEquals(store.bytes(), type.size());
    assertEquals(signed, type.signed());
  }

  @Test
  void fieldTypeNamesInOrder() {
    assertEquals(List.of("u8", "i8", "u16", "i16", "u32", "i32", "u64", "i64", "char", "ptr", "be16",
          "be32", "be64", "i128", "u128"),
        FieldType.names());
  }

  /** The documented table, with each type's range. */
  record Row(String name, FieldType type, int size, boolean signed, boolean bigEndian,
      String cType, String min, String max, FieldType readsAs) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Row> table() {
    return Stream.of(
        new Row("u8", FieldType.U8, 1, false, false, "__u8", "0", "255", FieldType.U8),
        new Row("i8", FieldType.I8, 1, true, false, "__s8", "-128", "127", FieldType.I8),
        new Row("u16", FieldType.U16, 2, false, false, "__u16", "0", "65535", FieldType.U16),
        new Row("i16", FieldType.I16, 2, true, false, "__s16", "-32768", "32767",
            FieldType.I16),
        new Row("u32", FieldType.U32, 4, false, false, "__u32", "0", "4294967295",
            FieldType.U32),
        new Row("i32", FieldType.I32, 4, true, false, "__s32", "-2147483648", "2147483647",
            FieldType.I32),
        new Row("u64", FieldType.U64, 8, false, false, "__u64", "0", "18446744073709551615",
            FieldType.U64),
        new Row("i64", FieldType.I64, 8, true, false, "__s64", "-9223372036854775808",
            "9223372036854775807", FieldType.I64),
        new Row("char", FieldType.CHAR, 1, false, false, "char", "0", "255", FieldType.U8),
        new Row("ptr", FieldType.PTR, 8, false, false, "__u64", "0", "18446744073709551615",
            FieldType.U64),
        new Row("be16", FieldType.BE16, 2, false, true, "__be16", "0", "65535",
            FieldType.BE16),
        new Row("be32", FieldType.BE32, 4, false, true, "__be32", "0", "4294967295",
            FieldType.BE32),
        new Row("be64", FieldType.BE64, 8, false, true, "__be64", "0", "18446744073709551615",
            FieldType.BE64),
        new Row("i128", FieldType.I128, 16, true, false, "__int128",
            "-170141183460469231731687303715884105728",
            "170141183460469231731687303715884105727", FieldType.I128),
        new Row("u128", FieldType.U128, 16, false, false, "unsigned __int128", "0",
            "340282366920938463463374607431768211455", FieldType.U128));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void everyRowOfTheTable(Row r) {
    FieldType t = r.type();
    assertSame(t, FieldType.named(r.name()));
    assertEquals(r.name(), t.typeName());
    assertEquals(r.size(), t.size());
    assertEquals(r.size(), t.alignment(), "natural alignment is the size");
    assertEquals(r.signed(), t.signed());
    assertEquals(r.bigEndian(), t.bigEndian());
    assertEquals(r.cType(), t.cType());
    assertEquals(new BigInteger(r.min()), t.min());
    assertEquals(new BigInteger(r.max()), t.max());
    assertSame(r.readsAs(), t.readsAs());
    assertEquals(r.name().equals("char"), t.text());
    assertEquals(r.name(), t.shown(Notation.JAVA));
    assertEquals(":" + r.name(), t.shown(Notation.EDN));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void fitsExactlyTheRange(Row r) {
    BigInteger min = new BigInteger(r.min());
    BigInteger max = new BigInteger(r.max());
    assertTrue(r.type().fits(min));
    assertTrue(r.type().fits(max));
    assertTrue(r.type().fits(BigInteger.ZERO));
    assertFalse(r.type().fits(min.subtract(BigInteger.ONE)));
    assertFalse(r.type().fits(max.add(BigInteger.ONE)));
  }

  @Test
  void everyTypeIsInTheTable() {
    assertEquals(FieldType.values().length, table().count());
    assertEquals(TYPE_NAMES, FieldType.names());
    assertThrows(UnsupportedOperationException.class, () -> FieldType.names().add("u256"));
  }

  // ---------------------------------------------------------------------------------------
  // Reading and writing

  /**
   * type, value (as a C program would hold it), its bytes in the record, read() of them:
   * the edges of every range, and a value whose bytes are all different.
   */
  static Stream<Arguments> encodings() {
    return Stream.of(
        Arguments.of(FieldType.U8, "0", "00", 0L),
        Arguments.of(FieldType.U8, "255", "ff", 255L),
        Arguments.of(FieldType.U8, "128", "80", 128L),
        Arguments.of(FieldType.CHAR, "255", "ff", 255L),
        Arguments.of(FieldType.CHAR, "65", "41", 65L),
        Arguments.of(FieldType.I8, "-128", "80", -128L),
        Arguments.of(FieldType.I8, "127", "7f", 127L),
        Arguments.of(FieldType.I8, "-1", "ff", -1L),
        Arguments.of(FieldType.U16, "65535", "ff ff", 65535L),
        Arguments.of(FieldType.U16, "4660", "34 12", 0x1234L),
        Arguments.of(FieldType.I16, "-32768", "00 80", -32768L),
        Arguments.of(FieldType.I16, "32767", "ff 7f", 32767L),
        Arguments.of(FieldType.I16, "-2", "fe ff", -2L),
        Arguments.of(FieldType.U32, "4294967295", "ff ff ff ff", 4294967295L),
        Arguments.of(FieldType.U32, "305419896", "78 56 34 12", 0x12345678L),
        Arguments.of(FieldType.I32, "-2147483648", "00 00 00 80", -2147483648L),
        Arguments.of(FieldType.I32, "2147483647", "ff ff ff 7f", 2147483647L),
        Arguments.of(FieldType.U64, "18446744073709551615", "ff ff ff ff ff ff ff ff", -1L),
        Arguments.of(FieldType.U64, "9223372036854775808", "00 00 00 00 00 00 00 80",
            Long.MIN_VALUE),
        Arguments.of(FieldType.U64, "9223372036854775807", "ff ff ff ff ff ff ff 7f",
            Long.MAX_VALUE),
        Arguments.of(FieldType.U64, "72623859790382856", "08 07 06 05 04 03 02 01",
            0x0102030405060708L),
        Arguments.of(FieldType.PTR, "18446744073709551615", "ff ff ff ff ff ff ff ff", -1L),
        Arguments.of(FieldType.PTR, "72623859790382856", "08 07 06 05 04 03 02 01",
            0x0102030405060708L),
        Arguments.of(FieldType.I64, "-9223372036854775808", "00 00 00 00 00 00 00 80",
            Long.MIN_VALUE),
        Arguments.of(FieldType.I64, "9223372036854775807", "ff ff ff ff ff ff ff 7f",
            Long.MAX_VALUE),
        Arguments.of(FieldType.I64, "-1", "ff ff ff ff ff ff ff ff", -1L),
        // network byte order: the most significant byte first
        Arguments.of(FieldType.BE16, "443", "01 bb", 443L),
        Arguments.of(FieldType.BE16, "65535", "ff ff", 65535L),
        Arguments.of(FieldType.BE16, "32768", "80 00", 32768L),
        Arguments.of(FieldType.BE32, "167772161", "0a 00 00 01", 0x0a000001L),
        Arguments.of(FieldType.BE32, "4294967295", "ff ff ff ff", 4294967295L),
        Arguments.of(FieldType.BE32, "2147483648", "80 00 00 00", 2147483648L),
        Arguments.of(FieldType.BE64, "72623859790382856", "01 02 03 04 05 06 07 08",
            0x0102030405060708L),
        Arguments.of(FieldType.BE64, "18446744073709551615", "ff ff ff ff ff ff ff ff", -1L),
        Arguments.of(FieldType.BE64, "9223372036854775809", "80 00 00 00 00 00 00 01",
            Long.MIN_VALUE + 1));
  }

  /** A 16-byte buffer filled with 0xee, in the given order, the value's bytes at 3. */
  private static ByteBuffer buffer(ByteOrder order) {
    byte[] b = new byte[16];
    java.util.Arrays.fill(b, (byte) 0xee);
    return ByteBuffer.wrap(b).order(order);
  }

  private static byte[] expectedBuffer(String hex) {
    byte[] want = new byte[16];
    java.util.Arrays.fill(want, (byte) 0xee);
    byte[] bytes = HexFormat.ofDelimiter(" ").parseHex(hex);
    System.arraycopy(bytes, 0, want, 3, bytes.length);
    return want;
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("encodings")
  void writeGivesTheBytesWhateverTheBufferOrder(FieldType t, String value, String hex,
      long bits) {
    for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
      ByteBuffer b = buffer(order);
      t.write(b, 3, new BigInteger(value).longValue());
      assertArrayEquals(expectedBuffer(hex), b.array(), order.toString());
      assertEquals(0, b.position(), "absolute: the position does not move");
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("encodings")
  void readGivesTheValueWhateverTheBufferOrder(FieldType t, String value, String hex,
      long bits) {
    for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
      ByteBuffer b = ByteBuffer.wrap(expectedBuffer(hex)).order(order);
      assertEquals(bits, t.read(b, 3), order.toString());
      assertEquals(new BigInteger(value), new BigInteger(t.value(b, 3).toString()));
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("encodings")
  void valueIsALongBelowTwoToThe63AndABigIntegerAbove(FieldType t, String value, String hex,
      long bits) {
    ByteBuffer b = ByteBuffer.wrap(expectedBuffer(hex));
    Object v = t.value(b, 3);
    BigInteger n = new BigInteger(value);
    if (n.compareTo(TWO_63) >= 0) {
      assertEquals(BigInteger.class, v.getClass());
      assertEquals(n, v);
    } else {
      assertEquals(Long.class, v.getClass());
      assertEquals(n.longValueExact(), v);
    }
  }

  /**
   * The 128-bit types, their bytes as gcc stores an {@code __int128} on x86-64 (and clang
   * for {@code -target bpf}): little-endian, the low 64 bits first; a Long when the value
   * fits one, else a BigInteger, a u128 never negative.
   */
  static Stream<Arguments> wideEncodings() {
    return Stream.of(
        Arguments.of(FieldType.I128, "0", "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"),
        Arguments.of(FieldType.I128, "-1", "ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff"),
        Arguments.of(FieldType.I128, "-9223372036854775808",
            "00 00 00 00 00 00 00 80 ff ff ff ff ff ff ff ff"),
        Arguments.of(FieldType.I128, "9223372036854775808",
            "00 00 00 00 00 00 00 80 00 00 00 00 00 00 00 00"),
        Arguments.of(FieldType.I128, "-9223372036854775809",
            "ff ff ff ff ff ff ff 7f ff ff ff ff ff ff ff ff"),
        Arguments.of(FieldType.I128, "-170141183460469231731687303715884105728",
            "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 80"),
        Arguments.of(FieldType.I128, "170141183460469231731687303715884105727",
            "ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff 7f"),
        Arguments.of(FieldType.U128, "340282366920938463463374607431768211455",
            "ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff"),
        Arguments.of(FieldType.U128, "18446744073709551616",
            "00 00 00 00 00 00 00 00 01 00 00 00 00 00 00 00"),
        Arguments.of(FieldType.U128, "9223372036854775807",
            "ff ff ff ff ff ff ff 7f 00 00 00 00 00 00 00 00"),
        Arguments.of(FieldType.U128, "21345817372864405881847059188222722561",
            "01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("wideEncodings")
  void theWideTypesWriteAndReadAllSixteenBytes(FieldType t, String value, String hex) {
    BigInteger n = new BigInteger(value);
    assertTrue(t.fits(n));
    byte[] want = HexFormat.ofDelimiter(" ").parseHex(hex);
    for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
      ByteBuffer b = ByteBuffer.allocate(16).order(order);
      t.write(b, 0, n);
      assertArrayEquals(want, b.array(), order.toString());
      Object v = t.value(b, 0);
      assertEquals(n.bitLength() < 64 ? Long.class : BigInteger.class, v.getClass(), value);
      assertEquals(n, new BigInteger(v.toString()));
      assertEquals(n.longValue(), t.read(b, 0), "read gives the low 64 bits");
      if (n.bitLength() < 64) {
        ByteBuffer c = ByteBuffer.allocate(16).order(order);
        t.write(c, 0, n.longValue());
        assertArrayEquals(want, c.array(), "a long is written sign-extended");
      }
    }
  }

  @Test
  void writeKeepsOnlyTheLowBytes() {
    ByteBuffer b = buffer(ByteOrder.BIG_ENDIAN);
    FieldType.U16.write(b, 3, 0x7777_1234L);
    assertArrayEquals(expectedBuffer("34 12"), b.array());
    b = buffer(ByteOrder.LITTLE_ENDIAN);
    FieldType.BE16.write(b, 3, -1L);
    assertArrayEquals(expectedBuffer("ff ff"), b.array());
  }

  @Test
  void theSixtyFourBitUnsignedValuesAtTwoToThe63() {
    byte[] bytes = HexFormat.ofDelimiter(" ").parseHex("00 00 00 00 00 00 00 80");
    assertEquals(TWO_63, FieldType.U64.value(ByteBuffer.wrap(bytes), 0));
    assertEquals(TWO_63, FieldType.PTR.value(ByteBuffer.wrap(bytes), 0));
    assertEquals(Long.MIN_VALUE, FieldType.I64.value(ByteBuffer.wrap(bytes), 0));
    assertEquals(128L, FieldType.BE64.value(ByteBuffer.wrap(bytes), 0));
    byte[] max = HexFormat.ofDelimiter(" ").parseHex("ff ff ff ff ff ff ff ff");
    assertEquals(TWO_64.subtract(BigInteger.ONE), FieldType.BE64.value(ByteBuffer.wrap(max), 0));
  }

  @Test
  void readAndWriteOutsideTheLimitThrowIndexOutOfBounds() {
    ByteBuffer b = ByteBuffer.allocate(16).limit(8);
    for (FieldType t : FieldType.values()) {
      if (t.size() > 8) {
        ByteBuffer w = ByteBuffer.allocate(32).limit(16);
        assertThrows(IndexOutOfBoundsException.class, () -> t.read(w, 1), t.typeName());
        assertThrows(IndexOutOfBoundsException.class, () -> t.value(w, 1), t.typeName());
        assertThrows(IndexOutOfBoundsException.class, () -> t.write(w, 1, BigInteger.ONE));
        assertThrows(IndexOutOfBoundsException.class, () -> t.write(w, 1, 1L));
        assertArrayEquals(new byte[32], w.array(), "nothing written, not even below the limit");
        assertEquals(0L, t.read(w, 0), t.typeName());
        continue;
      }
      int at = 8 - t.size() + 1;
      assertThrows(IndexOutOfBoundsException.class, () -> t.read(b, at), t.typeName());
      assertThrows(IndexOutOfBoundsException.class, () -> t.write(b, at, 0), t.typeName());
      assertThrows(IndexOutOfBoundsException.class, () -> t.read(b, -1), t.typeName());
      assertEquals(0L, t.read(b, 8 - t.size()), t.typeName());
    }
  }

  @Test
  void readsAsNamesTheReaderOfCharAndPtr() {
    assertSame(FieldType.U8, FieldType.CHAR.readsAs());
    assertSame(FieldType.U64, FieldType.PTR.readsAs());
    for (FieldType t : FieldType.values()) {
      if (t != FieldType.CHAR && t != FieldType.PTR) {
        assertSame(t, t.readsAs());
      }
      FieldType r = t.readsAs();
      assertEquals(t.size(), r.size());
      assertEquals(t.signed(), r.signed());
      assertEquals(t.bigEndian(), r.bigEndian());
    }
  }

  // ---------------------------------------------------------------------------------------
  // Errors

  @Test
  void unknownTypeName() {
    for (String name : new String[] {"u33", "U32", "", "int"}) {
      BpfEventsException e = assertThrows(BpfEventsException.class, () -> FieldType.named(name));
      assertEquals("unknown-type", e.problem());
      assertEquals(name, e.data().get("type"));
      assertEquals(TYPE_NAMES, e.data().get("accepted"));
      assertTrue(e.data().containsKey("expected"));
      assertTrue(e.getMessage().contains("type " + name + ";"), e.getMessage());
    }
  }

  @Test
  void unknownTypeNameNull() {
    BpfEventsException e = assertThrows(BpfEventsException.class, () -> FieldType.named(null));
    assertEquals("unknown-type", e.problem());
    assertTrue(e.data().containsKey("type"));
    assertNull(e.data().get("type"));
    assertEquals(TYPE_NAMES, e.data().get("accepted"));
  }

  @Test
  void unknownTypeNameInBothNotations() {
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> FieldType.named("u33"));
    assertEquals("unknown type u33; expected one of [u8, i8, u16, i16, u32, i32, u64, i64,"
        + " char, ptr, be16, be32, be64, i128, u128]", e.getMessage());
    assertEquals("unknown type :u33; expected one of [:u8 :i8 :u16 :i16 :u32 :i32 :u64 :i64"
        + " :char :ptr :be16 :be32 :be64 :i128 :u128]", e.message(Notation.EDN));
    assertEquals("one of {accepted}", e.data().get("expected"));
  }
}
