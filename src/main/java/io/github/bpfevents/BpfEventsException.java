package io.github.bpfevents;

import io.github.bpfevents.asm.Insn;
import io.github.bpfevents.definition.Form;
import io.github.bpfevents.layout.EventLayout;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one exception type of bpf-events: thrown for every bad input, at the call that
 * received it, before anything is built.
 *
 * <p>The message names the offending value and says what was expected. {@link #data()}
 * carries the same facts for programs, in a fixed vocabulary of keys:
 *
 * <ul>
 *   <li>{@code "problem"}: what kind of mistake it is, such as {@code "unknown-type"} or
 *       {@code "offset-out-of-range"} (always present);
 *   <li>{@code "field"}, {@code "type"}, {@code "register"}, {@code "key"}: names
 *       (Strings) of the field, type, register or option involved; {@code "field"} holds
 *       the path (a List) for a field inside a nested event;
 *   <li>{@code "path"}: field names and indices, as {@code EventLayout.resolve} takes them;
 *   <li>{@code "value"}: the offending value as it was given;
 *   <li>{@code "expected"}: a description of what would have been accepted;
 *   <li>{@code "accepted"}: where the choices are names, the list of them (type names,
 *       field names);
 *   <li>other keys as the problem needs ({@code "index"}, {@code "offset"}, ...).
 * </ul>
 *
 * <p>The message is kept as a template whose {@code {key}} places are filled from the
 * data, so the same error reads naturally in Java ({@link #getMessage()}: {@code event
 * ConnectionEvent has no field nope}) and in Clojure ({@link #message(Notation)} with
 * {@link Notation#EDN}: {@code event ConnectionEvent has no field :nope}). Quoted values
 * are bounded excerpts: no value, however large or endless, makes a message long or slow.
 * The Clojure namespace {@code clj-ebpf.dsl.structs} turns this exception into an
 * {@code ex-info} with that message and the same data under keyword keys.
 *
 * <p>Every problem the core reports is an entry of the catalog {@link Problem}, which holds
 * its code, its template and the data keys it may carry; a site names the entry and adds
 * the data:
 *
 * <pre>{@code
 * throw BpfEventsException.of(Problem.NO_FIELDS)
 *     .with("event", name)
 *     .with("expected", "at least one field")
 *     .build();
 * }</pre>
 */
public final class BpfEventsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A place in a template, {@code {field}}, or an escaped brace, <code>{{</code>. */
  private static final Pattern PLACE = Pattern.compile("\\{\\{|\\{([a-z][a-z0-9-]*)\\}");
  /** Keys whose String values are names: {@code :pid} in EDN. */
  private static final Set<String> NAMES = Set.of("field", "type", "register", "key", "member",
      "step", "enumerator");
  /** Keys whose values are paths of names and indices. */
  private static final Set<String> PATHS = Set.of("path", "at");
  /** Keys whose values are lists of names. */
  private static final Set<String> NAME_LISTS = Set.of("accepted");
  /** Keys whose values are shown as values (strings quoted) even when they are Strings. */
  private static final Set<String> VALUES = Set.of("value");

  /** The kind of mistake. */
  private final String problem;
  /** The catalog entry the error was built from; null for one built from a code alone. */
  private final Problem entry;
  /** The message with {@code {key}} places. */
  private final String template;
  /** The facts of the error. */
  private final Map<String, Object> data;
  /** Each form of the data, by identity, to the host value it was read from; or null. */
  private final transient Map<?, ?> origins;

  private BpfEventsException(String template, String problem, Problem entry,
      Map<String, Object> data, Map<?, ?> origins) {
    super();
    this.template = template;
    this.problem = problem;
    this.entry = entry;
    this.data = data;
    this.origins = origins;
  }

  /**
   * Starts an exception for the given kind of problem.
   *
   * @param problem the kind of mistake, a short lower-case name such as {@code "unknown-type"}
   * @return a builder collecting the data entries
   * @deprecated name the problem's entry in the catalog instead: {@link #of(Problem)}
   */
  @Deprecated
  public static Builder of(String problem) {
    return new Builder(problem, null);
  }

  /**
   * Starts an exception for an entry of the catalog: its code becomes {@link #problem()},
   * its template the message, and {@link Builder#build()} finishes it.
   *
   * <pre>{@code
   * BpfEventsException.of(Problem.NO_FIELDS).with("event", "Empty")
   *     .with("expected", "at least one field").build()
   * }</pre>
   *
   * @param entry the catalog entry
   * @return a builder collecting the data entries
   * @throws NullPointerException if the entry is null
   */
  public static Builder of(Problem entry) {
    return new Builder(java.util.Objects.requireNonNull(entry, "entry").code(), entry);
  }

  /**
   * The kind of mistake, for example {@code "unknown-type"}.
   *
   * @return the problem name, never null
   */
  public String problem() {
    return problem;
  }

  /**
   * The catalog entry this error was built from (an error widened by {@link #within},
   * {@link #with} or {@link #replacing} keeps its entry); empty only for an error built
   * with the deprecated {@link #of(String)}.
   *
   * @return the entry
   */
  public Optional<Problem> entry() {
    return Optional.ofNullable(entry);
  }

  /**
   * The facts of the error: the problem and, as it applies, the field, type, register,
   * offending value and what was expected. Keys keep the order they were added in.
   *
   * @return an unmodifiable map, never empty
   */
  public Map<String, Object> data() {
    return data;
  }

  /**
   * The message in Java notation: names as they are, {@code field pid}.
   *
   * @return the message
   */
  @Override
  public String getMessage() {
    return message(Notation.JAVA);
  }

  /**
   * The message in the given notation.
   *
   * @param notation {@link Notation#EDN} for Clojure users ({@code field :pid})
   * @return the message
   */
  public String message(Notation notation) {
    return render(template, notation);
  }

  /**
   * A text with {@code {key}} places, filled from this error's data in the given notation;
   * a place whose key the data lacks stays as it is. This is how the {@code "expected"}
   * entry reads in a notation: {@code render((String) data().get("expected"), EDN)}.
   *
   * @param text the template
   * @param notation how names and values are written
   * @return the text
   */
  public String render(String text, Notation notation) {
    return render(text, notation, true);
  }

  private String render(String text, Notation notation, boolean outer) {
    if (text == null) {
      return "";
    }
    Matcher m = PLACE.matcher(text);
    StringBuilder b = new StringBuilder();
    while (m.find()) {
      String key = m.group(1);
      Object v = key == null ? null : data.get(key);
      String filled;
      if (key == null) {
        filled = "{";
      } else if (!data.containsKey(key)) {
        filled = m.group();
      } else if (key.equals("expected") && v instanceof String s) {
        filled = outer ? render(s, notation, false) : s;
      } else {
        filled = show(key, v, notation);
      }
      m.appendReplacement(b, Matcher.quoteReplacement(filled));
    }
    m.appendTail(b);
    return b.toString();
  }

  /**
   * One data entry as a message shows it.
   *
   * @param key the entry's key, which decides whether a String is a name
   * @param value the entry's value
   * @param notation how names and values are written
   * @return the text
   */
  public static String show(String key, Object value, Notation notation) {
    if (PATHS.contains(key) || (NAMES.contains(key) && value instanceof List)) {
      return Excerpt.path(value, notation);
    }
    if (NAMES.contains(key)) {
      return Excerpt.name(value, notation);
    }
    if (NAME_LISTS.contains(key)) {
      return Excerpt.names(value, notation);
    }
    if (value instanceof String s && !VALUES.contains(key)) {
      return s;
    }
    return Excerpt.value(value, notation);
  }

  /**
   * The same error seen from a wider context: the data gains one entry (placed after
   * {@code "problem"}, unless the data has it already) and the message a prefix. The
   * original becomes the cause.
   *
   * @param key the entry's name, for example {@code "field"}
   * @param value the entry's value
   * @param context the message prefix, a template such as {@code "field {field}"}
   * @return the new exception
   */
  public BpfEventsException within(String key, Object value, String context) {
    LinkedHashMap<String, Object> d = new LinkedHashMap<>();
    d.put("problem", problem);
    d.put(key, value);
    for (Map.Entry<String, Object> e : data.entrySet()) {
      d.putIfAbsent(e.getKey(), e.getValue());
    }
    BpfEventsException wider = new BpfEventsException(
        context + ": " + template, problem, entry, Collections.unmodifiableMap(d), origins);
    wider.initCause(this);
    return wider;
  }

  /**
   * The same error with more data entries (those the data has already are kept), the
   * message unchanged.
   *
   * @param more entries to add
   * @return the new exception, with this one as its cause
   */
  public BpfEventsException with(Map<String, ?> more) {
    LinkedHashMap<String, Object> d = new LinkedHashMap<>(data);
    for (Map.Entry<String, ?> e : more.entrySet()) {
      d.putIfAbsent(e.getKey(), e.getValue());
    }
    BpfEventsException wider = new BpfEventsException(template, problem, entry,
        Collections.unmodifiableMap(d), origins);
    wider.initCause(this);
    return wider;
  }

  /**
   * The same error with one entry's value replaced (or added), the message unchanged: for
   * a caller that knows better how the user wrote the value.
   *
   * @param key the entry's name
   * @param value its new value
   * @return the new exception, with this one as its cause
   */
  public BpfEventsException replacing(String key, Object value) {
    LinkedHashMap<String, Object> d = new LinkedHashMap<>(data);
    d.put(key, value);
    BpfEventsException wider = new BpfEventsException(template, problem, entry,
        Collections.unmodifiableMap(d), origins);
    wider.initCause(this);
    return wider;
  }

  /**
   * The same error, knowing the host value each {@link Form} of its data was read from, so
   * that {@link #data(HostValues)} gives the value back as the user wrote it. The data and
   * message are unchanged; this error becomes the cause.
   *
   * @param origins each form, by identity, to its host value (an {@link
   *     java.util.IdentityHashMap}); kept, not copied
   * @return the new exception
   */
  public BpfEventsException hosted(Map<?, ?> origins) {
    BpfEventsException e = new BpfEventsException(template, problem, entry, data, origins);
    e.initCause(this);
    return e;
  }

  /** Keys whose String values, alone or in a list, are names for a host: keywords. */
  private static final Set<String> HOST_NAMES = Set.of("field", "type", "register", "key",
      "member", "step", "path", "at", "accepted", "enumerator");

  /** How many items of a host's sequence the data keeps before it ends in {@code ...}. */
  private static final int HOST_ITEMS = 8;

  /**
   * The data as the host writes it: a map of the host's keys ({@code :problem}) in the
   * data's order, each value as the host reads it. The problem is a name ({@code
   * :unknown-type}); {@code "expected"} is rendered in the host's notation; a form is the
   * host value it was read from (see {@link #hosted}) or the value it reads as; a String
   * under a key that holds names ({@code field type register key member step path at
   * accepted}) is a name, and so is each String of a list under one; an event layout is
   * its name as a symbol; an instruction the map {@code {:opcode :dst :src :offset :imm}};
   * a host value too large to print quickly (a sequence without end, nesting deeper than 8,
   * thousands of items) is a copy of its first items, each collection cut after 8 and
   * ending in the symbol {@code ...}; other values are kept.
   *
   * <pre>
   *   (ex-info (.message e Notation/EDN) (.data e host))
   *   ;=> {:problem :unknown-field, :field :nope, :accepted [:pid :comm] ...}
   * </pre>
   *
   * @param host how the host makes its values (Clojure's keywords, maps and vectors)
   * @return the host's map
   */
  public Object data(HostValues host) {
    Object[] kv = new Object[2 * data.size()];
    int i = 0;
    for (Map.Entry<String, Object> e : data.entrySet()) {
      String k = e.getKey();
      Object v = e.getValue();
      Object out;
      if (k.equals("problem")) {
        out = host.keyword(problem);
      } else if (k.equals("expected") && (v == null || v instanceof String)) {
        out = render((String) v, Notation.EDN);
      } else if (k.equals("value") && problem.equals("bad-path") && v instanceof String s) {
        out = host.keyword(s);
      } else {
        out = hostValue(k, v, host);
      }
      kv[i++] = host.keyword(k);
      kv[i++] = out;
    }
    return host.map(kv);
  }

  private Object hostValue(String key, Object v, HostValues host) {
    if (v instanceof Form f) {
      return formValue(f, origins, host);
    } else if (v instanceof String s && key != null && HOST_NAMES.contains(key)) {
      return host.keyword(s);
    } else if (v instanceof EventLayout l) {
      return host.symbol(l.name());
    } else if (v instanceof Insn n) {
      return host.map(new Object[] {host.keyword("opcode"), (long) n.opcode(),
          host.keyword("dst"), (long) n.dst(), host.keyword("src"), (long) n.src(),
          host.keyword("offset"), (long) n.offset(), host.keyword("imm"), (long) n.imm()});
    } else if (v instanceof List<?> list && v.getClass().getName().startsWith("java.")) {
      // a list the core made (a host's own vectors and sequences are kept below)
      Object[] items = new Object[list.size()];
      for (int j = 0; j < items.length; j++) {
        Object x = list.get(j);
        items[j] = key != null && HOST_NAMES.contains(key)
            ? (x instanceof String s ? host.keyword(s) : x) : hostValue(null, x, host);
      }
      return host.list(items);
    }
    return bounded(v, host);
  }

  /** Levels of host collections the data keeps; a deeper one is the symbol {@code ...}. */
  private static final int HOST_DEPTH = 8;
  /** Items and entries, at every level, that a host value in the data may hold and be kept. */
  private static final int HOST_BUDGET = 4096;
  /** Items and entries, at every level, of the copy that stands for a larger value. */
  private static final int HOST_CUT = 256;

  /**
   * A host value as the data keeps it: the value itself when it is small (a sequence
   * without end, one of more than {@link #HOST_ITEMS} items that has no count, nesting
   * deeper than {@link #HOST_DEPTH}, or more than {@link #HOST_BUDGET} items in all are
   * not), else a copy of its first items at each level, each collection cut after {@link
   * #HOST_ITEMS} items and ending in the symbol {@code ...}: so that the data prints, and
   * quickly, whatever the caller handed over.
   */
  private static Object bounded(Object v, HostValues host) {
    return fits(v, host, 0, new int[] {HOST_BUDGET}) ? v : cut(v, host, 0, new int[] {HOST_CUT});
  }

  private static boolean fits(Object v, HostValues host, int depth, int[] budget) {
    HostValues.Kind k = host.kind(v);
    if (k != HostValues.Kind.VECTOR && k != HostValues.Kind.SEQUENCE && k != HostValues.Kind.MAP) {
      return true;
    } else if (depth >= HOST_DEPTH) {
      return false;
    }
    int limit = k == HostValues.Kind.SEQUENCE ? HOST_ITEMS : budget[0];
    if (k == HostValues.Kind.MAP) {
      List<Map.Entry<Object, Object>> entries = host.entries(v, budget[0] + 1);
      budget[0] -= entries.size();
      if (budget[0] < 0) {
        return false;
      }
      for (Map.Entry<Object, Object> e : entries) {
        if (!fits(e.getKey(), host, depth + 1, budget)
            || !fits(e.getValue(), host, depth + 1, budget)) {
          return false;
        }
      }
      return true;
    }
    List<Object> items = host.items(v, limit + 1);
    budget[0] -= items.size();
    if (items.size() > limit || budget[0] < 0) {
      return false;
    }
    for (Object x : items) {
      if (!fits(x, host, depth + 1, budget)) {
        return false;
      }
    }
    return true;
  }

  private static Object cut(Object v, HostValues host, int depth, int[] budget) {
    HostValues.Kind k = host.kind(v);
    if (k != HostValues.Kind.VECTOR && k != HostValues.Kind.SEQUENCE && k != HostValues.Kind.MAP) {
      return v;
    } else if (depth >= HOST_DEPTH || budget[0] <= 0) {
      return host.symbol("...");
    }
    Object more = host.symbol("...");
    if (k == HostValues.Kind.MAP) {
      List<Map.Entry<Object, Object>> entries = host.entries(v, HOST_ITEMS + 1);
      // keys cut alike are kept once
      Map<Object, Object> kv = new LinkedHashMap<>();
      for (int i = 0; i < entries.size(); i++) {
        if (i == HOST_ITEMS || budget[0]-- <= 0) {
          kv.putIfAbsent(more, more);
          break;
        }
        kv.putIfAbsent(cut(entries.get(i).getKey(), host, depth + 1, budget),
            cut(entries.get(i).getValue(), host, depth + 1, budget));
      }
      Object[] flat = new Object[2 * kv.size()];
      int n = 0;
      for (Map.Entry<Object, Object> e : kv.entrySet()) {
        flat[n++] = e.getKey();
        flat[n++] = e.getValue();
      }
      return host.map(flat);
    }
    List<Object> items = host.items(v, HOST_ITEMS + 1);
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      if (i == HOST_ITEMS || budget[0]-- <= 0) {
        out.add(more);
        break;
      }
      out.add(cut(items.get(i), host, depth + 1, budget));
    }
    return k == HostValues.Kind.VECTOR ? host.list(out.toArray()) : host.sequence(out.toArray());
  }

  /** A form as the host value it was read from, or as the value it reads as. */
  private static Object formValue(Form f, Map<?, ?> origins, HostValues host) {
    Object origin = origins == null ? null : origins.get(f);
    if (origin != null && !Boolean.FALSE.equals(origin)) {
      return bounded(origin, host);
    }
    return formItems(f, origins, host);
  }

  /**
   * The host value a form reads as: a keyword, symbol, integer or string as itself,
   * vectors, lists and maps of the values their items read as, an event as its name's
   * symbol, any other form as its text.
   *
   * @param f the form
   * @param host how the host makes its values
   * @return the value
   */
  public static Object formData(Form f, HostValues host) {
    return formItems(f, null, host);
  }

  private static Object formItems(Form f, Map<?, ?> origins, HostValues host) {
    if (f instanceof Form.KeywordForm k) {
      return host.keyword(k.name());
    } else if (f instanceof Form.SymbolForm s) {
      return host.symbol(s.name());
    } else if (f instanceof Form.IntegerForm n) {
      return n.value();
    } else if (f instanceof Form.BigIntegerForm n) {
      return n.value();
    } else if (f instanceof Form.StringForm s) {
      return s.value();
    } else if (f instanceof Form.EventForm e) {
      return host.symbol(e.event().name());
    } else if (f instanceof Form.OtherForm o) {
      return o.show();
    }
    List<Form> items = f instanceof Form.VectorForm v ? v.items()
        : f instanceof Form.ListForm l ? l.items() : ((Form.MapForm) f).items();
    Object[] out = new Object[items.size()];
    for (int j = 0; j < out.length; j++) {
      out[j] = formValue(items.get(j), origins, host);
    }
    return f instanceof Form.VectorForm ? host.list(out)
        : f instanceof Form.ListForm ? host.sequence(out) : host.map(out);
  }

  /** Collects the entries of a {@link BpfEventsException} before it is thrown. */
  public static final class Builder {
    private final String problem;
    private final Problem entry;
    private final LinkedHashMap<String, Object> data = new LinkedHashMap<>();

    private Builder(String problem, Problem entry) {
      this.problem = problem;
      this.entry = entry;
      data.put("problem", problem);
    }

    /**
     * Adds one data entry; a null value is recorded as null (it is the offending value).
     *
     * @param key the entry's name
     * @param value the entry's value
     * @return this builder
     */
    public Builder with(String key, Object value) {
      data.put(key, value);
      return this;
    }

    /**
     * Finishes the exception.
     *
     * @param template the message, naming the value and what was expected, with
     *     {@code {key}} where a data entry is shown: {@code "event {event} has no field
     *     {field}; expected one of {accepted}"}
     * @return the exception, to be thrown by the caller
     */
    public BpfEventsException message(String template) {
      if (entry != null) {
        throw new IllegalStateException("the catalog entry " + entry.name()
            + " has its template; finish it with build()");
      }
      return new BpfEventsException(template, problem, null,
          Collections.unmodifiableMap(new LinkedHashMap<>(data)), null);
    }

    /**
     * Finishes an exception started from a catalog entry, with the entry's template. With
     * assertions enabled it checks the data against the entry: every key the template
     * names is present and no key is one the entry does not declare.
     *
     * @return the exception, to be thrown by the caller
     * @throws IllegalStateException if the builder was started from a code alone
     */
    public BpfEventsException build() {
      if (entry == null) {
        throw new IllegalStateException("the problem " + problem
            + " has no catalog entry; finish it with message(template)");
      }
      assert entry.check(data.keySet());
      return new BpfEventsException(entry.template(), problem, entry,
          Collections.unmodifiableMap(new LinkedHashMap<>(data)), null);
    }

    /**
     * Finishes the exception with a message shown as it is, in every notation (its braces
     * are not places).
     *
     * @param text the message
     * @return the exception, to be thrown by the caller
     */
    public BpfEventsException literal(String text) {
      return message(text.replace("{", "{{"));
    }
  }
}
