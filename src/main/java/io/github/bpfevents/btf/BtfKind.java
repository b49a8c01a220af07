package io.github.bpfevents.btf;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Problem;

/**
 * The kinds of BTF type record, as the kernel's {@code linux/btf.h} numbers them, with the
 * shape of each record: whether its third word is a size or a type id, and how many bytes
 * of kind-specific data follow it.
 *
 * <pre>
 *   kind        code  third word  followed by
 *   INT          1    size        one u32: encoding, bit offset, bits
 *   PTR          2    type        -
 *   ARRAY        3    -           struct btf_array: type, index_type, nelems
 *   STRUCT       4    size        vlen x struct btf_member: name_off, type, offset
 *   UNION        5    size        vlen x struct btf_member
 *   ENUM         6    size        vlen x struct btf_enum: name_off, val
 *   FWD          7    -           -
 *   TYPEDEF      8    type        -
 *   VOLATILE     9    type        -
 *   CONST       10    type        -
 *   RESTRICT    11    type        -
 *   FUNC        12    type        -
 *   FUNC_PROTO  13    type        vlen x struct btf_param: name_off, type
 *   VAR         14    type        one u32: linkage
 *   DATASEC     15    size        vlen x struct btf_var_secinfo: type, offset, size
 *   FLOAT       16    size        -
 *   DECL_TAG    17    type        one s32: component_idx
 *   TYPE_TAG    18    type        -
 *   ENUM64      19    size        vlen x struct btf_enum64: name_off, val_lo32, val_hi32
 * </pre>
 */
public enum BtfKind {
  /** An integer: {@code int}, {@code unsigned char}, {@code _Bool}. */
  INT(1, true, 4, 0),
  /** A pointer. */
  PTR(2, false, 0, 0),
  /** An array: element type, index type, element count. */
  ARRAY(3, false, 12, 0),
  /** A struct and its members. */
  STRUCT(4, true, 0, 12),
  /** A union and its members. */
  UNION(5, true, 0, 12),
  /** An enumeration of values up to 32 bits. */
  ENUM(6, true, 0, 8),
  /** A forward declaration of a struct or union. */
  FWD(7, false, 0, 0),
  /** A typedef: a name for another type. */
  TYPEDEF(8, false, 0, 0),
  /** The {@code volatile} qualifier. */
  VOLATILE(9, false, 0, 0),
  /** The {@code const} qualifier. */
  CONST(10, false, 0, 0),
  /** The {@code restrict} qualifier. */
  RESTRICT(11, false, 0, 0),
  /** A function (not a type: a subprogram of a prototype). */
  FUNC(12, false, 0, 0),
  /** A function prototype and its parameters. */
  FUNC_PROTO(13, false, 0, 8),
  /** A variable. */
  VAR(14, false, 4, 0),
  /** A data section and its variables. */
  DATASEC(15, true, 0, 12),
  /** A floating-point type. */
  FLOAT(16, true, 0, 0),
  /** A declaration tag. */
  DECL_TAG(17, false, 4, 0),
  /** A type tag (a qualifier). */
  TYPE_TAG(18, false, 0, 0),
  /** An enumeration of values up to 64 bits. */
  ENUM64(19, true, 0, 12);

  private static final BtfKind[] BY_CODE = new BtfKind[20];

  static {
    for (BtfKind k : values()) {
      BY_CODE[k.code] = k;
    }
  }

  private final int code;
  private final boolean sized;
  private final int fixedBytes;
  private final int bytesPerItem;

  BtfKind(int code, boolean sized, int fixedBytes, int bytesPerItem) {
    this.code = code;
    this.sized = sized;
    this.fixedBytes = fixedBytes;
    this.bytesPerItem = bytesPerItem;
  }

  /**
   * The kind's number in a record's info word (bits 24 to 28).
   *
   * @return 1 to 19
   */
  public int code() {
    return code;
  }

  /**
   * Whether the record's third word is the type's size in bytes (else it is a type id, or
   * unused).
   *
   * @return true for INT, STRUCT, UNION, ENUM, DATASEC, FLOAT and ENUM64
   */
  public boolean sized() {
    return sized;
  }

  /**
   * Whether the kind only qualifies another type, leaving its layout as it is.
   *
   * @return true for VOLATILE, CONST, RESTRICT and TYPE_TAG
   */
  public boolean qualifier() {
    return this == VOLATILE || this == CONST || this == RESTRICT || this == TYPE_TAG;
  }

  /**
   * The bytes of kind-specific data after the 12-byte record.
   *
   * @param vlen the record's vlen (members, values, parameters)
   * @return the byte count
   */
  public long trailingBytes(int vlen) {
    return fixedBytes + (long) bytesPerItem * vlen;
  }

  /**
   * The kind of a code.
   *
   * @param code the number from a record's info word
   * @return the kind
   * @throws BpfEventsException for a code that {@code linux/btf.h} does not define
   */
  public static BtfKind of(int code) {
    if (code > 0 && code < BY_CODE.length && BY_CODE[code] != null) {
      return BY_CODE[code];
    }
    throw Problem.BAD_BTF_KIND_UNKNOWN
        .with("value", code)
        .with("expected", "a kind from 1 (INT) to 19 (ENUM64)")
        .build();
  }
}
