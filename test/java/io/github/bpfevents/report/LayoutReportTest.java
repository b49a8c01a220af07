package io.github.bpfevents.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Examples;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.FieldRef;
import io.github.bpfevents.layout.FieldSpec;
import io.github.bpfevents.layout.FieldType;
import io.github.bpfevents.layout.LayoutEngine;
import io.github.bpfevents.layout.Packing;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the report finds in a layout, checked against what {@code pahole} reports for the
 * same C structs: members with their C types, holes, trailing padding, cache lines, the
 * misaligned scalars; and, for a packed event, the plain C struct of the same fields
 * (ConnectionEvent: 48 bytes, no member moved) and the order that would shrink it.
 */
class LayoutReportTest {
  private static List<String> names(LayoutReport r) {
    return r.members().stream().map(m -> m.field().name()).toList();
  }

  private static List<String> cTypes(LayoutReport r) {
    return r.members().stream().map(LayoutReport.Member::cType).toList();
  }

  @Test
  void connectionEvent() {
    LayoutReport r = LayoutReport.of(Examples.CONNECTION_EVENT);
    assertSame(Examples.CONNECTION_EVENT, r.event());
    assertEquals(List.of("timestamp", "pid", "saddr", "daddr", "sport", "dport", "protocol",
        "direction", "padding", "comm"), names(r));
    assertEquals(List.of("__u64", "__u32", "__u32", "__u32", "__u16", "__u16", "__u8", "__u8",
        "__u8", "char"), cTypes(r));
    for (LayoutReport.Member m : r.members()) {
      assertFalse(m.misaligned(), m.field().name());
    }
    assertEquals(List.of(), r.holes());
    assertEquals(0, r.padding());
    assertEquals(44, r.sumMembers());
    assertEquals(0, r.sumHoles());
    assertEquals(1, r.cachelines());
    assertEquals(44, r.lastCacheline());
    assertEquals(List.of(), r.cachelineBoundaries());
    assertEquals(List.of(), r.misaligned());
  }

  @Test
  void connectionEventAsAPlainCStruct() {
    LayoutReport r = LayoutReport.of(Examples.CONNECTION_EVENT);
    // the same members in C without the attribute: every offset is already aligned, but
    // the struct is padded to a multiple of 8 for the __u64
    EventLayout c = r.plainC();
    assertEquals(48, c.size());
    assertEquals(8, c.alignment());
    assertSame(Packing.NATURAL, c.packing());
    assertEquals(List.of(), r.moved());
    // sorting by alignment keeps the declared order: nothing smaller to suggest
    assertNull(r.suggested());
  }

  @Test
  void flowEventHasAHoleAfterProtocol() {
    LayoutReport r = LayoutReport.of(Examples.FLOW_EVENT);
    assertEquals(List.of("__u64", "__u8", "struct endpoint", "struct endpoint", "__u32",
        "char"), cTypes(r));
    assertEquals(1, r.holes().size());
    LayoutReport.Hole h = r.holes().get(0);
    assertEquals(9, h.offset());
    assertEquals(3, h.size());
    assertEquals("protocol", h.after());
    assertEquals(0, r.padding());
    assertEquals(45, r.sumMembers());
    assertEquals(3, r.sumHoles());
    assertEquals(1, r.cachelines());
    assertEquals(48, r.lastCacheline());
    // natural already: no plain C twin, nothing moved
    assertNull(r.plainC());
    assertEquals(List.of(), r.moved());
    assertNull(r.suggested());
  }

  @Test
  void trailingPaddingAndASmallerOrder() {
    // struct { __u8 a; __u64 b; __u8 c; }: b at 8, c at 16, 7 bytes of padding: 24 bytes;
    // reordered b, a, c it is 16
    EventLayout e = LayoutEngine.layout("Loose", List.of(FieldSpec.of("a", FieldType.U8),
        FieldSpec.of("b", FieldType.U64), FieldSpec.of("c", FieldType.U8)), Packing.NATURAL);
    LayoutReport r = LayoutReport.of(e);
    assertEquals(24, e.size());
    assertEquals(1, r.holes().size());
    assertEquals(1, r.holes().get(0).offset());
    assertEquals(7, r.holes().get(0).size());
    assertEquals("a", r.holes().get(0).after());
    assertEquals(7, r.padding());
    assertEquals(10, r.sumMembers());
    EventLayout s = r.suggested();
    assertEquals(16, s.size());
    assertEquals(List.of("b", "a", "c"), s.fieldNames());
  }

  @Test
  void aPackedEventWithMisalignedMembers() {
    // struct { __u8 a; __u32 b; } packed: b at 1; in plain C b moves to 4, 8 bytes
    EventLayout e = LayoutEngine.layout("Misal", List.of(FieldSpec.of("a", FieldType.U8),
        FieldSpec.of("b", FieldType.U32)));
    LayoutReport r = LayoutReport.of(e);
    assertFalse(r.members().get(0).misaligned());
    assertTrue(r.members().get(1).misaligned());
    assertEquals(1, r.misaligned().size());
    FieldRef b = r.misaligned().get(0);
    assertEquals("b", b.pathText());
    assertEquals(1, b.offset());
    assertEquals(8, r.plainC().size());
    assertEquals(1, r.moved().size());
    LayoutReport.Moved m = r.moved().get(0);
    assertEquals("b", m.name());
    assertEquals(1, m.offset());
    assertEquals(4, m.plainOffset());
    // sorted by alignment: b, a: 8 bytes as well, not smaller
    assertNull(r.suggested());
  }

