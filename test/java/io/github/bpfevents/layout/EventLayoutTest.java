package io.github.bpfevents.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Examples;
import io.github.bpfevents.Notation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A laid-out event: finding fields by name and by path (with the offsets C gives the same
 * struct), the errors that name where a path went wrong, the misaligned scalars, the memo
 * of derived values, and equality as a value, fast even for events that share nested
 * events.
 */
class EventLayoutTest {
  private static final EventLayout CONN = Examples.CONNECTION_EVENT;
  private static final EventLayout FLOW = Examples.FLOW_EVENT;

  /** {@code struct hop { __be32 addr; __u8 ttl; }}: natural, 8 bytes, aligned to 4. */
  static final EventLayout HOP = LayoutEngine.layout("Hop", List.of(
      FieldSpec.of("addr", FieldType.BE32),
      FieldSpec.of("ttl", FieldType.U8)), Packing.NATURAL);

  /**
   * {@code struct route { __u16 id; struct hop hops[4]; __u8 n; }}: natural; hops at 4 (the
   * hop's alignment), n at 36, 40 bytes.
   */
  static final EventLayout ROUTE = LayoutEngine.layout("Route", List.of(
      FieldSpec.of("id", FieldType.U16),
      FieldSpec.of("hops", HOP, 4),
      FieldSpec.of("n", FieldType.U8)), Packing.NATURAL);

  static EventLayout connectionEvent() {
    return LayoutEngineTest.connectionEvent();
  }

  @Test
  void theNestedExamplesAsCPlacesThem() {
    assertEquals(8, HOP.size());
    assertEquals(4, HOP.alignment());
    assertEquals(40, ROUTE.size());
    assertEquals(4, ROUTE.field("hops").offset());
    assertEquals(36, ROUTE.field("n").offset());
    assertEquals(1, HOP.depth());
    assertEquals(2, ROUTE.depth());
    assertEquals(1, CONN.depth());
    assertEquals(2, FLOW.depth());
    assertEquals(Packing.NATURAL, ROUTE.packing());
    assertEquals(1, CONN.alignment());
    assertEquals(8, FLOW.alignment());
  }

  // ---------------------------------------------------------------------------------------
  // Paths

  /** path, type (null for an event), count, absolute offset, size, path text. */
  static Stream<Arguments> paths() {
    return Stream.of(
        Arguments.of(List.of("pid"), CONN, FieldType.U32, 1, 8, 4, "pid"),
        Arguments.of(List.of("comm"), CONN, FieldType.CHAR, 16, 28, 16, "comm"),
        Arguments.of(List.of("comm", 3), CONN, FieldType.CHAR, 1, 31, 1, "comm[3]"),
        Arguments.of(List.of("comm", 15L), CONN, FieldType.CHAR, 1, 43, 1, "comm[15]"),
        Arguments.of(List.of("padding", 1), CONN, FieldType.U8, 1, 27, 1, "padding[1]"),
        Arguments.of(List.of("src"), FLOW, null, 1, 12, 8, "src"),
        Arguments.of(List.of("src", "port"), FLOW, FieldType.BE16, 1, 16, 2, "src.port"),
        Arguments.of(List.of("dst", "port"), FLOW, FieldType.BE16, 1, 24, 2, "dst.port"),
        Arguments.of(List.of("dst", "addr"), FLOW, FieldType.BE32, 1, 20, 4, "dst.addr"),
        Arguments.of(List.of("hops"), ROUTE, null, 4, 4, 32, "hops"),
        Arguments.of(List.of("hops", 0), ROUTE, null, 1, 4, 8, "hops[0]"),
        Arguments.of(List.of("hops", 2, "ttl"), ROUTE, FieldType.U8, 1, 24, 1, "hops[2].ttl"),
        Arguments.of(List.of("hops", 3L, "addr"), ROUTE, FieldType.BE32, 1, 28, 4,
            "hops[3].addr"),
        Arguments.of(List.of("n"), ROUTE, FieldType.U8, 1, 36, 1, "n"));
  }

  @ParameterizedTest(name = "{0} of {1}")
  @MethodSource("paths")
  void resolve(List<Object> path, EventLayout event, FieldType type, int count, int offset,
      int size, String text) {
    FieldRef r = event.resolve(path);
    assertSame(type, r.type());
    assertEquals(type == null, r.isNested());
    assertEquals(count, r.count());
    assertEquals(offset, r.offset());
    assertEquals(size, r.size());
    assertEquals(text, r.pathText());
    assertEquals(size / count, r.elementSize());
    // indices come back as Integers, whatever the caller gave
    for (Object step : r.path()) {
      assertTrue(step instanceof String || step instanceof Integer, String.valueOf(step));
    }
    assertThrows(UnsupportedOperationException.class, () -> r.path().add("x"));
  }

