package io.github.bpfevents.asm;

/**
 * The instruction class: the low three bits of every opcode.
 *
 * <pre>
 *   opcode bit:  7 6 5 4 3 | 2 1 0
 *                (by class) | class
 * </pre>
 */
public enum InsnClass {
  /** Non-standard loads ({@code lddw}). */
  LD(0x00),
  /** Load from memory into a register. */
  LDX(0x01),
  /** Store an immediate to memory. */
  ST(0x02),
  /** Store a register to memory. */
  STX(0x03),
  /** 32-bit arithmetic. */
  ALU(0x04),
  /** 64-bit jumps, calls and exit. */
  JMP(0x05),
  /** 32-bit jumps. */
  JMP32(0x06),
  /** 64-bit arithmetic. */
  ALU64(0x07);

  /** Mask of the class bits within an opcode. */
  public static final int MASK = 0x07;

  private final int bits;

  InsnClass(int bits) {
    this.bits = bits;
  }

  /**
   * The class bits as they stand in an opcode.
   *
   * @return 0x00 to 0x07
   */
  public int bits() {
    return bits;
  }

  /**
   * The class of an opcode.
   *
   * @param opcode any opcode (0 to 255)
   * @return its class
   */
  public static InsnClass ofOpcode(int opcode) {
    return values()[opcode & MASK];
  }
}
