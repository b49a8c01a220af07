package io.github.bpfevents.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfevents.Examples;
import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Notation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Placing declared fields: the packed layout of ConnectionEvent field by field, and the
 * errors for bad declarations and for the limits (fields, nesting depth, record size).
 */
class LayoutEngineTest {

  /** A fresh layout of the example's declaration: equal to, not the same as, the fixture. */
  static EventLayout connectionEvent() {
    List<FieldSpec> specs = new ArrayList<>();
    for (Field f : Examples.CONNECTION_EVENT.fields()) {
      specs.add(f.spec());
    }
    return LayoutEngine.layout("ConnectionEvent", specs);
  }

  /** name, type, count, offset, size (bytes), element size: the packed ConnectionEvent. */
  static Stream<Arguments> connectionEventFields() {
    return Stream.of(
        Arguments.of(0, "timestamp", FieldType.U64, 1, 0, 8, 8),
        Arguments.of(1, "pid", FieldType.U32, 1, 8, 4, 4),
        Arguments.of(2, "saddr", FieldType.U32, 1, 12, 4, 4),
        Arguments.of(3, "daddr", FieldType.U32, 1, 16, 4, 4),
        Arguments.of(4, "sport", FieldType.U16, 1, 20, 2, 2),
        Arguments.of(5, "dport", FieldType.U16, 1, 22, 2, 2),
        Arguments.of(6, "protocol", FieldType.U8, 1, 24, 1, 1),
        Arguments.of(7, "direction", FieldType.U8, 1, 25, 1, 1),
        Arguments.of(8, "padding", FieldType.U8, 2, 26, 2, 1),
        Arguments.of(9, "comm", FieldType.CHAR, 16, 28, 16, 1));
  }

  @ParameterizedTest(name = "{1} @{4}")
  @MethodSource("connectionEventFields")
  void connectionEventField(int index, String name, FieldType type, int count, int offset,
      int size, int elementSize) {
    EventLayout conn = connectionEvent();
    Field byIndex = conn.fields().get(index);
    Field byName = conn.field(name);
    assertEquals(byIndex, byName);
    assertEquals(name, byIndex.name());
    assertSame(type, byIndex.type());
    assertEquals(count, byIndex.count());
    assertEquals(offset, byIndex.offset(), "offset");
    assertEquals(size, byIndex.size(), "size");
    assertEquals(elementSize, byIndex.elementSize(), "element size");
    assertEquals(offset + size, byIndex.end(), "end");
    assertTrue(conn.hasField(name));
  }

  @Test
  void connectionEventIs44BytesInDeclarationOrder() {
    EventLayout conn = connectionEvent();
    assertEquals("ConnectionEvent", conn.name());
    assertEquals(44, conn.size());
    assertEquals(10, conn.fields().size());
    assertEquals(List.of("timestamp", "pid", "saddr", "daddr", "sport", "dport", "protocol",
        "direction", "padding", "comm"), conn.fieldNames());
    List<Integer> offsets = new ArrayList<>();
    for (Field f : conn.fields()) {
      offsets.add(f.offset());
    }
    assertEquals(List.of(0, 8, 12, 16, 20, 22, 24, 25, 26, 28), offsets);
  }

  @Test
  void declarationOrderNotSizeDecidesOffsets() {
    EventLayout e = LayoutEngine.layout("E", List.of(
        FieldSpec.of("a", FieldType.U8),
        FieldSpec.of("b", FieldType.U64),
        FieldSpec.of("c", FieldType.I16),
        FieldSpec.of("d", FieldType.PTR, 3)));
    assertEquals(List.of("a", "b", "c", "d"), e.fieldNames());
    assertEquals(0, e.field("a").offset());
    assertEquals(1, e.field("b").offset());
    assertEquals(9, e.field("c").offset());
    assertEquals(11, e.field("d").offset());
    assertEquals(24, e.field("d").size());
    assertEquals(35, e.size());
  }

  // ---------------------------------------------------------------------------------------
  // Errors

  @Test
  void badEventName() {
    for (String name : new String[] {"", null}) {
      BpfEventsException e = assertThrows(BpfEventsException.class,
          () -> LayoutEngine.layout(name, List.of(FieldSpec.of("pid", FieldType.U32))));
      assertEquals("bad-event-name", e.problem());
      assertEquals(name, e.data().get("value"));
    }
  }

