package io.github.bpfevents.definition;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.FieldSpec;
import io.github.bpfevents.layout.FieldType;
import io.github.bpfevents.layout.LayoutEngine;
import io.github.bpfevents.layout.Packing;
import java.util.ArrayList;
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
 *   options: {:align :packed} | {:align :natural}          (default packed)
 *   spec:    [name type] | [name type count]
 *   name:    a keyword, :pid
 *   type:    a type keyword (:u8 :i8 :u16 :i16 :u32 :i32 :u64 :i64 :char :ptr :be16 :be32
 *            :be64), an event given as a value, or the symbol of an event declared earlier
 *   count:   a positive integer (an array of count elements)
 * </pre>
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
    throw BpfEventsException.of("bad-field-specs")
        .with("event", eventName(name))
        .with("value", specs)
        .with("expected", "a vector of [name type] or [name type count]")
        .with("line", line(specs))
        .message("field specs of {event} are {value}; expected {expected}");
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
    Packing packing = options == null ? Packing.PACKED : packing(event, options);
    if (specs.size() > LayoutEngine.MAX_FIELDS) {
      // an endless sequence arrives cut short, just past the limit
      throw BpfEventsException.of("too-many-fields")
          .with("event", event)
          .with("value", specs.size())
          .with("expected", "at most " + LayoutEngine.MAX_FIELDS + " fields")
          .with("line", line(name))
          .message("event {event} declares more than " + LayoutEngine.MAX_FIELDS
              + " fields; expected {expected}");
    }
    List<FieldSpec> fields = new ArrayList<>(specs.size());
    for (int i = 0; i < specs.size(); i++) {
      fields.add(spec(event, i, specs.get(i), events));
    }
    try {
      return LayoutEngine.layout(event, fields, packing);
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
      throw BpfEventsException.of("bad-event-name")
          .with("value", null)
          .with("expected", "(defevent Name [:field :type] ...)")
          .with("line", 0)
          .message("defevent form is null; expected {expected}");
    }
    List<Form> items = form.items();
    if (items.size() < 2) {
      throw BpfEventsException.of("bad-event-name")
          .with("value", form)
          .with("expected", "(defevent Name [:field :type] ...)")
          .with("line", line(form))
          .message("defevent has no name; expected {expected}");
    }
    if (items.get(1) instanceof Form.SymbolForm s && hasNamespace(s.name())) {
      throw qualified(s);
    }
    if (!(items.get(1) instanceof Form.SymbolForm)) {
      throw BpfEventsException.of("bad-event-name")
          .with("value", items.get(1))
          .with("expected", "a symbol such as ConnectionEvent")
          .with("line", line(items.get(1)))
          .message("defevent name {value} is not a symbol; expected {expected}");
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
    return BpfEventsException.of("bad-event-name")
        .with("value", name)
        .with("expected", "a symbol (or a keyword or non-empty string)")
        .with("line", line(name))
        .message("event name {value} is not a name; expected {expected}");
  }

  /** Whether a symbol's text has a namespace: {@code a/E}, but not {@code /} itself. */
  private static boolean hasNamespace(String symbol) {
    return symbol.indexOf('/') > 0 && symbol.length() > 1;
  }

  /** A symbol with a namespace ({@code a/E}): an event's name is one C identifier. */
  private static BpfEventsException qualified(Form.SymbolForm name) {
    return BpfEventsException.of("bad-event-name")
        .with("value", name)
        .with("expected", "a symbol without a namespace, such as ConnectionEvent")
        .with("line", line(name))
        .message("event name {value} has a namespace; expected {expected}");
  }

  private static Packing packing(String event, Form options) {
    if (!(options instanceof Form.MapForm map)) {
      throw BpfEventsException.of("bad-option")
          .with("event", event)
          .with("value", options)
          .with("expected", "a map such as {{:align :natural}")
          .with("accepted", List.of("align"))
          .with("line", line(options))
          .message("event {event}: options {value} are not a map; expected {expected}");
    }
    Packing packing = Packing.PACKED;
    List<Form> kv = map.items();
    for (int i = 0; i + 1 < kv.size(); i += 2) {
      Form key = kv.get(i);
      Form value = kv.get(i + 1);
      if (!(key instanceof Form.KeywordForm k) || !k.name().equals("align")) {
        throw BpfEventsException.of("bad-option")
            .with("event", event)
            .with("key", key)
            .with("value", value)
            .with("expected", "one of {accepted}")
            .with("accepted", List.of("align"))
            .with("line", line(key))
            .message("event {event}: unknown option {key}; expected {expected}");
      }
      String text = value instanceof Form.KeywordForm v ? v.name() : null;
      try {
        packing = Packing.named(text);
      } catch (BpfEventsException e) {
        throw e.within("event", event, "event {event}").replacing("value", value)
            .with(Map.of("line", line(value)));
      }
    }
    return packing;
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

  private static FieldSpec spec(String event, int index, Form form,
      Function<String, EventLayout> events) {
    if (!(form instanceof Form.VectorForm vector)
        || vector.items().size() < 2 || vector.items().size() > 3) {
      throw BpfEventsException.of("bad-field-spec")
          .with("event", event)
          .with("index", index)
          .with("value", form)
          .with("expected", EXPECTED_SPEC)
          .with("line", line(form))
          .message("event {event}: field spec {index} is {value}; expected {expected}");
    }
    List<Form> parts = vector.items();
    if (!(parts.get(0) instanceof Form.KeywordForm nameForm)) {
      throw BpfEventsException.of("bad-field-name")
          .with("event", event)
          .with("index", index)
          .with("value", parts.get(0))
          .with("expected", "a keyword such as :pid")
          .with("line", line(form))
          .message("event {event}: field name {value} in spec {index} is not a keyword;"
              + " expected {expected}");
    }
    String field = nameForm.name();
    long n = 1;
    if (parts.size() == 3) {
      if (!(parts.get(2) instanceof Form.IntegerForm c)) {
        throw BpfEventsException.of("bad-count")
            .with("event", event)
            .with("field", field)
            .with("index", index)
            .with("value", parts.get(2))
            .with("expected", "an integer from 1 to 2147483647")
            .with("line", line(form))
            .message("event {event}: field {field} has count {value}; expected {expected}");
      }
      n = c.value();
    }
    final long count = n;
    Form type = parts.get(1);
    if (type instanceof Form.KeywordForm k) {
      FieldType t;
      try {
        t = FieldType.named(k.name());
      } catch (BpfEventsException e) {
        throw e.within("event", event, "event {event}: field {field}")
            .with(Map.of("field", field, "index", index, "line", line(form)));
      }
      return withLine(event, index, form, () -> FieldSpec.of(field, t, count));
    }
    try {
      if (type instanceof Form.EventForm e) {
        return withLine(event, index, form, () -> FieldSpec.of(field, e.event(), count));
      }
      if (type instanceof Form.SymbolForm s && events != null) {
        EventLayout nested = events.apply(s.name());
        if (nested != null) {
          return withLine(event, index, form, () -> FieldSpec.of(field, nested, count));
        }
        throw BpfEventsException.of("unknown-type")
            .with("field", field)
            .with("type", type)
            .with("expected", "a type keyword or an event declared above it")
            .with("accepted", FieldType.names())
            .message("field {field} has type {type}, which is not an event declared above"
                + " it; expected {expected}");
      }
    } catch (BpfEventsException e) {
      throw e.within("event", event, "event {event}")
          .with(Map.of("field", field, "index", index, "line", line(form)));
    }
    throw BpfEventsException.of("unknown-type")
        .with("event", event)
        .with("field", field)
        .with("index", index)
        .with("type", type)
        .with("expected", "one of {accepted} or an event")
        .with("accepted", FieldType.names())
        .with("line", line(form))
        .message("event {event}: field {field} has unknown type {type}; expected {expected}");
  }
}
