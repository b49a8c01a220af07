package io.github.bpfevents.btf;

import java.util.List;
import java.util.Objects;

/**
 * One BTF type record ({@code struct btf_type} and the data of its kind), with its names
 * as text: one record class per kind that {@code linux/btf.h} defines, each holding
 * exactly what the wire record holds, so that {@link BtfCodec} writes back the bytes it
 * read. A record refers to other types by id: 0 is {@code void}, and id n is the n-th
 * record of the type section. The ids are the table's business ({@link Btf}); a record
 * does not know its own.
 *
 * <pre>{@code
 * BtfType u32 = BtfType.integer("unsigned int", 4, 0);
 * BtfType ev = BtfType.struct("ev", 8, List.of(
 *     new BtfType.Member("pid", 1, 0, 0), new BtfType.Member("uid", 1, 32, 0)));
 * if (t instanceof BtfType.Struct s) { s.members().size(); }
 * }</pre>
 *
 * <pre>
 *   kind        record                                     wire (after name_off, info)
 *   INT         Int(name, size, encoding, bitOffset, bits) size; u32 enc&lt;&lt;24|off&lt;&lt;16|bits
 *   PTR         Ptr(type)                                  type
 *   ARRAY       Array(elementType, indexType, count)       0; type, index_type, nelems
 *   STRUCT      Struct(name, size, kindFlag, members)      size; vlen x member
 *   UNION       Union(name, size, kindFlag, members)       size; vlen x member
 *   ENUM        Enum(name, size, signed, values)           size; vlen x (name_off, val)
 *   FWD         Fwd(name, union)                           0 (kind_flag: union)
 *   TYPEDEF     Typedef(name, type)                        type
 *   VOLATILE    Volatile(type)                             type
 *   CONST       Const(type)                                type
 *   RESTRICT    Restrict(type)                             type
 *   FUNC        Func(name, type, linkage)                  type (vlen: linkage)
 *   FUNC_PROTO  FuncProto(returnType, params)              type; vlen x (name_off, type)
 *   VAR         Var(name, type, linkage)                   type; u32 linkage
 *   DATASEC     Datasec(name, size, vars)                  size; vlen x (type, off, size)
 *   FLOAT       Float(name, size)                          size
 *   DECL_TAG    DeclTag(name, type, componentIdx, attr)    type; s32 component_idx
 *   TYPE_TAG    TypeTag(name, type, attr)                  type
 *   ENUM64      Enum64(name, size, signed, values)         size; vlen x (name_off, lo, hi)
 * </pre>
 *
 * <p>Sizes, offsets and counts are the wire's unsigned 32-bit words, held in a
 * {@code long}; type ids are {@code int}s (at most {@link BtfWriter#MAX_TYPES}).
 */
public sealed interface BtfType {
  /** {@code BTF_INT_SIGNED}: the integer is signed. */
  int INT_SIGNED = 1;
  /** {@code BTF_INT_CHAR}: the integer is a character, for printing. */
  int INT_CHAR = 2;
  /** {@code BTF_INT_BOOL}: the integer is a boolean, for printing. */
  int INT_BOOL = 4;

  /** @return the record's kind */
  BtfKind kind();

  /** @return the name, empty for an anonymous type or a kind without a name */
  default String name() {
    return "";
  }

  /** @return the size in bytes, for the kinds whose third word is a size; else 0 */
  default long size() {
    return 0;
  }

  /** @return the id this record refers to, for the kinds whose third word is a type */
  default int type() {
    return 0;
  }

  /** @return for a STRUCT or UNION, its members; empty for other kinds */
  default List<Member> members() {
    return List.of();
  }

  /** @return the info word's kind flag, as the codec writes it */
  default boolean kindFlag() {
    return false;
  }

  /** @return the info word's vlen (members, values, parameters, variables, linkage) */
  default int vlen() {
    return 0;
  }

  /**
   * A member of a struct or union.
   *
   * @param name the member's name, empty for an anonymous member
   * @param type the id of its type
   * @param bitOffset its offset from the start of the struct, in bits
   * @param bitfieldSize its width in bits when it is a bitfield declared through the
   *     struct's kind flag, else 0
   */
  record Member(String name, int type, long bitOffset, int bitfieldSize) {
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

  /**
   * One named value of an ENUM or ENUM64.
   *
   * @param name the enumerator's name
   * @param value its value: for ENUM the 32-bit word, sign-extended when the enum is
   *     signed, else zero-extended; for ENUM64 the 64 bits
   */
  record Enumerator(String name, long value) {
    /**
     * An enumerator, checked.
     *
     * @param name its name
     * @param value its value
     */
    public Enumerator {
      Objects.requireNonNull(name, "name");
    }
  }

