package io.github.bpfevents.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
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
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Records to data, checked on records written out byte by byte: unsigned, signed and
 * network-order integers, {@code u64} values at and above 2^63 as BigIntegers, text up to
 * its NUL with invalid UTF-8 replaced, arrays and nested events; the error of a buffer too
 * short for the record, the decoder kept per layout and model, and a model of one's own.
 */
class EventDecoderTest {
  private static final EventLayout CONN = Examples.CONNECTION_EVENT;

  private static byte[] hex(String s) {
    return HexFormat.ofDelimiter(" ").parseHex(s);
  }

  /**
   * A ConnectionEvent, byte by byte: timestamp 0x0102030405060708, pid 4242, saddr
   * 127.0.0.1 as a little-endian u32, daddr 0xffffffff, sport 65535, dport 443, protocol 6,
   * direction 255, padding [1 2], comm "curl", a NUL, then bytes after the NUL.
   */
  static final byte[] CONN_BYTES = hex(String.join(" ",
      "08 07 06 05 04 03 02 01", // timestamp @0
      "92 10 00 00", // pid @8
      "7f 00 00 01", // saddr @12
      "ff ff ff ff", // daddr @16
      "ff ff", // sport @20
      "bb 01", // dport @22
      "06", // protocol @24
      "ff", // direction @25
      "01 02", // padding @26
      "63 75 72 6c 00 78 79 7a 00 00 00 00 00 00 00 00")); // comm @28: "curl\0xyz"

  @Test
  void theReferenceRecord() {
    assertEquals(44, CONN_BYTES.length);
    Map<String, Object> m = EventDecoder.decode(CONN, ByteBuffer.wrap(CONN_BYTES), 0);
    assertEquals(0x0102030405060708L, m.get("timestamp"));
    assertEquals(4242L, m.get("pid"));
    assertEquals(0x0100007fL, m.get("saddr"));
    assertEquals(4294967295L, m.get("daddr"));
    assertEquals(65535L, m.get("sport"));
    assertEquals(443L, m.get("dport"));
    assertEquals(6L, m.get("protocol"));
    assertEquals(255L, m.get("direction"));
    assertEquals(List.of(1L, 2L), m.get("padding"));
    assertEquals("curl", m.get("comm"));
  }

  @Test
  void theMapIsInDeclarationOrderAndUnmodifiable() {
    Map<String, Object> m = EventDecoder.decode(CONN, ByteBuffer.wrap(CONN_BYTES), 0);
    assertEquals(CONN.fieldNames(), new ArrayList<>(m.keySet()));
    assertThrows(UnsupportedOperationException.class, () -> m.put("pid", 1L));
    @SuppressWarnings("unchecked")
    List<Object> padding = (List<Object>) m.get("padding");
    assertThrows(UnsupportedOperationException.class, () -> padding.set(0, 9L));
  }

  @Test
  void theBufferOrderPositionAndSurroundingBytesDoNotMatter() {
    byte[] wide = new byte[7 + 44 + 5];
    Arrays.fill(wide, (byte) 0x5a);
    System.arraycopy(CONN_BYTES, 0, wide, 7, 44);
    Map<String, Object> plain = EventDecoder.decode(CONN, ByteBuffer.wrap(CONN_BYTES), 0);
    for (ByteOrder order : List.of(ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN)) {
      ByteBuffer b = ByteBuffer.wrap(wide).order(order);
      b.position(30);
      assertEquals(plain, EventDecoder.decode(CONN, b, 7));
      assertEquals(30, b.position(), "the position is not moved");
      ByteBuffer direct = ByteBuffer.allocateDirect(wide.length).order(order);
      direct.put(wide).clear();
      assertEquals(plain, EventDecoder.decode(CONN, direct, 7));
    }
    assertEquals(plain, EventDecoder.of(CONN, DataModel.JAVA).decode(wide, 7));
  }

  /** Every scalar type once, natural: its bytes and the value C reads from them. */
  static final EventLayout SCALARS = LayoutEngine.layout("Scalars", List.of(
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
      FieldSpec.of("u32", FieldType.U32)), // @48, size 56
      Packing.NATURAL);

