package io.github.bpfevents.definition;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.HostValues;
import io.github.bpfevents.HostValues.Kind;
import io.github.bpfevents.Problem;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.Field;
import io.github.bpfevents.layout.LayoutEngine;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import java.util.function.Function;

/**
 * Event definitions written in a host language (the Clojure namespace
 * {@code clj-ebpf.dsl.structs}), read through {@link HostValues}: the definition a caller
 * declares ({@code make-event-def}), the layout behind a definition map, hand-made or
 * edited, and the definition map itself, {@code {:name :align :fields :size :field-map}},
 * made as the host writes it.
 *
 * <pre>
 *   Defined d = HostDefinitions.define("Ev", List.of(List.of("pid", "u32")), Map.of(),
 *       HostValues.JAVA);
 *   d.layout().size();   // 4
 *   d.definition();      // {name=Ev, align=packed, fields=[{name=pid, type=u32, ...}], ...}
 * </pre>
 *
 * <p>The host's values are read as {@link Form}s, the way {@link DefinitionReader} reads
 * an event file, so that every rule of the grammar lives there once. Every sequence is
 * read only as far as a limit ({@link #MAX_ITEMS} items of a sequence of specs or of an
 * {@code :enum}; 8 items of any other value, which only a message ever shows), so that an
 * endless sequence is cut and reported, never walked to its end; nesting deeper than
 * {@link LayoutEngine#MAX_DEPTH} (a definition that holds itself included) is refused.
 * Every nested definition is read once per call, by identity. An error is a
 * {@link BpfEventsException} that knows the host value each form came from
 * ({@link BpfEventsException#data(HostValues)} gives it back as the user wrote it).
 */
public final class HostDefinitions {
  /**
   * The most items of a sequence of field specs (or of event definitions, or of an
   * {@code :enum}) read: one past the most fields an event may have.
   */
  public static final int MAX_ITEMS = LayoutEngine.MAX_FIELDS + 1;

  /** The most items of any other sequence read (a message shows no more). */
  private static final int SHOWN_ITEMS = 8;

  /** The depth below which a value is shown as text rather than read as forms. */
  private static final int SHOWN_DEPTH = 4;

  /** The options a field map carries over to its spec, in this order. */
  private static final List<String> FIELD_OPTIONS = List.of("bits", "enum", "to", "kind",
      "aligned");

  /** The keys of a definition map that are options of the event. */
  private static final List<String> EVENT_OPTIONS = List.of("align", "kind", "aligned");

  /**
   * A definition made by {@link #define}: its layout, and the definition map.
   *
   * @param layout the layout
   * @param definition the host's map {@code {:name :align :fields :size :field-map}}
   */
  public record Defined(EventLayout layout, Object definition) {}

  private final HostValues host;
  /** Each form made, by identity, to the host value it was made from. */
  private final IdentityHashMap<Form, Object> origins = new IdentityHashMap<>();
  /** Each definition map laid out during this call, by identity. */
  private final IdentityHashMap<Object, EventLayout> seen = new IdentityHashMap<>();

  private HostDefinitions(HostValues host) {
    if (host == null) {
      throw Problem.MISSING_ARGUMENT_HOST_VALUES_NULL
          .with("value", null)
          .with("expected", "the host's values (HostValues)")
          .build();
    }
    this.host = host;
  }

  /**
   * Lays out the event that a name, field specs and options declare (Clojure's
   * {@code (make-event-def name specs opts)}), and makes its definition map: {@code :name}
   * the name given, {@code :align}, {@code :kind} and {@code :aligned} where the options
   * give them, {@code :fields} the field maps in declaration order (types and options as
   * given), {@code :size}, {@code :field-map} name to field map.
   *
   * @param name the event's name: a symbol, keyword or non-empty string
   * @param specs the field specs, a sequence of {@code [name type count? opts?]}
   * @param options the options map
   * @param host how the values read
   * @return the layout and the definition map
   * @throws BpfEventsException for anything the grammar refuses, its data naming the
   *     value as the caller wrote it
   */
  public static Defined define(Object name, Object specs, Object options, HostValues host) {
    HostDefinitions reader = new HostDefinitions(host);
    EventLayout layout = reader.run(() -> DefinitionReader.define(reader.form(name, 0),
        reader.specsForm(specs, 0), reader.form(options, 0), null));
    List<Object> given = host.items(specs, MAX_ITEMS);
    return new Defined(layout, definition(name, layout, given == null ? List.of() : given,
        options, host));
  }