  /**
   * One parameter of a FUNC_PROTO.
   *
   * @param name its name, empty when unnamed
   * @param type its type id; 0 for the {@code ...} of a variadic function
   */
  record Param(String name, int type) {
    /**
     * A parameter, checked.
     *
     * @param name its name
     * @param type its type id
     */
    public Param {
      Objects.requireNonNull(name, "name");
    }
  }

  /**
   * One variable of a DATASEC ({@code struct btf_var_secinfo}).
   *
   * @param type the VAR's id
   * @param offset its offset in the section
   * @param size its size in bytes
   */
  record SecInfo(int type, long offset, long size) {}

  /**
   * INT.
   *
   * @param name its C name
   * @param size bytes
   * @param encoding {@link #INT_SIGNED}, {@link #INT_CHAR}, {@link #INT_BOOL} bits
   * @param bitOffset {@code BTF_INT_OFFSET}, 0 to 255
   * @param bits {@code BTF_INT_BITS}, 0 to 255
   */
  record Int(String name, long size, int encoding, int bitOffset, int bits)
      implements BtfType {
    /**
     * Checked.
     *
     * @param name its C name
     * @param size bytes
     * @param encoding the encoding bits
     * @param bitOffset the bit offset
     * @param bits the bits
     */
    public Int {
      Objects.requireNonNull(name, "name");
    }

    @Override
    public BtfKind kind() {
      return BtfKind.INT;
    }

    /** @return the encoding bits ({@link #encoding()}) */
    public int intEncoding() {
      return encoding;
    }

    /** @return {@code BTF_INT_OFFSET} ({@link #bitOffset()}) */
    public int intBitOffset() {
      return bitOffset;
    }

    /** @return {@code BTF_INT_BITS} ({@link #bits()}) */
    public int intBits() {
      return bits;
    }

    /** @return the u32 that follows the record */
    public int intData() {
      return (encoding & 0xf) << 24 | (bitOffset & 0xff) << 16 | (bits & 0xff);
    }
  }

  /**
   * PTR.
   *
   * @param type the id pointed to, 0 for {@code void}
   */
  record Ptr(int type) implements BtfType {
    @Override
    public BtfKind kind() {
      return BtfKind.PTR;
    }
  }

  /**
   * ARRAY.
   *
   * @param elementType the element type's id
   * @param indexType the index type's id
   * @param count the number of elements
   */
  record Array(int elementType, int indexType, long count) implements BtfType {
    @Override
    public BtfKind kind() {
      return BtfKind.ARRAY;
    }
  }

  /**
   * STRUCT.
   *
   * @param name its name, empty when anonymous
   * @param size bytes
   * @param kindFlag whether member offsets carry bitfield sizes (bits 24 to 31)
   * @param members the members
   */
  record Struct(String name, long size, boolean kindFlag, List<Member> members)
      implements BtfType {
    /**
     * Checked; the members copied.
     *
     * @param name its name
     * @param size bytes
     * @param kindFlag the kind flag
     * @param members the members
     */
    public Struct {
      Objects.requireNonNull(name, "name");
      members = List.copyOf(members);
    }

    @Override
    public BtfKind kind() {
      return BtfKind.STRUCT;
    }

    @Override
    public int vlen() {
      return members.size();
    }
  }

  /**
   * UNION.
   *
   * @param name its name, empty when anonymous
   * @param size bytes
   * @param kindFlag whether member offsets carry bitfield sizes
   * @param members the members
   */
  record Union(String name, long size, boolean kindFlag, List<Member> members)
      implements BtfType {
    /**
     * Checked; the members copied.
     *
     * @param name its name
     * @param size bytes
     * @param kindFlag the kind flag
     * @param members the members
     */
    public Union {
      Objects.requireNonNull(name, "name");
      members = List.copyOf(members);
    }

    @Override
    public BtfKind kind() {
      return BtfKind.UNION;
    }

    @Override
    public int vlen() {
      return members.size();
    }
  }

  /**
   * ENUM: values of up to 32 bits.
   *
   * @param name its name, empty when anonymous
   * @param size bytes
   * @param signed the kind flag: the values are signed
   * @param values the enumerators
   */
  record Enum(String name, long size, boolean signed, List<Enumerator> values)
      implements BtfType {
    /**
     * Checked; the values copied.
     *
     * @param name its name
     * @param size bytes
     * @param signed signedness
     * @param values the enumerators
     */
    public Enum {
      Objects.requireNonNull(name, "name");
      values = List.copyOf(values);
    }

    @Override
    public BtfKind kind() {
      return BtfKind.ENUM;
    }

    @Override
    public boolean kindFlag() {
      return signed;
    }

    @Override
    public int vlen() {
      return values.size();
    }
  }

  /**
   * FWD: a struct or union declared, not defined.
   *
   * @param name its name
   * @param union the kind flag: a union (else a struct)
   */
  record Fwd(String name, boolean union) implements BtfType {
    /**
     * Checked.
     *
     * @param name its name
     * @param union whether a union
     */
    public Fwd {
      Objects.requireNonNull(name, "name");
    }

