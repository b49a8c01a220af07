package io.github.bpfevents.layout;

/**
 * The placed field: a {@link FieldSpec} as {@link LayoutEngine} placed it in an event,
 * with its byte offset from the start of the record and its total size.
 *
 * <p>A bitfield lies at a bit offset ({@link #bitOffset()}, from the record's first bit,
 * counting from the least significant bit of each byte, as x86-64 and BPF do); its byte
 * {@link #offset()} is the byte that holds its first bit and its {@link #size()} the bytes
 * its bits touch (0 for a width of 0).
 */
public final class Field {
  private final FieldSpec spec;
  private final int offset;
  private final long bitOffset;
  private final boolean flexibleMember;

  Field(FieldSpec spec, int offset) {
    this(spec, offset, 8L * offset);
  }

  Field(FieldSpec spec, int offset, long bitOffset) {
    this(spec, offset, bitOffset, false);
  }

  Field(FieldSpec spec, int offset, long bitOffset, boolean flexibleMember) {
    this.spec = spec;
    this.offset = offset;
    this.bitOffset = bitOffset;
    this.flexibleMember = flexibleMember;
  }

  /** The same field moved by a number of bytes: a field of an anonymous member. */
  Field shifted(int bytes) {
    return new Field(spec, offset + bytes, bitOffset + 8L * bytes, flexibleMember);
  }

  /** @return the field's name, or null for an anonymous member or an unnamed bitfield */
  public String name() {
    return spec.name();
  }

  /** @return true for a bitfield */
  public boolean isBitfield() {
    return spec.isBitfield();
  }

  /** @return true for an anonymous struct or union member */
  public boolean isAnonymous() {
    return spec.isAnonymous();
  }

  /**
   * Whether the field is an array of no elements (declared {@code []}): a flexible array
   * member or a GNU zero-length array ({@link #isFlexibleMember()} tells which).
   *
   * @return true for an array of no elements
   */
  public boolean isFlexible() {
    return spec.isFlexible();
  }

  /**
   * Whether the field is C99's flexible array member, {@code __u8 data[]}: an array of no
   * elements, last in a struct, with a named field before it. An array of no elements
   * anywhere else (not last, in a union, the only named field) is GNU C's zero-length
   * array, {@code __u8 data[0]}: no bytes, at its element's alignment.
   *
   * <pre>{@code
   * // struct s { __u32 n; __u8 mark[0]; __u32 m; __u8 data[]; };
   * s.field("mark").isFlexible();        // true
   * s.field("mark").isFlexibleMember();  // false: a zero-length array
   * s.field("data").isFlexibleMember();  // true
   * }</pre>
   *
   * @return true for a flexible array member
   */
  public boolean isFlexibleMember() {
    return flexibleMember;
  }

  /** @return true for a GNU zero-length array: no elements, not a flexible array member */
  public boolean isZeroLength() {
    return spec.isFlexible() && !flexibleMember;
  }

  /** @return the bitfield's width in bits, or -1 for a field that is no bitfield */
  public int bits() {
    return spec.bits();
  }

  /**
   * The field's first bit, counted from the record's first bit: {@code 8 * offset()} for
   * a field that is no bitfield.
   *
   * @return the bit offset
   */
  public long bitOffset() {
    return bitOffset;
  }

  /** @return the enumeration naming the field's values, or null */
  public EnumType enumType() {
    return spec.enumType();
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

  /**
   * The total bytes of the field: element size times count; for a bitfield the bytes its
   * bits touch.
   *
   * @return the size
   */
  public int size() {
    if (spec.isBitfield()) {
      return (int) (((bitOffset & 7) + spec.bits() + 7) / 8);
    }
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
    return spec.equals(f.spec) && offset == f.offset && bitOffset == f.bitOffset
        && flexibleMember == f.flexibleMember;
  }

  @Override
  public int hashCode() {
    return spec.hashCode() * 31 + offset;
  }

  @Override
  public String toString() {
    String n = name() == null ? "" : name() + " ";
    if (spec.isBitfield()) {
      return n + spec.typeName() + ":" + bits() + " @" + offset + " bit " + (bitOffset & 7)
          + " (" + size() + " bytes)";
    }
    return n + spec.typeName()
        + (count() == 1 ? "" : "[" + (count() == 0 ? "" : count()) + "]")
        + " @" + offset + " (" + size() + " bytes)";
  }
}