  /**
   * The layout of an event definition: the one a definition made by {@link #define}
   * holds ({@link HostValues#event}), or for any other map with {@code :fields} (made by
   * hand, or edited), its {@code :name}, options and fields laid out now, and so checked.
   *
   * @param definition the definition
   * @param host how the values read
   * @return the layout
   * @throws BpfEventsException {@code not-an-event} for what is no definition,
   *     {@code too-deep} for nesting beyond {@link LayoutEngine#MAX_DEPTH}, and the
   *     grammar's errors
   */
  public static EventLayout layout(Object definition, HostValues host) {
    EventLayout held = host == null ? null : host.event(definition);
    if (held != null) {
      return held;
    }
    HostDefinitions reader = new HostDefinitions(host);
    return reader.run(() -> reader.layoutOf(definition, 0));
  }

  /**
   * The layouts of one event definition or of a sequence of them (at most
   * {@link LayoutEngine#MAX_FIELDS}), nested definitions laid out once each.
   *
   * @param definitions a definition, or a sequence of them
   * @param host how the values read
   * @return the layouts, in order
   * @throws BpfEventsException {@code no-events} for no sequence of definitions (or an
   *     empty one), {@code not-an-event} naming the first item that is none (before any is
   *     laid out), {@code too-many-events}, and the errors of {@link #layout}
   */
  public static List<EventLayout> layouts(Object definitions, HostValues host) {
    HostDefinitions reader = new HostDefinitions(host);
    return reader.run(() -> reader.layoutsOf(definitions));
  }

  /**
   * Checks the name a {@code defevent} form defines: a symbol.
   *
   * @param name the name as written
   * @param host how the values read
   * @throws BpfEventsException {@code bad-event-name} for anything else
   */
  public static void requireSymbol(Object name, HostValues host) {
    if (host.kind(name) != Kind.SYMBOL) {
      throw Problem.BAD_EVENT_NAME_DEFEVENT_SYMBOL
          .with("value", name)
          .with("expected", "a symbol")
          .build();
    }
  }

  /**
   * The error for a defevent form whose shape a host's grammar of the form refuses (the
   * Clojure namespace's spec {@code :clj-ebpf.dsl.structs/defevent-args}) while {@link
   * #define} finds nothing wrong with its name, specs and options.
   *
   * @return the error, {@code "bad-defevent"}, to be thrown by the caller
   */
  public static BpfEventsException malformedDefevent() {
    return Problem.MALFORMED_DEFEVENT
        .with("expected", "(defevent Name opts? [name type count?]...)")
        .build();
  }

  /**
   * Whether x is an event definition: one that holds its layout, or a map with
   * {@code :fields}.
   *
   * @param x any host value
   * @param host how the values read
   * @return true for a definition
   */
  public static boolean isDefinition(Object x, HostValues host) {
    Kind k = host.kind(x);
    return k == Kind.EVENT || (k == Kind.MAP && host.has(x, "fields"));
  }

  /**
   * The field maps of an event definition, the host's vector in declaration order: a
   * definition's {@code :fields} when it holds its layout, else made from its fields laid
   * out now.
   *
   * @param definition the definition
   * @param host how the values read
   * @return the field maps
   * @throws BpfEventsException as {@link #layout}
   */
  public static Object fieldMaps(Object definition, HostValues host) {
    EventLayout layout = layout(definition, host);
    if (host.event(definition) != null) {
      return host.get(definition, "fields");
    }
    List<Object> specs = new HostDefinitions(host).fieldSpecs(host.get(definition, "fields"));
    return fieldList(layout, specs == null ? List.of() : specs, host);
  }

