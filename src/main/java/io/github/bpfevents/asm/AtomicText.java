package io.github.bpfevents.asm;

import static io.github.bpfevents.asm.Operands.address;
import static io.github.bpfevents.asm.Operands.hex;
import static io.github.bpfevents.asm.Operands.memory;
import static io.github.bpfevents.asm.Operands.register;

/**
 * The text of atomic instructions ({@code STX} in mode {@link Mode#ATOMIC}, 4 or 8 bytes),
 * as LLVM's disassembler prints them. {@code dst} holds the address, {@code src} the value;
 * the low byte of the immediate the {@link AtomicOp} and its fetch flag.
 *
 * <pre>
 *   lock *(u64 *)(r1 + 8) += r2                      no fetch (any flag bits but 0x01)
 *   r2 = atomic_fetch_or((u64 *)(r1 + 8), r2)       fetch
 *   r2 = xchg_64(r1 + 8, r2)                         w2 = xchg32_32(r1 + 8, w2)
 *   r0 = cmpxchg_64(r1 + 8, r0, r2)                  w0 = cmpxchg32_32(r1 + 8, w0, w2)
 * </pre>
 *
 * <p>The 32-bit forms use {@code w} registers in {@link AsmDialect#ALU32}. In
 * {@link AsmDialect#NO_ALU32} LLVM knows only the 32-bit add without fetch, whatever the
 * flag bits: {@code lock *(u32 *)(r1 + 8) += r2}; the other 32-bit atomics are refused.
 * Bits 8 to 31 of the immediate are not read.
 */
final class AtomicText {
  private AtomicText() {}

  /**
   * The text of an atomic instruction.
   *
   * @param insn the instruction
   * @param size its access width
   * @param dialect the register spelling
   * @return the text, or why there is none
   */
  static Printed of(Insn insn, Size size, AsmDialect dialect) {
    if (size != Size.W && size != Size.DW) {
      return Printed.refused("atomic of " + size.bytes() + " byte" + (size.bytes() > 1 ? "s" : "")
          + " (opcode " + hex(insn.opcode()) + ")", "4 or 8 bytes: opcode 0xc3 or 0xdb");
    }
    AtomicOp op = AtomicOp.ofImm(insn.imm());
    boolean fetch = (insn.imm() & AtomicOp.FLAGS_MASK) == AtomicOp.FETCH;
    String mem = memory(size.asmName(), insn.dst(), insn.offset());
    if (size == Size.W && dialect == AsmDialect.NO_ALU32) {
      if (op != AtomicOp.ADD) {
        return Printed.refused("32-bit atomic " + operation(insn.imm(), op)
            + " without alu32 (" + dialect + ")", "the 32-bit atomic add (imm 0x00), or the"
            + " ALU32 dialect for the other 32-bit atomics");
      }
      return Printed.as("lock " + mem + " " + op.operator() + "= " + register(insn.src(), false));
    }
    if (op == null) {
      return Printed.refused("atomic " + operation(insn.imm(), null),
          "an operation add 0x00, or 0x40, and 0x50, xor 0xa0, xchg 0xe1 or cmpxchg 0xf1");
    }
    boolean word = size == Size.W;
    String src = register(insn.src(), word);
    if (!fetch && !op.alwaysFetches()) {
      return Printed.as("lock " + mem + " " + op.operator() + "= " + src);
    }
    if (!fetch) {
      return Printed.refused("atomic " + operation(insn.imm(), op) + " without the fetch flag",
          op.asmName() + " with the fetch flag: imm " + hex(op.bits() | AtomicOp.FETCH));
    }
    String suffix = word ? "32_32" : "_64";
    String at = address(insn.dst(), insn.offset());
    if (op == AtomicOp.XCHG) {
      return Printed.as(src + " = xchg" + suffix + "(" + at + ", " + src + ")");
    }
    if (op == AtomicOp.CMPXCHG) {
      String r0 = register(0, word);
      return Printed.as(r0 + " = cmpxchg" + suffix + "(" + at + ", " + r0 + ", " + src + ")");
    }
    return Printed.as(src + " = atomic_fetch_" + op.asmName() + "((" + size.asmName() + " *)("
        + at + "), " + src + ")");
  }

  private static String operation(int imm, AtomicOp op) {
    return (op == null ? "operation" : op.asmName()) + " (imm " + hex(imm & 0xff) + ")";
  }
}
