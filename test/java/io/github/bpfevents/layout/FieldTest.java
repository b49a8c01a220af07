package io.github.bpfevents.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfevents.Examples;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The placed field: its declaration with the offset the layout gave it, its size (element
 * size times count) and end, and equality by declaration and offset.
 */
class FieldTest {
  @Test
  void whatAPlacedFieldKnows() {
    Field comm = Examples.CONNECTION_EVENT.field("comm");
    assertEquals("comm", comm.name());
    assertSame(FieldType.CHAR, comm.type());
    assertNull(comm.nested());
    assertEquals(16, comm.count());
    assertEquals(28, comm.offset());
    assertEquals(16, comm.size());
    assertEquals(1, comm.elementSize());
    assertEquals(1, comm.elementAlignment());
    assertEquals(44, comm.end());
    assertEquals(FieldSpec.of("comm", FieldType.CHAR, 16), comm.spec());
    assertEquals("comm char[16] @28 (16 bytes)", comm.toString());
    assertEquals("pid u32 @8 (4 bytes)", Examples.CONNECTION_EVENT.field("pid").toString());
  }

  @Test
  void aNestedField() {
    Field dst = Examples.FLOW_EVENT.field("dst");
    assertTrue(dst.isNested());
    assertSame(Examples.ENDPOINT, dst.nested());
    assertNull(dst.type());
    assertEquals(20, dst.offset());
    assertEquals(8, dst.size());
    assertEquals(4, dst.elementAlignment());
    assertEquals(28, dst.end());
    assertEquals("dst Endpoint @20 (8 bytes)", dst.toString());
  }

  @Test
  void equalWhenDeclarationAndOffsetAre() {
    List<FieldSpec> specs = List.of(FieldSpec.of("a", FieldType.U8),
        FieldSpec.of("b", FieldType.U32));
    Field packed = LayoutEngine.layout("E", specs).field("b");
    Field natural = LayoutEngine.layout("E", specs, Packing.NATURAL).field("b");
    assertEquals(packed, LayoutEngine.layout("F", specs).field("b"));
    assertEquals(packed.hashCode(), LayoutEngine.layout("F", specs).field("b").hashCode());
    assertNotEquals(packed, natural, "offset 1 and offset 4");
    assertEquals(packed.spec(), natural.spec());
    assertNotEquals(packed, null);
  }
}
