package io.github.bpfevents.check;

import io.github.bpfevents.asm.AluOp;
import io.github.bpfevents.asm.Instructions;
import io.github.bpfevents.asm.JumpOp;
import io.github.bpfevents.asm.Program;
import io.github.bpfevents.asm.Register;
import io.github.bpfevents.asm.Size;
import io.github.bpfevents.asm.Store;
import java.util.ArrayList;
import java.util.List;

/**
 * The counters the test producers keep in an array map around the library's fragment: u64
 * 0, the last record number taken, and u64 8, the records the kernel refused. The same
 * program parts for {@link RingFeed}, {@link PerfFeed} and the end-to-end benchmark.
 */
public final class Counters {
  private Counters() {}

  /**
   * r7 = the counters' map value whose u32 key the program stored at fp - 4 (to label
   * {@code exit} if there is none), r8 = the next record number (not yet stored).
   *
   * @param countersFd the array map
   * @return the items
   */
  public static List<Program.Item> lookupNextNumber(int countersFd) {
    List<Program.Item> p = new ArrayList<>();
    p.add(Program.insn(Instructions.mov(Register.R2, Register.R10)));
    p.add(Program.insn(Instructions.aluImm(AluOp.ADD, Register.R2, -4)));
    p.addAll(Program.insns(Instructions.lddwMapFd(Register.R1, countersFd)));
    p.add(Program.insn(Instructions.call(1))); // map_lookup_elem
    p.add(Program.jump(JumpOp.JEQ, Register.R0, 0, "exit"));
    p.add(Program.insn(Instructions.mov(Register.R7, Register.R0)));
    p.add(Program.insn(Instructions.ldx(Size.DW, Register.R8, Register.R7, 0)));
    p.add(Program.insn(Instructions.aluImm(AluOp.ADD, Register.R8, 1)));
    return p;
  }

  /**
   * Label {@code refused}: counts a refused record at u64 8 of r7's counters; then label
   * {@code exit}: returns 0.
   *
   * @return the items
   */
  public static List<Program.Item> refusedThenExit() {
    List<Program.Item> p = new ArrayList<>();
    p.add(Program.label("refused"));
    p.add(Program.insn(Instructions.ldx(Size.DW, Register.R1, Register.R7, 8)));
    p.add(Program.insn(Instructions.aluImm(AluOp.ADD, Register.R1, 1)));
    p.add(Program.insn(Store.stx(Size.DW, Register.R7, 8, Register.R1)));
    p.add(Program.label("exit"));
    p.add(Program.insn(Instructions.movImm(Register.R0, 0)));
    p.add(Program.insn(Instructions.exit()));
    return p;
  }
}
