package io.github.bpfevents.layout;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Problem;
import java.util.List;

/**
 * The declared field: a name, an element type and an element count (1 for a scalar), as
 * the user wrote it, before layout. The element type is a scalar {@link FieldType} or
 * another event (a struct or a union), nested. {@link LayoutEngine} places it, giving a
 * {@link Field}.
 *
 * <pre>{@code
 * FieldSpec.of("comm", FieldType.CHAR, 16)            // [:comm :char 16]
 * FieldSpec.of("hops", hopLayout, 4)                  // [:hops Hop 4]
 * FieldSpec.bitfield("syn", FieldType.U8, 1)          // [:syn :u8 {:bits 1}]
 * FieldSpec.bitfield(null, FieldType.U32, 0)          // [:u32 {:bits 0}], C's __u32 :0
 * FieldSpec.anonymous(addrUnion)                      // [Addr], C's union { ... };
 * FieldSpec.flexible("data", FieldType.U8)            // [:data :u8 []], C's __u8 data[]
 * FieldSpec.pointer("sk", sockLayout, 1)              // [:sk :ptr {:to Sock}]
 * FieldSpec.of("kind", FieldType.U8).withEnum(kinds)  // [:kind :u8 {:enum {...}}]
 * FieldSpec.of("ts", FieldType.U64).withAligned(16)   // [:ts :u64 {:aligned 16}]
 * }</pre>
 *
 * <p>The C type model beyond scalars, arrays and nested events:
 *
 * <ul>
 *   <li>a <em>bitfield</em> is an integer field of 0 to its type's width in bits; one of
 *       width 0 has no name and only moves the next field to its type's boundary;
 *   <li>an <em>anonymous member</em> is a nested event without a name: its fields are
 *       reached by their own names, as in C11;
 *   <li>a <em>flexible array</em> has no elements of its own (count 0): last in a struct,
 *       after a named field, C99's flexible array member ({@code __u8 data[]}); anywhere
 *       else GNU C's zero-length array ({@code __u8 data[0]});
 *   <li>a <em>pointer</em> to a struct or union is a 64-bit value whose target is known,
 *       perhaps only by name (declared forward);
 *   <li>an <em>enum</em> field is an integer field whose values have names;
 *   <li>an explicit alignment ({@code aligned(N)}) raises the field's alignment to N.
 * </ul>
 */
public final class FieldSpec {
  /** The largest explicit alignment, in bytes: 2^28, what gcc accepts for x86-64 ELF. */
  public static final int MAX_ALIGNED = 1 << 28;

  private final String name;
  private final FieldType type;
  private final EventLayout nested;
  private final int count;
  private final int bits;
  private final int aligned;
  private final EnumType enumType;
  private final EventLayout pointee;
  private final String pointeeName;
  private final EventKind pointeeKind;

  private FieldSpec(String name, FieldType type, EventLayout nested, int count) {
    this(name, type, nested, count, -1, 0, null, null, null, null);
  }

