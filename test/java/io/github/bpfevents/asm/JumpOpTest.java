package io.github.bpfevents.asm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The jump operations, bits 4 to 7 of a JMP or JMP32 opcode as RFC 9669 numbers them, with
 * the condition LLVM's assembler text writes ({@code if r1 s< 5 goto +3}).
 */
class JumpOpTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = ';', value = {
      "JEQ ; 0x10 ; ==", "JGT ; 0x20 ; >", "JGE ; 0x30 ; >=", "JSET ; 0x40 ; &",
      "JNE ; 0x50 ; !=", "JSGT ; 0x60 ; s>", "JSGE ; 0x70 ; s>=", "JLT ; 0xa0 ; <",
      "JLE ; 0xb0 ; <=", "JSLT ; 0xc0 ; s<", "JSLE ; 0xd0 ; s<=",
  })
  void conditionalJumps(JumpOp op, String bits, String condition) {
    int b = Integer.decode(bits);
    assertEquals(b, op.bits());
    assertTrue(op.isConditional());
    assertEquals(condition, op.condition());
    assertSame(op, JumpOp.ofOpcode(b | 0x05));
    assertSame(op, JumpOp.ofOpcode(b | 0x0e));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"JA, 0x00", "CALL, 0x80", "EXIT, 0x90", "JCOND, 0xe0"})
  void unconditionalOperations(JumpOp op, String bits) {
    int b = Integer.decode(bits);
    assertEquals(b, op.bits());
    assertFalse(op.isConditional());
    assertNull(op.condition());
    assertSame(op, JumpOp.ofOpcode(b | 0x05));
  }

  @Test
  void knownOpcodesAndUnassignedBits() {
    assertEquals(0xf0, JumpOp.MASK);
    assertSame(JumpOp.EXIT, JumpOp.ofOpcode(0x95));
    assertSame(JumpOp.CALL, JumpOp.ofOpcode(0x85));
    assertSame(JumpOp.JA, JumpOp.ofOpcode(0x05));
    assertNull(JumpOp.ofOpcode(0xf5));
  }
}
