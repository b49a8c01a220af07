package io.github.bpfevents.asm;

import static io.github.bpfevents.asm.Operands.hex;
import static io.github.bpfevents.asm.Operands.register;
import static io.github.bpfevents.asm.Operands.target;

/**
 * The text of jump instructions, classes {@link InsnClass#JMP} ({@code r} registers) and
 * {@link InsnClass#JMP32} ({@code w} registers), as LLVM's disassembler prints them.
 *
 * <pre>
 *   if r1 == 5 goto +3     if w1 s< w2 goto -1     goto +7     gotol +70000
 *   call 1                 callx r2                exit        may_goto +2
 * </pre>
 *
 * <p>Fields a jump does not use are not printed: the {@code src} register of a K form, the
 * immediate of an X form; {@code goto} uses only the offset and {@code gotol} only the
 * immediate; {@code call} prints its immediate whatever the {@code src} (helper, local
 * function or kfunc), {@code callx} its {@code dst}.
 */
final class JumpText {
  private JumpText() {}

  /**
   * The text of a JMP or JMP32 instruction.
   *
   * @param insn the instruction
   * @param cls its class, JMP or JMP32
   * @return the text, or why LLVM has none
   */
  static Printed of(Insn insn, InsnClass cls) {
    boolean word = cls == InsnClass.JMP32;
    JumpOp op = JumpOp.ofOpcode(insn.opcode());
    Source source = Source.ofOpcode(insn.opcode());
    if (op == null) {
      return Printed.refused("operation " + hex(insn.opcode() & JumpOp.MASK)
          + " of opcode " + hex(insn.opcode()) + " is not a jump operation",
          "a jump operation from ja (0x00) to jcond (0xe0)");
    }
    if (op.isConditional()) {
      return Printed.as("if " + register(insn.dst(), word) + " " + op.condition() + " "
          + Operands.source(insn, source, word) + " goto " + target(insn.offset()));
    }
    if (op == JumpOp.JA && source == Source.K) {
      return Printed.as(word ? "gotol " + target(insn.imm()) : "goto " + target(insn.offset()));
    }
    if (word) {
      return Printed.refused("opcode " + hex(insn.opcode()) + " has no 32-bit form",
          "a conditional jump or gotol (0x06) in class JMP32");
    }
    if (op == JumpOp.CALL) {
      return Printed.as(source == Source.K ? "call " + insn.imm()
          : "callx " + register(insn.dst(), false));
    }
    if (source == Source.X) {
      return Printed.refused("opcode " + hex(insn.opcode()) + " has no register source",
          "source K: opcode " + hex(insn.opcode() & ~Source.MASK));
    }
    if (op == JumpOp.EXIT) {
      if (insn.imm() != 0) {
        return Printed.refused("exit with immediate " + insn.imm(), "immediate 0");
      }
      return Printed.as("exit");
    }
    return Printed.as("may_goto " + target(insn.offset()));
  }
}