  @Test
  void duplicateField() {
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> LayoutEngine.layout("E", List.of(
            FieldSpec.of("pid", FieldType.U32),
            FieldSpec.of("tgid", FieldType.U32),
            FieldSpec.of("pid", FieldType.U64))));
    assertEquals("duplicate-field", e.problem());
    assertEquals("pid", e.data().get("field"));
    assertEquals(2, e.data().get("index"));
    assertEquals("E", e.data().get("event"));
    assertTrue(e.getMessage().contains("pid"), e.getMessage());
  }

  @Test
  void noFields() {
    for (List<FieldSpec> specs : Arrays.<List<FieldSpec>>asList(List.of(), null)) {
      BpfEventsException e = assertThrows(BpfEventsException.class,
          () -> LayoutEngine.layout("Empty", specs));
      assertEquals("no-fields", e.problem());
      assertEquals("Empty", e.data().get("event"));
      assertEquals("at least one field", e.data().get("expected"));
      assertTrue(e.getMessage().contains("Empty"), e.getMessage());
    }
  }

  @Test
  void nullSpec() {
    List<FieldSpec> specs = Arrays.asList(FieldSpec.of("pid", FieldType.U32), null);
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> LayoutEngine.layout("E", specs));
    assertEquals("bad-field-spec", e.problem());
    assertEquals(1, e.data().get("index"));
    assertTrue(e.data().containsKey("value"));
    assertNull(e.data().get("value"));
    assertEquals("a field spec", e.data().get("expected"));
  }

  @Test
  void largestEventFits() {
    EventLayout e = LayoutEngine.layout("Huge", List.of(FieldSpec.of("blob", FieldType.U8, Integer.MAX_VALUE)));
    assertEquals(Integer.MAX_VALUE, e.size());
  }

  @Test
  void eventTooLarge() {
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> LayoutEngine.layout("Huge", List.of(
            FieldSpec.of("blob", FieldType.U8, Integer.MAX_VALUE),
            FieldSpec.of("x", FieldType.U8))));
    assertEquals("event-too-large", e.problem());
    assertEquals("x", e.data().get("field"));
    assertEquals(2147483648L, e.data().get("value"));
    assertTrue(e.getMessage().contains("2147483648"), e.getMessage());
  }

  @Test
  void eventTooLargeWithinOneField() {
    // 8 * (2^31 - 1) bytes: the product must not wrap around in int arithmetic.
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> LayoutEngine.layout("Huge", List.of(FieldSpec.of("big", FieldType.U64, Integer.MAX_VALUE))));
    assertEquals("event-too-large", e.problem());
    assertEquals("big", e.data().get("field"));
    assertEquals(8L * Integer.MAX_VALUE, e.data().get("value"));
  }

  @Test
  void theMostFields() {
    List<FieldSpec> specs = new ArrayList<>();
    for (int i = 0; i < LayoutEngine.MAX_FIELDS; i++) {
      specs.add(FieldSpec.of("f" + i, FieldType.U8));
    }
    EventLayout e = LayoutEngine.layout("Wide", specs);
    assertEquals(65535, e.size());
    assertEquals(65534, e.field("f65534").offset());
    specs.add(FieldSpec.of("f65535", FieldType.U8));
    BpfEventsException tooMany = assertThrows(BpfEventsException.class,
        () -> LayoutEngine.layout("Wide", specs));
    assertEquals("too-many-fields", tooMany.problem());
    assertEquals("Wide", tooMany.data().get("event"));
    assertEquals(65536, tooMany.data().get("value"));
    assertEquals("event Wide declares 65536 fields; expected at most 65535 fields",
        tooMany.getMessage());
  }

  @Test
  void eventsNestAtMost32Deep() {
    EventLayout d = LayoutEngine.layout("D1", List.of(FieldSpec.of("x", FieldType.U8)));
    for (int i = 2; i <= LayoutEngine.MAX_DEPTH; i++) {
      d = LayoutEngine.layout("D" + i, List.of(FieldSpec.of("in", d, 1)));
    }
    assertEquals(32, d.depth());
    assertEquals(1, d.size());
    EventLayout deepest = d;
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> LayoutEngine.layout("D33", List.of(FieldSpec.of("in", deepest, 1))));
    assertEquals("too-deep", e.problem());
    assertEquals("D33", e.data().get("event"));
    assertEquals("in", e.data().get("field"));
    assertEquals(33, e.data().get("value"));
    assertEquals("event D33: field :in nests events 33 deep; expected events nested at most"
        + " 32 deep", e.message(Notation.EDN));
  }

  @Test
  void aNullPacking() {
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> LayoutEngine.layout("E", List.of(FieldSpec.of("pid", FieldType.U32)), null));
    assertEquals("bad-option", e.problem());
    assertEquals("align", e.data().get("key"));
    assertTrue(e.data().containsKey("value"));
    assertNull(e.data().get("value"));
    assertEquals(List.of("natural", "packed"), e.data().get("accepted"));
    assertEquals("event E: option :align is null; expected one of [:natural :packed]",
        e.message(Notation.EDN));
  }

  @Test
  void theErrorsInBothNotations() {
    BpfEventsException dup = assertThrows(BpfEventsException.class,
        () -> LayoutEngine.layout("E", List.of(
            FieldSpec.of("pid", FieldType.U32), FieldSpec.of("pid", FieldType.U64))));
    assertEquals("event E: duplicate field pid; expected unique field names", dup.getMessage());
    assertEquals("event E: duplicate field :pid; expected unique field names",
        dup.message(Notation.EDN));
    BpfEventsException none = assertThrows(BpfEventsException.class,
        () -> LayoutEngine.layout("E", List.of()));
    assertEquals("event E declares no fields; expected at least one field", none.getMessage());
    BpfEventsException name = assertThrows(BpfEventsException.class,
        () -> LayoutEngine.layout("", List.of(FieldSpec.of("pid", FieldType.U32))));
    assertEquals("event name \"\" is not a name; expected a non-empty name", name.getMessage());
    BpfEventsException big = assertThrows(BpfEventsException.class,
        () -> LayoutEngine.layout("Huge", List.of(FieldSpec.of("big", FieldType.U64,
            Integer.MAX_VALUE))));
    assertEquals("event Huge reaches 17179869176 bytes at field :big; expected at most"
        + " 2147483647 bytes", big.message(Notation.EDN));
  }

  @Test
  void theSizeRoundedUpMayBeTooLarge() {
    // natural: x u64 @0, blob @8 ends at 2^31 - 1, rounded up to 8: 2^31, one byte too many
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> LayoutEngine.layout("Huge", List.of(
            FieldSpec.of("x", FieldType.U64),
            FieldSpec.of("blob", FieldType.U8, Integer.MAX_VALUE - 8)), Packing.NATURAL));
    assertEquals("event-too-large", e.problem());
    assertEquals(2147483648L, e.data().get("value"));
    assertNull(e.data().get("field"));
    assertEquals("event Huge reaches 2147483648 bytes; expected at most 2147483647 bytes",
        e.getMessage());
  }
}
