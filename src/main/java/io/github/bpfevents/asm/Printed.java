package io.github.bpfevents.asm;

/**
 * The text of one instruction, or why it has none: what LLVM's disassembler refuses, with
 * the encoding that would have been accepted.
 *
 * @param text the assembler text, null when refused
 * @param reason what is wrong with the encoding, null when printed
 * @param expected what would have been accepted, null when printed
 */
record Printed(String text, String reason, String expected) {

  /**
   * An instruction with its text.
   *
   * @param text the assembler text
   * @return the result
   */
  static Printed as(String text) {
    return new Printed(text, null, null);
  }

  /**
   * An encoding without text.
   *
   * @param reason what is wrong with it
   * @param expected what would have been accepted
   * @return the result
   */
  static Printed refused(String reason, String expected) {
    return new Printed(null, reason, expected);
  }

  /**
   * Whether the instruction has a text.
   *
   * @return true when printed
   */
  boolean ok() {
    return text != null;
  }
}