  @Test
  void signedUnsignedAndNetworkOrder() {
    assertEquals(56, SCALARS.size());
    byte[] b = hex(String.join(" ",
        "ff", // i8 -1
        "80", // u8 128
        "00 80", // i16 -32768
        "ff ff ff 7f", // i32 2147483647
        "00 00 00 00 00 00 00 80", // i64 -2^63
        "ff ff ff ff ff ff ff ff", // u64 2^64-1
        "ff ff ff ff ff ff ff 7f", // ptr 2^63-1
        "01 bb", // be16 443
        "bb 01", // u16 443
        "0a 00 00 01", // be32 10.0.0.1
        "80 00 00 00 00 00 00 01", // be64 2^63+1
        "00 00 00 80", // u32 2^31
        "00 00 00 00"));
    Map<String, Object> m = EventDecoder.decode(SCALARS, ByteBuffer.wrap(b), 0);
    assertEquals(-1L, m.get("i8"));
    assertEquals(128L, m.get("u8"));
    assertEquals(-32768L, m.get("i16"));
    assertEquals(2147483647L, m.get("i32"));
    assertEquals(Long.MIN_VALUE, m.get("i64"));
    assertEquals(new BigInteger("18446744073709551615"), m.get("u64"));
    assertEquals(Long.MAX_VALUE, m.get("ptr"));
    assertEquals(443L, m.get("be16"));
    assertEquals(443L, m.get("u16"));
    assertEquals(0x0a000001L, m.get("be32"));
    assertEquals(new BigInteger("9223372036854775809"), m.get("be64"));
    assertEquals(2147483648L, m.get("u32"));
    for (Object v : m.values()) {
      if (!(v instanceof BigInteger)) {
        assertInstanceOf(Long.class, v);
      }
    }
  }

  @Test
  void theSixtyFourBitUnsignedValuesAroundTwoToThe63() {
    EventLayout e = LayoutEngine.layout("E", List.of(FieldSpec.of("a", FieldType.U64),
        FieldSpec.of("b", FieldType.U64), FieldSpec.of("c", FieldType.PTR)));
    byte[] b = hex("ff ff ff ff ff ff ff 7f 00 00 00 00 00 00 00 80 01 00 00 00 00 00 00 80");
    Map<String, Object> m = EventDecoder.decode(e, ByteBuffer.wrap(b), 0);
    assertEquals(Long.class, m.get("a").getClass());
    assertEquals(Long.MAX_VALUE, m.get("a"));
    assertEquals(BigInteger.ONE.shiftLeft(63), m.get("b"));
    assertEquals(BigInteger.ONE.shiftLeft(63).add(BigInteger.ONE), m.get("c"));
  }

  // ---------------------------------------------------------------------------------------
  // Text

