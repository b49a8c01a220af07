package io.github.bpfevents.layout;

import io.github.bpfevents.BpfEventsException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Places declared fields in a record.
 *
 * <p>The layout is packed: fields back to back in declaration order, no padding, so a
 * field's offset is the sum of the sizes before it and the record's size is the sum of all.
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
   * Lays out an event.
   *
   * @param name the event's name, not empty
   * @param specs the fields in declaration order, at least one, names unique
   * @return the layout
   * @throws BpfEventsException if the name is missing, there are no fields, a spec is
   *     null, two fields share a name, or the record would exceed 2^31-1 bytes
   */
  public static EventLayout layout(String name, List<FieldSpec> specs) {
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
      long end = offset + (long) spec.type().size() * spec.count();
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
    return new EventLayout(name, fields, (int) offset);
  }
}
