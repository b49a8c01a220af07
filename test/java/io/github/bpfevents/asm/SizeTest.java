package io.github.bpfevents.asm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.bpfevents.BpfEventsException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The access widths of loads and stores: the size bits of RFC 9669 (W 0x00, H 0x08,
 * B 0x10, DW 0x18), the bytes they move and their names in assembler text.
 */
class SizeTest {

  /** size, bytes, bits, assembler name, an stx opcode of that size (class STX, mode MEM). */
  @ParameterizedTest(name = "{0}")
  @CsvSource({"B, 1, 0x10, u8, 0x73", "H, 2, 0x08, u16, 0x6b", "W, 4, 0x00, u32, 0x63",
      "DW, 8, 0x18, u64, 0x7b"})
  void theTable(Size size, int bytes, String bits, String asm, String stx) {
    assertEquals(bytes, size.bytes());
    assertEquals(Integer.decode(bits), size.bits());
    assertEquals(asm, size.asmName());
    assertSame(size, Size.ofBytes(bytes));
    assertSame(size, Size.ofOpcode(Integer.decode(stx)));
    assertEquals(0x18, Size.MASK);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(ints = {0, 3, 5, 16, -1})
  void otherWidths(int bytes) {
    BpfEventsException e = assertThrows(BpfEventsException.class, () -> Size.ofBytes(bytes));
    assertEquals("bad-width", e.problem());
    assertEquals(bytes, e.data().get("value"));
    assertEquals("access width " + bytes + " is not a BPF width; expected 1, 2, 4 or 8",
        e.getMessage());
  }
}
