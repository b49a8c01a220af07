package io.github.bpfevents.layout;

import java.util.Collections;
import java.util.List;

/**
 * The resolved path: what a path names inside an event (a field, an element of an array,
 * or a field of a nested event), with its absolute offset from the start of the record.
 * Made by {@link EventLayout#resolve}.
 *
 * <pre>{@code
 * flow.resolve(List.of("hops", 2, "ttl"))   // the ttl of the third hop
 * }</pre>
 */
public final class FieldRef {
  private final List<Object> path;
  private final FieldType type;
  private final EventLayout nested;
  private final int count;
  private final int offset;

  FieldRef(List<Object> path, FieldType type, EventLayout nested, int count, int offset) {
    this.path = Collections.unmodifiableList(path);
    this.type = type;
    this.nested = nested;
    this.count = count;
    this.offset = offset;
  }

  /** @return the path: field names (Strings) and array indices (Integers) */
  public List<Object> path() {
    return path;
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

  /** @return the number of elements named: the array's count, or 1 */
  public int count() {
    return count;
  }

  /** @return the absolute byte offset from the start of the record */
  public int offset() {
    return offset;
  }

  /** @return the bytes of one element */
  public int elementSize() {
    return nested != null ? nested.size() : type.size();
  }

  /** @return the natural alignment of one element */
  public int elementAlignment() {
    return nested != null ? nested.alignment() : type.alignment();
  }

  /** @return the total bytes named */
  public int size() {
    return elementSize() * count;
  }

  /** @return the path as text: {@code hops[2].ttl} */
  public String pathText() {
    return pathText(path);
  }

  static String pathText(List<?> path) {
    StringBuilder b = new StringBuilder();
    for (Object step : path) {
      if (step instanceof String) {
        if (b.length() > 0) {
          b.append('.');
        }
        b.append(step);
      } else {
        b.append('[').append(step).append(']');
      }
    }
    return b.toString();
  }

  @Override
  public String toString() {
    return pathText() + " @" + offset + " (" + size() + " bytes)";
  }
}