    @Override
    public BtfKind kind() {
      return BtfKind.FWD;
    }

    @Override
    public boolean kindFlag() {
      return union;
    }
  }

  /**
   * TYPEDEF.
   *
   * @param name its name
   * @param type the id it names
   */
  record Typedef(String name, int type) implements BtfType {
    /**
     * Checked.
     *
     * @param name its name
     * @param type the id it names
     */
    public Typedef {
      Objects.requireNonNull(name, "name");
    }

    @Override
    public BtfKind kind() {
      return BtfKind.TYPEDEF;
    }
  }

  /**
   * VOLATILE.
   *
   * @param type the qualified type's id
   */
  record Volatile(int type) implements BtfType {
    @Override
    public BtfKind kind() {
      return BtfKind.VOLATILE;
    }
  }

  /**
   * CONST.
   *
   * @param type the qualified type's id
   */
  record Const(int type) implements BtfType {
    @Override
    public BtfKind kind() {
      return BtfKind.CONST;
    }
  }

  /**
   * RESTRICT.
   *
   * @param type the qualified type's id
   */
  record Restrict(int type) implements BtfType {
    @Override
    public BtfKind kind() {
      return BtfKind.RESTRICT;
    }
  }

  /**
   * FUNC: a subprogram of a prototype.
   *
   * @param name its name
   * @param type the FUNC_PROTO's id
   * @param linkage the vlen: {@code BTF_FUNC_STATIC} 0, global 1, extern 2
   */
  record Func(String name, int type, int linkage) implements BtfType {
    /**
     * Checked.
     *
     * @param name its name
     * @param type the prototype
     * @param linkage the linkage
     */
    public Func {
      Objects.requireNonNull(name, "name");
    }

    @Override
    public BtfKind kind() {
      return BtfKind.FUNC;
    }

    @Override
    public int vlen() {
      return linkage;
    }
  }

  /**
   * FUNC_PROTO.
   *
   * @param returnType the return type's id, 0 for void
   * @param params the parameters
   */
  record FuncProto(int returnType, List<Param> params) implements BtfType {
    /**
     * The parameters copied.
     *
     * @param returnType the return type
     * @param params the parameters
     */
    public FuncProto {
      params = List.copyOf(params);
    }

    @Override
    public BtfKind kind() {
      return BtfKind.FUNC_PROTO;
    }

    @Override
    public int type() {
      return returnType;
    }

    @Override
    public int vlen() {
      return params.size();
    }
  }

  /**
   * VAR.
   *
   * @param name its name
   * @param type its type's id
   * @param linkage {@code BTF_VAR_STATIC} 0, allocated 1, extern 2 (the u32 as read)
   */
  record Var(String name, int type, int linkage) implements BtfType {
    /**
     * Checked.
     *
     * @param name its name
     * @param type its type
     * @param linkage the linkage
     */
    public Var {
      Objects.requireNonNull(name, "name");
    }

    @Override
    public BtfKind kind() {
      return BtfKind.VAR;
    }
  }

  /**
   * DATASEC.
   *
   * @param name the section's name
   * @param size bytes
   * @param vars its variables
   */
  record Datasec(String name, long size, List<SecInfo> vars) implements BtfType {
    /**
     * Checked; the variables copied.
     *
     * @param name its name
     * @param size bytes
     * @param vars its variables
     */
    public Datasec {
      Objects.requireNonNull(name, "name");
      vars = List.copyOf(vars);
    }

    @Override
    public BtfKind kind() {
      return BtfKind.DATASEC;
    }

    @Override
    public int vlen() {
      return vars.size();
    }
  }

  /**
   * FLOAT.
   *
   * @param name its C name
   * @param size bytes
   */
  record Float(String name, long size) implements BtfType {
    /**
     * Checked.
     *
     * @param name its name
     * @param size bytes
     */
    public Float {
      Objects.requireNonNull(name, "name");
    }

    @Override
    public BtfKind kind() {
      return BtfKind.FLOAT;
    }
  }

  /**
   * DECL_TAG.
   *
   * @param name the tag's text
   * @param type the id of the tagged struct, union, variable, function or typedef
   * @param componentIdx -1 for the type itself, else the member or parameter index
   * @param attribute the kind flag: the tag is an attribute
   */
  record DeclTag(String name, int type, int componentIdx, boolean attribute)
      implements BtfType {
    /**
     * Checked.
     *
     * @param name the text
     * @param type the tagged type
     * @param componentIdx the component
     * @param attribute the kind flag
     */
    public DeclTag {
      Objects.requireNonNull(name, "name");
    }

    @Override
    public BtfKind kind() {
      return BtfKind.DECL_TAG;
    }

    @Override
    public boolean kindFlag() {
      return attribute;
    }
  }

