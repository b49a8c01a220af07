package io.github.bpfevents.btf;

import java.util.List;
import java.util.Objects;

/**
 * One BTF type record ({@code struct btf_type} and the data of its kind), with its names
 * as text. A record refers to other types by id: 0 is {@code void}, and id n is the n-th
 * record of the type section. The ids are the table's business ({@link Btf}); a record
 * does not know its own.
 *
 * <pre>{@code
 * BtfType u32 = BtfType.integer("unsigned int", 4, 0);
 * BtfType ev = BtfType.struct("ev", 8, List.of(
 *     new BtfType.Member("pid", 1, 0, 0), new BtfType.Member("uid", 1, 32, 0)));
 * }</pre>
 *
 * <p>Records of the kinds this library only passes over (functions, variables, data
 * sections, enumerators' values, tags) keep their kind, name, vlen and third word, not
 * their data.
 */
public final class BtfType {
  /** {@code BTF_INT_SIGNED}: the integer is signed. */
  public static final int INT_SIGNED = 1;
  /** {@code BTF_INT_CHAR}: the integer is a character, for printing. */
  public static final int INT_CHAR = 2;
  /** {@code BTF_INT_BOOL}: the integer is a boolean, for printing. */
  public static final int INT_BOOL = 4;

  /**
   * A member of a struct or union.
   *
   * @param name the member's name, empty for an anonymous member
   * @param type the id of its type
   * @param bitOffset its offset from the start of the struct, in bits
   * @param bitfieldSize its width in bits when it is a bitfield declared through the
   *     struct's kind flag, else 0
   */
  public record Member(String name, int type, long bitOffset, int bitfieldSize) {
    /**
     * A member, checked.
     *
     * @param name the member's name, empty for an anonymous member
     * @param type the id of its type
     * @param bitOffset its offset in bits
     * @param bitfieldSize its width in bits when a bitfield, else 0
     */
    public Member {
      Objects.requireNonNull(name, "name");
    }
  }

  private final BtfKind kind;
  private final String name;
  private final boolean kindFlag;
  private final int vlen;
  private final long sizeOrType;
  private final int intData;
  private final int elementType;
  private final int indexType;
  private final long count;
  private final List<Member> members;

  private BtfType(BtfKind kind, String name, boolean kindFlag, int vlen, long sizeOrType,
      int intData, int elementType, int indexType, long count, List<Member> members) {
    this.kind = Objects.requireNonNull(kind, "kind");
    this.name = name == null ? "" : name;
    this.kindFlag = kindFlag;
    this.vlen = vlen;
    this.sizeOrType = sizeOrType;
    this.intData = intData;
    this.elementType = elementType;
    this.indexType = indexType;
    this.count = count;
    this.members = members;
  }

  /**
   * An INT of whole bytes: {@code bits} is {@code 8 * size}, at bit offset 0.
   *
   * @param name its C name, such as {@code "unsigned int"}
   * @param size bytes
   * @param encoding 0, {@link #INT_SIGNED}, {@link #INT_CHAR} or {@link #INT_BOOL}
   * @return the record
   */
  public static BtfType integer(String name, int size, int encoding) {
    return integer(name, size, encoding, 0, 8 * size);
  }

  /**
   * An INT.
   *
   * @param name its C name
   * @param size bytes
   * @param encoding 0, {@link #INT_SIGNED}, {@link #INT_CHAR} or {@link #INT_BOOL}
   * @param bitOffset {@code BTF_INT_OFFSET}, 0 to 255
   * @param bits {@code BTF_INT_BITS}, 0 to 255
   * @return the record
   */
  public static BtfType integer(String name, int size, int encoding, int bitOffset,
      int bits) {
    int data = (encoding & 0xf) << 24 | (bitOffset & 0xff) << 16 | (bits & 0xff);
    return new BtfType(BtfKind.INT, name, false, 0, size & 0xffffffffL, data, 0, 0, 0, null);
  }

  /**
   * A pointer.
   *
   * @param type the id of the type pointed to, 0 for {@code void}
   * @return the record
   */
  public static BtfType pointer(int type) {
    return refer(BtfKind.PTR, "", type);
  }

  /**
   * A typedef.
   *
   * @param name its name
   * @param type the id of the type it names
   * @return the record
   */
  public static BtfType typedef(String name, int type) {
    return refer(BtfKind.TYPEDEF, name, type);
  }

  /**
   * A record whose third word is a type id and that has no data: PTR, TYPEDEF, the
   * qualifiers, FUNC, TYPE_TAG.
   *
   * @param kind the kind
   * @param name its name, empty for none
   * @param type the id of the type it refers to
   * @return the record
   */
  public static BtfType refer(BtfKind kind, String name, int type) {
    return new BtfType(kind, name, false, 0, type & 0xffffffffL, 0, 0, 0, 0, null);
  }