  /**
   * The field specs {@code [name type count? opts?]} that a definition map's
   * {@code :fields} declare: specs as they are, field maps ({@code :name :type} and as
   * given {@code :count}, {@code :flexible} and the options) as the specs that make them.
   *
   * @param definition the definition map
   * @param host how the values read
   * @return the specs (at most {@link #MAX_ITEMS}), or null when {@code :fields} is no
   *     sequence
   */
  public static List<Object> fieldSpecs(Object definition, HostValues host) {
    return new HostDefinitions(host).fieldSpecs(host.get(definition, "fields"));
  }

  /**
   * The type a field spec gives, as written: the second item of {@code [name type ...]},
   * the first of an unnamed {@code [type]} or {@code [type opts]}.
   *
   * @param spec the spec
   * @param host how the values read
   * @return the type, or null
   */
  public static Object specType(Object spec, HostValues host) {
    Kind k = host.kind(spec);
    if (k != Kind.VECTOR && k != Kind.SEQUENCE) {
      return null;
    }
    List<Object> parts = host.items(spec, 3);
    if (k == Kind.VECTOR && (parts.size() == 1 || (parts.size() == 2
        && isOptions(parts.get(1), host)))) {
      return parts.get(0);
    }
    return parts.size() > 1 ? parts.get(1) : null;
  }

  /**
   * The options map that ends a field spec ({@code :bits :enum :to :kind :aligned}).
   *
   * @param spec the spec
   * @param host how the values read
   * @return the map, or null
   */
  public static Object specOptions(Object spec, HostValues host) {
    if (host.kind(spec) != Kind.VECTOR) {
      return null;
    }
    List<Object> parts = host.items(spec, MAX_ITEMS);
    Object last = parts.size() < 2 ? null : parts.get(parts.size() - 1);
    return isOptions(last, host) ? last : null;
  }

  /** A map that is no event definition: a spec's options. */
  private static boolean isOptions(Object x, HostValues host) {
    return host.kind(x) == Kind.MAP && !host.has(x, "fields");
  }

  // ---------------------------------------------------------------------------------
  // The definition map

  /** The definition map of a layout laid out from the given specs and options. */
  private static Object definition(Object name, EventLayout layout, List<Object> specs,
      Object options, HostValues host) {
    List<Object> kv = new ArrayList<>(14);
    put(kv, host, "name", name);
    put(kv, host, "align", host.keyword(layout.packing().optionName()));
    for (String option : List.of("kind", "aligned")) {
      if (host.has(options, option)) {
        put(kv, host, option, host.get(options, option));
      }
    }
    Object[] fields = fieldArray(layout, specs, host);
    List<Object> named = new ArrayList<>();
    for (Object f : fields) {
      Object n = host.get(f, "name");
      if (n != null) {
        named.add(n);
        named.add(f);
      }
    }
    put(kv, host, "fields", host.list(fields));
    put(kv, host, "size", layout.size());
    put(kv, host, "field-map", host.lookup(named.toArray()));
    return host.map(kv.toArray());
  }

  /** The field maps of a layout's fields, types and options from the specs that made them. */
  private static Object fieldList(EventLayout layout, List<Object> specs, HostValues host) {
    return host.list(fieldArray(layout, specs, host));
  }

  private static Object[] fieldArray(EventLayout layout, List<Object> specs,
      HostValues host) {
    List<Field> fields = layout.fields();
    int n = Math.min(fields.size(), specs.size());
    Object[] out = new Object[n];
    for (int i = 0; i < n; i++) {
      Object spec = specs.get(i);
      out[i] = fieldMap(fields.get(i), specType(spec, host), specOptions(spec, host), host);
    }
    return out;
  }

