package io.github.bpfevents.codec;

import io.github.bpfevents.layout.FieldRef;
import io.github.bpfevents.layout.FieldType;

/**
 * A scalar field resolved once, by name or path, for reading many records with
 * {@link EventView}: its type, its offset within the record and its element count.
 */
public final class FieldHandle {
  private final FieldRef ref;
  private final FieldType type;
  private final int offset;

  FieldHandle(FieldRef ref) {
    this.ref = ref;
    this.type = ref.type();
    this.offset = ref.offset();
  }

  /** @return the scalar type */
  public FieldType type() {
    return type;
  }

  /** @return the offset within the record */
  public int offset() {
    return offset;
  }

  /** @return the number of elements (a char array's length) */
  public int count() {
    return ref.count();
  }

  /** @return the path, as text: {@code src.port} */
  public String pathText() {
    return ref.pathText();
  }

  @Override
  public String toString() {
    return "FieldHandle{" + ref + "}";
  }
}
