package io.github.bpfevents.asm;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.HostValues;
import io.github.bpfevents.Problem;
import java.util.List;
import java.util.Map;

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
   * The dialect that a host's options name: a map of at most the key {@code dialect}, its
   * value the name {@code no-alu32} (the default, when the key is absent) or {@code alu32}.
   *
   * <pre>{@code
   * AsmDialect.read(Map.of("dialect", "alu32"), HostValues.JAVA)   // ALU32
   * AsmDialect.read(Map.of(), HostValues.JAVA)                     // NO_ALU32
   * }</pre>
   *
   * @param opts the options, as written ({@code {:dialect :alu32}} in Clojure)
   * @param hv how to read them
   * @return the dialect
   * @throws BpfEventsException {@code "bad-option"} for anything else, naming the options
   *     as written
   */
  public static AsmDialect read(Object opts, HostValues hv) {
    List<Map.Entry<Object, Object>> entries = hv.entries(opts, 2);
    if (entries != null && entries.isEmpty()) {
      return NO_ALU32;
    }
    if (entries != null && entries.size() == 1
        && "dialect".equals(hv.name(entries.get(0).getKey()))) {
      Object v = entries.get(0).getValue();
      String name = hv.kind(v) == hv.kind(hv.keyword("x")) ? hv.text(v) : null;
      for (AsmDialect d : values()) {
        if (d.optionName().equals(name)) {
          return d;
        }
      }
    }
    throw Problem.BAD_OPTION_OPTIONS_ACCEPTED
        .with("value", opts)
        .with("expected", "{:dialect :no-alu32} or {:dialect :alu32}")
        .with("accepted", List.of(NO_ALU32.optionName(), ALU32.optionName()))
        .build();
  }

  /**
   * The name of this dialect as an option names it.
   *
   * @return {@code "no-alu32"} or {@code "alu32"}
   */
  public String optionName() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
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