  private FieldSpec(String name, FieldType type, EventLayout nested, int count, int bits,
      int aligned, EnumType enumType, EventLayout pointee, String pointeeName,
      EventKind pointeeKind) {
    this.name = name;
    this.type = type;
    this.nested = nested;
    this.count = count;
    this.bits = bits;
    this.aligned = aligned;
    this.enumType = enumType;
    this.pointee = pointee;
    this.pointeeName = pointeeName;
    this.pointeeKind = pointeeKind;
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
   * A bitfield: an integer field of {@code bits} bits, placed as gcc and clang place it.
   *
   * @param name the field's name; null for an unnamed bitfield (which only pads), and
   *     null it must be when {@code bits} is 0
   * @param type its integer type: u8, i8, u16, i16, u32, i32, u64, i64, i128 or u128
   * @param bits its width, 0 to the type's width in bits
   * @return the spec
   * @throws BpfEventsException ({@code bad-bitfield}) if the type is no such integer type,
   *     the width is outside 0 to the type's width, or a width of 0 has a name
   */
  public static FieldSpec bitfield(String name, FieldType type, int bits) {
    if (name != null) {
      checkName(name);
    }
    if (type == null) {
      throw noType(name);
    }
    if (type.bigEndian() || type == FieldType.CHAR || type == FieldType.PTR) {
      throw Problem.BAD_BITFIELD_TYPE
          .with("field", name)
          .with("type", type)
          .with("value", bits)
          .with("expected", "an integer type: one of {accepted}")
          .with("accepted", List.of("u8", "i8", "u16", "i16", "u32", "i32", "u64", "i64",
              "i128", "u128"))
          .build();
    }
    if (bits < 0 || bits > 8 * type.size()) {
      throw Problem.BAD_BITFIELD_TYPE_BITS_WIDE
          .with("field", name)
          .with("type", type)
          .with("value", bits)
          .with("expected", "a width from 0 to " + 8 * type.size() + " bits")
          .build();
    }
    if (bits == 0 && name != null) {
      throw Problem.BAD_BITFIELD_BITS_WIDE_NAMED
          .with("field", name)
          .with("type", type)
          .with("value", bits)
          .with("expected", "no name for a bitfield of width 0, as in C")
          .build();
    }
    return new FieldSpec(name, type, null, 1, bits, 0, null, null, null, null);
  }

  /**
   * An anonymous member: a nested struct or union without a name, whose fields are
   * reached by their own names, as C11's {@code union { __u32 v4; __u8 v6[16]; };}.
   *
   * @param nested the member's layout
   * @return the spec
   * @throws BpfEventsException if the event is null
   */
  public static FieldSpec anonymous(EventLayout nested) {
    if (nested == null) {
      throw noType(null);
    }
    return new FieldSpec(null, null, nested, 1);
  }

  /**
   * An array of scalars with no elements of its own: last in a struct, after a named
   * field, C99's flexible array member {@code __u8 data[]}; anywhere else (not last, in
   * a union, the only named field) GNU C's zero-length array {@code __u8 data[0]}.
   *
   * @param name the field's name, not empty
   * @param type the element type
   * @return the spec (count 0)
   * @throws BpfEventsException if the name is null or empty, or the type null
   */
  public static FieldSpec flexible(String name, FieldType type) {
    checkName(name);
    if (type == null) {
      throw noType(name);
    }
    return new FieldSpec(name, type, null, 0);
  }

  /**
   * An array of events with no elements of its own: a flexible array member, or a GNU
   * zero-length array, as {@link #flexible(String, FieldType)}.
   *
   * @param name the field's name, not empty
   * @param nested the element event
   * @return the spec (count 0)
   * @throws BpfEventsException if the name is null or empty, or the event null
   */
  public static FieldSpec flexible(String name, EventLayout nested) {
    checkName(name);
    if (nested == null) {
      throw noType(name);
    }
    return new FieldSpec(name, null, nested, 0);
  }

  /**
   * A pointer to a struct or union whose layout is known: a 64-bit value
   * ({@link FieldType#PTR}) that names its target.
   *
   * @param name the field's name, not empty
   * @param target the event pointed to
   * @param count the number of pointers, at least 1
   * @return the spec
   * @throws BpfEventsException if the name is missing, the target null, or the count not
   *     positive
   */
  public static FieldSpec pointer(String name, EventLayout target, long count) {
    checkName(name);
    if (target == null) {
      throw noType(name);
    }
    return new FieldSpec(name, FieldType.PTR, null, checkCount(name, count), -1, 0, null,
        target, target.name(), target.kind());
  }

  /**
   * A pointer to a struct or union known only by name, declared forward
   * ({@code struct sock;}).
   *
   * @param name the field's name, not empty
   * @param targetName the target's name, not empty
   * @param targetKind struct or union
   * @param count the number of pointers, at least 1
   * @return the spec
   * @throws BpfEventsException if a name is missing, the kind null, or the count not
   *     positive
   */
  public static FieldSpec pointer(String name, String targetName, EventKind targetKind,
      long count) {
    checkName(name);
    LayoutEngine.checkEventName(targetName);
    if (targetKind == null) {
      throw noType(name);
    }
    return new FieldSpec(name, FieldType.PTR, null, checkCount(name, count), -1, 0, null,
        null, targetName, targetKind);
  }

  /**
   * The same field with an explicit alignment, C's {@code __attribute__((aligned(N)))}:
   * its alignment becomes the larger of N and its own (N alone in a packed event).
   *
   * @param n the alignment in bytes: a power of two from 1 to {@link #MAX_ALIGNED}
   * @return the spec
   * @throws BpfEventsException ({@code bad-aligned}) if n is not such a power of two, or
   *     the field is a bitfield
   */
  public FieldSpec withAligned(long n) {
    checkAligned("field", name, n);
    if (bits >= 0) {
      throw Problem.BAD_ALIGNED_BITFIELD
          .with("field", name)
          .with("value", n)
          .with("expected", "an alignment on a field that is not a bitfield")
          .build();
    }
    return new FieldSpec(name, type, nested, count, bits, (int) n, enumType, pointee,
        pointeeName, pointeeKind);
  }

  /**
   * The same integer field (or bitfield), its values named by an enumeration of the same
   * type.
   *
   * @param e the enumeration; its type must be the field's
   * @return the spec
   * @throws BpfEventsException ({@code bad-enum}) if the field is no integer field of the
   *     enumeration's type, or a value does not fit the bitfield's width
   */
  public FieldSpec withEnum(EnumType e) {
    if (e == null || type != e.type() || pointeeName != null) {
      throw Problem.BAD_ENUM_FIELD_TYPE_GIVEN
          .with("field", name)
          .with("type", type == null ? (nested == null ? null : nested.name()) : type)
          .with("value", e == null ? null : e.type())
          .with("expected", "an enum whose type is the field's")
          .build();
    }
    if (bits > 0) {
      String bad = e.firstNotFitting(bits);
      if (bad != null) {
        throw Problem.BAD_ENUM_BITFIELD_ENUMERATOR
            .with("field", name)
            .with("enumerator", bad)
            .with("value", e.values().get(bad))
            .with("expected", "a value that fits " + bits + " bits")
            .build();
      }
    }
    return new FieldSpec(name, type, nested, count, bits, aligned, e, pointee, pointeeName,
        pointeeKind);
  }

  /**
   * Checks an explicit alignment: a power of two from 1 to {@link #MAX_ALIGNED}.
   *
   * @param what "field" or "event", for the message
   * @param who the field's or event's name
   * @param n the alignment
   * @throws BpfEventsException ({@code bad-aligned}) if it is not
   */
  static void checkAligned(String what, String who, long n) {
    if (n < 1 || n > MAX_ALIGNED || Long.bitCount(n) != 1) {
      throw (what.equals("event") ? Problem.BAD_ALIGNED_EVENT : Problem.BAD_ALIGNED_FIELD)
          .with(what.equals("event") ? "event" : "field", who)
          .with("value", n)
          .with("expected", "a power of two from 1 to " + MAX_ALIGNED)
          .build();
    }
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
      throw Problem.BAD_FIELD_NAME
          .with("value", name)
          .with("expected", "a non-empty name")
          .build();
    }
  }