  private static final EventLayout TEXT = LayoutEngine.layout("T", List.of(
      FieldSpec.of("s", FieldType.CHAR, 4), FieldSpec.of("after", FieldType.U8)));

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "00 00 00 00 | ''",
      "61 00 62 63 | a",
      "61 62 63 64 | abcd", // no NUL: the whole array, not the byte after it
      "c3 a9 00 00 | \u00e9",
      "61 ff 62 00 | a\ufffdb", // an invalid byte
      "61 62 63 c3 | abc\ufffd", // a sequence cut by the array's end
      "e2 82 ac 00 | \u20ac",
      "f0 9f 98 80 | \ud83d\ude00", // four bytes: a surrogate pair in Java
      "80 80 00 00 | \ufffd\ufffd", // continuation bytes alone
  })
  void textUpToTheNulAsUtf8(String bytes, String text) {
    byte[] b = hex(bytes + " 21");
    Map<String, Object> m = EventDecoder.decode(TEXT, ByteBuffer.wrap(b), 0);
    assertEquals(text, m.get("s"));
    assertEquals(0x21L, m.get("after"));
  }

  // ---------------------------------------------------------------------------------------
  // Arrays and nested events

  @Test
  void arraysAreListsOfTheirElements() {
    EventLayout e = LayoutEngine.layout("A", List.of(FieldSpec.of("w", FieldType.I16, 3),
        FieldSpec.of("q", FieldType.BE32, 2), FieldSpec.of("one", FieldType.U32, 1)));
    byte[] b = hex("ff ff 02 00 00 80 00 00 00 01 ff ff ff ff 05 00 00 00");
    Map<String, Object> m = EventDecoder.decode(e, ByteBuffer.wrap(b), 0);
    assertEquals(List.of(-1L, 2L, -32768L), m.get("w"));
    assertEquals(List.of(1L, 4294967295L), m.get("q"));
    // a count of one is a scalar
    assertEquals(5L, m.get("one"));
  }

  @Test
  void nestedEventsAreNestedMaps() {
    // FlowEvent, natural: ts @0, protocol @8, src @12 (addr, port), dst @20, pid @28, comm @32
    byte[] b = new byte[48];
    byte[] src = hex("c0 a8 00 01 00 50");
    byte[] dst = hex("0a 00 00 02 01 bb");
    System.arraycopy(src, 0, b, 12, 6);
    System.arraycopy(dst, 0, b, 20, 6);
    b[8] = 17;
    b[28] = 7;
    b[32] = 'x';
    Map<String, Object> m = EventDecoder.decode(Examples.FLOW_EVENT, ByteBuffer.wrap(b), 0);
    assertEquals(Map.of("addr", 0xc0a80001L, "port", 80L), m.get("src"));
    assertEquals(Map.of("addr", 0x0a000002L, "port", 443L), m.get("dst"));
    assertEquals(17L, m.get("protocol"));
    assertEquals(7L, m.get("pid"));
    assertEquals("x", m.get("comm"));
    assertEquals(List.of("addr", "port"),
        new ArrayList<>(DataModel.asMap(m.get("src")).keySet()));
  }

  @Test
  void arraysOfEventsAreListsOfMaps() {
    EventLayout hop = LayoutEngine.layout("Hop", List.of(FieldSpec.of("ttl", FieldType.U8),
        FieldSpec.of("id", FieldType.U16)));
    EventLayout route = LayoutEngine.layout("Route", List.of(FieldSpec.of("n", FieldType.U8),
        FieldSpec.of("hops", hop, 3)));
    byte[] b = hex("03 01 0a 00 02 14 00 03 1e 00");
    Map<String, Object> m = EventDecoder.decode(route, ByteBuffer.wrap(b), 0);
    assertEquals(3L, m.get("n"));
    assertEquals(List.of(Map.of("ttl", 1L, "id", 10L), Map.of("ttl", 2L, "id", 20L),
        Map.of("ttl", 3L, "id", 30L)), m.get("hops"));
  }

  // ---------------------------------------------------------------------------------------
  // Errors

  @Test
  void aBufferTooShortForTheRecord() {
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> EventDecoder.decode(CONN, ByteBuffer.allocate(43), 0));
    assertEquals("buffer-too-short", e.problem());
    assertEquals("ConnectionEvent", e.data().get("event"));
    assertEquals(0L, e.data().get("offset"));
    assertEquals(44, e.data().get("size"));
    assertEquals(43, e.data().get("value"));
    assertEquals("at least 44 bytes", e.data().get("expected"));
    assertEquals("a ConnectionEvent record (44 bytes) at offset 0 needs 44 bytes, but the"
        + " buffer has 43; expected at least 44 bytes", e.getMessage());
    assertEquals(e.getMessage(), e.message(Notation.EDN));
  }

  @Test
  void theRecordMustEndBelowTheLimit() {
    ByteBuffer b = ByteBuffer.allocate(100);
    assertEquals(CONN.fieldNames().size(), EventDecoder.decode(CONN, b, 56).size());
    BpfEventsException at57 = assertThrows(BpfEventsException.class,
        () -> EventDecoder.decode(CONN, b, 57));
    assertEquals(57L, at57.data().get("offset"));
    assertEquals(100, at57.data().get("value"));
    assertEquals("at least 101 bytes", at57.data().get("expected"));
    b.limit(50);
    BpfEventsException limited = assertThrows(BpfEventsException.class,
        () -> EventDecoder.decode(CONN, b, 10));
    assertEquals(10L, limited.data().get("offset"));
    assertEquals(50, limited.data().get("value"), "the limit, not the capacity");
    assertEquals("a ConnectionEvent record (44 bytes) at offset 10 needs 54 bytes, but the"
        + " buffer has 50; expected at least 54 bytes", limited.getMessage());
  }

  @Test
  void negativeAndHugeOffsets() {
    EventDecoder d = EventDecoder.of(CONN, DataModel.JAVA);
    ByteBuffer b = ByteBuffer.allocate(100);
    BpfEventsException negative = assertThrows(BpfEventsException.class, () -> d.decode(b, -1));
    assertEquals("buffer-too-short", negative.problem());
    assertEquals(-1L, negative.data().get("offset"));
    BpfEventsException huge = assertThrows(BpfEventsException.class,
        () -> d.decode(b, 1L << 32));
    assertEquals("buffer-too-short", huge.problem());
    assertEquals(1L << 32, huge.data().get("offset"));
    BpfEventsException bytes = assertThrows(BpfEventsException.class,
        () -> d.decode(new byte[44], 1));
    assertEquals("buffer-too-short", bytes.problem());
  }

  /**
   * An offset so large that offset + size passes Long.MAX_VALUE: the record's end wraps
   * around to a negative number, which the check takes for "below the limit", and the
   * decoder then reads at (int) offset.
   */
  @Test
  void anOffsetNearLongMaxIsTooShortToo() {
    EventDecoder d = EventDecoder.of(CONN, DataModel.JAVA);
    ByteBuffer b = ByteBuffer.allocate(100);
    BpfEventsException max = assertThrows(BpfEventsException.class,
        () -> d.decode(b, Long.MAX_VALUE - 10));
    assertEquals("buffer-too-short", max.problem());
    assertEquals(Long.MAX_VALUE - 10, max.data().get("offset"));
  }

  @Test
  void nullArguments() {
    assertEquals("not-a-buffer", assertThrows(BpfEventsException.class,
        () -> EventDecoder.decode(CONN, null, 0)).problem());
    assertEquals("not-a-buffer", assertThrows(BpfEventsException.class,
        () -> EventDecoder.of(CONN, DataModel.JAVA).decode((byte[]) null, 0)).problem());
    assertEquals("not-an-event", assertThrows(BpfEventsException.class,
        () -> EventDecoder.decode(null, ByteBuffer.allocate(44), 0)).problem());
    assertEquals("not-an-event", assertThrows(BpfEventsException.class,
        () -> EventDecoder.of(null, DataModel.JAVA)).problem());
    BpfEventsException model = assertThrows(BpfEventsException.class,
        () -> EventDecoder.of(CONN, null));
    assertEquals("missing-argument", model.problem());
    assertEquals("model", model.data().get("key"));
  }

  // ---------------------------------------------------------------------------------------
  // Decoders and models

  @Test
  void oneDecoderPerLayoutAndModel() {
    EventDecoder a = EventDecoder.of(CONN, DataModel.JAVA);
    assertSame(a, EventDecoder.of(CONN, DataModel.JAVA));
    assertSame(CONN, a.event());
    assertSame(DataModel.JAVA, a.model());
    DataModel other = new SortedModel();
    EventDecoder b = EventDecoder.of(CONN, other);
    assertNotSame(a, b);
    assertSame(b, EventDecoder.of(CONN, other));
    assertNotSame(a, EventDecoder.of(Examples.FLOW_EVENT, DataModel.JAVA));
    assertEquals("EventDecoder{ConnectionEvent}", a.toString());
  }

  /** Upper-case keys in TreeMaps, arrays, counting every call. */
  static final class SortedModel implements DataModel {
    final AtomicInteger keys = new AtomicInteger();
    final AtomicInteger maps = new AtomicInteger();
    final AtomicInteger lists = new AtomicInteger();

    @Override
    public Object key(String fieldName) {
      keys.incrementAndGet();
      return fieldName.toUpperCase();
    }

    @Override
    public String name(Object key) {
      return key instanceof String s && s.equals(s.toUpperCase()) ? s.toLowerCase() : null;
    }

    @Override
    public Object map(Object[] keysAndValues) {
      maps.incrementAndGet();
      TreeMap<Object, Object> m = new TreeMap<>();
      for (int i = 0; i < keysAndValues.length; i += 2) {
        m.put(keysAndValues[i], keysAndValues[i + 1]);
      }
      return m;
    }

    @Override
    public Object list(Object[] items) {
      lists.incrementAndGet();
      return items;
    }
  }

  @Test
  void aModelOfOnesOwnBuildsTheData() {
    SortedModel model = new SortedModel();
    EventDecoder d = EventDecoder.of(CONN, model);
    assertEquals(10, model.keys.get(), "a key per field, when the decoder is built");
    Object record = d.decode(CONN_BYTES, 0);
    TreeMap<?, ?> m = assertInstanceOf(TreeMap.class, record);
    assertEquals(List.of("COMM", "DADDR", "DIRECTION", "DPORT", "PADDING", "PID", "PROTOCOL",
        "SADDR", "SPORT", "TIMESTAMP"), new ArrayList<>(m.keySet()));
    assertEquals(4242L, m.get("PID"));
    assertEquals("curl", m.get("COMM"));
    Object[] padding = assertInstanceOf(Object[].class, m.get("PADDING"));
    assertEquals(List.of(1L, 2L), Arrays.asList(padding));
    d.decode(CONN_BYTES, 0);
    assertEquals(10, model.keys.get(), "keys are made once");
    assertEquals(2, model.maps.get());
    assertEquals(2, model.lists.get());
  }

  @Test
  void nestedEventsAreBuiltInTheSameModel() {
    SortedModel model = new SortedModel();
    EventDecoder d = EventDecoder.of(Examples.FLOW_EVENT, model);
    // six fields of FlowEvent, two of Endpoint (its decoder is made once for src and dst)
    assertEquals(8, model.keys.get());
    byte[] b = new byte[48];
    b[16] = 1;
    TreeMap<?, ?> m = assertInstanceOf(TreeMap.class, d.decode(b, 0));
    TreeMap<?, ?> src = assertInstanceOf(TreeMap.class, m.get("SRC"));
    assertEquals(256L, src.get("PORT"));
    assertEquals(3, model.maps.get());
    assertSame(EventDecoder.of(Examples.ENDPOINT, model), EventDecoder.of(Examples.ENDPOINT,
        model));
  }
}
