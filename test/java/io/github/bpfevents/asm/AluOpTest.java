package io.github.bpfevents.asm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The arithmetic operations, bits 4 to 7 of an ALU or ALU64 opcode as RFC 9669 numbers
 * them, with the operator LLVM's assembler text writes ({@code r1 += 5}).
 */
class AluOpTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = ';', value = {
      "ADD ; 0x00 ; +=", "SUB ; 0x10 ; -=", "MUL ; 0x20 ; *=", "DIV ; 0x30 ; /=",
      "OR ; 0x40 ; |=", "AND ; 0x50 ; &=", "LSH ; 0x60 ; <<=", "RSH ; 0x70 ; >>=",
      "NEG ; 0x80 ; -", "MOD ; 0x90 ; %=", "XOR ; 0xa0 ; ^=", "MOV ; 0xb0 ; =",
      "ARSH ; 0xc0 ; s>>=", "END ; 0xd0 ; ''",
  })
  void theTable(AluOp op, String bits, String operator) {
    int b = Integer.decode(bits);
    assertEquals(b, op.bits());
    assertEquals(operator, op.operator());
    // ALU64 | K and ALU | X: the class and source bits do not matter
    assertSame(op, AluOp.ofOpcode(b | 0x07));
    assertSame(op, AluOp.ofOpcode(b | 0x0c));
  }

  @Test
  void unassignedBits() {
    assertEquals(0xf0, AluOp.MASK);
    assertNull(AluOp.ofOpcode(0xe7));
    assertNull(AluOp.ofOpcode(0xf4));
  }

  @Test
  void signedFormsOfDivisionAndModulo() {
    for (AluOp op : AluOp.values()) {
      assertEquals(EnumSet.of(AluOp.DIV, AluOp.MOD).contains(op), op.hasSignedForm(),
          op.name());
    }
  }
}