  private static BpfEventsException noType(String name) {
    return Problem.UNKNOWN_TYPE_FIELD
        .with("field", name)
        .with("type", null)
        .with("expected", "one of {accepted} or an event")
        .with("accepted", FieldType.names())
        .build();
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
      throw Problem.BAD_COUNT
          .with("field", name)
          .with("value", count)
          .with("expected", "an integer from 1 to 2147483647")
          .build();
    }
    return (int) count;
  }

  /** @return the field's name, or null for an anonymous member or an unnamed bitfield */
  public String name() {
    return name;
  }

  /** @return true for an anonymous struct or union member */
  public boolean isAnonymous() {
    return name == null && nested != null;
  }

  /** @return true for a bitfield, of any width */
  public boolean isBitfield() {
    return bits >= 0;
  }

  /** @return the bitfield's width in bits, or -1 when the field is no bitfield */
  public int bits() {
    return bits;
  }

  /** @return true for a flexible array member (count 0) */
  public boolean isFlexible() {
    return count == 0;
  }

  /** @return the explicit alignment in bytes, or 0 when none was given */
  public int aligned() {
    return aligned;
  }

  /** @return the enumeration naming the field's values, or null */
  public EnumType enumType() {
    return enumType;
  }

  /** @return the layout of the struct or union pointed to, or null (none, or forward) */
  public EventLayout pointee() {
    return pointee;
  }

  /** @return the name of the struct or union pointed to, or null for no such pointer */
  public String pointeeName() {
    return pointeeName;
  }

  /** @return whether the pointer points to a struct or a union, or null for no pointer */
  public EventKind pointeeKind() {
    return pointeeKind;
  }

  /**
   * Whether the field is of the C type model beyond scalars, arrays and nested structs
   * (a bitfield, an anonymous member, a flexible array, a pointer with a target, an enum,
   * an explicit alignment, or a nested union, empty event or one that holds any of these).
   *
   * @return true if so
   */
  public boolean usesCTypeModel() {
    return name == null || bits >= 0 || count == 0 || aligned != 0 || enumType != null
        || pointeeName != null || (nested != null && nested.cTypeModelPath() != null);
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

  /** @return the bytes of one element (of the declared type, for a bitfield) */
  public int elementSize() {
    return nested != null ? nested.size() : type.size();
  }

  /**
   * The natural alignment of one element: a scalar's size, an event's alignment, raised to
   * the explicit alignment if one was given.
   *
   * @return the alignment in bytes
   */
  public int elementAlignment() {
    return Math.max(aligned, nested != null ? nested.alignment() : type.alignment());
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
    return java.util.Objects.equals(name, f.name) && type == f.type && count == f.count
        && bits == f.bits && aligned == f.aligned
        && java.util.Objects.equals(enumType, f.enumType)
        && java.util.Objects.equals(pointeeName, f.pointeeName)
        && pointeeKind == f.pointeeKind
        && (pointee == null ? f.pointee == null : pointee.equals(f.pointee))
        && (nested == null ? f.nested == null : nested.equals(f.nested));
  }

  @Override
  public int hashCode() {
    int h = java.util.Objects.hashCode(name) * 31
        + (type == null ? nested.hashCode() : type.hashCode());
    return (h * 31 + count) * 31 + bits;
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("[");
    if (name != null) {
      b.append(name).append(' ');
    }
    b.append(pointeeName != null ? "*" + pointeeName : typeName());
    if (count != 1) {
      b.append(' ').append(count == 0 ? "[]" : count);
    }
    if (bits >= 0) {
      b.append(" :").append(bits);
    }
    if (aligned != 0) {
      b.append(" aligned(").append(aligned).append(')');
    }
    return b.append(']').toString();
  }
}
