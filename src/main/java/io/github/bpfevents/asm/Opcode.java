package io.github.bpfevents.asm;

import io.github.bpfevents.Problem;

/**
 * Builds and takes apart the opcode byte of a load or store.
 *
 * <pre>
 *    7   6   5   4   3   2   1   0
 *  +-----------+-------+-----------+
 *  |   mode    | size  |   class   |
 *  +-----------+-------+-----------+
 *   {@link Mode}  {@link Size}   {@link InsnClass}
 * </pre>
 *
 * <p>{@code stxw} is {@code MEM | W | STX} = {@code 0x60 | 0x00 | 0x03} = {@code 0x63}.
 */
public final class Opcode {
  private Opcode() {}

  /**
   * The opcode of a load or store.
   *
   * @param cls {@link InsnClass#LD}, {@link InsnClass#LDX}, {@link InsnClass#ST} or
   *     {@link InsnClass#STX}
   * @param mode the addressing mode
   * @param size the access width
   * @return the opcode byte, 0 to 255
   */
  public static int loadStore(InsnClass cls, Mode mode, Size size) {
    if (cls == null || mode == null || size == null) {
      throw Problem.MISSING_ARGUMENT_OPCODE_NULL
          .with("key", cls == null ? "class" : mode == null ? "mode" : "size")
          .with("value", null)
          .with("expected", "an instruction class, a mode and a size")
          .build();
    }
    return mode.bits() | size.bits() | cls.bits();
  }

  /**
   * Whether the opcode is a regular memory store: {@code st} or {@code stx} in mode
   * {@link Mode#MEM}.
   *
   * @param opcode any opcode
   * @return true for the eight store opcodes
   */
  public static boolean isMemoryStore(int opcode) {
    InsnClass cls = InsnClass.ofOpcode(opcode);
    return (cls == InsnClass.ST || cls == InsnClass.STX) && Mode.ofOpcode(opcode) == Mode.MEM;
  }
}
