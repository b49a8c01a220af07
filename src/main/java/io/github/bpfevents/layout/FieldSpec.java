package io.github.bpfevents.layout;

import io.github.bpfevents.BpfEventsException;

/**
 * One declared field, before layout: a name, a type and an element count (1 for a scalar).
 *
 * <pre>{@code FieldSpec.of("comm", FieldType.CHAR, 16)   // [:comm :char 16]}</pre>
 */
public final class FieldSpec {
  private final String name;
  private final FieldType type;
  private final int count;

  private FieldSpec(String name, FieldType type, int count) {
    this.name = name;
    this.type = type;
    this.count = count;
  }

  /**
   * A scalar field.
   *
   * @param name the field's name, not empty
   * @param type its type
   * @return the spec
   * @throws BpfEventsException if the name is null or empty, or the type null
   */
  public static FieldSpec of(String name, FieldType type) {
    return of(name, type, 1);
  }

  /**
   * An array field of {@code count} elements.
   *
   * @param name the field's name, not empty
   * @param type the element type
   * @param count the number of elements, at least 1
   * @return the spec
   * @throws BpfEventsException if the name is null or empty, the type null, or the count
   *     not positive
   */
  public static FieldSpec of(String name, FieldType type, long count) {
    if (name == null || name.isEmpty()) {
      throw BpfEventsException.of("bad-field-name")
          .with("value", name)
          .with("expected", "a non-empty name")
          .message("field name " + (name == null ? "null" : "\"\"")
              + " is not a name; expected a non-empty name");
    }
    if (type == null) {
      throw BpfEventsException.of("unknown-type")
          .with("field", name)
          .with("type", null)
          .with("expected", "one of " + FieldType.names())
          .with("accepted", FieldType.names())
          .message("field " + name + " has no type; expected one of " + FieldType.names());
    }
    if (count < 1 || count > Integer.MAX_VALUE) {
      throw BpfEventsException.of("bad-count")
          .with("field", name)
          .with("value", count)
          .with("expected", "a positive integer")
          .message("field " + name + " has count " + count + "; expected a positive integer");
    }
    return new FieldSpec(name, type, (int) count);
  }

  /** @return the field's name */
  public String name() {
    return name;
  }

  /** @return the element type */
  public FieldType type() {
    return type;
  }

  /** @return the number of elements, 1 for a scalar */
  public int count() {
    return count;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof FieldSpec)) {
      return false;
    }
    FieldSpec f = (FieldSpec) o;
    return name.equals(f.name) && type == f.type && count == f.count;
  }

  @Override
  public int hashCode() {
    return (name.hashCode() * 31 + type.hashCode()) * 31 + count;
  }

  @Override
  public String toString() {
    return "[" + name + " " + type.typeName() + (count == 1 ? "" : " " + count) + "]";
  }
}
