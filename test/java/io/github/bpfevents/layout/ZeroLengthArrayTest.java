package io.github.bpfevents.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.asm.Register;
import io.github.bpfevents.cheader.CHeader;
import io.github.bpfevents.codec.EventDecoder;
import io.github.bpfevents.codec.EventEncoder;
import io.github.bpfevents.report.LayoutReport;
import io.github.bpfevents.report.PaholeText;
import io.github.bpfevents.store.EventStores;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * GNU C's zero-length arrays ({@code __u32 mark[0]} not last, in a union, or the only
 * member) through every output: no bytes at the element's alignment (the placement is
 * checked against gcc and clang in CTypeModelLayoutTest), {@code [0]} in the header and the
 * report as pahole shows it, an empty list (or "" for char) decoded, only an empty value
 * encoded, no index and no store.
 */
class ZeroLengthArrayTest {
  private static final EventLayout MARKED = LayoutEngine.layout("Marked", List.of(
      FieldSpec.of("a", FieldType.U8), FieldSpec.flexible("mark", FieldType.U32),
      FieldSpec.of("b", FieldType.U8), FieldSpec.flexible("name", FieldType.CHAR),
      FieldSpec.of("c", FieldType.U16), FieldSpec.flexible("data", FieldType.U8)),
      Packing.NATURAL, EventKind.STRUCT, 0);
  private static final EventLayout UNION = LayoutEngine.layout("U", List.of(
      FieldSpec.flexible("z", FieldType.U64), FieldSpec.of("q", FieldType.U16)),
      Packing.NATURAL, EventKind.UNION, 0);

  @Test
  void placedAtTheElementsAlignmentTakingNoBytes() {
    // gcc and clang: a@0, mark@4 (0 bytes), b@4, name@5, c@6, data@8, size 8, align 4
    assertEquals(List.of(0, 4, 4, 5, 6, 8), MARKED.fields().stream().map(Field::offset)
        .toList());
    assertEquals(8, MARKED.size());
    assertEquals(4, MARKED.alignment());
    assertEquals(0, MARKED.field("mark").size());
    assertTrue(MARKED.field("mark").isZeroLength());
    assertTrue(MARKED.field("data").isFlexibleMember());
    assertEquals(8, UNION.size());
    assertEquals(8, UNION.alignment());
  }

  @Test
  void theHeaderWritesZeroLengthArraysAsGnuCDoes() {
    String h = CHeader.emit(List.of(MARKED, UNION));
    assertTrue(h.contains("\t__u8 a;\n\t__u32 mark[0];\n\t__u8 b;\n\tchar name[0];\n"
        + "\t__u16 c;\n\t__u8 data[];\n"), h);
    assertTrue(h.contains("union u {\n\t__u64 z[0];\n\t__u16 q;\n}"), h);
  }

  @Test
  void theReportShowsThemAsPaholeDoes() {
    String r = PaholeText.render(LayoutReport.of(MARKED));
    assertTrue(r.contains("mark[0];"), r);
    assertTrue(r.contains("data[];"), r);
  }

  @Test
  void decodedEmptyAndEncodedOnlyEmpty() {
    byte[] bytes = EventEncoder.encode(MARKED, Map.of("a", 1, "mark", List.of(), "name", "",
        "b", 2));
    Map<String, Object> m = EventDecoder.decode(MARKED, ByteBuffer.wrap(bytes), 0);
    assertEquals(List.of(), m.get("mark"));
    assertEquals("", m.get("name"));
    assertEquals(2L, m.get("b"));
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> EventEncoder.encode(MARKED, Map.of("mark", List.of(1))));
    assertTrue(e.getMessage().contains("an empty list"), e.getMessage());
    assertThrows(BpfEventsException.class,
        () -> EventEncoder.encode(MARKED, Map.of("name", "x")));
    byte[] u = EventEncoder.encode(UNION, Map.of("z", List.of(), "q", 7));
    assertEquals(Map.of("z", List.of(), "q", 7L),
        EventDecoder.decode(UNION, ByteBuffer.wrap(u), 0));
  }

  @Test
  void noIndexAndNoStore() {
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> MARKED.resolve(List.of("mark", 0)));
    assertEquals("index-out-of-range", e.problem());
    assertThrows(BpfEventsException.class,
        () -> EventStores.storeImm(Register.R6, MARKED, "mark", 1));
    assertThrows(BpfEventsException.class,
        () -> EventStores.storeField(Register.R6, MARKED, "mark", Register.R7));
    assertEquals(List.of(), EventStores.zeroField(Register.R6, MARKED, "mark"));
  }
}