  @Test
  void aMemberHoldingAMisalignedScalarIsMisaligned() {
    EventLayout hop = LayoutEngine.layout("Hop", List.of(FieldSpec.of("addr", FieldType.BE32)),
        Packing.NATURAL);
    EventLayout e = LayoutEngine.layout("Route", List.of(FieldSpec.of("n", FieldType.U8),
        FieldSpec.of("hops", hop, 2)));
    LayoutReport r = LayoutReport.of(e);
    assertFalse(r.members().get(0).misaligned());
    assertTrue(r.members().get(1).misaligned());
    assertEquals("struct hop", r.members().get(1).cType());
    assertEquals(List.of("hops[0].addr", "hops[1].addr"),
        r.misaligned().stream().map(FieldRef::pathText).toList());
  }

  @Test
  void cacheLines() {
    // 104 bytes: two lines, 40 bytes in the last, a boundary at 64
    LayoutReport a = LayoutReport.of(LayoutEngine.layout("A", List.of(
        FieldSpec.of("blob", FieldType.U8, 100), FieldSpec.of("x", FieldType.U32))));
    assertEquals(2, a.cachelines());
    assertEquals(40, a.lastCacheline());
    assertEquals(List.of(64), a.cachelineBoundaries());
    // exactly two lines: the end of the record is no boundary inside it
    LayoutReport b = LayoutReport.of(LayoutEngine.layout("B", List.of(
        FieldSpec.of("blob", FieldType.U8, 128))));
    assertEquals(2, b.cachelines());
    assertEquals(64, b.lastCacheline());
    assertEquals(List.of(64), b.cachelineBoundaries());
    LayoutReport c = LayoutReport.of(LayoutEngine.layout("C", List.of(
        FieldSpec.of("blob", FieldType.U8, 129))));
    assertEquals(3, c.cachelines());
    assertEquals(1, c.lastCacheline());
    assertEquals(List.of(64, 128), c.cachelineBoundaries());
    LayoutReport one = LayoutReport.of(LayoutEngine.layout("D", List.of(
        FieldSpec.of("x", FieldType.U8))));
    assertEquals(1, one.cachelines());
    assertEquals(1, one.lastCacheline());
    assertEquals(List.of(), one.cachelineBoundaries());
  }

  @Test
  void theLargestRecordIsReportedQuickly() {
    // x @0, blob @1 (misaligned), tail ends at 2^31-1
    EventLayout huge = LayoutEngine.layout("Huge", List.of(
        FieldSpec.of("x", FieldType.U8), FieldSpec.of("blob", FieldType.U64, 268435455),
        FieldSpec.of("tail", FieldType.U8, 6)));
    assertEquals(Integer.MAX_VALUE, huge.size());
    LayoutReport r = assertTimeoutPreemptively(Duration.ofSeconds(2),
        () -> LayoutReport.of(huge));
    assertEquals(63, r.lastCacheline());
    assertEquals(33554431, r.cachelineBoundaries().size());
    assertEquals(2147483584, r.cachelineBoundaries().get(33554430));
    // in plain C the u64 array moves to 8 and the struct passes 2^31-1 bytes: no twin
    assertNull(r.plainC());
    assertEquals(List.of(), r.moved());
    assertNull(r.suggested());
    assertTrue(r.members().get(1).misaligned());
  }

  /** (2^31-1) bytes span 2^25 cache lines; the count is computed as size + 63 in an int. */
  @Test
  void theCacheLinesOfTheLargestRecord() {
    EventLayout huge = LayoutEngine.layout("Huge", List.of(
        FieldSpec.of("blob", FieldType.U8, Integer.MAX_VALUE)));
    assertEquals(33554432, LayoutReport.of(huge).cachelines());
  }

  @Test
  void theCTypeOfAField() {
    assertEquals("__be16", LayoutReport.cType(Examples.ENDPOINT.field("port")));
    assertEquals("struct endpoint", LayoutReport.cType(Examples.FLOW_EVENT.field("src")));
    assertEquals("char", LayoutReport.cType(Examples.FLOW_EVENT.field("comm")));
    assertEquals("__u64", LayoutReport.cType(LayoutEngine.layout("P", List.of(
        FieldSpec.of("p", FieldType.PTR))).field("p")));
  }

  @Test
  void theListsAreUnmodifiable() {
    LayoutReport r = LayoutReport.of(Examples.FLOW_EVENT);
    assertThrows(UnsupportedOperationException.class, () -> r.members().clear());
    assertThrows(UnsupportedOperationException.class, () -> r.holes().clear());
    assertThrows(UnsupportedOperationException.class, () -> r.moved().clear());
  }

  @Test
  void aNullEvent() {
    assertEquals("not-an-event", assertThrows(BpfEventsException.class,
        () -> LayoutReport.of(null)).problem());
  }
}