  /**
   * A placed field as the definition shows it: {@code {:name :type :count :size :offset}},
   * and as they apply {@code :bits :bit-offset} (a bitfield), {@code :flexible}, and the
   * options {@code :enum :to :kind :aligned} as given.
   */
  private static Object fieldMap(Field f, Object type, Object options, HostValues host) {
    List<Object> kv = new ArrayList<>(20);
    put(kv, host, "name", f.name() == null ? null : host.keyword(f.name()));
    put(kv, host, "type", type);
    put(kv, host, "count", f.count());
    put(kv, host, "size", f.size());
    put(kv, host, "offset", f.offset());
    if (f.isBitfield()) {
      put(kv, host, "bits", f.bits());
      put(kv, host, "bit-offset", f.bitOffset());
    }
    if (f.isFlexible()) {
      put(kv, host, "flexible", true);
    }
    for (String option : List.of("enum", "to", "kind", "aligned")) {
      if (host.has(options, option)) {
        put(kv, host, option, host.get(options, option));
      }
    }
    return host.map(kv.toArray());
  }

  private static void put(List<Object> kv, HostValues host, String key, Object value) {
    kv.add(host.key(key));
    kv.add(value);
  }

  // ---------------------------------------------------------------------------------
  // Host values as forms

  /** Runs a read; its error learns the host value of each form. */
  private <T> T run(java.util.function.Supplier<T> read) {
    try {
      return read.get();
    } catch (BpfEventsException e) {
      throw e.hosted(origins);
    }
  }

  private Form remember(Form f, Object x) {
    origins.put(f, x);
    return f;
  }

  private boolean isDef(Object x) {
    return isDefinition(x, host);
  }

  private boolean isMap(Object x) {
    Kind k = host.kind(x);
    return k == Kind.MAP || k == Kind.EVENT;
  }

  private boolean isSequence(Object x) {
    Kind k = host.kind(x);
    return k == Kind.VECTOR || k == Kind.SEQUENCE || k == Kind.NIL;
  }

  private static Form more() {
    return new Form.OtherForm(0, "...");
  }

  /** x as a form, as written; other sequences than specs are cut after a few items. */
  Form form(Object x, int depth) {
    Kind k = host.kind(x);
    Form f;
    if (k == Kind.KEYWORD) {
      f = new Form.KeywordForm(0, host.text(x));
    } else if (k == Kind.SYMBOL) {
      f = new Form.SymbolForm(0, host.text(x));
    } else if (k == Kind.STRING) {
      f = new Form.StringForm(0, host.text(x));
    } else if (k == Kind.INTEGER && host.integer(x) instanceof Long n) {
      f = new Form.IntegerForm(0, n);
    } else if (k == Kind.INTEGER && host.integer(x) instanceof java.math.BigInteger b
        && b.bitLength() <= 128) {
      f = new Form.BigIntegerForm(0, b);
    } else if (depth > SHOWN_DEPTH) {
      f = new Form.OtherForm(0, host.show(x));
    } else if (k == Kind.VECTOR || k == Kind.SEQUENCE) {
      List<Object> items = host.items(x, SHOWN_ITEMS + 1);
      List<Form> forms = new ArrayList<>(items.size());
      for (int i = 0; i < Math.min(items.size(), SHOWN_ITEMS); i++) {
        forms.add(form(items.get(i), depth + 1));
      }
      if (items.size() > SHOWN_ITEMS) {
        forms.add(more());
      }
      f = k == Kind.VECTOR ? new Form.VectorForm(0, forms) : new Form.ListForm(0, forms);
    } else if (k == Kind.MAP || k == Kind.EVENT) {
      List<Form> forms = new ArrayList<>();
      for (Map.Entry<Object, Object> e : host.entries(x, SHOWN_ITEMS)) {
        forms.add(form(e.getKey(), depth + 1));
        forms.add(form(e.getValue(), depth + 1));
      }
      f = new Form.MapForm(0, forms);
    } else {
      f = new Form.OtherForm(0, host.show(x));
    }
    return remember(f, x);
  }

