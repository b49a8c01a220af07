package io.github.bpfevents.layout;

/**
 * A field placed in an event: its declaration plus its byte offset and total size.
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

  /** @return the element type */
  public FieldType type() {
    return spec.type();
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
    return spec.type().size() * spec.count();
  }

  /** @return the bytes of one element */
  public int elementSize() {
    return spec.type().size();
  }

  /** @return the offset just past the field */
  public int end() {
    return offset + size();
  }

  @Override
  public boolean equals(Object o) {
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
    return name() + " " + type().typeName() + (count() == 1 ? "" : "[" + count() + "]")
        + " @" + offset + " (" + size() + " bytes)";
  }
}
