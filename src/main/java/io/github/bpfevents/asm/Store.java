package io.github.bpfevents.asm;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Problem;

/**
 * Builders of the two memory stores, following the kernel's {@code BPF_STX_MEM} and
 * {@code BPF_ST_MEM}: each sets all five fields of the instruction.
 *
 * <pre>
 *   stx: *(size *)(dst + offset) = src     opcode MEM | size | STX, imm 0
 *   st:  *(size *)(dst + offset) = imm     opcode MEM | size | ST,  src 0
 * </pre>
 *
 * <p>Inputs are checked here, where they arrive: an offset outside the signed 16 bits, or
 * an immediate that the store cannot write faithfully, is an error.
 */
public final class Store {
  private Store() {}

  /**
   * The opcode of {@code stx} of the given width: 0x73, 0x6b, 0x63, 0x7b.
   *
   * @param size the access width
   * @return the opcode byte
   */
  public static int stxOpcode(Size size) {
    return Opcode.loadStore(InsnClass.STX, Mode.MEM, size);
  }

  /**
   * The opcode of {@code st} of the given width: 0x72, 0x6a, 0x62, 0x7a.
   *
   * @param size the access width
   * @return the opcode byte
   */
  public static int stOpcode(Size size) {
    return Opcode.loadStore(InsnClass.ST, Mode.MEM, size);
  }

  /**
   * {@code *(size *)(dst + offset) = src}: stores the low {@code size} bytes of a register.
   *
   * <pre>{@code Store.stx(Size.W, Register.R6, 8, Register.R7)  // *(u32 *)(r6 + 8) = r7}</pre>
   *
   * @param size the access width
   * @param dst the register holding the address
   * @param offset added to {@code dst}: -32768 to 32767
   * @param src the register whose low bytes are stored
   * @return the instruction
   * @throws BpfEventsException if the offset does not fit 16 signed bits, or an argument is null
   */
  public static Insn stx(Size size, Register dst, long offset, Register src) {
    notNull(size, "size");
    notNull(dst, "dst");
    notNull(src, "src");
    return Insn.of(stxOpcode(size), dst, src, checkOffset(offset), 0);
  }

  /**
   * {@code *(size *)(dst + offset) = imm}: stores an immediate.
   *
   * <p>For widths of 1, 2 and 4 bytes the low bytes of {@code imm} are stored, so both
   * readings of the same bits are accepted: any integer from -2^(8w-1) to 2^(8w)-1 (for
   * {@code u8}, -128 to 255). The 8-byte {@code st} sign-extends its 32-bit immediate, so
   * only -2^31 to 2^31-1 is accepted there; a larger value must be loaded into a register
   * with {@code lddw} and stored with {@link #stx}.
   *
   * <p>The immediate field holds the value itself when it fits 32 signed bits, else (only
   * {@code u32} values above 2^31-1) the same 32 bits read as signed: 4294967295 becomes -1.
   *
   * <pre>{@code Store.st(Size.B, Register.R6, 24, 6)  // *(u8 *)(r6 + 24) = 6}</pre>
   *
   * @param size the access width
   * @param dst the register holding the address
   * @param offset -32768 to 32767
   * @param imm the value to store
   * @return the instruction
   * @throws BpfEventsException if the offset or the immediate is out of range, or an
   *     argument is null
   */
  public static Insn st(Size size, Register dst, long offset, long imm) {
    return st(size, dst, offset, imm, imm);
  }

  /**
   * {@link #st(Size, Register, long, long)}, whose error names the immediate as its caller
   * was given it: a host's integer as written ({@code (int 300)}, a BigInteger such as
   * 2^64-1) rather than the long that stands for it.
   *
   * <pre>{@code Store.st(Size.B, Register.R6, 24, 300, 300)  // refused: immediate 300}</pre>
   *
   * @param size the access width
   * @param dst the register holding the address
   * @param offset -32768 to 32767
   * @param imm the value to store
   * @param written the value as given, for the error's {@code "value"}
   * @return the instruction
   * @throws BpfEventsException as {@link #st(Size, Register, long, long)}
   */
  public static Insn st(Size size, Register dst, long offset, long imm, Object written) {
    notNull(size, "size");
    notNull(dst, "dst");
    return Insn.of(stOpcode(size), dst, Register.R0, checkOffset(offset),
        immediate(size, imm, written));
  }

  /**
   * The 32-bit immediate that stores {@code value} at the given width.
   *
   * @param size the access width
   * @param value the value the user wants in memory
   * @return the immediate field
   * @throws BpfEventsException if the width cannot store the value faithfully
   */
  static int immediate(Size size, long value) {
    return immediate(size, value, value);
  }

  private static int immediate(Size size, long value, Object written) {
    long min;
    long max;
    if (size == Size.DW) {
      min = Integer.MIN_VALUE;
      max = Integer.MAX_VALUE;
    } else {
      int bits = 8 * size.bytes();
      min = -(1L << (bits - 1));
      max = (1L << bits) - 1;
    }
    if (value < min || value > max) {
      String expected = min + " to " + max;
      String hint = size == Size.DW
          ? "; a 64-bit st sign-extends its 32-bit immediate, so load the value into a"
              + " register with lddw and store the register instead"
          : "";
      throw (size == Size.DW ? Problem.IMMEDIATE_OUT_OF_RANGE_64 : Problem.IMMEDIATE_OUT_OF_RANGE)
          .with("value", written)
          .with("width", size.bytes())
          .with("expected", expected)
          .with("hint", hint)
          .build();
    }
    return (int) value;
  }

  private static int checkOffset(long offset) {
    if (offset < Short.MIN_VALUE || offset > Short.MAX_VALUE) {
      throw Problem.OFFSET_OUT_OF_RANGE
          .with("value", offset)
          .with("expected", "-32768 to 32767")
          .build();
    }
    return (int) offset;
  }

  private static void notNull(Object o, String what) {
    if (o == null) {
      throw Problem.MISSING_ARGUMENT_STORE_NULL
          .with("key", what)
          .with("value", null)
          .with("expected", "a " + what)
          .with("what", what)
          .build();
    }
  }
}
