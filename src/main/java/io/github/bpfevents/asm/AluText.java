package io.github.bpfevents.asm;

import static io.github.bpfevents.asm.Operands.hex;
import static io.github.bpfevents.asm.Operands.register;

import java.util.Locale;

/**
 * The text of arithmetic instructions, classes {@link InsnClass#ALU} ({@code w} registers)
 * and {@link InsnClass#ALU64} ({@code r} registers), as LLVM's disassembler prints them.
 *
 * <pre>
 *   w1 += 5       r1 += r2       r1 s/= r2 (offset 1)    r1 = -r1
 *   r1 = 5        r1 = r2        r1 = (s16)r2 (offset 16) r1 = addr_space_cast(r2, 1, 0)
 *   r1 = le16 r1  r1 = be32 r1   r1 = bswap64 r1
 * </pre>
 *
 * <p>Fields an operation does not use are not printed: the {@code src} register of a K
 * form, the immediate of an X form, all but {@code dst} of {@code neg}. The offset is
 * used, and must be 0 where it has no meaning.
 */
final class AluText {
  private AluText() {}

  /**
   * The text of an ALU or ALU64 instruction.
   *
   * @param insn the instruction
   * @param cls its class, ALU or ALU64
   * @return the text, or why LLVM has none
   */
  static Printed of(Insn insn, InsnClass cls) {
    boolean word = cls == InsnClass.ALU;
    AluOp op = AluOp.ofOpcode(insn.opcode());
    if (op == null) {
      return Printed.refused("operation " + hex(insn.opcode() & AluOp.MASK)
          + " of opcode " + hex(insn.opcode()) + " is not an ALU operation",
          "an ALU operation from add (0x00) to end (0xd0)");
    }
    Source source = Source.ofOpcode(insn.opcode());
    if (op == AluOp.END) {
      return swap(insn, word, source);
    }
    String dst = register(insn.dst(), word);
    if (op == AluOp.NEG) {
      if (source == Source.X) {
        return Printed.refused("neg has no register source (opcode " + hex(insn.opcode()) + ")",
            "neg with source K: opcode " + hex(op.bits() | cls.bits()));
      }
      return Printed.as(dst + " = " + op.operator() + dst);
    }
    if (op == AluOp.MOV) {
      return move(insn, word, source, dst);
    }
    String operator = op.operator();
    if (op.hasSignedForm() && insn.offset() == 1) {
      operator = "s" + operator;
    } else if (insn.offset() != 0) {
      return Printed.refused(name(op) + " with offset " + insn.offset(),
          op.hasSignedForm() ? "offset 0, or 1 for the signed s" + operator : "offset 0");
    }
    return Printed.as(dst + " " + operator + " " + Operands.source(insn, source, word));
  }

  private static Printed move(Insn insn, boolean word, Source source, String dst) {
    int off = insn.offset();
    if (source == Source.K) {
      if (off != 0) {
        return Printed.refused("mov of an immediate with offset " + off, "offset 0");
      }
      return Printed.as(dst + " = " + insn.imm());
    }
    String src = register(insn.src(), word);
    if (off == 0) {
      return Printed.as(dst + " = " + src);
    }
    if (off == 8 || off == 16 || off == 32 && !word) {
      return Printed.as(dst + " = (s" + off + ")" + src);
    }
    if (off == 1 && !word) {
      return Printed.as(dst + " = addr_space_cast(" + src + ", " + (insn.imm() >>> 16) + ", "
          + (insn.imm() & 0xffff) + ")");
    }
    return Printed.refused("mov of a register with offset " + off,
        word ? "offset 0, or 8 or 16 for the sign-extending movsx"
            : "offset 0, 1 for addr_space_cast, or 8, 16 or 32 for the sign-extending movsx");
  }

  private static Printed swap(Insn insn, boolean word, Source source) {
    String name;
    if (word) {
      name = source == Source.K ? "le" : "be";
    } else if (source == Source.K) {
      name = "bswap";
    } else {
      return Printed.refused("byte swap with source X in class ALU64 (opcode "
          + hex(insn.opcode()) + ")", "bswap as opcode 0xd7, or le/be in class ALU (0xd4, 0xdc)");
    }
    int bits = insn.imm();
    if (bits != 16 && bits != 32 && bits != 64) {
      return Printed.refused(name + " of " + bits + " bits", "an immediate of 16, 32 or 64");
    }
    String dst = register(insn.dst(), false);
    return Printed.as(dst + " = " + name + bits + " " + dst);
  }

  private static String name(AluOp op) {
    return op.name().toLowerCase(Locale.ROOT);
  }
}
