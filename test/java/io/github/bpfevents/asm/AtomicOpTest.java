package io.github.bpfevents.asm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The atomic operations, bits 4 to 7 of an atomic instruction's immediate as RFC 9669
 * numbers them (ADD 0x00, OR 0x40, AND 0x50, XOR 0xa0, XCHG 0xe0 | FETCH, CMPXCHG 0xf0 |
 * FETCH), with their names in assembler text.
 */
class AtomicOpTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = ';', value = {
      "ADD ; 0x00 ; add ; +", "OR ; 0x40 ; or ; |", "AND ; 0x50 ; and ; &",
      "XOR ; 0xa0 ; xor ; ^",
  })
  void operationsWithAndWithoutFetch(AtomicOp op, String bits, String name, String operator) {
    int b = Integer.decode(bits);
    assertEquals(b, op.bits());
    assertEquals(name, op.asmName());
    assertEquals(operator, op.operator());
    assertEquals(false, op.alwaysFetches());
    assertSame(op, AtomicOp.ofImm(b));
    assertSame(op, AtomicOp.ofImm(b | AtomicOp.FETCH));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"XCHG, 0xe1, xchg", "CMPXCHG, 0xf1, cmpxchg"})
  void operationsThatAlwaysFetch(AtomicOp op, String imm, String name) {
    int i = Integer.decode(imm);
    assertEquals(i & ~AtomicOp.FETCH, op.bits());
    assertEquals(name, op.asmName());
    assertNull(op.operator());
    assertEquals(true, op.alwaysFetches());
    assertSame(op, AtomicOp.ofImm(i));
  }

  @Test
  void flagsAndUnassignedBits() {
    assertEquals(0x01, AtomicOp.FETCH);
    assertEquals(0x0f, AtomicOp.FLAGS_MASK);
    assertEquals(0xf0, AtomicOp.MASK);
    for (int b : new int[] {0x10, 0x20, 0x30, 0x60, 0x70, 0x80, 0x90, 0xb0, 0xc0, 0xd0}) {
      assertNull(AtomicOp.ofImm(b), Integer.toHexString(b));
    }
  }
}
