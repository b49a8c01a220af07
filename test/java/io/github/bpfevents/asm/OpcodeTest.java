package io.github.bpfevents.asm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfevents.BpfEventsException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The opcode of a load or store composed from mode, size and class (RFC 9669: {@code stxw}
 * is MEM 0x60 | W 0x00 | STX 0x03 = 0x63), and which opcodes are the memory stores.
 */
class OpcodeTest {

  /** class, mode, size, the opcode as the ISA tables give it. */
  @ParameterizedTest(name = "{0} {1} {2}")
  @CsvSource({
      "ST, MEM, B, 0x72", "ST, MEM, H, 0x6a", "ST, MEM, W, 0x62", "ST, MEM, DW, 0x7a",
      "STX, MEM, B, 0x73", "STX, MEM, H, 0x6b", "STX, MEM, W, 0x63", "STX, MEM, DW, 0x7b",
      "LDX, MEM, B, 0x71", "LDX, MEM, H, 0x69", "LDX, MEM, W, 0x61", "LDX, MEM, DW, 0x79",
      "LD, IMM, DW, 0x18", "LDX, MEMSX, B, 0x91", "STX, ATOMIC, DW, 0xdb",
      "STX, ATOMIC, W, 0xc3", "LD, ABS, H, 0x28", "LD, IND, B, 0x50",
  })
  void loadStore(InsnClass cls, Mode mode, Size size, String opcode) {
    int op = Integer.decode(opcode);
    assertEquals(op, Opcode.loadStore(cls, mode, size));
    assertEquals(cls, InsnClass.ofOpcode(op));
    assertEquals(mode, Mode.ofOpcode(op));
    assertEquals(size, Size.ofOpcode(op));
  }

  @Test
  void theEightMemoryStores() {
    List<Integer> stores = new ArrayList<>();
    for (int op = 0; op < 256; op++) {
      if (Opcode.isMemoryStore(op)) {
        stores.add(op);
      }
    }
    assertEquals(List.of(0x62, 0x63, 0x6a, 0x6b, 0x72, 0x73, 0x7a, 0x7b), stores);
    assertFalse(Opcode.isMemoryStore(0xdb), "an atomic is not a plain store");
    assertFalse(Opcode.isMemoryStore(0x61), "a load");
    assertTrue(Opcode.isMemoryStore(0x63));
  }

  @Test
  void aMissingPart() {
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> Opcode.loadStore(null, Mode.MEM, Size.W));
    assertEquals("missing-argument", e.problem());
    assertEquals("class", e.data().get("key"));
    assertEquals("mode", assertThrows(BpfEventsException.class,
        () -> Opcode.loadStore(InsnClass.STX, null, Size.W)).data().get("key"));
    assertEquals("size", assertThrows(BpfEventsException.class,
        () -> Opcode.loadStore(InsnClass.STX, Mode.MEM, null)).data().get("key"));
  }
}
