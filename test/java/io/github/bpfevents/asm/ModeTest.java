package io.github.bpfevents.asm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The addressing modes, the top three bits of a load or store opcode (RFC 9669). */
class ModeTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({"IMM, 0x00", "ABS, 0x20", "IND, 0x40", "MEM, 0x60", "MEMSX, 0x80",
      "ATOMIC, 0xc0"})
  void theModeBits(Mode mode, String bits) {
    int b = Integer.decode(bits);
    assertEquals(b, mode.bits());
    assertSame(mode, Mode.ofOpcode(b));
    assertSame(mode, Mode.ofOpcode(b | 0x1f));
  }

  @Test
  void unassignedBitsNameNoMode() {
    assertEquals(0xe0, Mode.MASK);
    assertNull(Mode.ofOpcode(0xa0));
    assertNull(Mode.ofOpcode(0xe0));
    assertNull(Mode.ofOpcode(0xa3));
  }

  @Test
  void modesOfKnownOpcodes() {
    assertSame(Mode.MEM, Mode.ofOpcode(0x63)); // *(u32 *)(r6 + 8) = r7
    assertSame(Mode.IMM, Mode.ofOpcode(0x18)); // lddw
    assertSame(Mode.ATOMIC, Mode.ofOpcode(0xdb)); // lock *(u64 *)(r1 + 0) += r2
    assertSame(Mode.MEMSX, Mode.ofOpcode(0x91)); // r1 = *(s8 *)(r2 + 0)
  }
}
