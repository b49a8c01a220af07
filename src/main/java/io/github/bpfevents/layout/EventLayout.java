package io.github.bpfevents.layout;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Notation;
import io.github.bpfevents.Shown;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A laid-out event: its name, its packing policy, its fields in declaration order with
 * their offsets, its size and alignment. Immutable; made by {@link LayoutEngine}.
 *
 * <pre>{@code
 * EventLayout conn = LayoutEngine.layout("ConnectionEvent", specs);
 * conn.size();                    // 44
 * conn.field("pid").offset();     // 8
 * }</pre>
 *
 * <p>Work derived from a layout (a decoder, a table of handles) is made once and kept
 * with it: {@link #memo}.
 */
public final class EventLayout implements Shown {
  private final String name;
  private final List<Field> fields;
  private final Map<String, Field> byName;
  private final List<String> fieldNames;
  private final int size;
  private final Packing packing;
  private final int alignment;
  private final int depth;
  private final int hash;
  /** Memoised derivations: alternating key, value; replaced whole, never mutated. */
  private volatile Object[] memo = new Object[0];

  EventLayout(String name, Packing packing, List<Field> fields, int size, int alignment) {
    this.name = name;
    this.packing = packing;
    this.alignment = alignment;
    this.fields = Collections.unmodifiableList(new ArrayList<>(fields));
    Map<String, Field> m = new HashMap<>();
    List<String> names = new ArrayList<>(fields.size());
    int d = 0;
    for (Field f : fields) {
      m.put(f.name(), f);
      names.add(f.name());
      if (f.isNested()) {
        d = Math.max(d, f.nested().depth());
      }
    }
    this.byName = Collections.unmodifiableMap(m);
    this.fieldNames = Collections.unmodifiableList(names);
    this.size = size;
    this.depth = d + 1;
    this.hash = ((name.hashCode() * 31 + packing.hashCode()) * 31 + this.fields.hashCode()) * 31
        + size;
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

  /** @return the packing policy the fields were placed by: packed or natural */
  public Packing packing() {
    return packing;
  }

  /**
   * The record's own alignment, as a C compiler sees the struct: 1 for packed, the largest
   * element alignment for natural.
   *
   * @return 1, 2, 4 or 8
   */
  public int alignment() {
    return alignment;
  }

  /**
   * How deep events nest in this one: 1 for an event of scalars only, one more than its
   * deepest nested event otherwise. At most {@link LayoutEngine#MAX_DEPTH}.
   *
   * @return the depth
   */
  public int depth() {
    return depth;
  }

  /**
   * A value derived from this layout, made on first request and kept: the same key gives
   * the same value for the layout's lifetime. Two threads racing on a first request may
   * both make it; one value is kept.
   *
   * @param <T> the value's type
   * @param key identifies what is derived (compared by identity)
   * @param make makes the value from this layout
   * @return the value
   */
  @SuppressWarnings("unchecked")
  public <T> T memo(Object key, Function<EventLayout, T> make) {
    Object[] m = memo;
    for (int i = 0; i < m.length; i += 2) {
      if (m[i] == key) {
        return (T) m[i + 1];
      }
    }
    T value = make.apply(this);
    synchronized (this) {
      Object[] now = memo;
      for (int i = 0; i < now.length; i += 2) {
        if (now[i] == key) {
          return (T) now[i + 1];
        }
      }
      Object[] more = new Object[now.length + 2];
      System.arraycopy(now, 0, more, 0, now.length);
      more[now.length] = key;
      more[now.length + 1] = value;
      memo = more;
    }
    return value;
  }

  /**
   * What a path names: field names (Strings) and, after an array field, an index
   * (an Integer, Long, Short, Byte or BigInteger; one outside the array, however large,
   * is out of range). {@code ["pid"]}, {@code ["src", "port"]},
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
          .with("accepted", fieldNames)
          .message("path {path} names no field of {event}; expected {expected}");
    }
    List<Object> done = new ArrayList<>();
    EventLayout in = this;
    FieldType type = null;
    EventLayout nested = null;
    int count = 0;
    int offset = 0;
    int i = 0;
    for (Object step : path) {
      if (step instanceof String) {
        if (i > 0 && (nested == null || count != 1)) {
          throw badStep(path, done, step, count > 1
              ? "an index 0 to " + (count - 1) + " ({at} is an array of " + count + ")"
              : "the end of the path ({at} is a scalar)");
        }
        if (i > 0) {
          in = nested;
        }
        Field f = in.byName.get(step);
        if (f == null) {
          throw BpfEventsException.of("unknown-field")
              .with("field", step)
              .with("path", new ArrayList<>(path))
              .with("at", new ArrayList<>(done))
              .with("event", in.name)
              .with("expected", "one of {accepted}")
              .with("accepted", in.fieldNames)
              .message(i == 0 ? "event {event} has no field {field}; expected {expected}"
                  : "path {at} (event {event}) has no field {field}; expected {expected}");
        }
        done.add(step);
        type = f.type();
        nested = f.nested();
        count = f.count();
        offset += f.offset();
      } else if (i > 0 && (step instanceof Integer || step instanceof Long
          || step instanceof Short || step instanceof Byte || step instanceof BigInteger)) {
        long index = step instanceof BigInteger big && big.bitLength() >= 64
            ? (big.signum() < 0 ? -1 : Long.MAX_VALUE)
            : ((Number) step).longValue();
        if (count == 1) {
          throw badStep(path, done, step, "a field name or the end of the path ({at} is"
              + " not an array)");
        }
        if (index < 0 || index >= count) {
          throw BpfEventsException.of("index-out-of-range")
              .with("path", new ArrayList<>(path))
              .with("at", new ArrayList<>(done))
              .with("value", step)
              .with("count", count)
              .with("expected", "an index 0 to " + (count - 1))
              .message("index {value} is outside {at}, an array of {count}; expected"
                  + " {expected}");
        }
        done.add((int) index);
        offset += (int) index * (nested != null ? nested.size() : type.size());
        count = 1;
      } else {
        throw badStep(path, done, step,
            i == 0 ? "a field name" : "a field name or an array index");
      }
      i++;
    }
    return new FieldRef(done, type, nested, count, offset);
  }

  private BpfEventsException badStep(List<?> path, List<Object> done, Object step,
      String expected) {
    return BpfEventsException.of("bad-path")
        .with("path", new ArrayList<>(path))
        .with("value", step)
        .with("step", step)
        .with("at", new ArrayList<>(done))
        .with("event", name)
        .with("expected", expected)
        .message("path {path} of {event}: step {step} after "
            + (done.isEmpty() ? "the start" : "{at}") + " does not fit; expected {expected}");
  }

  /**
   * The scalar fields whose absolute offset is not a multiple of their natural alignment
   * (possible in packed layouts, and in natural ones that nest a packed event), for a
   * record that starts 8-byte aligned. These are the stores that the kernel's verifier
   * rejects under {@code BPF_F_STRICT_ALIGNMENT}. Nested events are walked down to their
   * scalars, every element of an array of events separately ({@code hops[1].ttl}); a
   * scalar array is one entry (its elements share their first element's misalignment).
   *
   * <p>The list is a view computed on demand, in layout order: its size and any element
   * come without walking the record, and iterating it skips whatever holds no misaligned
   * scalar, so a packed array of millions of events costs no more than its element.
   *
   * @return the misaligned scalars, each with its absolute offset; unmodifiable
   */
  public List<FieldRef> misalignedFields() {
    return Misalignment.of(this, -1);
  }

  /**
   * The misaligned scalars inside one field, as {@link #misalignedFields()}.
   *
   * @param fieldName the field's name
   * @return the view
   * @throws BpfEventsException if the event has no such field
   */
  public List<FieldRef> misalignedFields(String fieldName) {
    return Misalignment.of(this, indexOf(field(fieldName)));
  }

  /**
   * A field's position in declaration order, found by its offset: fields are placed in
   * that order, each at least one byte, so offsets strictly increase.
   */
  private int indexOf(Field f) {
    int lo = 0;
    int hi = fields.size() - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (fields.get(mid).offset() < f.offset()) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
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
      throw BpfEventsException.of("unknown-field")
          .with("field", fieldName)
          .with("event", name)
          .with("expected", "one of {accepted}")
          .with("accepted", fieldNames)
          .message("event {event} has no field {field}; expected {expected}");
    }
    return f;
  }

  /** @return the field names, in declaration order */
  public List<String> fieldNames() {
    return fieldNames;
  }

  /**
   * The event as messages show it: its name.
   *
   * @param notation unused: an event's name reads the same in both
   * @return the name
   */
  @Override
  public String shown(Notation notation) {
    return name;
  }

  @Override
  public boolean equals(Object o) {
    if (o == this) {
      return true;
    }
    if (!(o instanceof EventLayout)) {
      return false;
    }
    return sameAs((EventLayout) o, new IdentityHashMap<>());
  }

  /**
   * Structural equality that compares each pair of nested events once, so that events
   * sharing nested events compare in time linear in the distinct events.
   */
  private boolean sameAs(EventLayout e, Map<EventLayout, Set<EventLayout>> proven) {
    if (e == this) {
      return true;
    }
    if (hash != e.hash || size != e.size || packing != e.packing || !name.equals(e.name)
        || fields.size() != e.fields.size()) {
      return false;
    }
    Set<EventLayout> known = proven.get(this);
    if (known != null && known.contains(e)) {
      return true;
    }
    for (int i = 0; i < fields.size(); i++) {
      Field a = fields.get(i);
      Field b = e.fields.get(i);
      if (!a.name().equals(b.name()) || a.offset() != b.offset() || a.count() != b.count()
          || a.type() != b.type() || a.isNested() != b.isNested()
          || (a.isNested() && !a.nested().sameAs(b.nested(), proven))) {
        return false;
      }
    }
    proven.computeIfAbsent(this, k -> Collections.newSetFromMap(new IdentityHashMap<>()))
        .add(e);
    return true;
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return "EventLayout{" + name + ", " + packing.optionName() + ", " + size + " bytes, "
        + fields.size() + " fields}";
  }
}
