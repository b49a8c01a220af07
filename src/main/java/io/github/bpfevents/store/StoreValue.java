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

  private StoreValue(Register register, long imm) {
    this.register = register;
    this.imm = imm;
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
    return new StoreValue(register, 0);
  }

  /**
   * Store an immediate; its range is checked against the field when the store is built.
   *
   * @param imm the value
   * @return the value spec
   */
  public static StoreValue imm(long imm) {
    return new StoreValue(null, imm);
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
