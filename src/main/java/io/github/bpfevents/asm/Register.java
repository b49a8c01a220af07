package io.github.bpfevents.asm;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.HostValues;
import io.github.bpfevents.Problem;

/**
 * A BPF register: {@code r0} to {@code r10}. {@code r10} is the read-only frame pointer,
 * also called {@code fp}.
 */
public enum Register {
  /** Return value, and the helpers' return value. */
  R0,
  /** First argument. */
  R1,
  /** Second argument. */
  R2,
  /** Third argument. */
  R3,
  /** Fourth argument. */
  R4,
  /** Fifth argument. */
  R5,
  /** Callee-saved. */
  R6,
  /** Callee-saved. */
  R7,
  /** Callee-saved. */
  R8,
  /** Callee-saved. */
  R9,
  /** The read-only frame pointer. */
  R10;

  /** The frame pointer, {@code r10}. */
  public static final Register FP = R10;

  /** What a register name must be: a message template over the entry "accepted". */
  private static final String EXPECTED = "one of {accepted}";

  /** The register names accepted: r0 to r10, and fp. */
  public static final java.util.List<String> NAMES = java.util.List.of("r0", "r1", "r2", "r3",
      "r4", "r5", "r6", "r7", "r8", "r9", "r10", "fp");

  /**
   * The register's number, as it stands in the instruction's register byte.
   *
   * @return 0 to 10
   */
  public int number() {
    return ordinal();
  }

  /**
   * The name in assembler text.
   *
   * @return {@code "r0"} to {@code "r10"}
   */
  public String asmName() {
    return "r" + ordinal();
  }

  /**
   * The register of the given number.
   *
   * @param number 0 to 10
   * @return the register
   * @throws BpfEventsException for any other number
   */
  public static Register of(int number) {
    if (number < 0 || number > 10) {
      throw Problem.UNKNOWN_REGISTER_NUMBER
          .with("value", number)
          .with("expected", "0 to 10")
          .build();
    }
    return values()[number];
  }

  /**
   * The register of the given name: {@code "r0"} to {@code "r10"}, or {@code "fp"}.
   *
   * @param name the register's name
   * @return the register
   * @throws BpfEventsException for any other name, null included
   */
  public static Register named(String name) {
    if ("fp".equals(name)) {
      return FP;
    }
    if (name != null) {
      for (Register r : values()) {
        if (r.asmName().equals(name)) {
          return r;
        }
      }
    }
    throw Problem.UNKNOWN_REGISTER
        .with("register", name)
        .with("expected", EXPECTED)
        .with("accepted", NAMES)
        .build();
  }

  /**
   * The register a host value names, as a Clojure user writes it: a keyword {@code :r0} to
   * {@code :r10} or {@code :fp}, or as clj-ebpf takes it, an integer 0 to 10.
   *
   * <pre>{@code
   * Register.read(":r6"-as-keyword, hostValues)  // R6
   * Register.read(6L, HostValues.JAVA)           // R6
   * }</pre>
   *
   * @param x the value as written
   * @param hv how to read it
   * @return the register
   * @throws BpfEventsException {@code "unknown-register"} for anything else, the value as
   *     written under {@code "register"}
   */
  public static Register read(Object x, HostValues hv) {
    HostValues.Kind kind = hv.kind(x);
    if (kind == HostValues.Kind.KEYWORD || (kind == HostValues.Kind.STRING && hv == HostValues.JAVA)) {
      String name = hv.text(x);
      if ("fp".equals(name)) {
        return FP;
      }
      for (Register r : values()) {
        if (r.asmName().equals(name)) {
          return r;
        }
      }
    } else if (kind == HostValues.Kind.INTEGER) {
      Number n = hv.integer(x);
      if (n instanceof Long l && l >= 0 && l <= 10) {
        return values()[(int) (long) l];
      }
    }
    throw Problem.UNKNOWN_REGISTER
        .with("register", x)
        .with("expected", READ_EXPECTED)
        .with("accepted", NAMES)
        .build();
  }

  /** What {@link #read} accepts. */
  private static final String READ_EXPECTED = "one of {accepted} or an integer from 0 to 10";
}