  /** A type (or an option's value): a definition becomes its layout. */
  private Form typeForm(Object t, int depth) {
    if (isDef(t)) {
      return remember(new Form.EventForm(0, layoutOf(t, depth + 1)), t);
    }
    return form(t, 0);
  }

  /** An {@code :enum} map, every enumerator up to {@link #MAX_ITEMS}. */
  private Form enumForm(Object m) {
    if (!isMap(m)) {
      return form(m, 0);
    }
    return remember(mapForm(host.entries(m, MAX_ITEMS + 1), MAX_ITEMS,
        e -> form(e.getValue(), 0)), m);
  }

  /** Entries as a map form: the first {@code limit}, then two {@code ...} when more. */
  private Form mapForm(List<Map.Entry<Object, Object>> entries, int limit,
      Function<Map.Entry<Object, Object>, Form> value) {
    List<Form> forms = new ArrayList<>(2 * Math.min(entries.size(), limit) + 2);
    for (int i = 0; i < Math.min(entries.size(), limit); i++) {
      forms.add(form(entries.get(i).getKey(), 0));
      forms.add(value.apply(entries.get(i)));
    }
    if (entries.size() > limit) {
      forms.add(more());
      forms.add(more());
    }
    return new Form.MapForm(0, forms);
  }

  /** A field's options: an event under {@code :to} as its layout, an {@code :enum} whole. */
  private Form optionsForm(Object m, int depth) {
    return remember(mapForm(host.entries(m, SHOWN_ITEMS + 1), SHOWN_ITEMS, e -> {
      Object key = e.getKey();
      boolean isEnum = host.kind(key) == Kind.KEYWORD && "enum".equals(host.text(key));
      return isEnum ? enumForm(e.getValue()) : typeForm(e.getValue(), depth);
    }), m);
  }

  /** A field spec: {@code [name type count? opts?]} or {@code [type opts?]}. */
  private Form specForm(Object spec, int depth) {
    List<Object> parts = host.kind(spec) == Kind.VECTOR ? host.items(spec, 5) : null;
    if (parts == null || parts.isEmpty() || parts.size() > 4) {
      return form(spec, 0);
    }
    List<Form> forms = new ArrayList<>(parts.size());
    for (int i = 0; i < parts.size(); i++) {
      Object x = parts.get(i);
      if (i > 0 && isOptions(x, host)) {
        forms.add(optionsForm(x, depth));
      } else if (i <= 1) {
        forms.add(typeForm(x, depth));
      } else {
        forms.add(form(x, 0));
      }
    }
    return remember(new Form.VectorForm(0, forms), spec);
  }

  /** The field specs as a vector form, cut at {@link #MAX_ITEMS}, each read when asked for. */
  private Form specsForm(Object specs, int depth) {
    if (!isSequence(specs)) {
      return form(specs, 0);
    }
    List<Object> items = host.items(specs, MAX_ITEMS);
    return specsForm(items == null ? List.of() : items, specs, depth);
  }

  private Form specsForm(List<Object> items, Object origin, int depth) {
    return remember(new Form.VectorForm(0, new LazyForms(items, x -> specForm(x, depth))),
        origin);
  }

  /** A list whose items become forms when the reader asks for them, not before. */
  private static final class LazyForms extends AbstractList<Form> implements RandomAccess {
    private final List<Object> items;
    private final Function<Object, Form> read;

    LazyForms(List<Object> items, Function<Object, Form> read) {
      this.items = items;
      this.read = read;
    }

    @Override
    public Form get(int index) {
      return read.apply(items.get(index));
    }

    @Override
    public int size() {
      return items.size();
    }
  }

