package io.github.bpfevents.layout;

import io.github.bpfevents.BpfEventsException;
import java.util.List;

/**
 * How fields are placed in a record.
 *
 * <ul>
 *   <li>{@link #PACKED} (the default): back to back in declaration order, no padding; the
 *       record's alignment is 1, as a C struct with {@code __attribute__((packed))}.
 *   <li>{@link #NATURAL}: as a C compiler does for BPF and x86-64: each field at a multiple
 *       of its alignment (its element's size for scalars, a nested event's own alignment),
 *       the size rounded up to the largest alignment.
 * </ul>
 */
public enum Alignment {
  /** Fields back to back. */
  PACKED("packed"),
  /** Fields at multiples of their alignment, as a C compiler places them. */
  NATURAL("natural");

  private static final List<String> NAMES = List.of("packed", "natural");

  private final String optionName;

  Alignment(String optionName) {
    this.optionName = optionName;
  }

  /** @return {@code "packed"} or {@code "natural"}, as in {@code {:align :natural}} */
  public String optionName() {
    return optionName;
  }

  /**
   * The alignment of the given option name.
   *
   * @param name {@code "packed"} or {@code "natural"}
   * @return the alignment
   * @throws BpfEventsException for any other name
   */
  public static Alignment named(String name) {
    for (Alignment a : values()) {
      if (a.optionName.equals(name)) {
        return a;
      }
    }
    throw BpfEventsException.of("bad-option")
        .with("key", "align")
        .with("value", name)
        .with("expected", "one of " + NAMES)
        .with("accepted", NAMES)
        .message("alignment " + name + " is not known; expected one of " + NAMES);
  }
}
