package io.github.bpfevents.layout;

/**
 * The placed field: a {@link FieldSpec} as {@link LayoutEngine} placed it in an event,
 * with its byte offset from the start of the record and its total size.
 */
public final class Field {
  private final FieldSpec spec;
  private final int offset;

  Field(FieldSpec spec, int offset) {
    this.spec = spec;
    this.offset = offset;
  }

  /** @return the field's name */
  public String name() {
    return spec.name();
  }

  /** @return the scalar element type, or null when the element is a nested event */
  public FieldType type() {
    return spec.type();
  }

  /** @return the nested event, or null when the element is a scalar */
  public EventLayout nested() {
    return spec.nested();
  }

  /** @return true when the element is a nested event */
  public boolean isNested() {
    return spec.isNested();
  }

  /** @return the number of elements, 1 for a scalar */
  public int count() {
    return spec.count();
  }

  /** @return the declaration this field was placed from */
  public FieldSpec spec() {
    return spec;
  }

  /** @return the byte offset of the field from the start of the record */
  public int offset() {
    return offset;
  }

  /** @return the total bytes of the field: element size times count */
  public int size() {
    return spec.elementSize() * spec.count();
  }

  /** @return the bytes of one element */
  public int elementSize() {
    return spec.elementSize();
  }

  /** @return the natural alignment of one element */
  public int elementAlignment() {
    return spec.elementAlignment();
  }

  /** @return the offset just past the field */
  public int end() {
    return offset + size();
  }

  @Override
  public boolean equals(Object o) {
    if (o == this) {
      return true;
    }
    if (!(o instanceof Field)) {
      return false;
    }
    Field f = (Field) o;
    return spec.equals(f.spec) && offset == f.offset;
  }

  @Override
  public int hashCode() {
    return spec.hashCode() * 31 + offset;
  }

  @Override
  public String toString() {
    return name() + " " + spec.typeName() + (count() == 1 ? "" : "[" + count() + "]")
        + " @" + offset + " (" + size() + " bytes)";
  }
}
