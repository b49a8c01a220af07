package io.github.bpfevents.asm;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Problem;

/**
 * The width of a memory access: the size bits of a load or store opcode.
 *
 * <p>This is the one table of access widths; every other place (layout, printing, the
 * opcode builders) asks it.
 *
 * <pre>
 *   opcode bit:  7 6 5 | 4 3 | 2 1 0
 *                mode  | size| class
 *   size bits:   W = 0x00 (4 bytes), H = 0x08 (2), B = 0x10 (1), DW = 0x18 (8)
 * </pre>
 */
public enum Size {
  /** One byte, {@code u8} in assembler text. */
  B(1, 0x10, "u8"),
  /** Two bytes, {@code u16}. */
  H(2, 0x08, "u16"),
  /** Four bytes, {@code u32}. */
  W(4, 0x00, "u32"),
  /** Eight bytes, {@code u64}. */
  DW(8, 0x18, "u64");

  /** Mask of the size bits within an opcode. */
  public static final int MASK = 0x18;

  private final int bytes;
  private final int bits;
  private final String asmName;

  Size(int bytes, int bits, String asmName) {
    this.bytes = bytes;
    this.bits = bits;
    this.asmName = asmName;
  }

  /**
   * The number of bytes accessed.
   *
   * @return 1, 2, 4 or 8
   */
  public int bytes() {
    return bytes;
  }

  /**
   * The size bits as they stand in an opcode.
   *
   * @return one of 0x00, 0x08, 0x10, 0x18
   */
  public int bits() {
    return bits;
  }

  /**
   * The name used in assembler text: {@code *(u32 *)(r6 + 8)}.
   *
   * @return {@code "u8"}, {@code "u16"}, {@code "u32"} or {@code "u64"}
   */
  public String asmName() {
    return asmName;
  }

  /**
   * The access of the given width.
   *
   * @param bytes 1, 2, 4 or 8
   * @return the size
   * @throws BpfEventsException for any other width
   */
  public static Size ofBytes(int bytes) {
    for (Size s : values()) {
      if (s.bytes == bytes) {
        return s;
      }
    }
    throw Problem.BAD_WIDTH
        .with("value", bytes)
        .with("expected", "1, 2, 4 or 8")
        .build();
  }

  /**
   * The size named by an opcode's size bits.
   *
   * @param opcode a load or store opcode
   * @return the size its bits select
   */
  public static Size ofOpcode(int opcode) {
    int b = opcode & MASK;
    for (Size s : values()) {
      if (s.bits == b) {
        return s;
      }
    }
    throw new AssertionError("two bits select one of four sizes");
  }
}