  @Test
  void resolveGivesTheNestedEvent() {
    FieldRef src = FLOW.resolve(List.of("src"));
    assertSame(Examples.ENDPOINT, src.nested());
    assertEquals(4, src.elementAlignment());
    FieldRef hop = ROUTE.resolve(List.of("hops", 1));
    assertSame(HOP, hop.nested());
    assertEquals(List.of("hops", 1), hop.path());
    assertEquals("hops[1] @12 (8 bytes)", hop.toString());
  }

  @Test
  void anUnknownFirstField() {
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> CONN.resolve(List.of("nope")));
    assertEquals("unknown-field", e.problem());
    assertEquals("nope", e.data().get("field"));
    assertEquals("ConnectionEvent", e.data().get("event"));
    assertEquals(List.of(), e.data().get("at"));
    assertEquals(List.of("nope"), e.data().get("path"));
    assertEquals(CONN.fieldNames(), e.data().get("accepted"));
    assertEquals("event ConnectionEvent has no field nope; expected one of [timestamp, pid,"
        + " saddr, daddr, sport, dport, protocol, direction, padding, comm]", e.getMessage());
    assertEquals("event ConnectionEvent has no field :nope; expected one of [:timestamp :pid"
        + " :saddr :daddr :sport :dport :protocol :direction :padding :comm]",
        e.message(Notation.EDN));
  }

  @Test
  void anUnknownNestedField() {
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> ROUTE.resolve(List.of("hops", 2, "port")));
    assertEquals("unknown-field", e.problem());
    assertEquals("Hop", e.data().get("event"));
    assertEquals(List.of("hops", 2), e.data().get("at"));
    assertEquals(List.of("addr", "ttl"), e.data().get("accepted"));
    assertEquals("path hops[2] (event Hop) has no field port; expected one of [addr, ttl]",
        e.getMessage());
    assertEquals("path [:hops 2] (event Hop) has no field :port; expected one of [:addr"
        + " :ttl]", e.message(Notation.EDN));
  }

  /** path, event, the step that does not fit, what was expected there. */
  static Stream<Arguments> badPaths() {
    return Stream.of(
        Arguments.of(List.of(0), CONN, 0, "a field name"),
        Arguments.of(List.of("pid", "x"), CONN, "x", "the end of the path (pid is a scalar)"),
        Arguments.of(List.of("pid", 0), CONN, 0,
            "a field name or the end of the path (pid is not an array)"),
        Arguments.of(List.of("comm", "x"), CONN, "x", "an index 0 to 15 (comm is an array of 16)"),
        Arguments.of(List.of("hops", "ttl"), ROUTE, "ttl",
            "an index 0 to 3 (hops is an array of 4)"),
        Arguments.of(List.of("src", 1.0), FLOW, 1.0, "a field name or an array index"),
        Arguments.of(List.of("src", (short) 1), FLOW, (short) 1,
            "a field name or the end of the path (src is not an array)"),
        Arguments.of(Arrays.asList("src", null), FLOW, null, "a field name or an array index"),
        Arguments.of(List.of("hops", 1, "ttl", "x"), ROUTE, "x",
            "the end of the path (hops[1].ttl is a scalar)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badPaths")
  void aStepThatDoesNotFit(List<Object> path, EventLayout event, Object step,
      String expected) {
    BpfEventsException e = assertThrows(BpfEventsException.class, () -> event.resolve(path));
    assertEquals("bad-path", e.problem());
    assertEquals(path, e.data().get("path"));
    assertEquals(step, e.data().get("value"));
    assertEquals(step, e.data().get("step"));
    assertEquals(event.name(), e.data().get("event"));
    assertEquals(expected, e.render((String) e.data().get("expected"), Notation.JAVA));
    assertTrue(e.getMessage().endsWith("; expected " + expected), e.getMessage());
  }

  @Test
  void aBadStepInBothNotations() {
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> ROUTE.resolve(List.of("hops", 1, "ttl", "x")));
    assertEquals("path hops[1].ttl.x of Route: step x after hops[1].ttl does not fit;"
        + " expected the end of the path (hops[1].ttl is a scalar)", e.getMessage());
    assertEquals("path [:hops 1 :ttl :x] of Route: step :x after [:hops 1 :ttl] does not fit;"
        + " expected the end of the path ([:hops 1 :ttl] is a scalar)",
        e.message(Notation.EDN));
    BpfEventsException first = assertThrows(BpfEventsException.class,
        () -> CONN.resolve(List.of(0)));
    assertEquals("path [0] of ConnectionEvent: step 0 after the start does not fit; expected"
        + " a field name", first.getMessage());
  }

  @Test
  void anEmptyOrNullPath() {
    for (List<?> path : Arrays.<List<?>>asList(List.of(), null)) {
      BpfEventsException e = assertThrows(BpfEventsException.class, () -> CONN.resolve(path));
      assertEquals("unknown-field", e.problem());
      assertEquals(path, e.data().get("path"));
      assertEquals("a path of at least one field name", e.data().get("expected"));
      assertEquals(CONN.fieldNames(), e.data().get("accepted"));
    }
  }

  /** path, event, the index, the array's count. */
  static Stream<Arguments> indicesOutOfRange() {
    return Stream.of(
        Arguments.of(List.of("comm", 16), CONN, 16, 16),
        Arguments.of(List.of("comm", -1), CONN, -1, 16),
        Arguments.of(List.of("padding", 2L), CONN, 2L, 2),
        Arguments.of(List.of("comm", Long.MAX_VALUE), CONN, Long.MAX_VALUE, 16),
        Arguments.of(List.of("comm", 1L << 32), CONN, 1L << 32, 16),
        Arguments.of(List.of("hops", 4, "ttl"), ROUTE, 4, 4));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("indicesOutOfRange")
  void anIndexOutOfRange(List<Object> path, EventLayout event, Object index, int count) {
    BpfEventsException e = assertThrows(BpfEventsException.class, () -> event.resolve(path));
    assertEquals("index-out-of-range", e.problem());
    assertEquals(index, e.data().get("value"));
    assertEquals(count, e.data().get("count"));
    assertEquals(path, e.data().get("path"));
    assertEquals(List.of(path.get(0)), e.data().get("at"));
    assertEquals("an index 0 to " + (count - 1), e.data().get("expected"));
    assertEquals("index " + index + " is outside " + path.get(0) + ", an array of " + count
        + "; expected an index 0 to " + (count - 1), e.getMessage());
    assertEquals("index " + index + " is outside [:" + path.get(0) + "], an array of " + count
        + "; expected an index 0 to " + (count - 1), e.message(Notation.EDN));
  }

  // ---------------------------------------------------------------------------------------
  // Field lookup (moved from LayoutEngineTest)

  @Test
  void fieldsAreUnmodifiable() {
    EventLayout conn = connectionEvent();
    assertThrows(UnsupportedOperationException.class, () -> conn.fields().clear());
    assertThrows(UnsupportedOperationException.class, () -> conn.fieldNames().clear());
  }

  @Test
  void unknownFieldLookup() {
    EventLayout conn = connectionEvent();
    assertFalse(conn.hasField("uid"));
    BpfEventsException e = assertThrows(BpfEventsException.class, () -> conn.field("uid"));
    assertEquals("unknown-field", e.problem());
    assertEquals("uid", e.data().get("field"));
    assertEquals("ConnectionEvent", e.data().get("event"));
    assertEquals(List.of("timestamp", "pid", "saddr", "daddr", "sport", "dport", "protocol",
        "direction", "padding", "comm"), e.data().get("accepted"));
    assertTrue(e.getMessage().contains("uid"), e.getMessage());
  }

  @Test
  void unknownFieldLookupNull() {
    BpfEventsException e = assertThrows(BpfEventsException.class, () -> connectionEvent().field(null));
    assertEquals("unknown-field", e.problem());
  }

  // ---------------------------------------------------------------------------------------
  // Misaligned fields

  private static List<String> misaligned(EventLayout e) {
    List<String> out = new ArrayList<>();
    for (FieldRef r : e.misalignedFields()) {
      out.add(r.pathText() + "@" + r.offset());
    }
    return out;
  }

  @Test
  void theExamplesHaveNoMisalignedFields() {
    assertEquals(List.of(), CONN.misalignedFields());
    assertEquals(List.of(), FLOW.misalignedFields());
    assertEquals(List.of(), ROUTE.misalignedFields());
  }

  @Test
  void misalignedScalarsOfAPackedEvent() {
    // packed: a @0, b @1, c @5 (u16[2]), h @9 (hop[2]: addr @9, ttl @13, addr @17, ttl @21)
    EventLayout e = LayoutEngine.layout("P", List.of(
        FieldSpec.of("a", FieldType.U8),
        FieldSpec.of("b", FieldType.U32),
        FieldSpec.of("c", FieldType.U16, 2),
        FieldSpec.of("h", HOP, 2),
        FieldSpec.of("d", FieldType.U64)));
    // a scalar array is one entry; every element of an array of events is walked
    assertEquals(List.of("b@1", "c@5", "h[0].addr@9", "h[1].addr@17", "d@25"), misaligned(e));
    FieldRef b = e.misalignedFields().get(0);
    assertSame(FieldType.U32, b.type());
    assertEquals(1, b.count());
    FieldRef c = e.misalignedFields().get(1);
    assertEquals(2, c.count());
    assertThrows(UnsupportedOperationException.class, () -> e.misalignedFields().clear());
  }

  @Test
  void aPackedEventNestedInANaturalOne() {
    // struct inner { __u8 x; __u32 y; } packed (alignment 1), inside a natural event at 1
    EventLayout inner = LayoutEngine.layout("Inner", List.of(
        FieldSpec.of("x", FieldType.U8), FieldSpec.of("y", FieldType.U32)));
    EventLayout outer = LayoutEngine.layout("Outer", List.of(
        FieldSpec.of("a", FieldType.U8), FieldSpec.of("in", inner, 1),
        FieldSpec.of("z", FieldType.U32)), Packing.NATURAL);
    assertEquals(1, outer.field("in").offset());
    assertEquals(List.of("in.y@2"), misaligned(outer));
  }

  @Test
  void aScalarIsAlignedWhenItsAbsoluteOffsetIs() {
    // y lies at 3 in the packed event, at 4 inside the outer one: aligned there
    EventLayout inner = LayoutEngine.layout("Inner", List.of(
        FieldSpec.of("x", FieldType.U8, 3), FieldSpec.of("y", FieldType.U16)));
    EventLayout outer = LayoutEngine.layout("Outer", List.of(
        FieldSpec.of("a", FieldType.U8), FieldSpec.of("in", inner, 1)));
    assertEquals(List.of("y@3"), misaligned(inner));
    assertEquals(List.of(), misaligned(outer));
  }

  // ---------------------------------------------------------------------------------------
  // Memo

  @Test
  void memoMakesOnceAndKeeps() {
    EventLayout e = connectionEvent();
    Object key = new Object();
    AtomicInteger made = new AtomicInteger();
    Object first = e.memo(key, l -> {
      made.incrementAndGet();
      assertSame(e, l);
      return new StringBuilder("value");
    });
    Object second = e.memo(key, l -> {
      made.incrementAndGet();
      return new StringBuilder("other");
    });
    assertSame(first, second);
    assertEquals(1, made.get());
  }

  @Test
  void memoKeysAreComparedByIdentity() {
    EventLayout e = connectionEvent();
    String k1 = new String("decoder");
    String k2 = new String("decoder");
    Object a = e.memo(k1, l -> new Object());
    Object b = e.memo(k2, l -> new Object());
    assertNotSame(a, b);
    assertSame(a, e.memo(k1, l -> new Object()));
    assertSame(b, e.memo(k2, l -> new Object()));
  }

  @Test
  void memoIsPerLayoutObject() {
    EventLayout a = connectionEvent();
    EventLayout b = connectionEvent();
    Object key = new Object();
    assertNotSame(a.memo(key, l -> new Object()), b.memo(key, l -> new Object()));
  }

  // ---------------------------------------------------------------------------------------
  // Equality

  @Test
  void layoutIsAValue() {
    assertEquals(connectionEvent(), connectionEvent());
    assertEquals(connectionEvent().hashCode(), connectionEvent().hashCode());
    EventLayout other = LayoutEngine.layout("ConnectionEvent", List.of(FieldSpec.of("pid", FieldType.U32)));
    assertNotEquals(connectionEvent(), other);
  }

  @Test
  void nameAndPackingAndFieldsMakeTheValue() {
    List<FieldSpec> specs = List.of(FieldSpec.of("a", FieldType.U32));
    EventLayout e = LayoutEngine.layout("E", specs);
    assertEquals(e, LayoutEngine.layout("E", specs, Packing.PACKED));
    assertNotEquals(e, LayoutEngine.layout("F", specs));
    // the same offsets and size, another policy: another event
    assertNotEquals(e, LayoutEngine.layout("E", specs, Packing.NATURAL));
    assertNotEquals(e, LayoutEngine.layout("E", List.of(FieldSpec.of("a", FieldType.I32))));
    assertNotEquals(e, LayoutEngine.layout("E", List.of(FieldSpec.of("b", FieldType.U32))));
    assertNotEquals(e, "E");
    assertNotEquals(e, null);
    assertEquals(FLOW, LayoutEngine.layout("FlowEvent", List.of(
        FieldSpec.of("ts", FieldType.U64),
        FieldSpec.of("protocol", FieldType.U8),
        FieldSpec.of("src", Examples.ENDPOINT, 1),
        FieldSpec.of("dst", Examples.ENDPOINT, 1),
        FieldSpec.of("pid", FieldType.U32),
        FieldSpec.of("comm", FieldType.CHAR, 16)), Packing.NATURAL));
  }

  @Test
  void nestedEventsCompareByValue() {
    EventLayout hop2 = LayoutEngine.layout("Hop", List.of(
        FieldSpec.of("addr", FieldType.BE32),
        FieldSpec.of("ttl", FieldType.U8)), Packing.NATURAL);
    EventLayout route2 = LayoutEngine.layout("Route", List.of(
        FieldSpec.of("id", FieldType.U16),
        FieldSpec.of("hops", hop2, 4),
        FieldSpec.of("n", FieldType.U8)), Packing.NATURAL);
    assertEquals(ROUTE, route2);
    assertEquals(ROUTE.hashCode(), route2.hashCode());
    EventLayout hop3 = LayoutEngine.layout("Hop", List.of(
        FieldSpec.of("addr", FieldType.BE32),
        FieldSpec.of("ttl", FieldType.I8)), Packing.NATURAL);
    EventLayout route3 = LayoutEngine.layout("Route", List.of(
        FieldSpec.of("id", FieldType.U16),
        FieldSpec.of("hops", hop3, 4),
        FieldSpec.of("n", FieldType.U8)), Packing.NATURAL);
    assertNotEquals(ROUTE, route3);
  }

  /**
   * D1 holds one u8 ({@code leaf} names it); D(i) holds two fields of D(i-1). Written out,
   * D30 is a tree of 2^29 leaves, but it is 30 distinct events.
   */
  private static EventLayout chain(int depth, String leaf) {
    EventLayout d = LayoutEngine.layout("D1", List.of(FieldSpec.of(leaf, FieldType.U8)));
    for (int i = 2; i <= depth; i++) {
      d = LayoutEngine.layout("D" + i, List.of(FieldSpec.of("a", d, 1),
          FieldSpec.of("b", d, 1)));
    }
    return d;
  }

  @Test
  void eventsThatShareNestedEventsCompareFast() {
    assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
      EventLayout x = chain(30, "x");
      EventLayout y = chain(30, "x");
      assertEquals(1 << 29, x.size());
      assertEquals(30, x.depth());
      assertNotSame(x, y);
      assertEquals(x, y);
      assertEquals(y, x);
      assertEquals(x.hashCode(), y.hashCode());
      assertEquals(x.field("a").nested(), y.field("b").nested());
      assertEquals(x.field("a"), y.field("a"));
      assertEquals(x.field("a").spec(), y.field("a").spec());
      assertEquals(x.field("a").spec().hashCode(), y.field("a").spec().hashCode());
      EventLayout z = chain(30, "z");
      assertNotEquals(x, z);
      assertNotEquals(z, x);
    });
  }

  @Test
  void eventsThatDifferOnlyInALeafTypeAreNotEqual() {
    // leaves that differ only in a type of the same size: same names, offsets and sizes
    assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
      EventLayout d = LayoutEngine.layout("D1", List.of(FieldSpec.of("x", FieldType.U8)));
      EventLayout e = LayoutEngine.layout("D1", List.of(FieldSpec.of("x", FieldType.I8)));
      for (int i = 2; i <= 30; i++) {
        d = LayoutEngine.layout("D" + i, List.of(FieldSpec.of("a", d, 1),
            FieldSpec.of("b", d, 1)));
        e = LayoutEngine.layout("D" + i, List.of(FieldSpec.of("a", e, 1),
            FieldSpec.of("b", e, 1)));
      }
      assertNotEquals(d, e);
    });
  }

  @Test
  void shownAndPrintedByName() {
    assertEquals("ConnectionEvent", CONN.shown(Notation.JAVA));
    assertEquals("ConnectionEvent", CONN.shown(Notation.EDN));
    assertEquals("EventLayout{ConnectionEvent, packed, 44 bytes, 10 fields}", CONN.toString());
    assertEquals("EventLayout{FlowEvent, natural, 48 bytes, 6 fields}", FLOW.toString());
    assertNull(CONN.field("pid").nested());
  }
}
