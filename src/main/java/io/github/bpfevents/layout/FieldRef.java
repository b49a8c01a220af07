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
  private final long bitOffset;
  private final int bits;
  private final EnumType enumType;

  FieldRef(List<Object> path, FieldType type, EventLayout nested, int count, int offset) {
    this(path, type, nested, count, offset, 8L * offset, -1, null);
  }

  FieldRef(List<Object> path, FieldType type, EventLayout nested, int count, int offset,
      long bitOffset, int bits, EnumType enumType) {
    this.path = Collections.unmodifiableList(path);
    this.type = type;
    this.nested = nested;
    this.count = count;
    this.offset = offset;
    this.bitOffset = bitOffset;
    this.bits = bits;
    this.enumType = enumType;
  }

  /** @return true when the path names a bitfield */
  public boolean isBitfield() {
    return bits >= 0;
  }

  /**
   * The bitfield's width.
   *
   * @return the width in bits, or -1 when the path names no bitfield
   */
  public int bits() {
    return bits;
  }

  /**
   * The first bit named, counted from the record's first bit (least significant bit of
   * each byte first): {@code 8 * offset()} for what is no bitfield.
   *
   * @return the bit offset
   */
  public long bitOffset() {
    return bitOffset;
  }

  /** @return the enumeration naming the values, or null */
  public EnumType enumType() {
    return enumType;
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

  /** @return the total bytes named; for a bitfield the bytes its bits touch */
  public int size() {
    if (bits >= 0) {
      return (int) (((bitOffset & 7) + bits + 7) / 8);
    }
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
