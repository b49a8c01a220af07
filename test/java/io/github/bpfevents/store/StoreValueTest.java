package io.github.bpfevents.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.asm.Register;
import org.junit.jupiter.api.Test;

/**
 * What to store into a field, the Java form of {@code {:reg :r7}} and {@code {:imm 6}}: a
 * register or an immediate, a value with equality, and the error for a missing register.
 */
class StoreValueTest {

  @Test
  void aRegister() {
    StoreValue v = StoreValue.reg(Register.R7);
    assertTrue(v.isRegister());
    assertSame(Register.R7, v.register());
    assertEquals(0, v.imm());
    assertEquals("{reg r7}", v.toString());
  }

  @Test
  void anImmediateOfAnyRange() {
    // the range is checked against the field when the store is built, not here
    for (long imm : new long[] {6, 0, -1, Long.MIN_VALUE, Long.MAX_VALUE}) {
      StoreValue v = StoreValue.imm(imm);
      assertFalse(v.isRegister());
      assertNull(v.register());
      assertEquals(imm, v.imm());
      assertEquals("{imm " + imm + "}", v.toString());
    }
  }

  @Test
  void valuesAreEqualWhenTheyHoldTheSame() {
    assertEquals(StoreValue.reg(Register.R7), StoreValue.reg(Register.R7));
    assertEquals(StoreValue.reg(Register.R7).hashCode(), StoreValue.reg(Register.R7).hashCode());
    assertEquals(StoreValue.reg(Register.R10), StoreValue.reg(Register.FP));
    assertEquals(StoreValue.imm(6), StoreValue.imm(6));
    assertEquals(StoreValue.imm(6).hashCode(), StoreValue.imm(6).hashCode());
    assertNotEquals(StoreValue.reg(Register.R7), StoreValue.reg(Register.R6));
    assertNotEquals(StoreValue.imm(6), StoreValue.imm(7));
    // a register is not the immediate 0
    assertNotEquals(StoreValue.reg(Register.R0), StoreValue.imm(0));
    assertNotEquals(StoreValue.imm(0), StoreValue.reg(Register.R0));
    assertNotEquals(StoreValue.imm(6), null);
    assertNotEquals(StoreValue.imm(6), 6L);
  }

  @Test
  void aNullRegister() {
    BpfEventsException e = assertThrows(BpfEventsException.class, () -> StoreValue.reg(null));
    assertEquals("unknown-register", e.problem());
    assertTrue(e.data().containsKey("register"));
    assertNull(e.data().get("register"));
    assertEquals("register is null; expected one of [r0, r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, fp]", e.getMessage());
  }
}
