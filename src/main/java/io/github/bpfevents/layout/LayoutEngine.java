package io.github.bpfevents.layout;

import io.github.bpfevents.BpfEventsException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Places declared fields in a record, in declaration order.
 *
 * <ul>
 *   <li>{@link Packing#PACKED}, the default: back to back, no padding, so a field's offset
 *       is the sum of the sizes before it and the record's size is the sum of all.
 *   <li>{@link Packing#NATURAL}: as a C compiler for BPF or x86-64 does: each field at the
 *       next multiple of its element's alignment (a scalar's size; a nested event's own
 *       alignment, 1 if it is packed), the size rounded up to the largest alignment.
 * </ul>
 *
 * <p>A nested event keeps its own layout wherever it is placed. Limits, each far beyond
 * any real record and each an error when passed: a record of at most 2^31-1 bytes, at most
 * {@link #MAX_FIELDS} fields (what BTF can describe), events nested at most
 * {@link #MAX_DEPTH} deep.
 *
 * <pre>{@code
 * EventLayout conn = LayoutEngine.layout("ConnectionEvent", List.of(
 *     FieldSpec.of("timestamp", FieldType.U64),
 *     FieldSpec.of("pid", FieldType.U32),
 *     ...
 *     FieldSpec.of("comm", FieldType.CHAR, 16)));
 * conn.size();   // 44
 * }</pre>
 */
public final class LayoutEngine {
  /** The most fields an event may declare: BTF counts a struct's members in 16 bits. */
  public static final int MAX_FIELDS = 0xffff;
  /** The deepest events may nest: an event of scalars is 1 deep, one that holds it 2. */
  public static final int MAX_DEPTH = 32;

  private LayoutEngine() {}

  /**
   * Lays out a packed event.
   *
   * @param name the event's name, not empty
   * @param specs the fields in declaration order, at least one, names unique
   * @return the layout
   * @throws BpfEventsException as {@link #layout(String, List, Packing)}
   */
  public static EventLayout layout(String name, List<FieldSpec> specs) {
    return layout(name, specs, Packing.PACKED);
  }

  /**
   * Lays out an event.
   *
   * @param name the event's name, not empty
   * @param specs the fields in declaration order, at least one, names unique
   * @param packing how to place them
   * @return the layout
   * @throws BpfEventsException if the name is missing, there are no fields or more than
   *     {@link #MAX_FIELDS}, a spec is null, two fields share a name, the packing is null,
   *     events nest deeper than {@link #MAX_DEPTH}, or the record would exceed 2^31-1 bytes
   */
  public static EventLayout layout(String name, List<FieldSpec> specs, Packing packing) {
    checkEventName(name);
    if (packing == null) {
      throw BpfEventsException.of("bad-option")
          .with("event", name)
          .with("key", "align")
          .with("value", null)
          .with("expected", "one of {accepted}")
          .with("accepted", Packing.names())
          .message("event {event}: option {key} is null; expected {expected}");
    }
    if (specs == null || specs.isEmpty()) {
      throw BpfEventsException.of("no-fields")
          .with("event", name)
          .with("value", specs)
          .with("expected", "at least one field")
          .message("event {event} declares no fields; expected {expected}");
    }
    if (specs.size() > MAX_FIELDS) {
      throw BpfEventsException.of("too-many-fields")
          .with("event", name)
          .with("value", specs.size())
          .with("expected", "at most " + MAX_FIELDS + " fields")
          .message("event {event} declares {value} fields; expected {expected}");
    }
    List<Field> fields = new ArrayList<>(specs.size());
    Set<String> seen = new HashSet<>();
    long offset = 0;
    int align = 1;
    for (int i = 0; i < specs.size(); i++) {
      FieldSpec spec = specs.get(i);
      if (spec == null) {
        throw BpfEventsException.of("bad-field-spec")
            .with("event", name)
            .with("index", i)
            .with("value", null)
            .with("expected", "a field spec")
            .message("event {event}: field spec {index} is null; expected {expected}");
      }
      if (!seen.add(spec.name())) {
        throw BpfEventsException.of("duplicate-field")
            .with("event", name)
            .with("field", spec.name())
            .with("index", i)
            .with("expected", "unique field names")
            .message("event {event}: duplicate field {field}; expected {expected}");
      }
      if (spec.isNested() && spec.nested().depth() >= MAX_DEPTH) {
        throw BpfEventsException.of("too-deep")
            .with("event", name)
            .with("field", spec.name())
            .with("value", spec.nested().depth() + 1)
            .with("expected", "events nested at most " + MAX_DEPTH + " deep")
            .message("event {event}: field {field} nests events {value} deep; expected"
                + " {expected}");
      }
      if (packing == Packing.NATURAL) {
        int a = spec.elementAlignment();
        offset = roundUp(offset, a);
        align = Math.max(align, a);
      }
      long end = offset + (long) spec.elementSize() * spec.count();
      if (end > Integer.MAX_VALUE) {
        throw tooLarge(name, spec.name(), end);
      }
      fields.add(new Field(spec, (int) offset));
      offset = end;
    }
    long size = roundUp(offset, align);
    if (size > Integer.MAX_VALUE) {
      throw tooLarge(name, null, size);
    }
    return new EventLayout(name, packing, fields, (int) size, align);
  }

  /**
   * Checks an event name: any non-empty text.
   *
   * @param name the name
   * @throws BpfEventsException if it is null or empty
   */
  static void checkEventName(String name) {
    if (name == null || name.isEmpty()) {
      throw BpfEventsException.of("bad-event-name")
          .with("value", name)
          .with("expected", "a non-empty name")
          .message("event name {value} is not a name; expected {expected}");
    }
  }

  private static BpfEventsException tooLarge(String name, String field, long bytes) {
    return BpfEventsException.of("event-too-large")
        .with("event", name)
        .with("field", field)
        .with("value", bytes)
        .with("expected", "at most " + Integer.MAX_VALUE + " bytes")
        .message("event {event} reaches {value} bytes"
            + (field == null ? "" : " at field {field}") + "; expected {expected}");
  }

  private static long roundUp(long n, int align) {
    return (n + align - 1) / align * align;
  }
}
