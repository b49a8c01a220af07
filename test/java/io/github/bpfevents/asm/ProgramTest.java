package io.github.bpfevents.asm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.bpfevents.BpfEventsException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Labels linked to offsets: backwards, forwards, over two-slot lddw, and the errors. */
class ProgramTest {
  @Test
  void offsetsCountSlotsBetweenTheJumpAndItsLabel() {
    List<Insn> p = Program.link(List.of(
        Program.label("top"),
        Program.jump(JumpOp.JEQ, Register.R0, 0, "out"),
        Program.insns(Instructions.lddw(Register.R1, 1L << 40)).get(0),
        Program.insns(Instructions.lddw(Register.R1, 1L << 40)).get(1),
        Program.jump("top"),
        Program.label("out"),
        Program.insn(Instructions.exit())));
    assertEquals(List.of("if r0 == 0 goto +3", "r1 = 1099511627776 ll", "goto -4", "exit"),
        AsmPrinter.printAll(p));
  }

  @Test
  void labelsMustExistOnce() {
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> Program.link(List.of(Program.label("a"), Program.jump("b"))));
    assertEquals("unknown-label", e.problem());
    assertEquals("duplicate-label", assertThrows(BpfEventsException.class,
        () -> Program.link(List.of(Program.label("a"), Program.label("a")))).problem());
    List<Program.Item> far = new ArrayList<>();
    far.add(Program.jump("end"));
    for (int i = 0; i < 40000; i++) {
      far.add(Program.insn(Instructions.movImm(Register.R0, 0)));
    }
    far.add(Program.label("end"));
    assertEquals("offset-out-of-range",
        assertThrows(BpfEventsException.class, () -> Program.link(far)).problem());
  }
}
