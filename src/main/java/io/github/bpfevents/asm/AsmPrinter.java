package io.github.bpfevents.asm;

import io.github.bpfevents.BpfEventsException;

/**
 * Instruction text in the syntax of LLVM's BPF assembler (the kernel's verifier log
 * uses the same words): {@code *(u32 *)(r6 + 8) = r7}, {@code *(u8 *)(r6 + 24) = 6},
 * {@code *(u64 *)(r10 - 8) = r1}.
 *
 * <p>The text is composed from parts: the memory operand {@code *(size *)(reg +/- off)}
 * and the source, a register or the decimal immediate. It covers the memory stores, the
 * instructions that this library builds.
 */
public final class AsmPrinter {
  private AsmPrinter() {}

  /**
   * Whether {@link #print} knows the instruction.
   *
   * @param insn any instruction
   * @return true for {@code st} and {@code stx} in mode {@code MEM}
   */
  public static boolean canPrint(Insn insn) {
    return insn != null && Opcode.isMemoryStore(insn.opcode());
  }

  /**
   * The instruction's assembler text.
   *
   * @param insn a memory store
   * @return for example {@code *(u32 *)(r6 + 8) = r7}
   * @throws BpfEventsException for instructions other than memory stores
   */
  public static String print(Insn insn) {
    if (!canPrint(insn)) {
      throw BpfEventsException.of("unsupported-instruction")
          .with("value", insn == null ? null : insn.toString())
          .with("expected", "a memory store (st or stx)")
          .message("cannot print " + insn + " as assembler text; expected a memory store"
              + " (st or stx), the instructions this library builds");
    }
    String source = InsnClass.ofOpcode(insn.opcode()) == InsnClass.STX
        ? Register.of(insn.src()).asmName()
        : Integer.toString(insn.imm());
    return memory(Size.ofOpcode(insn.opcode()), Register.of(insn.dst()), insn.offset())
        + " = " + source;
  }

  /**
   * The memory operand: {@code *(u32 *)(r6 + 8)}; a negative offset prints as
   * {@code - 8}, zero as {@code + 0}.
   *
   * @param size the access width
   * @param base the address register
   * @param offset the signed offset
   * @return the operand text
   */
  static String memory(Size size, Register base, int offset) {
    String sign = offset < 0 ? " - " : " + ";
    return "*(" + size.asmName() + " *)(" + base.asmName() + sign + Math.abs(offset) + ")";
  }
}
