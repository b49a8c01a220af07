package io.github.bpfevents.layout;

import io.github.bpfevents.BpfEventsException;

/**
 * The declared field: a name, an element type and an element count (1 for a scalar), as
 * the user wrote it, before layout. The element type is a scalar {@link FieldType} or
 * another event, nested. {@link LayoutEngine} places it, giving a {@link Field}.
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

  /**
   * Checks a field name: any non-empty text (C and BTF impose their own rules when a
   * header or BTF is made).
   *
   * @param name the name
   * @throws BpfEventsException if it is null or empty
   */
  static void checkName(String name) {
    if (name == null || name.isEmpty()) {
      throw BpfEventsException.of("bad-field-name")
          .with("value", name)
          .with("expected", "a non-empty name")
          .message("field name {value} is not a name; expected {expected}");
    }
  }

  private static BpfEventsException noType(String name) {
    return BpfEventsException.of("unknown-type")
        .with("field", name)
        .with("type", null)
        .with("expected", "one of {accepted} or an event")
        .with("accepted", FieldType.names())
        .message("field {field} has no type; expected {expected}");
  }

  /**
   * Checks an element count: 1 to 2^31-1.
   *
   * @param name the field's name, for the message
   * @param count the count
   * @return the count
   * @throws BpfEventsException if it is out of range
   */
  static int checkCount(String name, long count) {
    if (count < 1 || count > Integer.MAX_VALUE) {
      throw BpfEventsException.of("bad-count")
          .with("field", name)
          .with("value", count)
          .with("expected", "an integer from 1 to 2147483647")
          .message("field {field} has count {value}; expected {expected}");
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
    return nested != null ? nested.alignment() : type.alignment();
  }

  /** @return the element type's name: a scalar type name or the nested event's name */
  public String typeName() {
    return nested != null ? nested.name() : type.typeName();
  }

  @Override
  public boolean equals(Object o) {
    if (o == this) {
      return true;
    }
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
