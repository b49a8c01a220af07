package io.github.bpfevents.btf;

import io.github.bpfevents.layout.FieldType;

/**
 * What the type of a struct member comes to for a record's layout, past typedefs,
 * qualifiers and arrays: an element (a scalar, a pointer, a struct, ...) and how many of
 * them. A typedef named as one of the type table's big-endian types ({@code __be16},
 * {@code __be32}, {@code __be64}) on the way, over an integer of its size, marks the
 * element big-endian: that is how C says byte order. Arrays of arrays count as one array
 * of all their elements, as C lays them out.
 */
final class MemberShape {
  /** What the element is. */
  enum Category {
    /** An INT or an enumeration. */
    SCALAR,
    /** A pointer, 8 bytes on the BPF target and x86-64. */
    POINTER,
    /** A struct. */
    STRUCT,
    /** A union. */
    UNION,
    /** Anything else: void, a float, a function, a forward declaration. */
    OTHER
  }

  /** The bytes of a pointer on the targets BTF describes here. */
  static final int POINTER_SIZE = 8;

  final Category category;
  /** The element's type id, past typedefs and qualifiers (for a struct, its id). */
  final int element;
  /** Elements: the product of the array lengths; 1 when not an array. */
  final long count;
  /** Whether the member is declared as an array. */
  final boolean array;
  /** Bytes of one element. */
  final long elementSize;
  /** For a scalar: signed (an INT with the signed encoding, or a signed enumeration). */
  final boolean signed;
  /** For a scalar: a C {@code char} (named so, or with the char encoding). */
  final boolean character;
  /** For a scalar: a {@code __be*} typedef named its byte order. */
  final boolean bigEndian;
  /** For an INT: whether it holds fewer bits than its bytes, or starts at a bit offset. */
  final boolean partialInt;
  /** For an INT: its bits. */
  final int bits;
  /** For a pointer: what it points to, past typedefs and qualifiers. */
  final int pointee;
  private final Btf btf;
  private final int type;

  private MemberShape(Category category, int element, long count, boolean array,
      long elementSize, boolean signed, boolean character, boolean bigEndian,
      boolean partialInt, int bits, int pointee, Btf btf, int type) {
    this.category = category;
    this.element = element;
    this.count = count;
    this.array = array;
    this.elementSize = elementSize;
    this.signed = signed;
    this.character = character;
    this.bigEndian = bigEndian;
    this.partialInt = partialInt;
    this.bits = bits;
    this.pointee = pointee;
    this.btf = btf;
    this.type = type;
  }

  /**
   * The member's type as C writes it, a bounded excerpt ({@link Btf#describe}), made when
   * asked for: only messages and mismatches need it.
   *
   * @return the text
   */
  String description() {
    return btf.describe(type);
  }

  /**
   * The shape of a type.
   *
   * @param btf the table
   * @param type the member's type id
   * @return its shape
   * @throws io.github.bpfevents.BpfEventsException for a chain that loops, or an id outside
   *     the table
   */
  static MemberShape of(Btf btf, int type) {
    long count = 1;
    boolean array = false;
    FieldType named = null;
    int at = type;
    for (int steps = 0; ; steps++) {
      if (steps > Btf.MAX_CHAIN) {
        throw btf.chainTooLong(type);
      }
      if (at == 0) {
        return new MemberShape(Category.OTHER, 0, count, array, 0, false, false, false, false,
            0, 0, btf, type);
      }
      BtfKind k = btf.kind(at);
      if (k.qualifier()) {
        at = btf.ref(at);
      } else if (k == BtfKind.TYPEDEF) {
        if (named == null) {
          named = bigEndianNamed(btf, at);
        }
        at = btf.ref(at);
      } else if (k == BtfKind.ARRAY) {
        BtfType.Array a = (BtfType.Array) btf.type(at);
        array = true;
        count = a.count() == 0 ? 0 : count > Integer.MAX_VALUE ? count : count * a.count();
        at = a.elementType();
      } else {
        return terminal(btf, type, at, k, count, array, named);
      }
    }
  }

