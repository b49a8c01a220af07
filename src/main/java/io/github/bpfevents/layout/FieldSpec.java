package io.github.bpfevents.layout;

import io.github.bpfevents.BpfEventsException;

/**
 * One declared field, before layout: a name, an element type and an element count (1 for
 * a scalar). The element type is a scalar {@link FieldType} or another event, nested.
 *
 * <pre>{@code
 * FieldSpec.of("comm", FieldType.CHAR, 16)   // [:comm :char 16]
 * FieldSpec.of("hops", hopLayout, 4)         // [:hops Hop 4]
 * }</pre>
 */
public final class FieldSpec {
  private final String name;
  private final FieldType type;
  private final EventLayout nested;
  private final int count;

  private FieldSpec(String name, FieldType type, EventLayout nested, int count) {
    this.name = name;
    this.type = type;
    this.nested = nested;
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
   * An array field of {@code count} scalar elements.
   *
   * @param name the field's name, not empty
   * @param type the element type
   * @param count the number of elements, at least 1
   * @return the spec
   * @throws BpfEventsException if the name is null or empty, the type null, or the count
   *     not positive
   */
  public static FieldSpec of(String name, FieldType type, long count) {
    checkName(name);
    if (type == null) {
      throw noType(name);
    }
    return new FieldSpec(name, type, null, checkCount(name, count));
  }

  /**
   * A field that holds another event (one, or an array of {@code count}).
   *
   * @param name the field's name, not empty
   * @param nested the nested event's layout
   * @param count the number of elements, at least 1
   * @return the spec
   * @throws BpfEventsException if the name is null or empty, the event null, or the count
   *     not positive
   */
  public static FieldSpec of(String name, EventLayout nested, long count) {
    checkName(name);
    if (nested == null) {
      throw noType(name);
    }
    return new FieldSpec(name, null, nested, checkCount(name, count));
  }

  private static void checkName(String name) {
    if (name == null || name.isEmpty()) {
      throw BpfEventsException.of("bad-field-name")
          .with("value", name)
          .with("expected", "a non-empty name")
          .message("field name " + (name == null ? "null" : "\"\"")
              + " is not a name; expected a non-empty name");
    }
  }

  private static BpfEventsException noType(String name) {
    return BpfEventsException.of("unknown-type")
        .with("field", name)
        .with("type", null)
        .with("expected", "one of " + FieldType.names() + " or an event")
        .with("accepted", FieldType.names())
        .message("field " + name + " has no type; expected one of " + FieldType.names()
            + " or an event");
  }

  private static int checkCount(String name, long count) {
    if (count < 1 || count > Integer.MAX_VALUE) {
      throw BpfEventsException.of("bad-count")
          .with("field", name)
          .with("value", count)
          .with("expected", "a positive integer")
          .message("field " + name + " has count " + count + "; expected a positive integer");
    }
    return (int) count;
  }

  /** @return the field's name */
  public String name() {
    return name;
  }

  /** @return the scalar element type, or null when the element is a nested event */
  public FieldType type() {
    return type;
  }

  /** @return the nested event, or null when the element is a scalar */
  public EventLayout nested() {
    return nested;
  }

  /** @return true when the element is a nested event */
  public boolean isNested() {
    return nested != null;
  }

  /** @return the number of elements, 1 for a scalar */
  public int count() {
    return count;
  }

  /** @return the bytes of one element */
  public int elementSize() {
    return nested != null ? nested.size() : type.size();
  }

  /** @return the natural alignment of one element: a scalar's size, an event's alignment */
  public int elementAlignment() {
    return nested != null ? nested.align() : type.alignment();
  }

  /** @return the element type's name: a scalar type name or the nested event's name */
  public String typeName() {
    return nested != null ? nested.name() : type.typeName();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof FieldSpec)) {
      return false;
    }
    FieldSpec f = (FieldSpec) o;
    return name.equals(f.name) && type == f.type && count == f.count
        && (nested == null ? f.nested == null : nested.equals(f.nested));
  }

  @Override
  public int hashCode() {
    int h = name.hashCode() * 31 + (type == null ? nested.hashCode() : type.hashCode());
    return h * 31 + count;
  }

  @Override
  public String toString() {
    return "[" + name + " " + typeName() + (count == 1 ? "" : " " + count) + "]";
  }
}
