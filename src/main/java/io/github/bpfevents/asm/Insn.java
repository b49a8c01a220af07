package io.github.bpfevents.asm;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Notation;
import io.github.bpfevents.Problem;
import io.github.bpfevents.Shown;
import java.util.List;

/**
 * One BPF instruction: the five fields of the ISA's encoding, as an immutable value.
 *
 * <pre>
 *   byte  0        1               2..3         4..7
 *       +--------+-------+-------+------------+------------------+
 *       | opcode | src   | dst   | offset s16 | imm s32          |
 *       +--------+-------+-------+------------+------------------+
 *                 hi nib  lo nib   little-endian, as the whole slot
 * </pre>
 *
 * <p>Every field is checked when the value is made, so an {@code Insn} always encodes.
 * Two instructions are equal when their five fields are. Building instructions is done by
 * {@link Store}; their bytes by {@link InsnEncoder}; their text by {@link AsmPrinter}.
 */
public final class Insn implements Shown {
  private final int opcode;
  private final int dst;
  private final int src;
  private final int offset;
  private final int imm;

  private Insn(int opcode, int dst, int src, int offset, int imm) {
    this.opcode = opcode;
    this.dst = dst;
    this.src = src;
    this.offset = offset;
    this.imm = imm;
  }

  /**
   * An instruction from its five fields, each checked.
   *
   * @param opcode 0 to 255
   * @param dst destination register number, 0 to 10
   * @param src source register number, 0 to 10
   * @param offset signed 16-bit offset, -32768 to 32767
   * @param imm signed 32-bit immediate
   * @return the instruction
   * @throws BpfEventsException naming the first field that is out of range
   */
  public static Insn of(long opcode, long dst, long src, long offset, long imm) {
    check("opcode", opcode, 0, 255, "0 to 255");
    check("dst", dst, 0, 10, "a register number 0 to 10");
    check("src", src, 0, 10, "a register number 0 to 10");
    check("offset", offset, Short.MIN_VALUE, Short.MAX_VALUE, "a signed 16-bit offset, -32768 to 32767");
    check("imm", imm, Integer.MIN_VALUE, Integer.MAX_VALUE,
        "a signed 32-bit immediate, -2147483648 to 2147483647");
    return new Insn((int) opcode, (int) dst, (int) src, (int) offset, (int) imm);
  }

  /**
   * An instruction from its five fields, each taken as the bits of its width whether the
   * caller wrote it signed or unsigned: the opcode as a byte ({@code 0xb7} or {@code -73},
   * as clj-ebpf's unchecked bytes hold it), the offset as 16 bits (-32768 to 65535), the
   * immediate as 32 bits (-2^31 to 2^32-1). Registers are register numbers, 0 to 10.
   *
   * @param opcode -128 to 255
   * @param dst destination register number, 0 to 10
   * @param src source register number, 0 to 10
   * @param offset -32768 to 65535
   * @param imm -2147483648 to 4294967295
   * @return the instruction
   * @throws BpfEventsException naming the first field that fits neither reading
   */
  public static Insn ofBits(long opcode, long dst, long src, long offset, long imm) {
    check("opcode", opcode, Byte.MIN_VALUE, 0xff, "a byte, -128 to 255");
    check("dst", dst, 0, 10, "a register number 0 to 10");
    check("src", src, 0, 10, "a register number 0 to 10");
    check("offset", offset, Short.MIN_VALUE, 0xffff, "16 bits, -32768 to 65535");
    check("imm", imm, Integer.MIN_VALUE, 0xffffffffL, "32 bits, -2147483648 to 4294967295");
    return new Insn((int) opcode & 0xff, (int) dst, (int) src, (short) offset, (int) imm);
  }

  /**
   * An instruction from typed parts; the offset is still checked.
   *
   * @param opcode 0 to 255
   * @param dst destination register
   * @param src source register
   * @param offset -32768 to 32767
   * @param imm the immediate
   * @return the instruction
   */
  static Insn of(int opcode, Register dst, Register src, int offset, int imm) {
    return of(opcode, dst.number(), src.number(), offset, imm);
  }

