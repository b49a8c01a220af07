package io.github.bpfevents.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.asm.Size;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The packed layout of declared fields, and the errors for bad declarations. */
class LayoutEngineTest {

  static EventLayout connectionEvent() {
    return LayoutEngine.layout("ConnectionEvent", List.of(
        FieldSpec.of("timestamp", FieldType.U64),
        FieldSpec.of("pid", FieldType.U32),
        FieldSpec.of("saddr", FieldType.U32),
        FieldSpec.of("daddr", FieldType.U32),
        FieldSpec.of("sport", FieldType.U16),
        FieldSpec.of("dport", FieldType.U16),
        FieldSpec.of("protocol", FieldType.U8),
        FieldSpec.of("direction", FieldType.U8),
        FieldSpec.of("padding", FieldType.U8, 2),
        FieldSpec.of("comm", FieldType.CHAR, 16)));
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
  void fieldsAreUnmodifiable() {
    EventLayout conn = connectionEvent();
    assertThrows(UnsupportedOperationException.class, () -> conn.fields().clear());
    assertThrows(UnsupportedOperationException.class, () -> conn.fieldNames().clear());
  }

  @Test
  void layoutIsAValue() {
    assertEquals(connectionEvent(), connectionEvent());
    assertEquals(connectionEvent().hashCode(), connectionEvent().hashCode());
    EventLayout other = LayoutEngine.layout("ConnectionEvent", List.of(FieldSpec.of("pid", FieldType.U32)));
    assertNotEquals(connectionEvent(), other);
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
  // FieldType

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
          "be32", "be64"),
        FieldType.names());
  }

  // ---------------------------------------------------------------------------------------
  // Errors

  private static final List<String> TYPE_NAMES =
      List.of("u8", "i8", "u16", "i16", "u32", "i32", "u64", "i64", "char", "ptr", "be16",
          "be32", "be64");

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
  void nullTypeInSpec() {
    BpfEventsException e = assertThrows(BpfEventsException.class, () -> FieldSpec.of("pid", null));
    assertEquals("unknown-type", e.problem());
    assertEquals("pid", e.data().get("field"));
    assertEquals(TYPE_NAMES, e.data().get("accepted"));
  }

  @ParameterizedTest(name = "count {0}")
  @MethodSource("badCounts")
  void badCount(long count) {
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> FieldSpec.of("padding", FieldType.U8, count));
    assertEquals("bad-count", e.problem());
    assertEquals("padding", e.data().get("field"));
    assertEquals(count, e.data().get("value"));
    assertEquals("a positive integer", e.data().get("expected"));
    assertTrue(e.getMessage().contains("count " + count), e.getMessage());
  }

  static Stream<Long> badCounts() {
    return Stream.of(0L, -1L, Long.MIN_VALUE, Integer.MAX_VALUE + 1L);
  }

  @Test
  void badFieldName() {
    for (String name : new String[] {"", null}) {
      BpfEventsException e = assertThrows(BpfEventsException.class,
          () -> FieldSpec.of(name, FieldType.U8));
      assertEquals("bad-field-name", e.problem());
      assertTrue(e.data().containsKey("value"));
      assertEquals(name, e.data().get("value"));
      assertEquals("a non-empty name", e.data().get("expected"));
      String shown = name == null ? "null" : "\"\"";
      assertTrue(e.getMessage().contains("field name " + shown), e.getMessage());
    }
  }

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
}
