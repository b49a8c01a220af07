package io.github.bpfevents.btf;

import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.FieldType;
import java.util.List;

/**
 * One way a definition and a BTF struct disagree ({@link BtfChecker}): where (the field's
 * path in the definition), what ({@code aspect}), what the definition says and what the
 * BTF says.
 *
 * <pre>
 *   aspect       definition                      btf
 *   size         bytes (Long)                    bytes (Long)
 *   offset       bytes (Long)                    bytes (Long)
 *   count        elements (Long)                 elements (Long)
 *   signedness   "signed" or "unsigned"          "signed" or "unsigned"
 *   byte-order   "big-endian" or "little-endian" the same; big-endian when a __be16,
 *                                                __be32 or __be64 typedef says so
 *   bitfield     bits (Long)                     bits (Long)
 *   type         the FieldType or nested event   the member's type as C writes it
 *   missing      the FieldType or nested event   null: the struct has no such member
 *   extra        null: no such field             the member's type as C writes it
 * </pre>
 *
 * <p>{@code size} at the empty path is the record's total size; at a field's path, for a
 * scalar, the size of one element. A nested event's own mismatches have its field's path
 * as their prefix.
 *
 * @param path the field names from the outer event down (the member's C name for an extra
 *     member); empty for the record as a whole
 * @param struct the BTF struct that holds the member (for a nested event, the nested
 *     struct)
 * @param aspect one of the constants of this class
 * @param definition what the definition says
 * @param btf what the BTF says
 */
public record BtfMismatch(List<String> path, String struct, String aspect, Object definition,
    Object btf) {
  /** The size of the record, or of one element of a scalar field. */
  public static final String SIZE = "size";
  /** The byte offset of a field. */
  public static final String OFFSET = "offset";
  /** The element count of an array. */
  public static final String COUNT = "count";
  /** Signed or unsigned. */
  public static final String SIGNEDNESS = "signedness";
  /** Big-endian or little-endian. */
  public static final String BYTE_ORDER = "byte-order";
  /** A bitfield where the definition has whole bytes. */
  public static final String BITFIELD = "bitfield";
  /** A different kind of type: a scalar against a struct, a union, a float. */
  public static final String TYPE = "type";
  /**
   * An enum field's values: the first value one side names and the other does not, as
   * {@code NAME = value} (or null for the side without it).
   */
  public static final String ENUM = "enum";
  /** A field the struct has no member for. */
  public static final String MISSING = "missing";
  /** A member the definition has no field for. */
  public static final String EXTRA = "extra";

  /**
   * A mismatch, its path copied.
   *
   * @param path the field names
   * @param struct the BTF struct
   * @param aspect what disagrees
   * @param definition what the definition says
   * @param btf what the BTF says
   */
  public BtfMismatch {
    path = List.copyOf(path);
  }

  /**
   * The mismatch in one line: {@code src.port: offset 4 in the definition, 6 in BTF
   * (struct endpoint)}.
   *
   * @return the text
   */
  public String text() {
    String where = path.isEmpty() ? "(the record)" : String.join(".", path);
    return where + ": " + aspect + " " + show(definition, "no field") + " in the definition, "
        + show(btf, "no member") + " in BTF (struct " + struct + ")";
  }

  private static String show(Object v, String none) {
    if (v == null) {
      return none;
    }
    if (v instanceof FieldType t) {
      return t.typeName();
    }
    if (v instanceof EventLayout e) {
      return "event " + e.name();
    }
    return v.toString();
  }
}
