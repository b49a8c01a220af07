package io.github.bpfevents.layout;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Problem;
import java.util.List;

/**
 * What an event is in C: a struct, whose members follow one another, or a union, whose
 * members all start at its first byte and overlap (the {@code :kind} option of a
 * definition).
 *
 * <pre>{@code
 * LayoutEngine.layout("addr", List.of(FieldSpec.of("v4", FieldType.U32),
 *     FieldSpec.of("v6", FieldType.U8, 16)), Packing.NATURAL, EventKind.UNION, 0);
 * // union addr { __u32 v4; __u8 v6[16]; }: 16 bytes, both members at 0
 * }</pre>
 */
public enum EventKind {
  /** Members one after another. */
  STRUCT("struct"),
  /** Members overlapping at offset 0; the size is the largest member's, rounded up. */
  UNION("union");

  private static final List<String> NAMES = List.of("struct", "union");

  private final String kindName;

  EventKind(String kindName) {
    this.kindName = kindName;
  }

  /** @return {@code "struct"} or {@code "union"}, as C and {@code {:kind :union}} say */
  public String kindName() {
    return kindName;
  }

  /** @return {@code [struct, union]} */
  public static List<String> names() {
    return NAMES;
  }

  /**
   * The kind of the given name.
   *
   * @param name {@code "struct"} or {@code "union"}
   * @return the kind
   * @throws BpfEventsException for any other name
   */
  public static EventKind named(String name) {
    for (EventKind k : values()) {
      if (k.kindName.equals(name)) {
        return k;
      }
    }
    throw Problem.BAD_OPTION_ACCEPTED
        .with("key", "kind")
        .with("value", name)
        .with("expected", "one of {accepted}")
        .with("accepted", NAMES)
        .build();
  }
}
