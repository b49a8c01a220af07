package io.github.bpfevents.asm;

/**
 * The addressing mode of a load or store: the top three bits of its opcode.
 *
 * <pre>
 *   opcode bit:  7 6 5 | 4 3 | 2 1 0
 *                mode  | size| class
 * </pre>
 */
public enum Mode {
  /** 64-bit immediate ({@code lddw}). */
  IMM(0x00),
  /** Legacy packet access, absolute. */
  ABS(0x20),
  /** Legacy packet access, indirect. */
  IND(0x40),
  /** Regular memory access: {@code *(size *)(reg + off)}. */
  MEM(0x60),
  /** Sign-extending load. */
  MEMSX(0x80),
  /** Atomic operation. */
  ATOMIC(0xc0);

  /** Mask of the mode bits within an opcode. */
  public static final int MASK = 0xe0;

  private final int bits;

  Mode(int bits) {
    this.bits = bits;
  }

  /**
   * The mode bits as they stand in an opcode.
   *
   * @return a multiple of 0x20
   */
  public int bits() {
    return bits;
  }

  /**
   * The mode of a load or store opcode, or null where the bits name no mode.
   *
   * @param opcode a load or store opcode
   * @return its mode, null for the unassigned values 0xa0 and 0xe0
   */
  public static Mode ofOpcode(int opcode) {
    int b = opcode & MASK;
    for (Mode m : values()) {
      if (m.bits == b) {
        return m;
      }
    }
    return null;
  }
}