  private static void check(String key, long value, long min, long max, String expected) {
    if (value < min || value > max) {
      throw Problem.INSN_FIELD_OUT_OF_RANGE
          .with("key", key)
          .with("value", value)
          .with("expected", expected)
          .build();
    }
  }

  /** @return the opcode byte, 0 to 255 */
  public int opcode() {
    return opcode;
  }

  /** @return the destination register number, 0 to 10 */
  public int dst() {
    return dst;
  }

  /** @return the source register number, 0 to 10 */
  public int src() {
    return src;
  }

  /** @return the signed 16-bit offset */
  public int offset() {
    return offset;
  }

  /** @return the signed 32-bit immediate */
  public int imm() {
    return imm;
  }

  /**
   * The five fields in encoding order ({@code opcode dst src offset imm}) as boxed
   * numbers: Longs, or {@code narrow}, as clj-ebpf's {@code make-instruction} holds them
   * (the opcode an unchecked Byte, so {@code 0xb7} is -73; Byte registers; a Short offset;
   * an Integer immediate).
   *
   * <pre>{@code
   * Insn.of(0x63, 6, 7, 8, 0).values(false)   // [99, 6, 7, 8, 0], Longs
   * Insn.of(0xb7, 1, 0, 0, 0).values(true)    // [-73, 1, 0, 0, 0], Byte Byte Byte Short Integer
   * }</pre>
   *
   * @param narrow whether each field is of its width's type rather than a Long
   * @return an unmodifiable list of five numbers
   */
  public List<Number> values(boolean narrow) {
    return narrow
        ? List.of((byte) opcode, (byte) dst, (byte) src, (short) offset, imm)
        : List.of((long) opcode, (long) dst, (long) src, (long) offset, (long) imm);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Insn)) {
      return false;
    }
    Insn i = (Insn) o;
    return opcode == i.opcode && dst == i.dst && src == i.src && offset == i.offset && imm == i.imm;
  }

  @Override
  public int hashCode() {
    int h = opcode;
    h = 31 * h + dst;
    h = 31 * h + src;
    h = 31 * h + offset;
    return 31 * h + imm;
  }

  /**
   * The assembler text where {@link AsmPrinter} prints the instruction alone (in its default
   * dialect), else the five fields.
   *
   * @return for example {@code *(u32 *)(r6 + 8) = r7}, or
   *     {@code Insn{opcode=0x18, dst=1, src=0, offset=0, imm=5}} for the first slot of a lddw
   */
  @Override
  public String toString() {
    if (AsmPrinter.canPrint(this)) {
      return AsmPrinter.print(this);
    }
    return fields();
  }

  /**
   * The instruction at a position of a program, which must not be null.
   *
   * @param insns the program
   * @param i the position
   * @return the instruction
   * @throws BpfEventsException ({@code not-an-instruction}) naming the position of a null
   */
  static Insn element(List<Insn> insns, int i) {
    Insn insn = insns.get(i);
    if (insn == null) {
      throw Problem.NOT_AN_INSTRUCTION_ELEMENT
          .with("index", i)
          .with("value", null)
          .with("expected", "an instruction")
          .build();
    }
    return insn;
  }

  /**
   * The five fields, whatever the instruction: {@code Insn{opcode=0x95, dst=0, ...}}.
   *
   * @return the fields' text
   */
  String fields() {
    return String.format("Insn{opcode=0x%02x, dst=%d, src=%d, offset=%d, imm=%d}",
        opcode, dst, src, offset, imm);
  }

  /**
   * The five fields as a message shows them: {@code Insn{opcode=0x95, dst=0, ...}}, or in
   * EDN the map an instruction is in Clojure, {@code {:opcode 0x95, :dst 0, ...}}.
   *
   * @param notation how the message is written
   * @return the fields' text
   */
  @Override
  public String shown(Notation notation) {
    return notation == Notation.EDN
        ? String.format("{:opcode 0x%02x, :dst %d, :src %d, :offset %d, :imm %d}",
            opcode, dst, src, offset, imm)
        : fields();
  }
}
