package io.github.bpfevents.layout;

import io.github.bpfevents.BpfEventsException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A laid-out event: its name, how it was laid out, its fields in declaration order with
 * their offsets, its size and alignment. Immutable; made by {@link LayoutEngine}.
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
  private final Alignment alignment;
  private final int align;

  EventLayout(String name, Alignment alignment, List<Field> fields, int size, int align) {
    this.name = name;
    this.alignment = alignment;
    this.align = align;
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

  /** @return how the fields were placed: packed or natural */
  public Alignment alignment() {
    return alignment;
  }

  /**
   * The record's own alignment, as a C compiler sees the struct: 1 for packed, the largest
   * element alignment for natural.
   *
   * @return 1, 2, 4 or 8
   */
  public int align() {
    return align;
  }

  /**
   * What a path names: field names (Strings) and, after an array field, an index
   * (an Integer or Long). {@code ["pid"]}, {@code ["src", "port"]},
   * {@code ["hops", 2, "ttl"]}, {@code ["comm", 3]}.
   *
   * @param path the steps, at least one
   * @return the field, element or nested field, with its absolute offset
   * @throws BpfEventsException naming the path and what exists where it went wrong
   */
  public FieldRef resolve(List<?> path) {
    if (path == null || path.isEmpty()) {
      throw BpfEventsException.of("unknown-field")
          .with("path", path)
          .with("event", name)
          .with("expected", "a path of at least one field name")
          .with("accepted", fieldNames())
          .message("path " + path + " names no field of " + name
              + "; expected a path of at least one field name");
    }
    List<Object> done = new ArrayList<>();
    EventLayout in = this;
    FieldType type = null;
    EventLayout nested = null;
    int count = 0;
    int offset = 0;
    for (int i = 0; i < path.size(); i++) {
      Object step = path.get(i);
      if (step instanceof String) {
        if (i > 0 && (nested == null || count != 1)) {
          throw badStep(path, done, step, count > 1
              ? "an index 0 to " + (count - 1) + " (" + FieldRef.pathText(done)
                  + " is an array of " + count + ")"
              : "the end of the path (" + FieldRef.pathText(done) + " is a scalar)");
        }
        if (i > 0) {
          in = nested;
        }
        Field f = in.byName.get(step);
        if (f == null) {
          throw BpfEventsException.of("unknown-field")
              .with("field", step)
              .with("path", new ArrayList<>(path))
              .with("event", in.name)
              .with("expected", "one of " + in.fieldNames())
              .with("accepted", in.fieldNames())
              .message((i == 0 ? "event " : "path " + FieldRef.pathText(done) + " (event ")
                  + in.name + (i == 0 ? "" : ")") + " has no field " + step
                  + "; expected one of " + in.fieldNames());
        }
        done.add(step);
        type = f.type();
        nested = f.nested();
        count = f.count();
        offset += f.offset();
      } else if (i > 0 && (step instanceof Integer || step instanceof Long)) {
        long index = ((Number) step).longValue();
        if (count == 1) {
          throw badStep(path, done, step, "a field name or the end of the path ("
              + FieldRef.pathText(done) + " is not an array)");
        }
        if (index < 0 || index >= count) {
          throw BpfEventsException.of("index-out-of-range")
              .with("path", new ArrayList<>(path))
              .with("value", step)
              .with("expected", "an index 0 to " + (count - 1))
              .message("index " + index + " is outside " + FieldRef.pathText(done)
                  + ", an array of " + count + "; expected an index 0 to " + (count - 1));
        }
        done.add((int) index);
        offset += (int) index * (nested != null ? nested.size() : type.size());
        count = 1;
      } else {
        throw badStep(path, done, step,
            i == 0 ? "a field name" : "a field name or an array index");
      }
    }
    return new FieldRef(done, type, nested, count, offset);
  }

  private BpfEventsException badStep(List<?> path, List<Object> done, Object step,
      String expected) {
    return BpfEventsException.of("bad-path")
        .with("path", new ArrayList<>(path))
        .with("value", step)
        .with("expected", expected)
        .message("path " + path + " of " + name + ": step " + step + " after "
            + (done.isEmpty() ? "the start" : FieldRef.pathText(done)) + " does not fit; expected "
            + expected);
  }

  /**
   * The scalar fields whose absolute offset is not a multiple of their natural alignment
   * (possible in packed layouts, and in natural ones that nest a packed event). These are
   * the stores that the kernel's verifier rejects under {@code BPF_F_STRICT_ALIGNMENT}.
   * Nested events are walked down to their scalars, every element of an array of events
   * separately ({@code hops[1].ttl}); a scalar array is one entry (its elements share
   * their first element's misalignment).
   *
   * @return the misaligned scalars, in layout order, each with its absolute offset
   */
  public List<FieldRef> misalignedFields() {
    List<FieldRef> out = new ArrayList<>();
    collectMisaligned(this, 0, new ArrayList<>(), out);
    return Collections.unmodifiableList(out);
  }

  private static void collectMisaligned(EventLayout ev, int base, List<Object> prefix,
      List<FieldRef> out) {
    for (Field f : ev.fields) {
      List<Object> path = new ArrayList<>(prefix);
      path.add(f.name());
      int at = base + f.offset();
      if (!f.isNested()) {
        if (at % f.type().alignment() != 0) {
          out.add(new FieldRef(path, f.type(), null, f.count(), at));
        }
      } else if (f.count() == 1) {
        collectMisaligned(f.nested(), at, path, out);
      } else {
        for (int k = 0; k < f.count(); k++) {
          List<Object> element = new ArrayList<>(path);
          element.add(k);
          collectMisaligned(f.nested(), at + k * f.elementSize(), element, out);
        }
      }
    }
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
    return name.equals(e.name) && alignment == e.alignment && fields.equals(e.fields)
        && size == e.size;
  }

  @Override
  public int hashCode() {
    return ((name.hashCode() * 31 + alignment.hashCode()) * 31 + fields.hashCode()) * 31 + size;
  }

  @Override
  public String toString() {
    return "EventLayout{" + name + ", " + alignment.optionName() + ", " + size + " bytes, "
        + fields + "}";
  }
}
