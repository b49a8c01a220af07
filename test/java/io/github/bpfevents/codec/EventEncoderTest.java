package io.github.bpfevents.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Examples;
import io.github.bpfevents.Notation;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.FieldSpec;
import io.github.bpfevents.layout.FieldType;
import io.github.bpfevents.layout.LayoutEngine;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Data to records: each type takes exactly the range of a C integer of its width (the
 * edges accepted, one past refused with {@code bad-value} naming the field's path), its
 * bytes written little-endian or in network order; text that fits the array as UTF-8
 * without NUL; arrays of exactly their count (an endless one refused, not followed);
 * nested maps; unknown keys; and the keys of a model of one's own.
 */
class EventEncoderTest {
  private static final EventLayout CONN = Examples.CONNECTION_EVENT;

  private static byte[] hex(String s) {
    return HexFormat.ofDelimiter(" ").parseHex(s);
  }

  private static EventLayout one(FieldType t) {
    return LayoutEngine.layout("One", List.of(FieldSpec.of("v", t)));
  }

  private static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  private static BpfEventsException refused(EventLayout e, Map<?, ?> values) {
    return assertThrows(BpfEventsException.class, () -> EventEncoder.encode(e, values));
  }

  /** type, a value at an edge of its range (or inside), its bytes. */
  static Stream<Arguments> accepted() {
    return Stream.of(
        Arguments.of(FieldType.U8, 0L, "00"),
        Arguments.of(FieldType.U8, 255L, "ff"),
        Arguments.of(FieldType.I8, -128L, "80"),
        Arguments.of(FieldType.I8, 127L, "7f"),
        Arguments.of(FieldType.U16, 65535L, "ff ff"),
        Arguments.of(FieldType.U16, 0x1234L, "34 12"),
        Arguments.of(FieldType.I16, -32768L, "00 80"),
        Arguments.of(FieldType.I16, 32767L, "ff 7f"),
        Arguments.of(FieldType.U32, 4294967295L, "ff ff ff ff"),
        Arguments.of(FieldType.U32, 0x12345678L, "78 56 34 12"),
        Arguments.of(FieldType.I32, -2147483648L, "00 00 00 80"),
        Arguments.of(FieldType.I32, 2147483647L, "ff ff ff 7f"),
        Arguments.of(FieldType.U64, new BigInteger("18446744073709551615"),
            "ff ff ff ff ff ff ff ff"),
        Arguments.of(FieldType.U64, new BigInteger("9223372036854775808"),
            "00 00 00 00 00 00 00 80"),
        Arguments.of(FieldType.U64, Long.MAX_VALUE, "ff ff ff ff ff ff ff 7f"),
        Arguments.of(FieldType.U64, 0L, "00 00 00 00 00 00 00 00"),
        Arguments.of(FieldType.PTR, new BigInteger("18446744073709551615"),
            "ff ff ff ff ff ff ff ff"),
        Arguments.of(FieldType.I64, Long.MIN_VALUE, "00 00 00 00 00 00 00 80"),
        Arguments.of(FieldType.I64, Long.MAX_VALUE, "ff ff ff ff ff ff ff 7f"),
        Arguments.of(FieldType.I64, -1L, "ff ff ff ff ff ff ff ff"),
        Arguments.of(FieldType.BE16, 443L, "01 bb"),
        Arguments.of(FieldType.BE16, 65535L, "ff ff"),
        Arguments.of(FieldType.BE32, 0x0a000001L, "0a 00 00 01"),
        Arguments.of(FieldType.BE32, 4294967295L, "ff ff ff ff"),
        Arguments.of(FieldType.BE64, 0x0102030405060708L, "01 02 03 04 05 06 07 08"),
        Arguments.of(FieldType.BE64, new BigInteger("18446744073709551615"),
            "ff ff ff ff ff ff ff ff"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("accepted")
  void theEdgesOfEachRange(FieldType t, Object value, String bytes) {
    assertArrayEquals(hex(bytes), EventEncoder.encode(one(t), Map.of("v", value)));
  }

  /** type, the value one past an edge of its range, the range as the message gives it. */
  static Stream<Arguments> refusedValues() {
    return Stream.of(
        Arguments.of(FieldType.U8, 256L, "0 to 255"),
        Arguments.of(FieldType.U8, -1L, "0 to 255"),
        Arguments.of(FieldType.I8, 128L, "-128 to 127"),
        Arguments.of(FieldType.I8, -129L, "-128 to 127"),
        Arguments.of(FieldType.U16, 65536L, "0 to 65535"),
        Arguments.of(FieldType.I16, 32768L, "-32768 to 32767"),
        Arguments.of(FieldType.I16, -32769L, "-32768 to 32767"),
        Arguments.of(FieldType.U32, 4294967296L, "0 to 4294967295"),
        Arguments.of(FieldType.U32, -1L, "0 to 4294967295"),
        Arguments.of(FieldType.I32, 2147483648L, "-2147483648 to 2147483647"),
        Arguments.of(FieldType.I32, -2147483649L, "-2147483648 to 2147483647"),
        Arguments.of(FieldType.U64, new BigInteger("18446744073709551616"),
            "0 to 18446744073709551615"),
        Arguments.of(FieldType.U64, -1L, "0 to 18446744073709551615"),
        Arguments.of(FieldType.PTR, -1L, "0 to 18446744073709551615"),
        Arguments.of(FieldType.I64, new BigInteger("9223372036854775808"),
            "-9223372036854775808 to 9223372036854775807"),
        Arguments.of(FieldType.I64, new BigInteger("-9223372036854775809"),
            "-9223372036854775808 to 9223372036854775807"),
        Arguments.of(FieldType.BE16, 65536L, "0 to 65535"),
        Arguments.of(FieldType.BE32, -1L, "0 to 4294967295"),
        Arguments.of(FieldType.BE64, new BigInteger("18446744073709551616"),
            "0 to 18446744073709551615"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("refusedValues")
  void onePastEachEdgeIsRefused(FieldType t, Object value, String range) {
    BpfEventsException e = refused(one(t), Map.of("v", value));
    assertEquals("bad-value", e.problem());
    assertEquals("v", e.data().get("field"));
    assertEquals(List.of("v"), e.data().get("path"));
    assertEquals(value, e.data().get("value"));
    String expected = "an integer from " + range + " (" + t.typeName() + ")";
    assertEquals(expected, e.data().get("expected"));
    assertEquals("field v: value " + value + " does not fit; expected " + expected,
        e.getMessage());
    assertEquals("field :v: value " + value + " does not fit; expected " + expected,
        e.message(Notation.EDN));
  }

  @Test
  void integersOfEveryIntegralKind() {
    EventLayout e = one(FieldType.I64);
    for (Object v : List.of(-5L, -5, (short) -5, (byte) -5, BigInteger.valueOf(-5),
        new AtomicLong(-5))) {
      assertArrayEquals(hex("fb ff ff ff ff ff ff ff"), EventEncoder.encode(e, Map.of("v", v)),
          v.getClass().getName());
    }
  }

  @Test
  void nonIntegersAreRefused() {
    EventLayout e = one(FieldType.U32);
    for (Object v : Arrays.asList(1.0, 1.0f, new BigDecimal("1"), "1", true, 'a', null,
        List.of(1L), new Object())) {
      BpfEventsException x = refused(e, map("v", v));
      assertEquals("bad-value", x.problem(), String.valueOf(v));
      assertEquals(v, x.data().get("value"));
      assertEquals("an integer from 0 to 4294967295 (u32)", x.data().get("expected"));
    }
  }

  // ---------------------------------------------------------------------------------------
  // Whole records

  @Test
  void theReferenceRecord() {
    byte[] rec = EventEncoder.encode(CONN, map("timestamp", 0x0102030405060708L, "pid", 4242L,
        "saddr", 0x0100007fL, "daddr", 4294967295L, "sport", 65535L, "dport", 443,
        "protocol", 6, "direction", 255, "padding", List.of(1, 2), "comm", "curl"));
    assertArrayEquals(hex(String.join(" ",
        "08 07 06 05 04 03 02 01", "92 10 00 00", "7f 00 00 01", "ff ff ff ff", "ff ff",
        "bb 01", "06", "ff", "01 02", "63 75 72 6c 00 00 00 00 00 00 00 00 00 00 00 00")), rec);
  }

  @Test
  void missingFieldsAreZero() {
    byte[] rec = EventEncoder.encode(CONN, Map.of("pid", 1L));
    byte[] want = new byte[44];
    want[8] = 1;
    assertArrayEquals(want, rec);
    assertArrayEquals(new byte[44], EventEncoder.encode(CONN, Map.of()));
  }

  @Test
  void decodingTheRecordGivesTheValuesBack() {
    Map<String, Object> values = map("timestamp", new BigInteger("18446744073709551615"),
        "pid", 4242L, "saddr", 0L, "daddr", 1L, "sport", 2L, "dport", 3L, "protocol", 4L,
        "direction", 5L, "padding", List.of(6L, 7L), "comm", "0123456789abcdef");
    byte[] rec = EventEncoder.encode(CONN, values);
    assertEquals(values, EventDecoder.decode(CONN, ByteBuffer.wrap(rec), 0));
  }

  @Test
  void nestedEventsAreMaps() {
    Map<String, Object> flow = map("ts", 1L, "protocol", 6L,
        "src", Map.of("addr", 0xc0a80001L, "port", 80L),
        "dst", Map.of("addr", 0x0a000002L, "port", 443L),
        "pid", 7L, "comm", "x");
    byte[] rec = EventEncoder.encode(Examples.FLOW_EVENT, flow);
    assertEquals(48, rec.length);
    assertArrayEquals(hex("c0 a8 00 01 00 50"), Arrays.copyOfRange(rec, 12, 18));
    assertArrayEquals(hex("0a 00 00 02 01 bb"), Arrays.copyOfRange(rec, 20, 26));
    assertEquals(flow, EventDecoder.decode(Examples.FLOW_EVENT, ByteBuffer.wrap(rec), 0));
  }

  @Test
  void aBadValueInsideANestedEventNamesItsPath() {
    BpfEventsException e = refused(Examples.FLOW_EVENT,
        map("src", Map.of("addr", 1L, "port", 65536L)));
    assertEquals("bad-value", e.problem());
    assertEquals(List.of("src", "port"), e.data().get("field"));
    assertEquals(List.of("src", "port"), e.data().get("path"));
    assertEquals("field src.port: value 65536 does not fit; expected an integer from 0 to"
        + " 65535 (be16)", e.getMessage());
    assertEquals("field [:src :port]: value 65536 does not fit; expected an integer from 0 to"
        + " 65535 (be16)", e.message(Notation.EDN));
  }

  @Test
  void aBadElementNamesItsIndex() {
    BpfEventsException e = refused(CONN, map("padding", List.of(1L, 256L)));
    assertEquals(List.of("padding", 1), e.data().get("path"));
    assertEquals("field padding[1]: value 256 does not fit; expected an integer from 0 to 255"
        + " (u8)", e.getMessage());
    EventLayout hop = LayoutEngine.layout("Hop", List.of(FieldSpec.of("ttl", FieldType.U8)));
    EventLayout route = LayoutEngine.layout("Route", List.of(FieldSpec.of("hops", hop, 2)));
    BpfEventsException deep = refused(route, map("hops", List.of(Map.of("ttl", 1L),
        Map.of("ttl", -1L))));
    assertEquals(List.of("hops", 1, "ttl"), deep.data().get("path"));
    assertEquals("field [:hops 1 :ttl]: value -1 does not fit; expected an integer from 0 to"
        + " 255 (u8)", deep.message(Notation.EDN));
  }

  @Test
  void aNestedEventTakesAMap() {
    BpfEventsException e = refused(Examples.FLOW_EVENT, map("src", List.of(1L, 2L)));
    assertEquals("bad-value", e.problem());
    assertEquals("src", e.data().get("field"));
    assertEquals("a map of the fields of Endpoint", e.data().get("expected"));
  }

  // ---------------------------------------------------------------------------------------
  // Text

  @Test
  void textFitsTheArrayAsUtf8() {
    byte[] full = EventEncoder.encode(CONN, map("comm", "0123456789abcdef"));
    assertArrayEquals("0123456789abcdef".getBytes(), Arrays.copyOfRange(full, 28, 44));
    // eight two-byte characters are sixteen bytes
    byte[] accents = EventEncoder.encode(CONN, map("comm", "\u00e9".repeat(8)));
    assertArrayEquals(hex("c3 a9 c3 a9 c3 a9 c3 a9 c3 a9 c3 a9 c3 a9 c3 a9"),
        Arrays.copyOfRange(accents, 28, 44));
    byte[] empty = EventEncoder.encode(CONN, map("comm", ""));
    assertArrayEquals(new byte[44], empty);
  }

  @Test
  void aSingleCharIsTextOfOneByte() {
    EventLayout c = one(FieldType.CHAR);
    assertArrayEquals(hex("41"), EventEncoder.encode(c, Map.of("v", "A")));
    assertArrayEquals(hex("00"), EventEncoder.encode(c, Map.of("v", "")));
    assertEquals("a string of at most 1 UTF-8 byte, not 2",
        refused(c, Map.of("v", "\u00e9")).data().get("expected"));
    assertEquals("a string of at most 1 UTF-8 byte",
        refused(c, Map.of("v", 65L)).data().get("expected"));
    assertEquals(Map.of("v", "A"),
        EventDecoder.decode(c, ByteBuffer.wrap(hex("41")), 0));
  }

  @Test
  void textTooLong() {
    BpfEventsException e = refused(CONN, map("comm", "0123456789abcdefg"));
    assertEquals("bad-value", e.problem());
    assertEquals("comm", e.data().get("field"));
    assertEquals("0123456789abcdefg", e.data().get("value"));
    assertEquals("a string of at most 16 UTF-8 bytes, not 17", e.data().get("expected"));
    assertEquals("field comm: value \"0123456789abcdefg\" does not fit; expected a string of"
        + " at most 16 UTF-8 bytes, not 17", e.getMessage());
    BpfEventsException accents = refused(CONN, map("comm", "\u00e9".repeat(9)));
    assertEquals("a string of at most 16 UTF-8 bytes, not 18", accents.data().get("expected"));
  }

  @Test
  void textWithANul() {
    BpfEventsException e = refused(CONN, map("comm", "cu\0rl"));
    assertEquals("bad-value", e.problem());
    assertEquals("a string without NUL characters (NUL ends a C string)",
        e.data().get("expected"));
    assertEquals("field :comm: value \"cu\\u0000rl\" does not fit; expected a string without"
        + " NUL characters (NUL ends a C string)", e.message(Notation.EDN));
  }

  @Test
  void textWithAnUnpairedSurrogate() {
    for (String s : List.of("\ud800", "a\udc00b", "x\ud83d")) {
      BpfEventsException e = refused(CONN, map("comm", s));
      assertEquals("bad-value", e.problem());
      assertEquals("a string of valid Unicode (it holds an unpaired surrogate)",
          e.data().get("expected"));
    }
    // a pair is one character of four bytes
    byte[] rec = EventEncoder.encode(CONN, map("comm", "\ud83d\ude00"));
    assertArrayEquals(hex("f0 9f 98 80"), Arrays.copyOfRange(rec, 28, 32));
  }

  @Test
  void textMustBeAString() {
    for (Object v : Arrays.asList(null, 5L, List.of("c"), new char[] {'c'})) {
      BpfEventsException e = refused(CONN, map("comm", v));
      assertEquals("bad-value", e.problem());
      assertEquals("a string of at most 16 UTF-8 bytes", e.data().get("expected"));
    }
  }

  // ---------------------------------------------------------------------------------------
  // Arrays

  @Test
  void arraysOfTheWrongLength() {
    BpfEventsException fewer = refused(CONN, map("padding", List.of(1L)));
    assertEquals("bad-value", fewer.problem());
    assertEquals("padding", fewer.data().get("field"));
    assertEquals("a list (or array) of exactly 2 elements, not 1", fewer.data().get("expected"));
    BpfEventsException none = refused(CONN, map("padding", List.of()));
    assertEquals("a list (or array) of exactly 2 elements, not 0", none.data().get("expected"));
    BpfEventsException more = refused(CONN, map("padding", List.of(1L, 2L, 3L)));
    assertEquals("a list (or array) of exactly 2 elements, not more", more.data().get("expected"));
    assertEquals("field padding: value [1, 2, 3] does not fit; expected a list (or array) of"
        + " exactly 2 elements, not more", more.getMessage());
  }

  @Test
  void textMayBeAnyCharSequence() {
    assertArrayEquals(EventEncoder.encode(CONN, map("comm", "curl")),
        EventEncoder.encode(CONN, map("comm", new StringBuilder("curl"))));
  }

  @Test
  void anArrayTakesAJavaArrayOfAnyElementType() {
    byte[] expected = EventEncoder.encode(CONN, map("padding", List.of(1L, 2L)));
    for (Object v : List.of(new long[] {1, 2}, new int[] {1, 2}, new byte[] {1, 2},
        new short[] {1, 2}, new Object[] {1L, 2}, new Long[] {1L, 2L})) {
      assertArrayEquals(expected, EventEncoder.encode(CONN, map("padding", v)));
    }
    assertEquals("a list (or array) of exactly 2 elements, not more",
        refused(CONN, map("padding", new int[] {1, 2, 3})).data().get("expected"));
    assertEquals("an integer from 0 to 255 (u8)",
        refused(CONN, map("padding", new double[] {1, 2})).data().get("expected"));
  }

  @Test
  void aSetIsNoArrayValue() {
    BpfEventsException e = refused(CONN, map("padding", new java.util.LinkedHashSet<>(
        List.of(1L, 2L))));
    assertEquals("a list (or array) of exactly 2 elements; a set has no order",
        e.data().get("expected"));
  }

  @Test
  void anArrayTakesAnyIterableButNotAMap() {
    Iterable<Long> iterable = () -> List.of(3L, 4L).iterator();
    byte[] rec = EventEncoder.encode(CONN, map("padding", iterable));
    assertEquals(3, rec[26]);
    assertEquals(4, rec[27]);
    rec = EventEncoder.encode(CONN, map("padding", new ArrayDeque<>(List.of(5, 6))));
    assertEquals(5, rec[26]);
    assertEquals(6, rec[27]);
    for (Object v : Arrays.asList(Map.of(0, 1L, 1, 2L), 5L, null, "ab")) {
      BpfEventsException e = refused(CONN, map("padding", v));
      assertEquals("bad-value", e.problem());
      assertEquals("a list (or array) of exactly 2 elements", e.data().get("expected"));
    }
  }

  /** An Iterable whose iterator never ends. */
  static final class Endless implements Iterable<Object> {
    final AtomicLong taken = new AtomicLong();

    @Override
    public Iterator<Object> iterator() {
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return true;
        }

        @Override
        public Object next() {
          return taken.incrementAndGet() % 100;
        }
      };
    }
  }

  @Test
  void anEndlessArrayIsRefusedWithoutHanging() {
    Endless endless = new Endless();
    BpfEventsException e = assertTimeoutPreemptively(Duration.ofSeconds(2),
        () -> refused(CONN, map("padding", endless)));
    assertEquals("bad-value", e.problem());
    assertEquals("a list (or array) of exactly 2 elements, not more", e.data().get("expected"));
    assertEquals(3, endless.taken.get(), "one element past the count");
    String m = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> e.getMessage());
    assertTrue(m.length() < 1000, m);
  }

  @Test
  void anEndlessValueWhereAScalarOrTextBelongs() {
    for (String field : List.of("pid", "comm")) {
      BpfEventsException e = assertTimeoutPreemptively(Duration.ofSeconds(2),
          () -> refused(CONN, map(field, new Endless())));
      assertEquals("bad-value", e.problem());
      String m = assertTimeoutPreemptively(Duration.ofSeconds(2),
          () -> e.message(Notation.EDN));
      assertTrue(m.length() < 1000, m);
    }
  }

  // ---------------------------------------------------------------------------------------
  // Keys

  @Test
  void unknownKeys() {
    BpfEventsException e = refused(CONN, map("pid", 1L, "uid", 2L));
    assertEquals("unknown-field", e.problem());
    assertEquals("uid", e.data().get("field"));
    assertEquals(List.of("uid"), e.data().get("path"));
    assertEquals("ConnectionEvent", e.data().get("event"));
    assertEquals(CONN.fieldNames(), e.data().get("accepted"));
    assertEquals("event ConnectionEvent has no field :uid; expected one of [:timestamp :pid"
        + " :saddr :daddr :sport :dport :protocol :direction :padding :comm]",
        e.message(Notation.EDN));
    Map<Object, Object> numbered = new HashMap<>();
    numbered.put(5, 1L);
    BpfEventsException number = refused(CONN, numbered);
    assertEquals("unknown-field", number.problem());
    assertEquals(5, number.data().get("value"));
    assertEquals(List.of(), number.data().get("path"));
    assertEquals("key 5 of a record of ConnectionEvent is not a field name; expected field"
        + " names as keys: one of [timestamp, pid, saddr, daddr, sport, dport, protocol,"
        + " direction, padding, comm]", number.getMessage());
    Map<Object, Object> nullKey = new HashMap<>();
    nullKey.put(null, 1L);
    assertEquals("unknown-field", refused(CONN, nullKey).problem());
  }

  /**
   * A sorted map of Integer keys: looking up the model's String keys in it throws
   * ClassCastException, which escapes instead of unknown-field.
   */
  @Test
  void keysOfAnotherKindInASortedMap() {
    BpfEventsException e = refused(CONN, new java.util.TreeMap<>(Map.of(5, 1L)));
    assertEquals("unknown-field", e.problem());
    assertEquals(5, e.data().get("value"));
  }

  @Test
  void anUnknownKeyOfANestedEvent() {
    BpfEventsException e = refused(Examples.FLOW_EVENT, map("dst", Map.of("port", 1L,
        "mac", 2L)));
    assertEquals("unknown-field", e.problem());
    assertEquals("mac", e.data().get("field"));
    assertEquals(List.of("dst", "mac"), e.data().get("path"));
    assertEquals("Endpoint", e.data().get("event"));
    assertEquals(List.of("addr", "port"), e.data().get("accepted"));
  }

  @Test
  void nullArguments() {
    assertEquals("not-an-event", assertThrows(BpfEventsException.class,
        () -> EventEncoder.encode(null, Map.of())).problem());
    BpfEventsException e = refused(CONN, null);
    assertEquals("bad-value", e.problem());
    assertEquals("a map of field name to value", e.data().get("expected"));
  }

  /** Keys of its own kind: a record holding the field's name. */
  record Key(String name) {}

  static final DataModel KEYED = new DataModel() {
    @Override
    public Object key(String fieldName) {
      return new Key(fieldName);
    }

    @Override
    public String name(Object key) {
      return key instanceof Key k ? k.name() : null;
    }

    @Override
    public Object map(Object[] keysAndValues) {
      return DataModel.JAVA.map(keysAndValues);
    }

    @Override
    public Object list(Object[] items) {
      return DataModel.JAVA.list(items);
    }
  };

  @Test
  void theKeysOfAModelOfOnesOwn() {
    byte[] rec = EventEncoder.encode(Examples.FLOW_EVENT, Map.of(new Key("pid"), 7L,
        new Key("src"), Map.of(new Key("port"), 80L)), KEYED);
    assertEquals(7, rec[28]);
    assertArrayEquals(hex("00 50"), Arrays.copyOfRange(rec, 16, 18));
    // a String key is not one of this model's keys
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> EventEncoder.encode(Examples.FLOW_EVENT, Map.of("pid", 7L), KEYED));
    assertEquals("unknown-field", e.problem());
    assertEquals("pid", e.data().get("value"));
    // nor the other way round
    BpfEventsException other = refused(Examples.FLOW_EVENT, Map.of(new Key("pid"), 7L));
    assertEquals("unknown-field", other.problem());
    assertEquals(new Key("pid"), other.data().get("value"));
    BpfEventsException unknown = assertThrows(BpfEventsException.class,
        () -> EventEncoder.encode(Examples.FLOW_EVENT, Map.of(new Key("uid"), 7L), KEYED));
    assertEquals("uid", unknown.data().get("field"));
  }
}
