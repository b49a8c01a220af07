package io.github.bpfevents.layout;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Problem;
import java.util.List;

/**
 * The packing policy: how fields are placed in a record (the {@code :align} option of a
 * definition). Not to be confused with a record's alignment, the number
 * {@link EventLayout#alignment()}.
 *
 * <ul>
 *   <li>{@link #PACKED} (the default): back to back in declaration order, no padding; the
 *       record's alignment is 1, as a C struct with {@code __attribute__((packed))}.
 *   <li>{@link #NATURAL}: as a C compiler does for BPF and x86-64: each field at a multiple
 *       of its alignment (its element's size for scalars, a nested event's own alignment),
 *       the size rounded up to the largest alignment.
 * </ul>
 */
public enum Packing {
  /** Fields back to back. */
  PACKED("packed"),
  /** Fields at multiples of their alignment, as a C compiler places them. */
  NATURAL("natural");

  private static final List<String> NAMES = List.of("natural", "packed");

  private final String optionName;

  Packing(String optionName) {
    this.optionName = optionName;
  }

  /** @return {@code "packed"} or {@code "natural"}, as in {@code {:align :natural}} */
  public String optionName() {
    return optionName;
  }

  /**
   * Every option name, sorted.
   *
   * @return {@code [natural, packed]}
   */
  public static List<String> names() {
    return NAMES;
  }

  /**
   * The policy of the given option name.
   *
   * @param name {@code "packed"} or {@code "natural"}
   * @return the policy
   * @throws BpfEventsException for any other name
   */
  public static Packing named(String name) {
    for (Packing p : values()) {
      if (p.optionName.equals(name)) {
        return p;
      }
    }
    throw Problem.BAD_OPTION_ACCEPTED
        .with("key", "align")
        .with("value", name)
        .with("expected", "one of {accepted}")
        .with("accepted", NAMES)
        .build();
  }
}