  /** The specs of a definition map's {@code :fields}, or null when they are no sequence. */
  private List<Object> fieldSpecs(Object fields) {
    if (!isSequence(fields)) {
      return null;
    }
    List<Object> items = host.items(fields, MAX_ITEMS);
    if (items == null) {
      return new ArrayList<>();
    }
    List<Object> specs = new ArrayList<>(items.size());
    for (Object f : items) {
      specs.add(isMap(f) && host.has(f, "name") && host.has(f, "type") ? specOf(f) : f);
    }
    return specs;
  }

  /** The spec that makes a field map. */
  private Object specOf(Object f) {
    List<Object> kv = new ArrayList<>();
    for (String option : FIELD_OPTIONS) {
      if (host.has(f, option)) {
        kv.add(host.key(option));
        kv.add(host.get(f, option));
      }
    }
    List<Object> parts = new ArrayList<>(4);
    Object name = host.get(f, "name");
    Object count = host.get(f, "count");
    if (name == null) {
      parts.add(host.get(f, "type"));
    } else {
      parts.add(name);
      parts.add(host.get(f, "type"));
      Object flexible = host.get(f, "flexible");
      if (flexible != null && !Boolean.FALSE.equals(flexible)
          && host.integer(count) instanceof Long c && c == 0) {
        parts.add(host.list(new Object[0]));
      } else if (host.has(f, "count")) {
        parts.add(count);
      }
    }
    if (!kv.isEmpty()) {
      parts.add(host.map(kv.toArray()));
    }
    return host.list(parts.toArray());
  }

  private EventLayout layoutOf(Object d, int depth) {
    EventLayout held = host.event(d);
    if (held != null) {
      return held;
    }
    if (seen.containsKey(d)) {
      return seen.get(d);
    }
    if (!isDef(d)) {
      throw Problem.NOT_AN_EVENT_DEFINITION
          .with("value", d)
          .with("expected", "an event definition (make-event-def, defevent)")
          .build();
    }
    if (depth >= LayoutEngine.MAX_DEPTH) {
      throw Problem.TOO_DEEP_MORE_HOLDS_ITSELF
          .with("value", host.get(d, "name"))
          .with("expected", "events nested at most " + LayoutEngine.MAX_DEPTH + " deep")
          .build();
    }
    Object fields = host.get(d, "fields");
    List<Object> specs = fieldSpecs(fields);
    Form specsForm = specs == null ? form(fields, 0) : specsForm(specs, fields, depth);
    List<Object> kv = new ArrayList<>(6);
    for (String option : EVENT_OPTIONS) {
      if (host.has(d, option)) {
        kv.add(host.key(option));
        kv.add(host.get(d, option));
      }
    }
    EventLayout l = DefinitionReader.define(form(host.get(d, "name"), 0), specsForm,
        form(host.map(kv.toArray()), 0), null);
    seen.put(d, l);
    return l;
  }

  private List<EventLayout> layoutsOf(Object defs) {
    List<Object> head;
    if (isDef(defs)) {
      head = List.of(defs);
    } else {
      Kind k = host.kind(defs);
      head = k == Kind.VECTOR || k == Kind.SEQUENCE
          ? host.items(defs, LayoutEngine.MAX_FIELDS + 1) : null;
      if (head == null || head.isEmpty()) {
        throw Problem.NO_EVENTS_HOLDS_EVENT_DEFINITIONS
            .with("value", defs)
            .with("expected", "an event definition or a sequence of them")
            .build();
      }
    }
    // what is no definition at all is named first (a seq of numbers is not "too many
    // events"); the count is checked before any definition is laid out
    for (Object d : head) {
      if (!isDef(d)) {
        layoutOf(d, 0);
      }
    }
    if (head.size() > LayoutEngine.MAX_FIELDS) {
      throw Problem.TOO_MANY_EVENTS
          .with("value", defs)
          .with("expected", "at most " + LayoutEngine.MAX_FIELDS + " event definitions")
          .build();
    }
    List<EventLayout> out = new ArrayList<>(head.size());
    for (Object d : head) {
      out.add(layoutOf(d, 0));
    }
    return out;
  }
}
