package io.github.bpfevents.definition;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Problem;
import io.github.bpfevents.layout.EnumType;
import io.github.bpfevents.layout.EventKind;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.FieldSpec;
import io.github.bpfevents.layout.FieldType;
import io.github.bpfevents.layout.LayoutEngine;
import io.github.bpfevents.layout.Packing;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The grammar of a definition, checked in one place: what {@code defevent} and
 * {@code make-event-def} accept in Clojure, and what an event file holds.
 *
 * <pre>
 *   (defevent Name options? spec...)
 *   options: a map of
 *            :align   :packed | :natural               (default packed)
 *            :kind    :struct | :union                 (default struct)
 *            :aligned N, a power of two                (C's aligned(N) on the struct)
 *   spec:    [name type] | [name type count] | [name type opts] | [name type count opts]
 *            | [event] | [event opts]                  (an anonymous struct or union)
 *            | [type {:bits w}]                        (an unnamed bitfield, :0 included)
 *   name:    a keyword, :pid
 *   type:    a type keyword (:u8 :i8 :u16 :i16 :u32 :i32 :u64 :i64 :char :ptr :be16 :be32
 *            :be64), an event given as a value, or the symbol of an event declared earlier
 *   count:   a positive integer (an array of count elements), or [] (a flexible array,
 *            C's data[], last in a struct)
 *   opts:    a map of
 *            :bits    w, 0 to the type's width         (a bitfield of an integer type)
 *            :enum    {:open 1 :close 2}               (names for an integer field's values)
 *            :to      an event, its symbol, or a string naming a struct declared forward
 *                                                      (a :ptr that points to it)
 *            :kind    :union                           (with :to a string: a union's name)
 *            :aligned N, a power of two                (C's aligned(N) on the field)
 * </pre>
 *
 * <p>For example, a flow record with an address union and TCP flag bitfields:
 *
 * <pre>
 *   (defevent Addr {:kind :union :align :natural} [:v4 :u32] [:v6 :u8 16])
 *   (defevent Flow {:align :natural}
 *     [:saddr Addr] [:daddr Addr] [:sport :u16] [:dport :u16]
 *     [:fin :u8 {:bits 1}] [:syn :u8 {:bits 1}] [:rst :u8 {:bits 1}] [:u8 {:bits 0}]
 *     [:kind :u8 {:enum {:open 1 :close 2}}] [:data :u8 []])
 * </pre>
 *
 * <p>An event declares at least one field, unless its options name its {@code :kind}: C's
 * {@code struct e {}} is {@code (defevent E {:kind :struct})}, 0 bytes.
 *
 * <p>The shape of the forms is checked here; what a name, a type, a count or an option
 * may be is checked where those are made ({@link FieldType#named}, {@link FieldSpec},
 * {@link Packing#named}, {@link LayoutEngine}), so each rule lives once. Every error is a
 * {@link BpfEventsException} whose data holds {@code "line"} (the line of the offending
 * form, 0 when it was not read from a file) and, for a spec, its {@code "index"}; the
 * offending value is the form itself, so a message shows it as the user wrote it.
 */
public final class DefinitionReader {
  private static final String EXPECTED_SPEC = "[name type] or [name type count]";

  private DefinitionReader() {}

  /**
   * Lays out the event a definition declares, its specs given as one form.
   *
   * @param name the event's name: a symbol, a keyword or a non-empty string
   * @param specs a vector or list of field specs
   * @param options the options map, or null for none
   * @param events finds the event a symbol names, or returns null; null when symbols are
   *     not accepted as types
   * @return the layout
   * @throws BpfEventsException naming the first form that is not accepted
   */
  public static EventLayout define(Form name, Form specs, Form options,
      Function<String, EventLayout> events) {
    if (specs instanceof Form.VectorForm v) {
      return define(name, v.items(), options, events);
    }
    if (specs instanceof Form.ListForm l) {
      return define(name, l.items(), options, events);
    }
    throw Problem.BAD_FIELD_SPECS
        .with("event", eventName(name))
        .with("value", specs)
        .with("expected", "a vector of [name type] or [name type count]")
        .with("line", line(specs))
        .build();
  }

  /**
   * Lays out the event a definition declares.
   *
   * @param name the event's name: a symbol, a keyword or a non-empty string
   * @param specs the field specs, in declaration order
   * @param options the options map, or null for none
   * @param events finds the event a symbol names (an event declared earlier), or returns
   *     null when there is none; null when symbols are not accepted as types
   * @return the layout
   * @throws BpfEventsException naming the first form that is not accepted
   */
  public static EventLayout define(Form name, List<Form> specs, Form options,
      Function<String, EventLayout> events) {
    String event = eventName(name);
    if (specs == null) {
      return define(name, (Form) null, options, events);
    }
    Shape shape = options == null ? new Shape(Packing.PACKED, EventKind.STRUCT, false, 0)
        : shape(event, options);
    Packing packing = shape.packing();
    if (specs.size() > LayoutEngine.MAX_FIELDS) {
      // an endless sequence arrives cut short, just past the limit
      throw Problem.TOO_MANY_FIELDS_DECLARED
          .with("event", event)
          .with("value", specs.size())
          .with("expected", "at most " + LayoutEngine.MAX_FIELDS + " fields")
          .with("line", line(name))
          .build();
    }
    List<FieldSpec> fields = new ArrayList<>(specs.size());
    for (int i = 0; i < specs.size(); i++) {
      fields.add(spec(event, i, specs.get(i), events));
    }
    try {
      if (!shape.kindGiven() && shape.aligned() == 0) {
        return LayoutEngine.layout(event, fields, packing);
      }
      return LayoutEngine.layout(event, fields, packing, shape.kind(), shape.aligned());
    } catch (BpfEventsException e) {
      Object index = e.data().get("index");
      int line = index instanceof Integer i && i >= 0 && i < specs.size()
          ? line(specs.get(i)) : line(name);
      throw e.with(Map.of("line", line));
    }
  }

  /**
   * Lays out the event of a whole {@code (defevent Name options? spec...)} form, as an
   * event file holds it.
   *
   * @param form the list
   * @param events finds the event a symbol names, or returns null
   * @return the layout
   * @throws BpfEventsException naming the first form that is not accepted
   */
  public static EventLayout defevent(Form.ListForm form, Function<String, EventLayout> events) {
    if (form == null) {
      throw Problem.BAD_EVENT_NAME_DEFEVENT_FORM_NULL
          .with("value", null)
          .with("expected", "(defevent Name [:field :type] ...)")
          .with("line", 0)
          .build();
    }
    List<Form> items = form.items();
    if (items.size() < 2) {
      throw Problem.BAD_EVENT_NAME_DEFEVENT
          .with("value", form)
          .with("expected", "(defevent Name [:field :type] ...)")
          .with("line", line(form))
          .build();
    }
    if (items.get(1) instanceof Form.SymbolForm s && hasNamespace(s.name())) {
      throw qualified(s);
    }
    if (!(items.get(1) instanceof Form.SymbolForm)) {
      throw Problem.BAD_EVENT_NAME_DEFEVENT_SYMBOL
          .with("value", items.get(1))
          .with("expected", "a symbol such as ConnectionEvent")
          .with("line", line(items.get(1)))
          .build();
    }
    int first = 2;
    Form options = null;
    if (items.size() > 2 && items.get(2) instanceof Form.MapForm) {
      options = items.get(2);
      first = 3;
    }
    return define(items.get(1), items.subList(first, items.size()), options, events);
  }

  /**
   * The event's name in the core: a symbol's text, a keyword's text after the colon, a
   * string as it is.
   *
   * @param name the name form
   * @return the name
   * @throws BpfEventsException if the form is no name
   */
  public static String eventName(Form name) {
    if (name instanceof Form.SymbolForm s && !hasNamespace(s.name())) {
      return s.name();
    }
    if (name instanceof Form.KeywordForm k) {
      return k.name();
    }
    if (name instanceof Form.StringForm s && !s.value().isEmpty()) {
      return s.value();
    }
    throw badName(name);
  }

  /** The line a form starts on; 0 for none (or no form). */
  private static int line(Form f) {
    return f == null ? 0 : f.line();
  }

  private static BpfEventsException badName(Form name) {
    if (name instanceof Form.SymbolForm s && hasNamespace(s.name())) {
      return qualified(s);
    }
    return Problem.BAD_EVENT_NAME
        .with("value", name)
        .with("expected", "a symbol (or a keyword or non-empty string)")
        .with("line", line(name))
        .build();
  }

  /** Whether a symbol's text has a namespace: {@code a/E}, but not {@code /} itself. */
  private static boolean hasNamespace(String symbol) {
    return symbol.indexOf('/') > 0 && symbol.length() > 1;
  }

  /** A symbol with a namespace ({@code a/E}): an event's name is one C identifier. */
  private static BpfEventsException qualified(Form.SymbolForm name) {
    return Problem.BAD_EVENT_NAME_NAMESPACE
        .with("value", name)
        .with("expected", "a symbol without a namespace, such as ConnectionEvent")
        .with("line", line(name))
        .build();
  }

  /** An event's options: its packing, its kind (and whether it was given), aligned(N). */
  private record Shape(Packing packing, EventKind kind, boolean kindGiven, int aligned) {}

  private static final List<String> EVENT_OPTIONS = List.of("align", "aligned", "kind");

  private static Shape shape(String event, Form options) {
    if (!(options instanceof Form.MapForm map)) {
      throw Problem.BAD_OPTION_EVENT_OPTIONS_MAP
          .with("event", event)
          .with("value", options)
          .with("expected", "a map such as {{:align :natural}")
          .with("accepted", EVENT_OPTIONS)
          .with("line", line(options))
          .build();
    }
    Packing packing = Packing.PACKED;
    EventKind kind = EventKind.STRUCT;
    boolean kindGiven = false;
    int aligned = 0;
    List<Form> kv = map.items();
    for (int i = 0; i + 1 < kv.size(); i += 2) {
      Form key = kv.get(i);
      Form value = kv.get(i + 1);
      String k = key instanceof Form.KeywordForm kw ? kw.name() : null;
      if (k == null || !EVENT_OPTIONS.contains(k)) {
        throw Problem.BAD_OPTION_EVENT_UNKNOWN
            .with("event", event)
            .with("key", key)
            .with("value", value)
            .with("expected", "one of {accepted}")
            .with("accepted", EVENT_OPTIONS)
            .with("line", line(key))
            .build();
      }
      String text = value instanceof Form.KeywordForm v ? v.name() : null;
      try {
        if (k.equals("align")) {
          packing = Packing.named(text);
        } else if (k.equals("kind")) {
          kind = EventKind.named(text);
          kindGiven = true;
        } else if (!(value instanceof Form.IntegerForm n && n.value() >= 1
            && n.value() <= FieldSpec.MAX_ALIGNED && Long.bitCount(n.value()) == 1)) {
          throw Problem.BAD_ALIGNED_OPTION
              .with("key", "aligned")
              .with("value", value)
              .with("expected", "a power of two from 1 to " + FieldSpec.MAX_ALIGNED)
              .build();
        } else {
          aligned = (int) ((Form.IntegerForm) value).value();
        }
      } catch (BpfEventsException e) {
        throw e.within("event", event, "event {event}").replacing("value", value)
            .with(Map.of("line", line(value)));
      }
    }
    return new Shape(packing, kind, kindGiven, aligned);
  }

  /** The N of {@code :aligned N}: a power of two, checked where the spec or event is made. */
  private static int alignedValue(String what, String who, Form value) {
    if (value instanceof Form.IntegerForm n && n.value() >= 1
        && n.value() <= FieldSpec.MAX_ALIGNED && Long.bitCount(n.value()) == 1) {
      return (int) n.value();
    }
    throw (what.equals("event") ? Problem.BAD_ALIGNED_EVENT : Problem.BAD_ALIGNED_FIELD)
        .with(what.equals("event") ? "event" : "field", who)
        .with("value", value)
        .with("expected", "a power of two from 1 to " + FieldSpec.MAX_ALIGNED)
        .build();
  }

  /** Makes a spec; an error (a bad count) gains the event, the spec's index and line. */
  private static FieldSpec withLine(String event, int index, Form form,
      Supplier<FieldSpec> make) {
    try {
      return make.get();
    } catch (BpfEventsException e) {
      throw e.within("event", event, "event {event}")
          .with(Map.of("index", index, "line", line(form)));
    }
  }

  private static BpfEventsException badSpec(String event, int index, Form form) {
    return Problem.BAD_FIELD_SPEC
        .with("event", event)
        .with("index", index)
        .with("value", form)
        .with("expected", EXPECTED_SPEC)
        .with("line", line(form))
        .build();
  }

  /** The event a type form names: an event given as a value, or declared earlier. */
  private static EventLayout eventOf(Form type, Function<String, EventLayout> events) {
    if (type instanceof Form.EventForm e) {
      return e.event();
    }
    if (type instanceof Form.SymbolForm s && events != null) {
      return events.apply(s.name());
    }
    return null;
  }

  private static FieldSpec spec(String event, int index, Form form,
      Function<String, EventLayout> events) {
    if (!(form instanceof Form.VectorForm vector)
        || vector.items().isEmpty() || vector.items().size() > 4) {
      throw badSpec(event, index, form);
    }
    List<Form> parts = vector.items();
    int n = parts.size();
    if (n == 1 || (n == 2 && parts.get(1) instanceof Form.MapForm)) {
      return unnamed(event, index, form, parts, events);
    }
    Form.MapForm opts = null;
    if (n >= 3 && parts.get(n - 1) instanceof Form.MapForm m) {
      opts = m;
      parts = parts.subList(0, n - 1);
    }
    if (parts.size() > 3) {
      throw badSpec(event, index, form);
    }
    FieldSpec plain = plainSpec(event, index, form, parts, events, opts);
    return opts == null ? plain : withOptions(event, index, form, plain, opts, events);
  }

  /** {@code [event]}, {@code [event opts]} or {@code [type {:bits w}]}. */
  private static FieldSpec unnamed(String event, int index, Form form, List<Form> parts,
      Function<String, EventLayout> events) {
    Form type = parts.get(0);
    Form.MapForm opts = parts.size() == 2 ? (Form.MapForm) parts.get(1) : null;
    EventLayout nested = eventOf(type, events);
    if (nested != null) {
      FieldSpec anon = withLine(event, index, form, () -> FieldSpec.anonymous(nested));
      return opts == null ? anon : withOptions(event, index, form, anon, opts, events);
    }
    Form bits = opts == null ? null : option(opts, "bits");
    if (type instanceof Form.KeywordForm k && bits != null) {
      FieldType t = scalar(event, index, form, null, k);
      FieldSpec bf = withLine(event, index, form,
          () -> FieldSpec.bitfield(null, t, bitsValue(null, t, bits)));
      return withOptions(event, index, form, bf, opts, events);
    }
    throw badSpec(event, index, form);
  }

  private static Form option(Form.MapForm opts, String key) {
    List<Form> kv = opts.items();
    for (int i = 0; i + 1 < kv.size(); i += 2) {
      if (kv.get(i) instanceof Form.KeywordForm k && k.name().equals(key)) {
        return kv.get(i + 1);
      }
    }
    return null;
  }

  private static int bitsValue(String field, FieldType t, Form bits) {
    if (bits instanceof Form.IntegerForm b && b.value() >= 0 && b.value() <= 128) {
      return (int) b.value();
    }
    throw Problem.BAD_BITFIELD_TYPE_BITS_WIDE
        .with("field", field)
        .with("type", t)
        .with("value", bits)
        .with("expected", "a width from 0 to " + 8 * t.size() + " bits")
        .build();
  }

  private static final List<String> FIELD_OPTIONS = List.of("aligned", "bits", "enum", "kind",
      "to");

  /** The spec as the options of a field make it: bits, to, enum, aligned, kind. */
  private static FieldSpec withOptions(String event, int index, Form form, FieldSpec spec,
      Form.MapForm opts, Function<String, EventLayout> events) {
    String field = spec.name();
    List<Form> kv = opts.items();
    for (int i = 0; i < kv.size(); i += 2) {
      Form key = kv.get(i);
      String k = key instanceof Form.KeywordForm kw ? kw.name() : null;
      if (k == null || !FIELD_OPTIONS.contains(k) || i + 1 >= kv.size()
          || (spec.isAnonymous() && !k.equals("aligned"))) {
        throw Problem.BAD_OPTION_EVENT_FIELD_SPEC
            .with("event", event)
            .with("field", field)
            .with("index", index)
            .with("key", key)
            .with("value", i + 1 < kv.size() ? kv.get(i + 1) : null)
            .with("expected", "one of {accepted}")
            .with("accepted", spec.isAnonymous() ? List.of("aligned") : FIELD_OPTIONS)
            .with("line", line(form))
            .build();
      }
    }
    FieldSpec out = spec;
    try {
      Form bits = option(opts, "bits");
      Form to = option(opts, "to");
      Form kind = option(opts, "kind");
      if (bits != null && out.name() != null) {
        if (out.isNested() || out.count() != 1) {
          throw Problem.BAD_BITFIELD_FIELD
              .with("field", field)
              .with("value", bits)
              .with("expected", "a scalar integer field, no array")
              .build();
        }
        FieldType t = out.type();
        out = FieldSpec.bitfield(field, t, bitsValue(field, t, bits));
      }
      if (kind != null && to == null) {
        throw Problem.BAD_OPTION_FIELD_KIND_WITHOUT
            .with("field", field)
            .with("key", "kind")
            .with("value", kind)
            .with("expected", ":kind only beside :to, naming what a pointer points to")
            .build();
      }
      if (to != null) {
        if (out.type() != FieldType.PTR || out.isBitfield()) {
          throw Problem.BAD_POINTER_TYPE_GIVEN_TARGET
              .with("field", field)
              .with("value", to)
              .with("type", out.isNested() ? out.nested().name() : out.type())
              .with("expected", "a field of type :ptr")
              .build();
        }
        out = pointer(field, out.count(), to, kind, events);
      }
      Form en = option(opts, "enum");
      if (en != null) {
        out = out.withEnum(enumOf(field, out, en));
      }
      Form aligned = option(opts, "aligned");
      if (aligned != null) {
        out = out.withAligned(alignedValue("field", field, aligned));
      }
    } catch (BpfEventsException e) {
      throw e.within("event", event, "event {event}")
          .with(Map.of("index", index, "line", line(form)));
    }
    return out;
  }

  private static FieldSpec pointer(String field, int count, Form to, Form kind,
      Function<String, EventLayout> events) {
    if (to instanceof Form.StringForm s) {
      EventKind k = kind == null ? EventKind.STRUCT
          : EventKind.named(kind instanceof Form.KeywordForm kw ? kw.name() : null);
      return FieldSpec.pointer(field, s.value(), k, count);
    }
    EventLayout target = eventOf(to, events);
    if (target == null || kind != null) {
      throw Problem.BAD_POINTER_POINTS
          .with("field", field)
          .with("value", to)
          .with("expected", kind != null ? "no :kind beside an event (it has its own)"
              : "an event, or a string naming a struct declared forward")
          .build();
    }
    return FieldSpec.pointer(field, target, count);
  }

  private static EnumType enumOf(String field, FieldSpec spec, Form en) {
    if (spec.isNested() || spec.type() == null) {
      throw Problem.BAD_ENUM_FIELD_GIVEN
          .with("field", field)
          .with("value", en)
          .with("expected", "an enum on an integer field")
          .build();
    }
    if (!(en instanceof Form.MapForm m) || m.items().isEmpty()) {
      throw Problem.BAD_ENUM_FIELD
          .with("field", field)
          .with("value", en)
          .with("expected", "a map of keywords to integers, such as {{:open 1 :close 2}")
          .build();
    }
    Map<String, BigInteger> values = new LinkedHashMap<>();
    List<Form> kv = m.items();
    for (int i = 0; i + 1 < kv.size(); i += 2) {
      Form value = kv.get(i + 1);
      if (!(kv.get(i) instanceof Form.KeywordForm k)
          || !(value instanceof Form.IntegerForm || value instanceof Form.BigIntegerForm)) {
        throw Problem.BAD_ENUM_FIELD_ENUMERATOR_KEYWORD
            .with("field", field)
            .with("value", kv.get(i))
            .with("enumerator", kv.get(i))
            .with("expected", "a keyword naming an integer, such as :open 1")
            .build();
      }
      values.put(k.name(), value instanceof Form.IntegerForm v ? BigInteger.valueOf(v.value())
          : ((Form.BigIntegerForm) value).value());
    }
    try {
      return EnumType.of(null, spec.type(), values);
    } catch (BpfEventsException e) {
      throw e.within("field", field, "field {field}");
    }
  }

  private static FieldType scalar(String event, int index, Form form, String field,
      Form.KeywordForm k) {
    try {
      return FieldType.named(k.name());
    } catch (BpfEventsException e) {
      throw e.within("event", event, "event {event}: field {field}")
          .with(Map.of("field", field == null ? "(unnamed)" : field, "index", index,
              "line", line(form)));
    }
  }

  private static FieldSpec plainSpec(String event, int index, Form form, List<Form> parts,
      Function<String, EventLayout> events, Form.MapForm opts) {
    if (!(parts.get(0) instanceof Form.KeywordForm nameForm)) {
      throw Problem.BAD_FIELD_NAME_EVENT_SPEC_KEYWORD
          .with("event", event)
          .with("index", index)
          .with("value", parts.get(0))
          .with("expected", "a keyword such as :pid")
          .with("line", line(form))
          .build();
    }
    String field = nameForm.name();
    long n = 1;
    boolean flexible = false;
    if (parts.size() == 3 && parts.get(2) instanceof Form.VectorForm dims
        && dims.items().isEmpty()) {
      flexible = true;
    } else if (parts.size() == 3) {
      if (!(parts.get(2) instanceof Form.IntegerForm c)) {
        throw Problem.BAD_COUNT_EVENT
            .with("event", event)
            .with("field", field)
            .with("index", index)
            .with("value", parts.get(2))
            .with("expected", "an integer from 1 to 2147483647")
            .with("line", line(form))
            .build();
      }
      n = c.value();
    }
    final long count = n;
    final boolean flex = flexible;
    Form type = parts.get(1);
    if (type instanceof Form.KeywordForm k) {
      FieldType t;
      try {
        t = FieldType.named(k.name());
      } catch (BpfEventsException e) {
        throw e.within("event", event, "event {event}: field {field}")
            .with(Map.of("field", field, "index", index, "line", line(form)));
      }
      return withLine(event, index, form, () -> flex ? FieldSpec.flexible(field, t)
          : FieldSpec.of(field, t, count));
    }
    try {
      if (type instanceof Form.EventForm e) {
        return withLine(event, index, form, () -> flex ? FieldSpec.flexible(field, e.event())
            : FieldSpec.of(field, e.event(), count));
      }
      if (type instanceof Form.SymbolForm s && events != null) {
        EventLayout nested = events.apply(s.name());
        if (nested != null) {
          return withLine(event, index, form, () -> flex ? FieldSpec.flexible(field, nested)
              : FieldSpec.of(field, nested, count));
        }
        throw Problem.UNKNOWN_TYPE_FIELD_EVENT_DECLARED
            .with("field", field)
            .with("type", type)
            .with("expected", "a type keyword or an event declared above it")
            .with("accepted", FieldType.names())
            .build();
      }
    } catch (BpfEventsException e) {
      throw e.within("event", event, "event {event}")
          .with(Map.of("field", field, "index", index, "line", line(form)));
    }
    throw Problem.UNKNOWN_TYPE_EVENT_FIELD
        .with("event", event)
        .with("field", field)
        .with("index", index)
        .with("type", type)
        .with("expected", "one of {accepted} or an event")
        .with("accepted", FieldType.names())
        .with("line", line(form))
        .build();
  }
}
