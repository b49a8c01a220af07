package io.github.bpfevents.asm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The instruction classes, the low three bits of every opcode, as RFC 9669 numbers them. */
class InsnClassTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({"LD, 0", "LDX, 1", "ST, 2", "STX, 3", "ALU, 4", "JMP, 5", "JMP32, 6",
      "ALU64, 7"})
  void theClassBits(InsnClass cls, int bits) {
    assertEquals(bits, cls.bits());
    assertSame(cls, InsnClass.ofOpcode(bits));
    // the other five bits do not matter
    assertSame(cls, InsnClass.ofOpcode(0xf8 | bits));
  }

  @Test
  void classesOfKnownOpcodes() {
    assertEquals(0x07, InsnClass.MASK);
    assertSame(InsnClass.JMP, InsnClass.ofOpcode(0x95)); // exit
    assertSame(InsnClass.STX, InsnClass.ofOpcode(0x63)); // stxw
    assertSame(InsnClass.ST, InsnClass.ofOpcode(0x7a)); // stdw
    assertSame(InsnClass.LD, InsnClass.ofOpcode(0x18)); // lddw
    assertSame(InsnClass.ALU64, InsnClass.ofOpcode(0xb7)); // mov64
    assertSame(InsnClass.JMP32, InsnClass.ofOpcode(0x16)); // jeq32
    assertEquals(8, InsnClass.values().length);
  }
}
