package io.github.bpfevents.asm;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Problem;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Instruction text exactly as LLVM's BPF disassembler prints it
 * ({@code llvm-mc-19 -disassemble -triple=bpfel -mcpu=v4}), for the whole instruction set of
 * RFC 9669 with the v4 additions. The kernel's verifier log uses the same words.
 *
 * <pre>
 *   ALU, ALU64     w1 += 5   r1 s/= r2   r1 = -r1   r1 = (s8)r2   r1 = le16 r1   r1 = bswap64 r1
 *   JMP, JMP32     if r1 s&lt; 5 goto +3   if w1 &amp; w2 goto -1   goto +7   gotol +70000
 *                  call 1   callx r2   exit   may_goto +2
 *   LD             r1 = 4294967296 ll (two slots)   r0 = *(u16 *)skb[12]   r0 = *(u8 *)skb[r7]
 *   LDX            r1 = *(u32 *)(r2 + 4)   r1 = *(s8 *)(r2 - 1)
 *   ST, STX        *(u8 *)(r6 + 24) = 6   *(u32 *)(r6 + 8) = r7
 *   atomics        lock *(u64 *)(r1 + 0) += r2   r2 = atomic_fetch_xor((u64 *)(r1 + 0), r2)
 *                  r2 = xchg_64(r1 + 0, r2)   r0 = cmpxchg_64(r1 + 0, r0, r2)
 * </pre>
 *
 * <p>The text is composed from parts: register names, the memory operand
 * {@code *(size *)(reg +/- off)} and the source, a register or the signed decimal
 * immediate. Two {@linkplain AsmDialect dialects} spell the registers of narrow memory
 * accesses; the default is {@link AsmDialect#NO_ALU32}, whose {@code r} registers the
 * library's own stores print with ({@code *(u32 *)(r6 + 8) = r7}).
 *
 * <p>Fields that LLVM does not read are not printed (the {@code src} of {@code r1 += 5},
 * say). An encoding that LLVM cannot decode has no text: printing it is a
 * {@link BpfEventsException} with problem {@code "unsupported-instruction"}.
 * {@code lddw} takes two slots and is printed as one line by {@link #printAll}.
 */
public final class AsmPrinter {
  /** The dialect of {@link #print(Insn)}, {@link #printAll(List)} and {@link #canPrint(Insn)}. */
  public static final AsmDialect DEFAULT_DIALECT = AsmDialect.NO_ALU32;

  private static final String SECOND_SLOT =
      "a second slot with opcode 0, dst 0, src 0 and offset 0, its imm the high 32 bits";

  private AsmPrinter() {}

  /**
   * Whether {@link #print(Insn)} prints the instruction, in the default dialect.
   *
   * @param insn any instruction, or null
   * @return true when LLVM decodes it as one slot; false for null, undecodable encodings
   *     and the first slot of {@code lddw}, which {@link #printAll} prints with its second
   */
  public static boolean canPrint(Insn insn) {
    return canPrint(insn, DEFAULT_DIALECT);
  }

  /**
   * Whether {@link #print(Insn, AsmDialect)} prints the instruction in the dialect.
   *
   * @param insn any instruction, or null
   * @param dialect the register spelling, or null
   * @return true when LLVM decodes it as one slot with that dialect's flags
   */
  public static boolean canPrint(Insn insn, AsmDialect dialect) {
    return insn != null && dialect != null && printed(insn, dialect).ok();
  }

  /**
   * The instruction's text in the default dialect, {@link AsmDialect#NO_ALU32}.
   *
   * <pre>{@code AsmPrinter.print(Store.stx(Size.W, Register.R6, 8, Register.R7))
   * // => "*(u32 *)(r6 + 8) = r7"}</pre>
   *
   * @param insn the instruction
   * @return the text, as {@code llvm-mc-19 -disassemble -triple=bpfel -mcpu=v4 -mattr=-alu32}
   *     prints it
   * @throws BpfEventsException {@code "unsupported-instruction"} when LLVM cannot decode
   *     the encoding, for the first slot of {@code lddw} alone (use {@link #printAll}), and
   *     for null
   */
  public static String print(Insn insn) {
    return print(insn, DEFAULT_DIALECT);
  }

  /**
   * The instruction's text in the given dialect.
   *
   * <pre>{@code AsmPrinter.print(Store.stx(Size.W, Register.R6, 8, Register.R7), AsmDialect.ALU32)
   * // => "*(u32 *)(r6 + 8) = w7"}</pre>
   *
   * @param insn the instruction
   * @param dialect the register spelling
   * @return the text, as {@code llvm-mc-19 -disassemble -triple=bpfel} with the dialect's
   *     {@linkplain AsmDialect#llvmMcFlags() flags} prints it
   * @throws BpfEventsException {@code "unsupported-instruction"} when LLVM cannot decode
   *     the encoding, for the first slot of {@code lddw} alone (use {@link #printAll}), and
   *     for null; {@code "missing-argument"} for a null dialect
   */
  public static String print(Insn insn, AsmDialect dialect) {
    checkDialect(dialect);
    if (insn == null) {
      throw Problem.UNSUPPORTED_INSTRUCTION_PRINT_NULL_ASSEMBLER
          .with("value", null)
          .with("expected", "an instruction")
          .build();
    }
    Printed p = printed(insn, dialect);
    if (!p.ok()) {
      throw unsupported(insn, p.reason(), p.expected());
    }
    return p.text();
  }

  /**
   * The texts of a sequence of instructions in the default dialect, one line per
   * instruction: a {@code lddw} (first slot opcode 0x18 and its second slot) is one line.
   *
   * @param insns the instructions, as they are encoded
   * @return one text per instruction, in order; fewer lines than slots when there is a
   *     {@code lddw}
   * @throws BpfEventsException as {@link #printAll(List, AsmDialect)}
   */
  public static List<String> printAll(List<Insn> insns) {
    return printAll(insns, DEFAULT_DIALECT);
  }

  /**
   * The texts of a sequence of instructions in the given dialect, one line per instruction:
   * a {@code lddw} (first slot opcode 0x18 and its second slot) is one line.
   *
   * <pre>{@code AsmPrinter.printAll(List.of(Insn.of(0x18, 1, 0, 0, 0), Insn.of(0, 0, 0, 0, 1),
   *     Insn.of(0x95, 0, 0, 0, 0)), AsmDialect.ALU32)
   * // => ["r1 = 4294967296 ll", "exit"]}</pre>
   *
   * @param insns the instructions, as they are encoded
   * @param dialect the register spelling
   * @return one text per instruction, in order
   * @throws BpfEventsException {@code "unsupported-instruction"} with the slot's
   *     {@code "index"} for an encoding LLVM cannot decode, a {@code lddw} without its
   *     second slot at the end of the list, and a second slot whose opcode, registers or
   *     offset are not zero; {@code "not-an-instruction"} for a null list or element;
   *     {@code "missing-argument"} for a null dialect
   */
  public static List<String> printAll(List<Insn> insns, AsmDialect dialect) {
    checkDialect(dialect);
    if (insns == null) {
      throw Problem.NOT_AN_INSTRUCTION_INSTRUCTIONS
          .with("value", null)
          .with("expected", "a list of instructions")
          .build();
    }
    List<String> lines = new ArrayList<>(insns.size());
    for (int i = 0; i < insns.size(); i++) {
      Insn insn = Insn.element(insns, i);
      Printed p = insn.opcode() == LoadStoreText.LDDW && insn.offset() == 0
          ? LoadStoreText.lddw(insn, secondSlot(insns, i))
          : printed(insn, dialect);
      if (!p.ok()) {
        throw unsupported(insn, p.reason(), p.expected())
            .within("index", i, "instruction " + i);
      }
      lines.add(p.text());
      if (insn.opcode() == LoadStoreText.LDDW) {
        i++;
      }
    }
    return Collections.unmodifiableList(lines);
  }

  /** The text of one slot, or why LLVM has none. */
  static Printed printed(Insn insn, AsmDialect dialect) {
    InsnClass cls = InsnClass.ofOpcode(insn.opcode());
    if (cls == InsnClass.ALU || cls == InsnClass.ALU64) {
      return AluText.of(insn, cls);
    }
    if (cls == InsnClass.JMP || cls == InsnClass.JMP32) {
      return JumpText.of(insn, cls);
    }
    return LoadStoreText.of(insn, cls, dialect);
  }

  private static Insn secondSlot(List<Insn> insns, int first) {
    if (first + 1 >= insns.size()) {
      Insn insn = insns.get(first);
      throw Problem.UNSUPPORTED_INSTRUCTION_LDDW_LAST_SLOT
          .with("index", first)
          .with("value", insn)
          .with("expected", SECOND_SLOT)
          .build();
    }
    Insn second = Insn.element(insns, first + 1);
    if (second.opcode() != 0 || second.dst() != 0 || second.src() != 0 || second.offset() != 0) {
      throw Problem.UNSUPPORTED_INSTRUCTION_SECOND_SLOT_LDDW
          .with("index", first + 1)
          .with("value", second)
          .with("expected", SECOND_SLOT)
          .with("second", (first + 1))
          .with("first", first)
          .build();
    }
    return second;
  }

  private static BpfEventsException unsupported(Insn insn, String reason, String expected) {
    return Problem.UNSUPPORTED_INSTRUCTION_PRINT_ASSEMBLER_TEXT
        .with("value", insn)
        .with("expected", expected)
        .with("reason", reason)
        .build();
  }

  private static void checkDialect(AsmDialect dialect) {
    if (dialect == null) {
      throw Problem.MISSING_ARGUMENT_ASSEMBLER_DIALECT_NULL
          .with("key", "dialect")
          .with("value", null)
          .with("expected", "an AsmDialect")
          .build();
    }
  }
}
