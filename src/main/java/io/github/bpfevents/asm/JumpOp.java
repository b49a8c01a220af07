package io.github.bpfevents.asm;

/**
 * The operation of a jump instruction (classes {@link InsnClass#JMP} and
 * {@link InsnClass#JMP32}): the top four bits of its opcode.
 *
 * <pre>
 *   opcode bit:  7 6 5 4 | 3      | 2 1 0
 *                op      | source | class
 *   op bits:     JA   0x00  JEQ  0x10  JGT  0x20  JGE  0x30  JSET 0x40  JNE  0x50
 *                JSGT 0x60  JSGE 0x70  CALL 0x80  EXIT 0x90  JLT  0xa0  JLE  0xb0
 *                JSLT 0xc0  JSLE 0xd0  JCOND 0xe0
 * </pre>
 *
 * <p>The conditional jumps compare {@code dst} with the immediate or {@code src} and jump
 * by the offset: {@code if r1 s< 5 goto +3}. The comparison is 64-bit in class JMP and
 * 32-bit in class JMP32. The value 0xf0 names no operation.
 */
public enum JumpOp {
  /** Jump always: {@code goto +off}; in class JMP32 the long form {@code gotol +imm}. */
  JA(0x00, null),
  /** {@code ==}. */
  JEQ(0x10, "=="),
  /** {@code >}, unsigned. */
  JGT(0x20, ">"),
  /** {@code >=}, unsigned. */
  JGE(0x30, ">="),
  /** {@code &}: jump when {@code dst & src} is not zero. */
  JSET(0x40, "&"),
  /** {@code !=}. */
  JNE(0x50, "!="),
  /** {@code s>}, signed. */
  JSGT(0x60, "s>"),
  /** {@code s>=}, signed. */
  JSGE(0x70, "s>="),
  /** Call a helper or function ({@code call imm}), or the address in a register ({@code callx}). */
  CALL(0x80, null),
  /** Return from the program or function: {@code exit}. */
  EXIT(0x90, null),
  /** {@code <}, unsigned. */
  JLT(0xa0, "<"),
  /** {@code <=}, unsigned. */
  JLE(0xb0, "<="),
  /** {@code s<}, signed. */
  JSLT(0xc0, "s<"),
  /** {@code s<=}, signed. */
  JSLE(0xd0, "s<="),
  /** Conditional pseudo-jump decided by the kernel: {@code may_goto +off}. */
  JCOND(0xe0, null);

  /** Mask of the operation bits within an opcode. */
  public static final int MASK = 0xf0;

  private static final JumpOp[] BY_BITS = new JumpOp[16];

  static {
    for (JumpOp op : values()) {
      BY_BITS[op.bits >> 4] = op;
    }
  }

  private final int bits;
  private final String condition;

  JumpOp(int bits, String condition) {
    this.bits = bits;
    this.condition = condition;
  }

  /**
   * The operation bits as they stand in an opcode.
   *
   * @return a multiple of 0x10, 0x00 to 0xe0
   */
  public int bits() {
    return bits;
  }

  /**
   * Whether this is a comparison that jumps by the offset when it holds.
   *
   * @return true for the eleven conditional jumps, false for JA, CALL, EXIT and JCOND
   */
  public boolean isConditional() {
    return condition != null;
  }

  /**
   * The comparison operator in assembler text, as in {@code if r1 s>= r2 goto +1}.
   *
   * @return for example {@code "s>="}; null for JA, CALL, EXIT and JCOND
   */
  public String condition() {
    return condition;
  }

  /**
   * The operation of a jump opcode, or null where its bits name none.
   *
   * @param opcode an opcode of class JMP or JMP32
   * @return the operation, null for the bits 0xf0
   */
  public static JumpOp ofOpcode(int opcode) {
    return BY_BITS[(opcode & MASK) >> 4];
  }
}
