package io.github.bpfevents.store;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.HostValues;
import io.github.bpfevents.Notation;
import io.github.bpfevents.Problem;
import io.github.bpfevents.asm.Insn;
import io.github.bpfevents.asm.Register;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.FieldRef;
import io.github.bpfevents.layout.FieldType;
import io.github.bpfevents.layout.LayoutEngine;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stores of {@link EventStores} for arguments as a host language wrote them, read
 * through {@link HostValues}: registers as {@code :r6} or {@code 6}, a field as a keyword
 * {@code :pid} or a path {@code [:src :port]}, an immediate as any integer of the host
 * (a BigInteger beyond a long included), value specs as maps {@code {:reg r}} and
 * {@code {:imm v}}. This is what the Clojure namespace {@code clj-ebpf.dsl.structs} calls;
 * every check and message is made here.
 *
 * <pre>{@code
 * HostStores.storeField("r6", conn, conn, "pid", "r7", HostValues.JAVA)   // *(u32 *)(r6 + 8) = r7
 * HostStores.storeFields(6L, conn, conn,
 *     Map.of("pid", Map.of("reg", "r7"), "protocol", Map.of("imm", 6L)), HostValues.JAVA)
 * }</pre>
 *
 * <p>Each entry point takes the record's layout and, beside it, the host's event value (a
 * Clojure definition map), whose {@code :name} an unknown field's error names as it was
 * given. A field the event does not have is reported as clj-ebpf reports it: the message
 * begins {@code Unknown field: } and the field as written, the data adds {@code "event"}
 * (that name) and {@code "available-fields"} (the host's keywords for the field names
 * where the name was looked for) to the library's own. Messages show host values as
 * {@link HostValues#show} does, in {@link Notation#EDN}.
 *
 * <p>An immediate is taken as written: any integer from -2^63 to 2^64-1, a value from
 * 2^63 up read unsigned (its 64 bits) in an 8-byte field; the range the field's store can
 * write is checked by the store, and every error names the value as the host wrote it.
 */
public final class HostStores {
  /**
   * The most steps a path is read to: two per level of nesting (a name and an index) and
   * a last name and index; a longer path names nothing, and its first steps say so.
   */
  private static final int MAX_PATH = 2 * (LayoutEngine.MAX_DEPTH + 1) + 1;

  private static final String VALUE_SPEC = "{:reg r} or {:imm v}";

  private HostStores() {}

  /**
   * {@link EventStores#storeField(Register, EventLayout, List, Register) stx} of the field
   * a host names.
   *
   * @param eventReg the register holding the record's address, as written
   * @param layout the record's layout
   * @param event the host's event value (its {@code :name} is named by an unknown field)
   * @param field a field name or path, as written
   * @param valueReg the register holding the value, as written
   * @param hv how to read the host's values
   * @return the store
   * @throws BpfEventsException {@code "unknown-field"} (as clj-ebpf's), {@code
   *     "unknown-register"}, and as {@link EventStores#storeField(Register, EventLayout,
   *     List, Register)}
   */
  public static Insn storeField(Object eventReg, EventLayout layout, Object event,
      Object field, Object valueReg, HostValues hv) {
    FieldRef f = resolve(layout, event, field, hv);
    return EventStores.storeField(Register.read(eventReg, hv), layout, f.path(),
        Register.read(valueReg, hv));
  }

  /**
   * {@link EventStores#storeImm(Register, EventLayout, List, long) st} of an immediate as
   * the host wrote it into the field it names.
   *
   * @param eventReg the register holding the record's address, as written
   * @param layout the record's layout
   * @param event the host's event value
   * @param field a field name or path, as written
   * @param imm the immediate, as written
   * @param hv how to read the host's values
   * @return the store
   * @throws BpfEventsException {@code "immediate-out-of-range"} naming imm as written, and
   *     as {@link #storeField}
   */
  public static Insn storeImm(Object eventReg, EventLayout layout, Object event, Object field,
      Object imm, HostValues hv) {
    FieldRef f = resolve(layout, event, field, hv);
    StoreValue v = immediate(f, imm, hv);
    return EventStores.storeImm(Register.read(eventReg, hv), layout, f.path(), v);
  }

  /**
   * The stores of {@link EventStores#storeBits} or {@link EventStores#storeBitsImm} (a
   * bitfield included) for a value spec {@code {:reg r}} or {@code {:imm v}}.
   *
   * @param eventReg the register holding the record's address, as written
   * @param layout the record's layout
   * @param event the host's event value
   * @param field a field name or path, as written
   * @param value the value spec, a map of exactly one of the keys {@code reg}, {@code imm}
   * @param scratch the register the stores may use, as written
   * @param hv how to read the host's values
   * @return the stores
   * @throws BpfEventsException {@code "bad-value-spec"}, and as {@link EventStores#storeBits}
   *     and {@link EventStores#storeBitsImm}
   */
  public static List<Insn> storeBits(Object eventReg, EventLayout layout, Object event,
      Object field, Object value, Object scratch, HostValues hv) {
    FieldRef f = resolve(layout, event, field, hv);
    String spec = spec(value, hv);
    if (spec == null) {
      throw Problem.BAD_BITS_VALUE_SPEC
          .with("field", field)
          .with("value", value)
          .with("expected", VALUE_SPEC)
          .with("value-spec", VALUE_SPEC)
          .build();
    }
    Register at = Register.read(eventReg, hv);
    if (spec.equals("reg")) {
      return EventStores.storeBits(at, layout, f.path(), Register.read(hv.get(value, "reg"), hv),
          Register.read(scratch, hv));
    }
    StoreValue v = immediate(f, hv.get(value, "imm"), hv);
    return EventStores.storeBitsImm(at, layout, f.path(), v, Register.read(scratch, hv));
  }

  /**
   * The stores of {@link EventStores#zeroField(Register, EventLayout, List)} as the host's
   * {@code zero-event-field} returns them: the one store when one zeroes the whole field,
   * else the list of them.
   *
   * @param eventReg the register holding the record's address, as written
   * @param layout the record's layout
   * @param event the host's event value
   * @param field a field name or path, as written
   * @param hv how to read the host's values
   * @return an {@link Insn}, or a {@code List<Insn>} of two or more
   * @throws BpfEventsException as {@link #storeField} and {@link EventStores#zeroField(
   *     Register, EventLayout, List)}
   */
  public static Object zeroField(Object eventReg, EventLayout layout, Object event,
      Object field, HostValues hv) {
    FieldRef f = resolve(layout, event, field, hv);
    List<Insn> stores = EventStores.zeroField(Register.read(eventReg, hv), layout, f.path());
    return stores.size() == 1 ? stores.get(0) : stores;
  }

  /**
   * {@link EventStores#zeroEvent}, the register as written.
   *
   * @param eventReg the register holding the record's address, as written
   * @param layout the record's layout
   * @param hv how to read the host's values
   * @return the stores
   * @throws BpfEventsException {@code "unknown-register"}, and as {@link EventStores#zeroEvent}
   */
  public static List<Insn> zeroEvent(Object eventReg, EventLayout layout, HostValues hv) {
    return EventStores.zeroEvent(Register.read(eventReg, hv), layout);
  }

  /**
   * {@link EventStores#storeFieldsAt} for a host map of field (a name or a path) to value
   * spec {@code {:reg r}} or {@code {:imm v}}: one store per entry, in layout order. The
   * map is read one entry past the record's size in bytes at most: each store writes a
   * byte of its own, so a map of more entries has two that overlap among those.
   *
   * @param eventReg the register holding the record's address, as written
   * @param layout the record's layout
   * @param event the host's event value
   * @param values the map, as written
   * @param hv how to read the host's values
   * @return the stores, in layout order
   * @throws BpfEventsException {@code "bad-value-spec"} (values no map, a value not exactly
   *     one of the two specs), {@code "duplicate-field"} (two entries naming the same field,
   *     such as {@code :pid} and {@code [:pid]}, or overlapping bytes), and as {@link
   *     #storeField} and {@link #storeImm}
   */
  public static List<Insn> storeFields(Object eventReg, EventLayout layout, Object event,
      Object values, HostValues hv) {
    notNull(layout);
    List<Map.Entry<Object, Object>> entries =
        hv.entries(values, (int) Math.min(layout.size() + 1L, Integer.MAX_VALUE));
    if (entries == null) {
      throw Problem.BAD_VALUE_SPEC_VALUES_MAP
          .with("value", values)
          .with("expected", "a map of field name to " + VALUE_SPEC)
          .build();
    }
    Map<List<Object>, StoreValue> byPath = new LinkedHashMap<>();
    for (Map.Entry<Object, Object> e : entries) {
      FieldRef f = resolve(layout, event, e.getKey(), hv);
      if (byPath.containsKey(f.path())) {
        throw Problem.DUPLICATE_FIELD_GIVEN_TWICE
            .with("field", e.getKey())
            .with("value", values)
            .with("expected", "one value per field")
            .build();
      }
      Object v = e.getValue();
      String spec = spec(v, hv);
      if (spec == null) {
        throw Problem.BAD_FIELD_VALUE_SPEC
            .with("field", e.getKey())
            .with("value", v)
            .with("expected", VALUE_SPEC)
            .build();
      }
      byPath.put(f.path(), spec.equals("reg")
          ? StoreValue.reg(Register.read(hv.get(v, "reg"), hv))
          : immediate(f, hv.get(v, "imm"), hv));
    }
    return EventStores.storeFieldsAt(Register.read(eventReg, hv), layout, byPath);
  }

  /** "reg" or "imm" for a map of exactly that one key, else null. */
  private static String spec(Object value, HostValues hv) {
    List<Map.Entry<Object, Object>> entries = hv.entries(value, 2);
    if (entries == null || entries.size() != 1) {
      return null;
    }
    String key = hv.name(entries.get(0).getKey());
    return "reg".equals(key) || "imm".equals(key) ? key : null;
  }

  /**
   * The immediate a host wrote, as the store's bits and, for errors, as written: a long
   * as it is; from 2^63 to 2^64-1 (a u64 read unsigned) its 64 bits in an 8-byte field,
   * and in a narrower one {@link Long#MAX_VALUE}, which every narrower store refuses.
   */
  private static StoreValue immediate(FieldRef f, Object imm, HostValues hv) {
    Number n = hv.integer(imm);
    if (n instanceof Long l) {
      return StoreValue.imm(l, imm);
    }
    if (n instanceof BigInteger b && b.signum() > 0 && b.bitLength() == 64) {
      FieldType t = f.type();
      return StoreValue.imm(t != null && t.size() == 8 ? b.longValue() : Long.MAX_VALUE, imm);
    }
    List<Object> path = f.path();
    throw Problem.IMMEDIATE_OUT_OF_RANGE_FIELD_INTEGER
        .with("field", path.size() == 1 ? path.get(0) : path)
        .with("value", imm)
        .with("expected", "an integer from -2^63 to 2^64-1")
        .build();
  }

  /**
   * What a field as written names in the layout; an unknown field is restated as clj-ebpf
   * states it (see the class comment).
   */
  private static FieldRef resolve(EventLayout layout, Object event, Object field,
      HostValues hv) {
    notNull(layout);
    try {
      return layout.resolve(path(field, hv));
    } catch (BpfEventsException e) {
      if (!e.problem().equals("unknown-field")) {
        throw e;
      }
      BpfEventsException.Builder b = BpfEventsException.of(Problem.UNKNOWN_FIELD_IN_STORE);
      for (Map.Entry<String, Object> d : e.data().entrySet()) {
        if (!d.getKey().equals("problem")) {
          b.with(d.getKey(), d.getValue());
        }
      }
      Object accepted = e.data().get("accepted");
      List<?> names = accepted instanceof List<?> l ? l : layout.fieldNames();
      Object[] keywords = new Object[names.size()];
      for (int i = 0; i < keywords.length; i++) {
        keywords[i] = hv.keyword(String.valueOf(names.get(i)));
      }
      throw b.with("event", hv.has(event, "name") ? hv.get(event, "name") : layout.name())
          .with("available-fields", hv.list(keywords))
          .with("written", hv.show(field))
          .with("reason", e.message(Notation.EDN))
          .build();
    }
  }

  /** Whether x is a name: a keyword, or a string where the host's names are strings. */
  private static boolean isName(Object x, HostValues hv) {
    HostValues.Kind k = hv.kind(x);
    return k == HostValues.Kind.KEYWORD
        || (k == HostValues.Kind.STRING && hv.kind(hv.keyword("x")) == HostValues.Kind.STRING);
  }

  /**
   * The core path of a field as written: a name (a keyword) or a non-empty vector of
   * names and integer indices.
   */
  private static List<Object> path(Object field, HostValues hv) {
    if (isName(field, hv)) {
      return List.of(hv.text(field));
    }
    List<Object> steps = hv.kind(field) == HostValues.Kind.VECTOR
        ? hv.items(field, MAX_PATH + 1) : List.of();
    List<Object> path = new ArrayList<>(steps.size());
    for (Object step : steps) {
      boolean name = isName(step, hv);
      if (!name && hv.kind(step) != HostValues.Kind.INTEGER) {
        path.clear();
        break;
      }
      path.add(name ? hv.text(step) : hv.integer(step));
    }
    if (path.isEmpty()) {
      throw Problem.NOT_A_FIELD_NAME
          .with("field", field)
          .with("value", field)
          .with("expected", "a keyword, or a path such as [:src :port] or [:hops 2 :ttl]")
          .build();
    }
    return path;
  }

  private static void notNull(EventLayout layout) {
    if (layout == null) {
      throw Problem.NOT_AN_EVENT_NULL
          .with("value", null)
          .with("expected", "an event layout")
          .build();
    }
  }
}
