package io.github.bpfevents.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfevents.Examples;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The resolved path: what {@code resolve} gives for a field, an element of an array and a
 * field of a nested event: its type or event, count, absolute offset and sizes, and its
 * path as text ({@code hops[2].ttl}).
 */
class FieldRefTest {
  @Test
  void aScalarArrayAndOneOfItsElements() {
    FieldRef comm = Examples.CONNECTION_EVENT.resolve(List.of("comm"));
    assertSame(FieldType.CHAR, comm.type());
    assertNull(comm.nested());
    assertFalse(comm.isNested());
    assertEquals(16, comm.count());
    assertEquals(28, comm.offset());
    assertEquals(1, comm.elementSize());
    assertEquals(1, comm.elementAlignment());
    assertEquals(16, comm.size());
    assertEquals("comm", comm.pathText());
    assertEquals("comm @28 (16 bytes)", comm.toString());
    FieldRef c3 = Examples.CONNECTION_EVENT.resolve(List.of("comm", 3));
    assertEquals(1, c3.count());
    assertEquals(31, c3.offset());
    assertEquals(List.of("comm", 3), c3.path());
    assertEquals("comm[3]", c3.pathText());
  }

  @Test
  void aNestedEventAndAFieldInIt() {
    FieldRef src = Examples.FLOW_EVENT.resolve(List.of("src"));
    assertTrue(src.isNested());
    assertNull(src.type());
    assertSame(Examples.ENDPOINT, src.nested());
    assertEquals(8, src.elementSize());
    assertEquals(4, src.elementAlignment());
    assertEquals(12, src.offset());
    FieldRef port = Examples.FLOW_EVENT.resolve(List.of("dst", "port"));
    assertSame(FieldType.BE16, port.type());
    assertEquals(24, port.offset());
    assertEquals(2, port.size());
    assertEquals(2, port.elementAlignment());
    assertEquals("dst.port", port.pathText());
    assertEquals("dst.port @24 (2 bytes)", port.toString());
  }
}