  /**
   * An ARRAY.
   *
   * @param elementType the id of the element type
   * @param indexType the id of the index type (an INT)
   * @param count the number of elements
   * @return the record
   */
  public static BtfType array(int elementType, int indexType, long count) {
    return new BtfType(BtfKind.ARRAY, "", false, 0, 0, 0, elementType, indexType, count,
        null);
  }

  /**
   * A STRUCT whose members are whole bytes (kind flag 0).
   *
   * @param name its name, empty for an anonymous struct
   * @param size bytes
   * @param members the members, in offset order
   * @return the record
   */
  public static BtfType struct(String name, long size, List<Member> members) {
    return aggregate(BtfKind.STRUCT, name, false, size, members);
  }

  /**
   * A STRUCT or UNION.
   *
   * @param kind STRUCT or UNION
   * @param name its name, empty for an anonymous one
   * @param kindFlag whether member offsets carry bitfield sizes
   * @param size bytes
   * @param members the members
   * @return the record
   */
  public static BtfType aggregate(BtfKind kind, String name, boolean kindFlag, long size,
      List<Member> members) {
    List<Member> m = List.copyOf(members);
    return new BtfType(kind, name, kindFlag, m.size(), size, 0, 0, 0, 0, m);
  }

  /**
   * A record of a kind whose data this library passes over.
   *
   * @param kind the kind
   * @param name its name, empty for none
   * @param kindFlag the info word's kind flag
   * @param vlen the info word's vlen
   * @param sizeOrType the third word
   * @return the record
   */
  public static BtfType other(BtfKind kind, String name, boolean kindFlag, int vlen,
      long sizeOrType) {
    return new BtfType(kind, name, kindFlag, vlen, sizeOrType, 0, 0, 0, 0, null);
  }

  /** @return the kind */
  public BtfKind kind() {
    return kind;
  }

  /** @return the name, empty for an anonymous type */
  public String name() {
    return name;
  }

  /** @return the info word's kind flag (for a struct: members carry bitfield sizes) */
  public boolean kindFlag() {
    return kindFlag;
  }

  /** @return the info word's vlen: members, values, parameters, variables */
  public int vlen() {
    return vlen;
  }

  /** @return the size in bytes, for the kinds whose third word is a size */
  public long size() {
    return kind.sized() ? sizeOrType : 0;
  }

  /** @return the id this record refers to, for the kinds whose third word is a type */
  public int type() {
    return kind.sized() ? 0 : (int) sizeOrType;
  }

  /** @return the third word as it stands */
  public long sizeOrType() {
    return sizeOrType;
  }

  /** @return for an INT, its encoding bits: {@link #INT_SIGNED}, ... */
  public int intEncoding() {
    return (intData >>> 24) & 0xf;
  }

  /** @return for an INT, {@code BTF_INT_OFFSET} */
  public int intBitOffset() {
    return (intData >>> 16) & 0xff;
  }

  /** @return for an INT, {@code BTF_INT_BITS} */
  public int intBits() {
    return intData & 0xff;
  }

  /** @return for an INT, the u32 that follows the record */
  public int intData() {
    return intData;
  }

  /** @return for an ARRAY, the id of the element type */
  public int elementType() {
    return elementType;
  }

  /** @return for an ARRAY, the id of the index type */
  public int indexType() {
    return indexType;
  }

  /** @return for an ARRAY, the number of elements */
  public long count() {
    return count;
  }

  /** @return for a STRUCT or UNION, its members; empty for other kinds */
  public List<Member> members() {
    return members == null ? List.of() : members;
  }

  @Override
  public boolean equals(Object o) {
    if (o == this) {
      return true;
    }
    if (!(o instanceof BtfType t)) {
      return false;
    }
    return kind == t.kind && name.equals(t.name) && kindFlag == t.kindFlag && vlen == t.vlen
        && sizeOrType == t.sizeOrType && intData == t.intData
        && elementType == t.elementType && indexType == t.indexType && count == t.count
        && members().equals(t.members());
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, name, kindFlag, vlen, sizeOrType, intData, elementType,
        indexType, count, members());
  }

  @Override
  public String toString() {
    String n = name.isEmpty() ? "(anon)" : "'" + name + "'";
    return switch (kind) {
      case INT -> "INT " + n + " size=" + sizeOrType + " bits_offset=" + intBitOffset()
          + " nr_bits=" + intBits() + " encoding=" + intEncoding();
      case ARRAY -> "ARRAY " + n + " type_id=" + elementType + " index_type_id=" + indexType
          + " nr_elems=" + count;
      case STRUCT, UNION -> kind + " " + n + " size=" + sizeOrType + " vlen=" + vlen
          + (kindFlag ? " kind_flag=1" : "") + " " + members();
      default -> kind + " " + n + (kind.sized() ? " size=" : " type_id=") + sizeOrType
          + (vlen == 0 ? "" : " vlen=" + vlen);
    };
  }
}
