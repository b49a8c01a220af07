package io.github.bpfevents.layout;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.asm.Size;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The scalar types a field may have. Each has a size in bytes (which is also its natural
 * alignment), the store width that writes one element of it, and its C type; {@code char}
 * is one byte, {@code ptr} a 64-bit value, {@code be16/be32/be64} are unsigned integers in
 * network byte order (big-endian), as the kernel's {@code __be16}.
 *
 * <pre>
 *   u8 i8 char : 1    u16 i16 be16 : 2    u32 i32 be32 : 4    u64 i64 ptr be64 : 8
 * </pre>
 */
public enum FieldType {
  /** Unsigned 8-bit. */
  U8("u8", Size.B, false, false, "__u8"),
  /** Signed 8-bit. */
  I8("i8", Size.B, true, false, "__s8"),
  /** Unsigned 16-bit. */
  U16("u16", Size.H, false, false, "__u16"),
  /** Signed 16-bit. */
  I16("i16", Size.H, true, false, "__s16"),
  /** Unsigned 32-bit. */
  U32("u32", Size.W, false, false, "__u32"),
  /** Signed 32-bit. */
  I32("i32", Size.W, true, false, "__s32"),
  /** Unsigned 64-bit. */
  U64("u64", Size.DW, false, false, "__u64"),
  /** Signed 64-bit. */
  I64("i64", Size.DW, true, false, "__s64"),
  /** A byte of text; arrays of it are C strings. */
  CHAR("char", Size.B, false, false, "char"),
  /** A 64-bit pointer value. */
  PTR("ptr", Size.DW, false, false, "__u64"),
  /** Unsigned 16-bit in network byte order. */
  BE16("be16", Size.H, false, true, "__be16"),
  /** Unsigned 32-bit in network byte order. */
  BE32("be32", Size.W, false, true, "__be32"),
  /** Unsigned 64-bit in network byte order. */
  BE64("be64", Size.DW, false, true, "__be64");

  private static final List<String> NAMES;

  static {
    List<String> names = new ArrayList<>();
    for (FieldType t : values()) {
      names.add(t.typeName);
    }
    NAMES = Collections.unmodifiableList(names);
  }

  private final String typeName;
  private final Size storeSize;
  private final boolean signed;
  private final boolean bigEndian;
  private final String cType;

  FieldType(String typeName, Size storeSize, boolean signed, boolean bigEndian, String cType) {
    this.typeName = typeName;
    this.storeSize = storeSize;
    this.signed = signed;
    this.bigEndian = bigEndian;
    this.cType = cType;
  }

  /**
   * Whether values are stored in network byte order (big-endian).
   *
   * @return true for be16, be32 and be64
   */
  public boolean bigEndian() {
    return bigEndian;
  }

  /**
   * The type in C, with the kernel's {@code <linux/types.h>} names.
   *
   * @return for example {@code "__u32"}, {@code "__be16"}, {@code "char"}
   */
  public String cType() {
    return cType;
  }

  /**
   * The natural alignment: the type's size.
   *
   * @return 1, 2, 4 or 8
   */
  public int alignment() {
    return storeSize.bytes();
  }

  /**
   * The type's name, as in the Clojure keyword: {@code "u32"}, {@code "char"}.
   *
   * @return the name
   */
  public String typeName() {
    return typeName;
  }

  /**
   * Bytes in one element.
   *
   * @return 1, 2, 4 or 8
   */
  public int size() {
    return storeSize.bytes();
  }

  /**
   * The width of the store that writes one element.
   *
   * @return the size
   */
  public Size storeSize() {
    return storeSize;
  }

  /**
   * Whether values of the type are signed.
   *
   * @return true for i8, i16, i32 and i64
   */
  public boolean signed() {
    return signed;
  }

  /**
   * Every type name, in the order of this enum.
   *
   * @return {@code [u8, i8, u16, i16, u32, i32, u64, i64, char, ptr, be16, be32, be64]}
   */
  public static List<String> names() {
    return NAMES;
  }

  /**
   * The type of the given name.
   *
   * @param name for example {@code "u32"}
   * @return the type
   * @throws BpfEventsException for an unknown name, null included
   */
  public static FieldType named(String name) {
    for (FieldType t : values()) {
      if (t.typeName.equals(name)) {
        return t;
      }
    }
    throw BpfEventsException.of("unknown-type")
        .with("type", name)
        .with("expected", "one of " + NAMES)
        .with("accepted", NAMES)
        .message("unknown field type " + name + "; expected one of " + NAMES);
  }
}
