package io.github.bpfevents.asm;

/**
 * The source operand of an arithmetic or jump instruction: bit 3 of its opcode.
 *
 * <pre>
 *   opcode bit:  7 6 5 4 | 3      | 2 1 0
 *                op      | source | class
 *   source bit:  K = 0x00 (the immediate), X = 0x08 (the src register)
 * </pre>
 *
 * <p>{@code r1 += 5} is {@code ADD | K | ALU64} = {@code 0x07}; {@code r1 += r2} is
 * {@code ADD | X | ALU64} = {@code 0x0f}.
 */
public enum Source {
  /** The 32-bit immediate. */
  K(0x00),
  /** The {@code src} register. */
  X(0x08);

  /** Mask of the source bit within an opcode. */
  public static final int MASK = 0x08;

  private final int bits;

  Source(int bits) {
    this.bits = bits;
  }

  /**
   * The source bit as it stands in an opcode.
   *
   * @return 0x00 or 0x08
   */
  public int bits() {
    return bits;
  }

  /**
   * The source named by an arithmetic or jump opcode.
   *
   * @param opcode any opcode
   * @return {@link #X} when bit 3 is set, else {@link #K}
   */
  public static Source ofOpcode(int opcode) {
    return (opcode & MASK) == X.bits ? X : K;
  }
}
