package io.github.bpfevents.layout;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Notation;
import io.github.bpfevents.Problem;
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
  private final EventKind kind;
  private final int aligned;
  private final String cTypeModelPath;
  private final int alignment;
  private final int depth;
  private final int hash;
  /** Memoised derivations: alternating key, value; replaced whole, never mutated. */
  private volatile Object[] memo = new Object[0];

  EventLayout(String name, Packing packing, List<Field> fields, int size, int alignment) {
    this(name, packing, EventKind.STRUCT, 0, fields, size, alignment);
  }

  EventLayout(String name, Packing packing, EventKind kind, int aligned, List<Field> fields,
      int size, int alignment) {
    this.name = name;
    this.packing = packing;
    this.kind = kind;
    this.aligned = aligned;
    this.alignment = alignment;
    this.fields = Collections.unmodifiableList(new ArrayList<>(fields));
    Map<String, Field> m = new HashMap<>();
    List<String> names = new ArrayList<>(fields.size());
    int d = 0;
    String modelPath = kind == EventKind.UNION ? "(" + name + " is a union)"
        : fields.isEmpty() ? "(" + name + " has no fields)"
        : aligned != 0 ? "(" + name + " has an explicit alignment)" : null;
    for (Field f : fields) {
      if (f.isAnonymous()) {
        for (String n : f.nested().fieldNames()) {
          m.put(n, f.nested().byName.get(n).shifted(f.offset()));
          names.add(n);
        }
      } else if (f.name() != null) {
        m.put(f.name(), f);
        names.add(f.name());
      }
      if (f.isNested()) {
        d = Math.max(d, f.nested().depth());
      }
      if (modelPath == null && f.spec().usesCTypeModel()) {
        String inner = f.isNested() ? f.nested().cTypeModelPath : null;
        String here = f.name() == null ? "" : f.name();
        modelPath = inner == null ? (here.isEmpty() ? "(" + f.spec() + ")" : here)
            : here.isEmpty() ? inner : inner.startsWith("(") ? here + " " + inner
            : here + "." + inner;
      }
    }
    this.cTypeModelPath = modelPath;
    this.byName = Collections.unmodifiableMap(m);
    this.fieldNames = Collections.unmodifiableList(names);
    this.size = size;
    this.depth = d + 1;
    this.hash = ((name.hashCode() * 31 + packing.hashCode()) * 31 + this.fields.hashCode()) * 31
        + size + kind.hashCode() * 7 + aligned;
  }

  /** @return struct or union */
  public EventKind kind() {
    return kind;
  }

  /** @return true for a union: every field at offset 0 */
  public boolean isUnion() {
    return kind == EventKind.UNION;
  }

  /** @return the explicit alignment given to the event, in bytes, or 0 for none */
  public int aligned() {
    return aligned;
  }

  /**
   * Whether the event is a struct whose last field is a flexible array member (or an
   * event that ends in one, held once); a GNU zero-length array does not count.
   *
   * @return true if so
   */
  public boolean endsFlexible() {
    if (fields.isEmpty() || isUnion()) {
      return false;
    }
    Field last = fields.get(fields.size() - 1);
    return last.isFlexibleMember()
        || (last.isNested() && last.count() == 1 && last.nested().endsFlexible());
  }

  /**
   * Where the event first uses the C type model beyond scalars, arrays and nested structs
   * (a union, a bitfield, an anonymous member, a flexible array, a pointer with a target,
   * an enum, an explicit alignment, an empty event), as a path from this event: for
   * example {@code flags.syn}, or {@code addr (Addr is a union)}. Outputs that do not
   * handle these yet refuse the event with this path ({@link #requireClassic}).
   *
   * @return the path, or null when the event uses none of them
   */
  public String cTypeModelPath() {
    return cTypeModelPath;
  }

  /**
   * Refuses an event that uses the C type model beyond scalars, arrays and nested structs,
   * for an output that does not handle it yet.
   *
   * @param use what the event was to be used for, for the message: "BTF", "decoding"
   * @throws BpfEventsException ({@code unsupported-member}) naming the path from this
   *     event to the first such member
   */
  public void requireClassic(String use) {
    if (cTypeModelPath != null) {
      throw Problem.UNSUPPORTED_MEMBER
          .with("event", name)
          .with("path", cTypeModelPath)
          .with("value", use)
          .with("expected", "scalars, arrays and nested structs")
          .with("use", use)
          .build();
    }
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
      throw Problem.UNKNOWN_FIELD_PATH
          .with("path", path)
          .with("event", name)
          .with("expected", "a path of at least one field name")
          .with("accepted", fieldNames)
          .build();
    }
    List<Object> done = new ArrayList<>();
    EventLayout in = this;
    Field last = null;
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
              : count == 0 ? "the end of the path ({at} is an array of no elements)"
              : "the end of the path ({at} is a scalar)");
        }
        if (i > 0) {
          in = nested;
        }
        Field f = in.byName.get(step);
        if (f == null) {
          throw (i == 0 ? Problem.UNKNOWN_FIELD : Problem.UNKNOWN_FIELD_ON_PATH)
              .with("field", step)
              .with("path", new ArrayList<>(path))
              .with("at", new ArrayList<>(done))
              .with("event", in.name)
              .with("expected", "one of {accepted}")
              .with("accepted", in.fieldNames)
              .build();
        }
        done.add(step);
        last = f;
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
          throw Problem.INDEX_OUT_OF_RANGE
              .with("path", new ArrayList<>(path))
              .with("at", new ArrayList<>(done))
              .with("value", step)
              .with("count", count)
              .with("expected", count == 0 ? "no index ({at} is an array of no elements)"
                  : "an index 0 to " + (count - 1))
              .build();
        }
        done.add((int) index);
        offset += (int) index * (nested != null ? nested.size() : type.size());
        count = 1;
        last = null;
      } else {
        throw badStep(path, done, step,
            i == 0 ? "a field name" : "a field name or an array index");
      }
      i++;
    }
    if (last != null && last.isBitfield()) {
      long bitOffset = 8L * (offset - last.offset()) + last.bitOffset();
      return new FieldRef(done, type, null, 1, offset, bitOffset, last.bits(),
          last.enumType());
    }
    return new FieldRef(done, type, nested, count, offset, 8L * offset, -1,
        last == null ? null : last.enumType());
  }

  private BpfEventsException badStep(List<?> path, List<Object> done, Object step,
      String expected) {
    return (done.isEmpty() ? Problem.BAD_PATH_START : Problem.BAD_PATH_STEP)
        .with("path", new ArrayList<>(path))
        .with("value", step)
        .with("step", step)
        .with("at", new ArrayList<>(done))
        .with("event", name)
        .with("expected", expected)
        .build();
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
   * A field's position in declaration order: its own, or that of the anonymous member
   * whose field it is.
   */
  private int indexOf(Field f) {
    for (int i = 0; i < fields.size(); i++) {
      Field g = fields.get(i);
      if (g == f || (g.isAnonymous() && g.nested().hasField(f.name()))) {
        return i;
      }
    }
    throw new IllegalStateException(f.toString());
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
      throw Problem.UNKNOWN_FIELD
          .with("field", fieldName)
          .with("event", name)
          .with("expected", "one of {accepted}")
          .with("accepted", fieldNames)
          .build();
    }
    return f;
  }

  /**
   * The names of the fields reached from this event, in declaration order: an anonymous
   * member's fields in its place, unnamed bitfields left out.
   *
   * @return the names
   */
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
        || fields.size() != e.fields.size() || kind != e.kind || aligned != e.aligned) {
      return false;
    }
    Set<EventLayout> known = proven.get(this);
    if (known != null && known.contains(e)) {
      return true;
    }
    for (int i = 0; i < fields.size(); i++) {
      Field a = fields.get(i);
      Field b = e.fields.get(i);
      if (!java.util.Objects.equals(a.name(), b.name()) || a.offset() != b.offset()
          || a.count() != b.count() || a.bitOffset() != b.bitOffset()
          || a.type() != b.type() || a.isNested() != b.isNested()
          || a.bits() != b.bits() || a.spec().aligned() != b.spec().aligned()
          || !java.util.Objects.equals(a.enumType(), b.enumType())
          || !java.util.Objects.equals(a.spec().pointeeName(), b.spec().pointeeName())
          || a.spec().pointeeKind() != b.spec().pointeeKind()
          || (a.spec().pointee() != null && !a.spec().pointee().equals(b.spec().pointee()))
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
    return "EventLayout{" + (kind == EventKind.UNION ? "union " : "") + name + ", "
        + packing.optionName() + ", " + size + " bytes, "
        + fields.size() + " fields}";
  }
}
