package io.github.bpfevents.asm;

/**
 * The operation of an arithmetic instruction (classes {@link InsnClass#ALU} and
 * {@link InsnClass#ALU64}): the top four bits of its opcode.
 *
 * <pre>
 *   opcode bit:  7 6 5 4 | 3      | 2 1 0
 *                op      | source | class
 *   op bits:     ADD 0x00  SUB 0x10  MUL 0x20  DIV 0x30  OR  0x40  AND 0x50  LSH  0x60
 *                RSH 0x70  NEG 0x80  MOD 0x90  XOR 0xa0  MOV 0xb0  ARSH 0xc0 END 0xd0
 * </pre>
 *
 * <p>The offset field refines some operations (RFC 9669): offset 1 makes {@link #DIV} and
 * {@link #MOD} signed ({@code s/=}, {@code s%=}); offset 8, 16 or 32 makes a register
 * {@link #MOV} sign-extending ({@code r1 = (s8)r2}). {@link #END} swaps bytes: the source bit
 * picks little- or big-endian in class ALU, and in class ALU64 it is an unconditional swap.
 * The values 0xe0 and 0xf0 name no operation.
 */
public enum AluOp {
  /** {@code dst += src}. */
  ADD(0x00, "+="),
  /** {@code dst -= src}. */
  SUB(0x10, "-="),
  /** {@code dst *= src}. */
  MUL(0x20, "*="),
  /** {@code dst /= src}, unsigned; signed ({@code s/=}) with offset 1. */
  DIV(0x30, "/="),
  /** {@code dst |= src}. */
  OR(0x40, "|="),
  /** {@code dst &= src}. */
  AND(0x50, "&="),
  /** {@code dst <<= src}. */
  LSH(0x60, "<<="),
  /** {@code dst >>= src}, logical. */
  RSH(0x70, ">>="),
  /** {@code dst = -dst}: the operator is the unary minus. */
  NEG(0x80, "-"),
  /** {@code dst %= src}, unsigned; signed ({@code s%=}) with offset 1. */
  MOD(0x90, "%="),
  /** {@code dst ^= src}. */
  XOR(0xa0, "^="),
  /** {@code dst = src}; sign-extending with offset 8, 16 or 32. */
  MOV(0xb0, "="),
  /** {@code dst s>>= src}, arithmetic. */
  ARSH(0xc0, "s>>="),
  /** Byte swap ({@code le16}, {@code be32}, {@code bswap64}); printed by name, no operator. */
  END(0xd0, "");

  /** Mask of the operation bits within an opcode. */
  public static final int MASK = 0xf0;

  private static final AluOp[] BY_BITS = new AluOp[16];

  static {
    for (AluOp op : values()) {
      BY_BITS[op.bits >> 4] = op;
    }
  }

  private final int bits;
  private final String operator;

  AluOp(int bits, String operator) {
    this.bits = bits;
    this.operator = operator;
  }

  /**
   * The operation bits as they stand in an opcode.
   *
   * @return a multiple of 0x10, 0x00 to 0xd0
   */
  public int bits() {
    return bits;
  }

  /**
   * The operator in assembler text: {@code "+="} for {@link #ADD}, {@code "="} for
   * {@link #MOV}, {@code "-"} for {@link #NEG}, and the empty string for {@link #END}.
   *
   * @return the operator
   */
  public String operator() {
    return operator;
  }

  /**
   * Whether offset 1 selects a signed form of the operation ({@link #DIV}, {@link #MOD}).
   *
   * @return true for DIV and MOD
   */
  public boolean hasSignedForm() {
    return this == DIV || this == MOD;
  }

  /**
   * The operation of an arithmetic opcode, or null where its bits name none.
   *
   * @param opcode an opcode of class ALU or ALU64
   * @return the operation, null for the bits 0xe0 and 0xf0
   */
  public static AluOp ofOpcode(int opcode) {
    return BY_BITS[(opcode & MASK) >> 4];
  }
}
