package io.github.bpfevents.asm;

/**
 * The parts that instruction texts are composed of, in LLVM's BPF syntax: register names,
 * addresses, memory operands, sources and jump targets.
 *
 * <pre>
 *   register   r1        w1 (the low 32 bits)
 *   address    r10 - 8   r6 + 0
 *   memory     *(u32 *)(r6 + 8)
 *   source     r2 or w2 (register), -5 (immediate, signed decimal)
 *   target     +3        -1 (relative to the next instruction)
 * </pre>
 */
final class Operands {
  private Operands() {}

  /**
   * A register's name.
   *
   * @param number 0 to 10
   * @param word true for the 32-bit name {@code wN}, false for {@code rN}
   * @return {@code "r1"} or {@code "w1"}
   */
  static String register(int number, boolean word) {
    return (word ? "w" : "r") + number;
  }

  /**
   * An address: base register and signed offset; a negative offset prints as
   * {@code - 8}, zero as {@code + 0}.
   *
   * @param base the base register's number
   * @param offset the signed 16-bit offset
   * @return for example {@code "r10 - 8"}
   */
  static String address(int base, int offset) {
    return register(base, false) + (offset < 0 ? " - " : " + ") + Math.abs(offset);
  }

  /**
   * A memory operand: {@code *(u32 *)(r6 + 8)}.
   *
   * @param type the C type of the access, {@code "u32"} or {@code "s16"}
   * @param base the base register's number
   * @param offset the signed offset
   * @return the operand text
   */
  static String memory(String type, int base, int offset) {
    return "*(" + type + " *)(" + address(base, offset) + ")";
  }

  /**
   * The source of an arithmetic or jump instruction: the immediate in signed decimal, or
   * the {@code src} register.
   *
   * @param insn the instruction
   * @param source which of the two
   * @param word true for the 32-bit register name
   * @return for example {@code "-5"} or {@code "w2"}
   */
  static String source(Insn insn, Source source, boolean word) {
    return source == Source.K ? Integer.toString(insn.imm()) : register(insn.src(), word);
  }

  /**
   * A jump target relative to the next instruction, always signed: {@code +3}, {@code +0},
   * {@code -1}.
   *
   * @param delta the offset in instructions
   * @return the target text
   */
  static String target(int delta) {
    return (delta < 0 ? "" : "+") + delta;
  }

  /**
   * A byte in hexadecimal for messages: {@code 0x0d}.
   *
   * @param value 0 to 255
   * @return the hex text
   */
  static String hex(int value) {
    return String.format("0x%02x", value);
  }
}
