package io.github.bpfevents.asm;

import static io.github.bpfevents.asm.Operands.hex;
import static io.github.bpfevents.asm.Operands.memory;
import static io.github.bpfevents.asm.Operands.register;

/**
 * The text of loads and stores, classes {@link InsnClass#LD}, {@link InsnClass#LDX},
 * {@link InsnClass#ST} and {@link InsnClass#STX}, as LLVM's disassembler prints them.
 *
 * <pre>
 *   ldx    r1 = *(u32 *)(r2 + 4)        (w1 = ... in {@link AsmDialect#ALU32})
 *   ldsx   r1 = *(s16 *)(r2 - 2)
 *   st     *(u8 *)(r6 + 24) = 6
 *   stx    *(u32 *)(r6 + 8) = r7        (= w7 in {@link AsmDialect#ALU32})
 *   abs    r0 = *(u16 *)skb[12]         ind   r0 = *(u8 *)skb[r7]
 *   lddw   r1 = 4294967296 ll           ld_pseudo r1, 1, 3 (a tab after ld_pseudo)
 * </pre>
 *
 * <p>The 8-byte accesses name {@code r} registers in both dialects, and so do the
 * sign-extending loads. Unused fields are not printed: the immediate of {@code ldx} and
 * {@code stx}, the {@code src} of {@code st}, and all but the immediate (abs) or {@code src}
 * (ind) of the legacy packet loads, which always load into {@code r0}. The atomics are
 * {@link AtomicText}'s.
 */
final class LoadStoreText {
  /** The opcode of the first slot of {@code lddw}: {@code IMM | DW | LD}. */
  static final int LDDW = Opcode.loadStore(InsnClass.LD, Mode.IMM, Size.DW);

  private LoadStoreText() {}

  /**
   * The text of a one-slot load or store; the first slot of {@code lddw} alone is refused.
   *
   * @param insn the instruction
   * @param cls its class: LD, LDX, ST or STX
   * @param dialect the register spelling
   * @return the text, or why there is none
   */
  static Printed of(Insn insn, InsnClass cls, AsmDialect dialect) {
    Mode mode = Mode.ofOpcode(insn.opcode());
    Size size = Size.ofOpcode(insn.opcode());
    if (cls == InsnClass.LD) {
      return load(insn, mode, size);
    }
    boolean word = dialect == AsmDialect.ALU32 && size != Size.DW;
    if (cls == InsnClass.LDX && mode == Mode.MEM) {
      return Printed.as(register(insn.dst(), word) + " = "
          + memory(size.asmName(), insn.src(), insn.offset()));
    }
    if (cls == InsnClass.LDX && mode == Mode.MEMSX && size != Size.DW) {
      return Printed.as(register(insn.dst(), false) + " = "
          + memory("s" + 8 * size.bytes(), insn.src(), insn.offset()));
    }
    if (cls == InsnClass.ST && mode == Mode.MEM) {
      return Printed.as(memory(size.asmName(), insn.dst(), insn.offset()) + " = " + insn.imm());
    }
    if (cls == InsnClass.STX && mode == Mode.MEM) {
      return Printed.as(memory(size.asmName(), insn.dst(), insn.offset()) + " = "
          + register(insn.src(), word));
    }
    if (cls == InsnClass.STX && mode == Mode.ATOMIC) {
      return AtomicText.of(insn, size, dialect);
    }
    return Printed.refused(cls + " in mode " + (mode == null ? hex(insn.opcode() & Mode.MASK) : mode)
        + " with size " + size + " (opcode " + hex(insn.opcode()) + ")",
        cls == InsnClass.LDX ? "ldx in mode MEM, or MEMSX of 1, 2 or 4 bytes"
            : cls == InsnClass.ST ? "st in mode MEM"
            : "stx in mode MEM, or ATOMIC of 4 or 8 bytes");
  }

  private static Printed load(Insn insn, Mode mode, Size size) {
    if (mode == Mode.IMM && size == Size.DW) {
      if (insn.offset() != 0) {
        return Printed.refused("lddw with offset " + insn.offset(), "offset 0");
      }
      return Printed.refused("lddw is 16 bytes and this is its first slot alone",
          "the instruction with its second slot: print the two slots together");
    }
    if ((mode == Mode.ABS || mode == Mode.IND) && size != Size.DW) {
      String at = mode == Mode.ABS ? Integer.toString(insn.imm()) : register(insn.src(), false);
      return Printed.as("r0 = *(" + size.asmName() + " *)skb[" + at + "]");
    }
    if (insn.opcode() == 0) {
      return Printed.refused("opcode 0x00 is no instruction; it starts the second slot of"
          + " lddw", "an instruction; print a whole lddw, both slots together");
    }
    return Printed.refused("LD in mode " + (mode == null ? hex(insn.opcode() & Mode.MASK) : mode)
        + " with size " + size + " (opcode " + hex(insn.opcode()) + ")",
        "lddw (0x18), or a legacy packet load ABS or IND of 1, 2 or 4 bytes");
  }

  /**
   * The text of a whole {@code lddw}: {@code r1 = 4294967296 ll} loads the 64-bit value of
   * both immediates (signed decimal); with a {@code src} pseudo form (1 map fd, 2 map value,
   * 3 BTF id, 4 function, 5 map index, 6 map index value) LLVM prints
   * {@code ld_pseudo<TAB>r1, 1, 3} with the first slot's immediate unsigned and without the
   * second's.
   *
   * @param first the first slot, opcode 0x18
   * @param second the second slot, whose immediate holds the high 32 bits
   * @return the text, or why there is none
   */
  static Printed lddw(Insn first, Insn second) {
    if (first.offset() != 0) {
      return Printed.refused("lddw with offset " + first.offset(), "offset 0");
    }
    String dst = register(first.dst(), false);
    if (first.src() != 0) {
      return Printed.as("ld_pseudo\t" + dst + ", " + first.src() + ", "
          + Integer.toUnsignedString(first.imm()));
    }
    long value = ((long) second.imm() << 32) | (first.imm() & 0xffffffffL);
    return Printed.as(dst + " = " + value + " ll");
  }
}