  /**
   * TYPE_TAG: a qualifier with a text.
   *
   * @param name the tag's text
   * @param type the tagged type's id
   * @param attribute the kind flag: the tag is an attribute
   */
  record TypeTag(String name, int type, boolean attribute) implements BtfType {
    /**
     * Checked.
     *
     * @param name the text
     * @param type the tagged type
     * @param attribute the kind flag
     */
    public TypeTag {
      Objects.requireNonNull(name, "name");
    }

    @Override
    public BtfKind kind() {
      return BtfKind.TYPE_TAG;
    }

    @Override
    public boolean kindFlag() {
      return attribute;
    }
  }

  /**
   * ENUM64: values of up to 64 bits.
   *
   * @param name its name, empty when anonymous
   * @param size bytes
   * @param signed the kind flag: the values are signed
   * @param values the enumerators
   */
  record Enum64(String name, long size, boolean signed, List<Enumerator> values)
      implements BtfType {
    /**
     * Checked; the values copied.
     *
     * @param name its name
     * @param size bytes
     * @param signed signedness
     * @param values the enumerators
     */
    public Enum64 {
      Objects.requireNonNull(name, "name");
      values = List.copyOf(values);
    }

    @Override
    public BtfKind kind() {
      return BtfKind.ENUM64;
    }

    @Override
    public boolean kindFlag() {
      return signed;
    }

    @Override
    public int vlen() {
      return values.size();
    }
  }

  /**
   * An INT of whole bytes: {@code bits} is {@code 8 * size}, at bit offset 0.
   *
   * @param name its C name, such as {@code "unsigned int"}
   * @param size bytes
   * @param encoding 0, {@link #INT_SIGNED}, {@link #INT_CHAR} or {@link #INT_BOOL}
   * @return the record
   */
  static Int integer(String name, int size, int encoding) {
    return new Int(name, size, encoding, 0, 8 * size);
  }

  /**
   * An INT.
   *
   * @param name its C name
   * @param size bytes
   * @param encoding the encoding bits
   * @param bitOffset {@code BTF_INT_OFFSET}, 0 to 255
   * @param bits {@code BTF_INT_BITS}, 0 to 255
   * @return the record
   */
  static Int integer(String name, int size, int encoding, int bitOffset, int bits) {
    return new Int(name, size & 0xffffffffL, encoding & 0xf, bitOffset & 0xff, bits & 0xff);
  }

  /**
   * A pointer.
   *
   * @param type the id of the type pointed to, 0 for {@code void}
   * @return the record
   */
  static Ptr pointer(int type) {
    return new Ptr(type);
  }

  /**
   * A typedef.
   *
   * @param name its name
   * @param type the id of the type it names
   * @return the record
   */
  static Typedef typedef(String name, int type) {
    return new Typedef(name, type);
  }

  /**
   * A record whose third word is a type id and that has no data: PTR, TYPEDEF, the
   * qualifiers, FUNC (static), TYPE_TAG; and FWD (a struct; its third word is 0).
   *
   * @param kind the kind
   * @param name its name (ignored for the kinds that have none)
   * @param type the id of the type it refers to
   * @return the record
   * @throws IllegalArgumentException for a kind of another shape
   */
  static BtfType refer(BtfKind kind, String name, int type) {
    return switch (kind) {
      case PTR -> new Ptr(type);
      case TYPEDEF -> new Typedef(name, type);
      case VOLATILE -> new Volatile(type);
      case CONST -> new Const(type);
      case RESTRICT -> new Restrict(type);
      case FUNC -> new Func(name, type, 0);
      case TYPE_TAG -> new TypeTag(name, type, false);
      case FWD -> new Fwd(name, false);
      default -> throw new IllegalArgumentException(kind + " does not refer to one type");
    };
  }

  /**
   * An ARRAY.
   *
   * @param elementType the id of the element type
   * @param indexType the id of the index type (an INT)
   * @param count the number of elements
   * @return the record
   */
  static Array array(int elementType, int indexType, long count) {
    return new Array(elementType, indexType, count);
  }

  /**
   * A STRUCT whose members are whole bytes (kind flag 0).
   *
   * @param name its name, empty for an anonymous struct
   * @param size bytes
   * @param members the members, in offset order
   * @return the record
   */
  static Struct struct(String name, long size, List<Member> members) {
    return new Struct(name, size, false, members);
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
   * @throws IllegalArgumentException for another kind
   */
  static BtfType aggregate(BtfKind kind, String name, boolean kindFlag, long size,
      List<Member> members) {
    return switch (kind) {
      case STRUCT -> new Struct(name, size, kindFlag, members);
      case UNION -> new Union(name, size, kindFlag, members);
      default -> throw new IllegalArgumentException(kind + " has no members");
    };
  }
}
