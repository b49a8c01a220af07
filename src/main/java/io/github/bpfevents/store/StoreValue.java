package io.github.bpfevents.store;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Problem;
import io.github.bpfevents.asm.Register;

/**
 * What to store into a field: a register ({@code stx}) or an immediate ({@code st}).
 * The Java form of the Clojure value specs {@code {:reg :r7}} and {@code {:imm 6}}.
 */
public final class StoreValue {
  private final Register register;
  private final long imm;
  /** The immediate as its caller wrote it, which an error names; the imm for Java callers. */
  private final Object written;

  private StoreValue(Register register, long imm, Object written) {
    this.register = register;
    this.imm = imm;
    this.written = written;
  }

  /**
   * Store the low bytes of a register.
   *
   * @param register the source register
   * @return the value spec
   * @throws BpfEventsException if the register is null
   */
  public static StoreValue reg(Register register) {
    if (register == null) {
      throw Problem.UNKNOWN_REGISTER_NULL
          .with("register", null)
          .with("expected", "one of {accepted}")
          .with("accepted", Register.NAMES)
          .build();
    }
    return new StoreValue(register, 0, null);
  }

  /**
   * Store an immediate; its range is checked against the field when the store is built.
   *
   * @param imm the value
   * @return the value spec
   */
  public static StoreValue imm(long imm) {
    return new StoreValue(null, imm, imm);
  }

  /**
   * An immediate of the bits {@code imm} that a host wrote as {@code written} (an integer
   * of its own type, a BigInteger from 2^63 to 2^64-1), which its errors name.
   */
  static StoreValue imm(long imm, Object written) {
    return new StoreValue(null, imm, written);
  }

  /** The immediate as it was written, for errors. */
  Object written() {
    return written;
  }

  /** @return true for a register, false for an immediate */
  public boolean isRegister() {
    return register != null;
  }

  /** @return the register, or null for an immediate */
  public Register register() {
    return register;
  }

  /** @return the immediate (0 for a register) */
  public long imm() {
    return imm;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof StoreValue)) {
      return false;
    }
    StoreValue v = (StoreValue) o;
    return register == v.register && imm == v.imm;
  }

  @Override
  public int hashCode() {
    return register == null ? Long.hashCode(imm) : register.hashCode();
  }

  @Override
  public String toString() {
    return register != null ? "{reg " + register.asmName() + "}" : "{imm " + imm + "}";
  }
}