  private static MemberShape terminal(Btf btf, int type, int at, BtfKind k, long count,
      boolean array, FieldType named) {
    switch (k) {
      case INT -> {
        BtfType.Int t = (BtfType.Int) btf.type(at);
        boolean character = t.name().equals("char")
            || (t.intEncoding() & BtfType.INT_CHAR) != 0;
        boolean partial = t.intBitOffset() != 0 || t.intBits() != 8 * t.size();
        return new MemberShape(Category.SCALAR, at, count, array, t.size(),
            (t.intEncoding() & BtfType.INT_SIGNED) != 0, character,
            named != null && named.size() == t.size(), partial, t.intBits(), 0, btf, type);
      }
      case ENUM, ENUM64 -> {
        long size = btf.third(at);
        return new MemberShape(Category.SCALAR, at, count, array, size, btf.kindFlag(at),
            false, false, false, (int) Math.min(8 * size, Integer.MAX_VALUE), 0, btf, type);
      }
      case PTR -> {
        return new MemberShape(Category.POINTER, at, count, array, POINTER_SIZE, false,
            false, false, false, 8 * POINTER_SIZE, pointee(btf, btf.ref(at)), btf, type);
      }
      case STRUCT -> {
        return new MemberShape(Category.STRUCT, at, count, array, btf.third(at), false, false,
            false, false, 0, 0, btf, type);
      }
      case UNION -> {
        return new MemberShape(Category.UNION, at, count, array, btf.third(at), false, false,
            false, false, 0, 0, btf, type);
      }
      default -> {
        long size = k.sized() ? btf.third(at) : 0;
        return new MemberShape(Category.OTHER, at, count, array, size, false, false,
            false, false, 0, 0, btf, type);
      }
    }
  }

  /** What a pointer points to, past typedefs and qualifiers; 0 for void. */
  private static int pointee(Btf btf, int type) {
    int at = type;
    for (int steps = 0; at != 0; steps++) {
      if (steps > Btf.MAX_CHAIN) {
        throw btf.chainTooLong(type);
      }
      BtfKind k = btf.kind(at);
      if (!k.qualifier() && k != BtfKind.TYPEDEF) {
        return at;
      }
      at = btf.ref(at);
    }
    return 0;
  }

  /** The big-endian type of the table whose C name a typedef has, or null. */
  private static FieldType bigEndianNamed(Btf btf, int typedef) {
    for (int i = 0; i < BIG_ENDIAN.length; i++) {
      if (btf.named(typedef, BIG_ENDIAN_NAMES[i])) {
        return BIG_ENDIAN[i];
      }
    }
    return null;
  }

  private static final FieldType[] BIG_ENDIAN = java.util.Arrays.stream(FieldType.values())
      .filter(FieldType::bigEndian).toArray(FieldType[]::new);
  private static final byte[][] BIG_ENDIAN_NAMES = java.util.Arrays.stream(BIG_ENDIAN)
      .map(f -> f.cType().getBytes(java.nio.charset.StandardCharsets.UTF_8))
      .toArray(byte[][]::new);

  /**
   * The type table's type for a scalar element: of its size, signedness and byte order
   * ({@code char} for a C char), in host order unless a {@code __be*} typedef said
   * otherwise.
   *
   * @return the type, or null when the table has none (a 128-bit integer, a signed
   *     big-endian one)
   */
  FieldType scalarType() {
    if (category == Category.POINTER) {
      return FieldType.PTR;
    }
    if (category != Category.SCALAR) {
      return null;
    }
    for (FieldType f : FieldType.values()) {
      if (f.size() != elementSize) {
        continue;
      }
      if (character ? f.text()
          : !f.text() && f.readsAs() == f && f.signed() == signed && f.bigEndian() == bigEndian) {
        return f;
      }
    }
    return null;
  }
}
