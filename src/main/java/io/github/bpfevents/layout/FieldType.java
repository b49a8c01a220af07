package io.github.bpfevents.layout;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.asm.Size;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The scalar types a field may have. Each has a size in bytes and the store width that
 * writes one element of it; {@code char} is one byte, {@code ptr} a 64-bit value.
 *
 * <pre>
 *   u8 i8 char : 1    u16 i16 : 2    u32 i32 : 4    u64 i64 ptr : 8
 * </pre>
 */
public enum FieldType {
  U8("u8", Size.B, false),
  I8("i8", Size.B, true),
  U16("u16", Size.H, false),
  I16("i16", Size.H, true),
  U32("u32", Size.W, false),
  I32("i32", Size.W, true),
  U64("u64", Size.DW, false),
  I64("i64", Size.DW, true),
  CHAR("char", Size.B, false),
  PTR("ptr", Size.DW, false);

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

  FieldType(String typeName, Size storeSize, boolean signed) {
    this.typeName = typeName;
    this.storeSize = storeSize;
    this.signed = signed;
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
   * @return {@code [u8, i8, u16, i16, u32, i32, u64, i64, char, ptr]}
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
