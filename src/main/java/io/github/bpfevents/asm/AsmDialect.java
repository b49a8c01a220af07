package io.github.bpfevents.asm;

import java.util.List;

/**
 * The two register spellings of LLVM's BPF assembler text. They differ only for the 8-, 16-
 * and 32-bit memory accesses that move a register: {@code ldx}, {@code stx} and the atomics.
 *
 * <pre>
 *                   NO_ALU32 (the default)          ALU32
 *   stx  u32        *(u32 *)(r6 + 8) = r7           *(u32 *)(r6 + 8) = w7
 *   ldx  u16        r1 = *(u16 *)(r2 + 4)           w1 = *(u16 *)(r2 + 4)
 *   atomic u32      lock *(u32 *)(r1 + 0) += r2     lock *(u32 *)(r1 + 0) += w2
 * </pre>
 *
 * <p>Everything else prints the same in both: the 64-bit accesses always name {@code r}
 * registers, class ALU and JMP32 always {@code w} registers. LLVM's assembler reads both
 * spellings, whichever its flags.
 */
public enum AsmDialect {
  /**
   * {@code r} registers for every memory access, as the kernel's verifier log writes them;
   * the text of {@code llvm-mc-19 -disassemble -triple=bpfel -mcpu=v4 -mattr=-alu32}.
   *
   * <p>In this dialect LLVM knows a single 32-bit atomic, the add; it reads the fetch flag
   * of a 32-bit add as unused and rejects the other 32-bit atomics, and the printer does
   * the same.
   */
  NO_ALU32("-mcpu=v4", "-mattr=-alu32"),
  /**
   * {@code w} registers for the 8-, 16- and 32-bit accesses of a register; the text of
   * {@code llvm-mc-19 -disassemble -triple=bpfel -mcpu=v4} (alu32 is on with v4).
   */
  ALU32("-mcpu=v4");

  private final List<String> llvmMcFlags;

  AsmDialect(String... llvmMcFlags) {
    this.llvmMcFlags = List.of(llvmMcFlags);
  }

  /**
   * The {@code llvm-mc} flags whose disassembly this dialect reproduces, besides
   * {@code -triple=bpfel}.
   *
   * @return for example {@code ["-mcpu=v4", "-mattr=-alu32"]}
   */
  public List<String> llvmMcFlags() {
    return llvmMcFlags;
  }
}
