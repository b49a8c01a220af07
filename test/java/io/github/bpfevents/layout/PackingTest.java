package io.github.bpfevents.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Notation;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The two packing policies: their option names, and what each does to the same fields.
 * Packed puts fields back to back with alignment 1, as {@code __attribute__((packed))};
 * natural places them as a C compiler for BPF or x86-64 does (each field at a multiple of
 * its alignment, the size rounded up to the largest): the expected offsets below are the
 * {@code offsetof} and {@code sizeof} of the same structs in C.
 */
class PackingTest {
  private static final EventLayout ENDPOINT = LayoutEngine.layout("Endpoint", List.of(
      FieldSpec.of("addr", FieldType.BE32), FieldSpec.of("port", FieldType.BE16)),
      Packing.NATURAL);
  private static final EventLayout PACKED_INNER = LayoutEngine.layout("P", List.of(
      FieldSpec.of("x", FieldType.U8), FieldSpec.of("y", FieldType.U32)));

  @Test
  void optionNames() {
    assertEquals("packed", Packing.PACKED.optionName());
    assertEquals("natural", Packing.NATURAL.optionName());
    assertSame(Packing.PACKED, Packing.named("packed"));
    assertSame(Packing.NATURAL, Packing.named("natural"));
    assertEquals(List.of("natural", "packed"), Packing.names());
    assertThrows(UnsupportedOperationException.class, () -> Packing.names().add("x"));
  }

  @Test
  void packedIsTheDefault() {
    List<FieldSpec> specs = List.of(FieldSpec.of("a", FieldType.U8),
        FieldSpec.of("b", FieldType.U64));
    assertEquals(LayoutEngine.layout("E", specs, Packing.PACKED),
        LayoutEngine.layout("E", specs));
    assertSame(Packing.PACKED, LayoutEngine.layout("E", specs).packing());
  }

  @Test
  void anyOtherNameIsABadOption() {
    for (String name : new String[] {"weird", "Packed", "NATURAL", "", ":natural"}) {
      BpfEventsException e = assertThrows(BpfEventsException.class, () -> Packing.named(name));
      assertEquals("bad-option", e.problem());
      assertEquals("align", e.data().get("key"));
      assertEquals(name, e.data().get("value"));
      assertEquals(List.of("natural", "packed"), e.data().get("accepted"));
    }
    BpfEventsException e = assertThrows(BpfEventsException.class, () -> Packing.named("weird"));
    assertEquals("option align \"weird\" is not accepted; expected one of [natural, packed]",
        e.getMessage());
    assertEquals("option :align \"weird\" is not accepted; expected one of [:natural :packed]",
        e.message(Notation.EDN));
  }

  @Test
  void aNullName() {
    BpfEventsException e = assertThrows(BpfEventsException.class, () -> Packing.named(null));
    assertEquals("bad-option", e.problem());
    assertTrue(e.data().containsKey("value"));
    assertNull(e.data().get("value"));
    assertEquals("option align null is not accepted; expected one of [natural, packed]",
        e.getMessage());
  }

  /**
   * The struct in C, its fields, then for each policy: the offsets in field order, the
   * size and the alignment. Natural values are gcc's for x86-64 (the same for BPF).
   */
  static Stream<Arguments> structs() {
    return Stream.of(
        Arguments.of("struct { __u8 a; __u64 b; }",
            List.of(FieldSpec.of("a", FieldType.U8), FieldSpec.of("b", FieldType.U64)),
            List.of(0, 1), 9, List.of(0, 8), 16, 8),
        Arguments.of("struct { __u8 a; __u16 b; __u8 c; }",
            List.of(FieldSpec.of("a", FieldType.U8), FieldSpec.of("b", FieldType.U16),
                FieldSpec.of("c", FieldType.U8)),
            List.of(0, 1, 3), 4, List.of(0, 2, 4), 6, 2),
        Arguments.of("struct { __u8 a; __u32 b[3]; __u16 c; }",
            List.of(FieldSpec.of("a", FieldType.U8), FieldSpec.of("b", FieldType.U32, 3),
                FieldSpec.of("c", FieldType.U16)),
            List.of(0, 1, 13), 15, List.of(0, 4, 16), 20, 4),
        Arguments.of("struct { __u8 a; struct endpoint e; __u8 z; }",
            List.of(FieldSpec.of("a", FieldType.U8), FieldSpec.of("e", ENDPOINT, 1),
                FieldSpec.of("z", FieldType.U8)),
            List.of(0, 1, 9), 10, List.of(0, 4, 12), 16, 4),
        Arguments.of("struct { __u8 a; struct p p /* packed */; __u16 z; }",
            List.of(FieldSpec.of("a", FieldType.U8), FieldSpec.of("p", PACKED_INNER, 1),
                FieldSpec.of("z", FieldType.U16)),
            List.of(0, 1, 6), 8, List.of(0, 1, 6), 8, 2),
        Arguments.of("struct { __be16 a; __u64 b; __be32 c; char d[3]; }",
            List.of(FieldSpec.of("a", FieldType.BE16), FieldSpec.of("b", FieldType.U64),
                FieldSpec.of("c", FieldType.BE32), FieldSpec.of("d", FieldType.CHAR, 3)),
            List.of(0, 2, 10, 14), 17, List.of(0, 8, 16, 20), 24, 8));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("structs")
  void theSameFieldsUnderEachPolicy(String c, List<FieldSpec> specs, List<Integer> packed,
      int packedSize, List<Integer> natural, int naturalSize, int naturalAlignment) {
    EventLayout p = LayoutEngine.layout("S", specs, Packing.PACKED);
    EventLayout n = LayoutEngine.layout("S", specs, Packing.NATURAL);
    assertEquals(packed, offsets(p));
    assertEquals(packedSize, p.size());
    assertEquals(1, p.alignment());
    assertSame(Packing.PACKED, p.packing());
    assertEquals(natural, offsets(n));
    assertEquals(naturalSize, n.size());
    assertEquals(naturalAlignment, n.alignment());
    assertSame(Packing.NATURAL, n.packing());
  }

  private static List<Integer> offsets(EventLayout e) {
    return e.fields().stream().map(Field::offset).toList();
  }
}
