package io.github.bpfevents.asm;

import io.github.bpfevents.Problem;
import java.util.List;

/**
 * Builders of the instructions a program needs around its stores: moves and arithmetic
 * with an immediate, register moves, loads, helper calls, jumps and {@code exit}, and the
 * two-slot {@code lddw} (also in its map-descriptor form), each as RFC 9669 encodes it.
 *
 * <pre>{@code
 * Instructions.movImm(Register.R2, 16)            // r2 = 16
 * Instructions.call(131)                          // call 131 (bpf_ringbuf_reserve)
 * Instructions.jumpImm(JumpOp.JEQ, Register.R0, 0, 5)  // if r0 == 0 goto +5
 * Instructions.lddwMapFd(Register.R1, 7)          // ld_pseudo r1, 1, 7 (two slots)
 * }</pre>
 *
 * <p>Jump offsets are counted in slots after the jump; {@link Program} computes them from
 * labels.
 */
public final class Instructions {
  /** {@code BPF_PSEUDO_MAP_FD}: the {@code src} of a {@code lddw} whose immediate is a map's fd. */
  public static final int PSEUDO_MAP_FD = 1;

  private Instructions() {}

  /**
   * {@code dst = imm} (64-bit, the immediate sign-extended).
   *
   * @param dst the register
   * @param imm the value
   * @return the instruction
   */
  public static Insn movImm(Register dst, int imm) {
    return alu(InsnClass.ALU64, AluOp.MOV, Source.K, dst, Register.R0, imm);
  }

  /**
   * {@code wdst = imm}: the 32-bit move, which zeroes the upper half ({@code w3 = -1} leaves
   * 0xffffffff).
   *
   * @param dst the register
   * @param imm the value
   * @return the instruction
   */
  public static Insn movImm32(Register dst, int imm) {
    return alu(InsnClass.ALU, AluOp.MOV, Source.K, dst, Register.R0, imm);
  }

  /**
   * {@code dst = src}.
   *
   * @param dst the destination
   * @param src the source
   * @return the instruction
   */
  public static Insn mov(Register dst, Register src) {
    return alu(InsnClass.ALU64, AluOp.MOV, Source.X, dst, src, 0);
  }

  /**
   * {@code wdst = wsrc}: the low 32 bits of {@code src}, zero-extended.
   *
   * @param dst the destination
   * @param src the source
   * @return the instruction
   */
  public static Insn mov32(Register dst, Register src) {
    return alu(InsnClass.ALU, AluOp.MOV, Source.X, dst, src, 0);
  }

  /**
   * {@code dst op= imm} in 64 bits: {@code r1 += -16}, {@code r1 >>= 32}.
   *
   * @param op the operation (not NEG, MOV or END)
   * @param dst the register
   * @param imm the immediate
   * @return the instruction
   */
  public static Insn aluImm(AluOp op, Register dst, int imm) {
    if (op == null || op == AluOp.NEG || op == AluOp.MOV || op == AluOp.END) {
      throw Problem.BAD_OPERATION_ARITHMETIC_TAKES_IMMEDIATE
          .with("value", op == null ? null : op.name())
          .with("expected", "a binary operation: ADD to ARSH, but MOV, NEG and END")
          .build();
    }
    return alu(InsnClass.ALU64, op, Source.K, dst, Register.R0, imm);
  }

  /**
   * {@code dst = *(size *)(src + offset)}.
   *
   * @param size the width
   * @param dst the destination
   * @param src the address register
   * @param offset -32768 to 32767
   * @return the instruction
   */
  public static Insn ldx(Size size, Register dst, Register src, int offset) {
    notNull(size, "size");
    notNull(dst, "dst");
    notNull(src, "src");
    return Insn.of(Opcode.loadStore(InsnClass.LDX, Mode.MEM, size), dst, src, offset, 0);
  }

  /**
   * {@code call helper}: calls the kernel helper of that number.
   *
   * @param helper the helper's number ({@code bpf_ringbuf_reserve} is 131)
   * @return the instruction
   */
  public static Insn call(int helper) {
    return Insn.of(JumpOp.CALL.bits() | Source.K.bits() | InsnClass.JMP.bits(), Register.R0,
        Register.R0, 0, helper);
  }

  /** @return {@code exit} */
  public static Insn exit() {
    return Insn.of(JumpOp.EXIT.bits() | InsnClass.JMP.bits(), Register.R0, Register.R0, 0, 0);
  }

  /**
   * {@code goto +offset}.
   *
   * @param offset slots to skip, -32768 to 32767
   * @return the instruction
   */
  public static Insn ja(int offset) {
    return Insn.of(JumpOp.JA.bits() | InsnClass.JMP.bits(), Register.R0, Register.R0, offset, 0);
  }

  /**
   * {@code if dst op imm goto +offset} (64-bit comparison).
   *
   * @param op a conditional jump
   * @param dst the register compared
   * @param imm the immediate
   * @param offset slots to skip when the comparison holds
   * @return the instruction
   */
  public static Insn jumpImm(JumpOp op, Register dst, int imm, int offset) {
    if (op == null || !op.isConditional()) {
      throw Problem.BAD_OPERATION_JUMP_COMPARISON
          .with("value", op == null ? null : op.name())
          .with("expected", "a conditional jump: JEQ, JNE, JGT, ...")
          .build();
    }
    notNull(dst, "dst");
    return Insn.of(op.bits() | Source.K.bits() | InsnClass.JMP.bits(), dst, Register.R0, offset,
        imm);
  }

  /**
   * {@code dst = imm64 ll}: the two slots of {@code lddw}.
   *
   * @param dst the register
   * @param imm64 the value
   * @return the two slots
   */
  public static List<Insn> lddw(Register dst, long imm64) {
    notNull(dst, "dst");
    return List.of(Insn.of(LoadStoreText.LDDW, dst, Register.R0, 0, (int) imm64),
        Insn.of(0, 0, 0, 0, (int) (imm64 >>> 32)));
  }

  /**
   * {@code dst = map} by file descriptor: {@code lddw} with {@code src}
   * {@link #PSEUDO_MAP_FD}, which the kernel replaces with the map's address at load time.
   *
   * @param dst the register
   * @param mapFd the map's file descriptor (0 as a placeholder a loader patches)
   * @return the two slots
   */
  public static List<Insn> lddwMapFd(Register dst, int mapFd) {
    notNull(dst, "dst");
    return List.of(Insn.of(LoadStoreText.LDDW, dst.number(), PSEUDO_MAP_FD, 0, mapFd),
        Insn.of(0, 0, 0, 0, 0));
  }

  private static Insn alu(InsnClass cls, AluOp op, Source src, Register dst, Register s, int imm) {
    notNull(dst, "dst");
    notNull(s, "src");
    return Insn.of(op.bits() | src.bits() | cls.bits(), dst, s, 0, imm);
  }

  private static void notNull(Object o, String what) {
    if (o == null) {
      throw Problem.MISSING_ARGUMENT_INSTRUCTION_NULL
          .with("key", what)
          .with("value", null)
          .with("expected", "a " + what)
          .with("what", what)
          .build();
    }
  }
}
