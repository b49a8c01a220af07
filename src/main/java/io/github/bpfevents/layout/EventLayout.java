package io.github.bpfevents.layout;

import io.github.bpfevents.BpfEventsException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A laid-out event: its name, its fields in declaration order with their offsets, and its
 * size. Immutable; made by {@link LayoutEngine}.
 *
 * <pre>{@code
 * EventLayout conn = LayoutEngine.layout("ConnectionEvent", specs);
 * conn.size();                    // 44
 * conn.field("pid").offset();     // 8
 * }</pre>
 */
public final class EventLayout {
  private final String name;
  private final List<Field> fields;
  private final Map<String, Field> byName;
  private final int size;

  EventLayout(String name, List<Field> fields, int size) {
    this.name = name;
    this.fields = Collections.unmodifiableList(new ArrayList<>(fields));
    Map<String, Field> m = new HashMap<>();
    for (Field f : fields) {
      m.put(f.name(), f);
    }
    this.byName = Collections.unmodifiableMap(m);
    this.size = size;
  }

  /** @return the event's name */
  public String name() {
    return name;
  }

  /** @return the fields, in declaration order (which is also layout order) */
  public List<Field> fields() {
    return fields;
  }

  /** @return the record's size in bytes */
  public int size() {
    return size;
  }

  /**
   * Whether the event has a field of that name.
   *
   * @param fieldName a name
   * @return true if {@link #field} finds it
   */
  public boolean hasField(String fieldName) {
    return byName.containsKey(fieldName);
  }

  /**
   * The field of that name.
   *
   * @param fieldName the field's name
   * @return the field
   * @throws BpfEventsException if the event has no such field; the data lists the fields
   */
  public Field field(String fieldName) {
    Field f = byName.get(fieldName);
    if (f == null) {
      List<String> names = fieldNames();
      throw BpfEventsException.of("unknown-field")
          .with("field", fieldName)
          .with("event", name)
          .with("expected", "one of " + names)
          .with("accepted", names)
          .message("event " + name + " has no field " + fieldName + "; expected one of " + names);
    }
    return f;
  }

  /** @return the field names, in declaration order */
  public List<String> fieldNames() {
    List<String> names = new ArrayList<>(fields.size());
    for (Field f : fields) {
      names.add(f.name());
    }
    return Collections.unmodifiableList(names);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof EventLayout)) {
      return false;
    }
    EventLayout e = (EventLayout) o;
    return name.equals(e.name) && fields.equals(e.fields) && size == e.size;
  }

  @Override
  public int hashCode() {
    return (name.hashCode() * 31 + fields.hashCode()) * 31 + size;
  }

  @Override
  public String toString() {
    return "EventLayout{" + name + ", " + size + " bytes, " + fields + "}";
  }
}
