package io.github.bpfevents.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Examples;
import io.github.bpfevents.Notation;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The declared field: what a spec holds (name, scalar type or nested event, count, element
 * size and alignment), that it is a value, and the errors for a missing name, a missing
 * type and a count outside 1 to 2^31-1.
 */
class FieldSpecTest {
  private static final List<String> TYPE_NAMES =
      List.of("u8", "i8", "u16", "i16", "u32", "i32", "u64", "i64", "char", "ptr", "be16",
          "be32", "be64", "i128", "u128");

  @Test
  void aScalarSpec() {
    FieldSpec s = FieldSpec.of("pid", FieldType.U32);
    assertEquals("pid", s.name());
    assertSame(FieldType.U32, s.type());
    assertNull(s.nested());
    assertFalse(s.isNested());
    assertEquals(1, s.count());
    assertEquals(4, s.elementSize());
    assertEquals(4, s.elementAlignment());
    assertEquals("u32", s.typeName());
    assertEquals("[pid u32]", s.toString());
  }

  @Test
  void anArraySpec() {
    FieldSpec s = FieldSpec.of("comm", FieldType.CHAR, 16);
    assertEquals(16, s.count());
    assertEquals(1, s.elementSize());
    assertEquals("[comm char 16]", s.toString());
  }

  @Test
  void aNestedSpecTakesTheEventsSizeAndAlignment() {
    FieldSpec natural = FieldSpec.of("src", Examples.ENDPOINT, 1);
    assertTrue(natural.isNested());
    assertNull(natural.type());
    assertSame(Examples.ENDPOINT, natural.nested());
    assertEquals(8, natural.elementSize());
    assertEquals(4, natural.elementAlignment(), "a natural event aligns as its widest scalar");
    assertEquals("Endpoint", natural.typeName());
    assertEquals("[src Endpoint]", natural.toString());
    FieldSpec packed = FieldSpec.of("conns", Examples.CONNECTION_EVENT, 3);
    assertEquals(44, packed.elementSize());
    assertEquals(1, packed.elementAlignment(), "a packed event aligns to 1");
    assertEquals("[conns ConnectionEvent 3]", packed.toString());
  }

  @Test
  void specsAreValues() {
    assertEquals(FieldSpec.of("pid", FieldType.U32), FieldSpec.of("pid", FieldType.U32, 1));
    assertEquals(FieldSpec.of("pid", FieldType.U32).hashCode(),
        FieldSpec.of("pid", FieldType.U32, 1).hashCode());
    assertNotEquals(FieldSpec.of("pid", FieldType.U32), FieldSpec.of("pid", FieldType.I32));
    assertNotEquals(FieldSpec.of("pid", FieldType.U32), FieldSpec.of("tid", FieldType.U32));
    assertNotEquals(FieldSpec.of("pid", FieldType.U32), FieldSpec.of("pid", FieldType.U32, 2));
    EventLayout endpoint = LayoutEngine.layout("Endpoint", List.of(
        FieldSpec.of("addr", FieldType.BE32), FieldSpec.of("port", FieldType.BE16)),
        Packing.NATURAL);
    assertEquals(FieldSpec.of("src", Examples.ENDPOINT, 1), FieldSpec.of("src", endpoint, 1));
    assertEquals(FieldSpec.of("src", Examples.ENDPOINT, 1).hashCode(),
        FieldSpec.of("src", endpoint, 1).hashCode());
    assertNotEquals(FieldSpec.of("src", Examples.ENDPOINT, 1), FieldSpec.of("src", FieldType.U64));
    assertNotEquals(FieldSpec.of("src", FieldType.U64), FieldSpec.of("src", Examples.ENDPOINT, 1));
    assertNotEquals(FieldSpec.of("src", FieldType.U64), null);
  }

  @Test
  void anyNonEmptyNameIsAccepted() {
    // C and BTF impose their rules when a header or BTF is made, not here
    for (String name : List.of("x", "src-port", "HTTPRequest", "int", "2fast", "a b", "ü")) {
      assertEquals(name, FieldSpec.of(name, FieldType.U8).name());
    }
  }

  @Test
  void theLargestCount() {
    assertEquals(Integer.MAX_VALUE, FieldSpec.of("blob", FieldType.U8, Integer.MAX_VALUE).count());
  }

  // ---------------------------------------------------------------------------------------
  // Errors

  @Test
  void nullTypeInSpec() {
    BpfEventsException e = assertThrows(BpfEventsException.class, () -> FieldSpec.of("pid", null));
    assertEquals("unknown-type", e.problem());
    assertEquals("pid", e.data().get("field"));
    assertEquals(TYPE_NAMES, e.data().get("accepted"));
  }

  @Test
  void nullTypeOrEventInEveryFactory() {
    for (BpfEventsException e : List.of(
        assertThrows(BpfEventsException.class, () -> FieldSpec.of("pid", (FieldType) null, 2)),
        assertThrows(BpfEventsException.class, () -> FieldSpec.of("pid", (EventLayout) null, 1)))) {
      assertEquals("unknown-type", e.problem());
      assertEquals("pid", e.data().get("field"));
      assertTrue(e.data().containsKey("type"));
      assertNull(e.data().get("type"));
      assertEquals("field pid has no type; expected one of [u8, i8, u16, i16, u32, i32, u64,"
          + " i64, char, ptr, be16, be32, be64, i128, u128] or an event", e.getMessage());
      assertEquals("field :pid has no type; expected one of [:u8 :i8 :u16 :i16 :u32 :i32 :u64"
          + " :i64 :char :ptr :be16 :be32 :be64 :i128 :u128] or an event", e.message(Notation.EDN));
    }
  }

  @ParameterizedTest(name = "count {0}")
  @MethodSource("badCounts")
  void badCount(long count) {
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> FieldSpec.of("padding", FieldType.U8, count));
    assertEquals("bad-count", e.problem());
    assertEquals("padding", e.data().get("field"));
    assertEquals(count, e.data().get("value"));
    assertEquals("an integer from 1 to 2147483647", e.data().get("expected"));
    assertTrue(e.getMessage().contains("count " + count), e.getMessage());
  }

  static Stream<Long> badCounts() {
    return Stream.of(0L, -1L, Long.MIN_VALUE, Integer.MAX_VALUE + 1L);
  }

  @Test
  void badCountOfANestedEvent() {
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> FieldSpec.of("hops", Examples.ENDPOINT, 0));
    assertEquals("bad-count", e.problem());
    assertEquals("field hops has count 0; expected an integer from 1 to 2147483647", e.getMessage());
    assertEquals("field :hops has count 0; expected an integer from 1 to 2147483647",
        e.message(Notation.EDN));
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
  void theNameIsCheckedBeforeTheType() {
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> FieldSpec.of("", (EventLayout) null, 0));
    assertEquals("bad-field-name", e.problem());
    assertEquals("field name \"\" is not a name; expected a non-empty name", e.getMessage());
  }
}
