package io.github.bpfevents.asm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Notation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The eleven BPF registers: their numbers as the register byte holds them, their names in
 * assembler text ({@code r0} to {@code r10}, and {@code fp} for the frame pointer
 * {@code r10}), and the errors for any other number or name.
 */
class RegisterTest {

  @Test
  void elevenRegistersNumberedAndNamed() {
    assertEquals(11, Register.values().length);
    for (int n = 0; n <= 10; n++) {
      Register r = Register.of(n);
      assertEquals(n, r.number());
      assertEquals("r" + n, r.asmName());
      assertSame(r, Register.named("r" + n));
      assertEquals("R" + n, r.name());
    }
  }

  @Test
  void theFramePointer() {
    assertSame(Register.R10, Register.FP);
    assertSame(Register.R10, Register.named("fp"));
    assertEquals("r10", Register.FP.asmName());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(ints = {-1, 11, 16, Integer.MIN_VALUE, Integer.MAX_VALUE})
  void otherNumbers(int n) {
    BpfEventsException e = assertThrows(BpfEventsException.class, () -> Register.of(n));
    assertEquals("unknown-register", e.problem());
    assertEquals(n, e.data().get("value"));
    assertEquals("register number " + n + " is not a BPF register; expected 0 to 10",
        e.getMessage());
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"r11", "R1", "r-1", "w1", "FP", "", "r01", " r1", "r1 "})
  void otherNames(String name) {
    BpfEventsException e = assertThrows(BpfEventsException.class, () -> Register.named(name));
    assertEquals("unknown-register", e.problem());
    assertEquals(name, e.data().get("register"));
    assertEquals("one of {accepted}", e.data().get("expected"));
    assertEquals(Register.NAMES, e.data().get("accepted"));
  }

  @Test
  void theMessageOfAnUnknownName() {
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> Register.named("r11"));
    assertEquals("unknown register r11; expected one of [r0, r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, fp]", e.getMessage());
    assertEquals("unknown register :r11; expected one of [:r0 :r1 :r2 :r3 :r4 :r5 :r6 :r7 :r8 :r9 :r10 :fp]",
        e.message(Notation.EDN));
  }

  @Test
  void aNullName() {
    BpfEventsException e = assertThrows(BpfEventsException.class, () -> Register.named(null));
    assertEquals("unknown-register", e.problem());
    assertTrue(e.data().containsKey("register"));
    assertNull(e.data().get("register"));
  }
}
