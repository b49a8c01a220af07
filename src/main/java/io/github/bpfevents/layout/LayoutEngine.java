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
 *   <li>{@link Alignment#PACKED}, the default: back to back, no padding, so a field's offset
 *       is the sum of the sizes before it and the record's size is the sum of all.
 *   <li>{@link Alignment#NATURAL}: as a C compiler for BPF or x86-64 does: each field at the
 *       next multiple of its element's alignment (a scalar's size; a nested event's own
 *       alignment, 1 if it is packed), the size rounded up to the largest alignment.
 * </ul>
 *
 * <p>A nested event keeps its own layout wherever it is placed.
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
  private LayoutEngine() {}

  /**
   * Lays out a packed event.
   *
   * @param name the event's name, not empty
   * @param specs the fields in declaration order, at least one, names unique
   * @return the layout
   * @throws BpfEventsException as {@link #layout(String, List, Alignment)}
   */
  public static EventLayout layout(String name, List<FieldSpec> specs) {
    return layout(name, specs, Alignment.PACKED);
  }

  /**
   * Lays out an event.
   *
   * @param name the event's name, not empty
   * @param specs the fields in declaration order, at least one, names unique
   * @param alignment how to place them
   * @return the layout
   * @throws BpfEventsException if the name is missing, there are no fields, a spec is
   *     null, two fields share a name, the alignment is null, or the record would exceed
   *     2^31-1 bytes
   */
  public static EventLayout layout(String name, List<FieldSpec> specs, Alignment alignment) {
    if (alignment == null) {
      throw BpfEventsException.of("bad-option")
          .with("key", "align")
          .with("value", null)
          .with("expected", "packed or natural")
          .message("alignment is null; expected packed or natural");
    }
    if (name == null || name.isEmpty()) {
      throw BpfEventsException.of("bad-event-name")
          .with("value", name)
          .with("expected", "a non-empty name")
          .message("event name " + (name == null ? "null" : "\"\"")
              + " is not a name; expected a non-empty name");
    }
    if (specs == null || specs.isEmpty()) {
      throw BpfEventsException.of("no-fields")
          .with("event", name)
          .with("value", specs)
          .with("expected", "at least one field")
          .message("event " + name + " declares no fields; expected at least one field");
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
            .message("event " + name + ": field spec " + i + " is null; expected a field spec");
      }
      if (!seen.add(spec.name())) {
        throw BpfEventsException.of("duplicate-field")
            .with("event", name)
            .with("field", spec.name())
            .with("index", i)
            .with("expected", "unique field names")
            .message("event " + name + " declares field " + spec.name()
                + " twice; expected unique field names");
      }
      if (alignment == Alignment.NATURAL) {
        int a = spec.elementAlignment();
        offset = roundUp(offset, a);
        align = Math.max(align, a);
      }
      long end = offset + (long) spec.elementSize() * spec.count();
      if (end > Integer.MAX_VALUE) {
        throw BpfEventsException.of("event-too-large")
            .with("event", name)
            .with("field", spec.name())
            .with("value", end)
            .with("expected", "at most " + Integer.MAX_VALUE + " bytes")
            .message("event " + name + " reaches " + end + " bytes at field " + spec.name()
                + "; expected at most " + Integer.MAX_VALUE + " bytes");
      }
      fields.add(new Field(spec, (int) offset));
      offset = end;
    }
    long size = roundUp(offset, align);
    if (size > Integer.MAX_VALUE) {
      throw BpfEventsException.of("event-too-large")
          .with("event", name)
          .with("value", size)
          .with("expected", "at most " + Integer.MAX_VALUE + " bytes")
          .message("event " + name + " reaches " + size + " bytes; expected at most "
              + Integer.MAX_VALUE + " bytes");
    }
    return new EventLayout(name, alignment, fields, (int) size, align);
  }

  private static long roundUp(long n, int align) {
    return (n + align - 1) / align * align;
  }
}
