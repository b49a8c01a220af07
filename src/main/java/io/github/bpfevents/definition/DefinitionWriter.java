package io.github.bpfevents.definition;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Notation;
import io.github.bpfevents.Problem;
import io.github.bpfevents.layout.EventKind;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.Field;
import io.github.bpfevents.layout.FieldSpec;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Events back to definitions: the {@code defevent} forms that declare laid-out events
 * ({@link #forms}), and their text as an event file that {@link EventFileReader} reads
 * back to the same layouts ({@link #eventFile}). The inverse of {@link DefinitionReader}.
 *
 * <pre>
 * (defevent Endpoint {:align :natural}
 *   [:addr :be32]
 *   [:port :be16])
 * </pre>
 *
 * <p>Every form names its packing; a nested event is the symbol of its name, declared
 * before its first user; a field of count 1 has no count. The C type model is written
 * as {@link DefinitionReader} reads it: {@code :kind :union} (and {@code :kind :struct}
 * for an empty struct) and {@code :aligned} in the event's options, {@code [Event]} for
 * an anonymous member, {@code [:u32 {:bits 0}]} for an unnamed bitfield, {@code []} for a
 * flexible array, and {@code :bits}, {@code :enum}, {@code :to} and {@code :aligned} in a
 * field's options (an event pointed to is declared before its first user).
 *
 * <p>The text is proportional to what it declares: each event's head line with its
 * options, and one line per field of its spec. An event file is at most
 * {@link EventFileReader#MAX_BYTES}, what the reader reads: {@link #eventFile} measures
 * the text before building it and refuses longer text with the library's error, and
 * checks that what it wrote reads back ({@link EventFileReader}) to the same layouts.
 */
public final class DefinitionWriter {
  private static final String SYMBOL_PUNCTUATION = "*+!-_'?<>=.$&%|";
  /** The longest text {@link #eventFile} writes: what {@link EventFileReader} reads. */
  public static final int MAX_TEXT = EventFileReader.MAX_BYTES;

  private DefinitionWriter() {}

  /**
   * The forms that declare events and the events they nest, each once, nested events
   * before their users.
   *
   * @param events the events
   * @param head the symbol that heads each form: {@code defevent}, or a qualified one
   * @return one {@code (head Name {:align ...} [field type count?]...)} list per event
   * @throws BpfEventsException if there is no event, a name cannot be written as a symbol
   *     or keyword that reads back, or two different events share a name
   */
  public static List<Form> forms(List<EventLayout> events, String head) {
    if (events == null || events.isEmpty() || events.stream().anyMatch(e -> e == null)) {
      throw Problem.NO_EVENTS_WRITE_DEFINITIONS
          .with("value", events)
          .with("expected", "at least one event")
          .build();
    }
    Map<String, EventLayout> byName = new LinkedHashMap<>();
    Set<EventLayout> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (EventLayout e : events) {
      collect(e, byName, seen);
    }
    List<Form> out = new ArrayList<>();
    for (EventLayout e : byName.values()) {
      List<Form> items = new ArrayList<>();
      items.add(new Form.SymbolForm(0, head));
      items.add(new Form.SymbolForm(0, e.name()));
      List<Form> options = new ArrayList<>(List.of(new Form.KeywordForm(0, "align"),
          new Form.KeywordForm(0, e.packing().optionName())));
      if (e.isUnion() || e.fields().isEmpty()) {
        options.add(new Form.KeywordForm(0, "kind"));
        options.add(new Form.KeywordForm(0, e.kind().kindName()));
      }
      if (e.aligned() != 0) {
        options.add(new Form.KeywordForm(0, "aligned"));
        options.add(new Form.IntegerForm(0, e.aligned()));
      }
      items.add(new Form.MapForm(0, options));
      for (Field f : e.fields()) {
        items.add(spec(e, f));
      }
      out.add(new Form.ListForm(0, items));
    }
    return out;
  }

  /**
   * A field's spec: {@code [name type count? opts?]}, {@code [Event opts?]} for an
   * anonymous member, {@code [type {:bits w}]} for an unnamed bitfield.
   */
  private static Form spec(EventLayout e, Field f) {
    List<Form> spec = new ArrayList<>();
    List<Form> opts = new ArrayList<>();
    if (f.name() != null) {
      checkName(f.name(), "field", e.name());
      checkReadable(f.name(), "field", e.name());
      spec.add(new Form.KeywordForm(0, f.name()));
    }
    spec.add(f.isNested() ? new Form.SymbolForm(0, f.nested().name())
        : new Form.KeywordForm(0, f.type().typeName()));
    if (f.isFlexible()) {
      spec.add(new Form.VectorForm(0, List.of()));
    } else if (f.count() != 1) {
      spec.add(new Form.IntegerForm(0, f.count()));
    }
    if (f.isBitfield()) {
      opts.add(new Form.KeywordForm(0, "bits"));
      opts.add(new Form.IntegerForm(0, f.bits()));
    }
    FieldSpec s = f.spec();
    if (s.pointeeName() != null) {
      opts.add(new Form.KeywordForm(0, "to"));
      if (s.pointee() != null) {
        opts.add(new Form.SymbolForm(0, s.pointee().name()));
      } else {
        opts.add(new Form.StringForm(0, s.pointeeName()));
        if (s.pointeeKind() == EventKind.UNION) {
          opts.add(new Form.KeywordForm(0, "kind"));
          opts.add(new Form.KeywordForm(0, "union"));
        }
      }
    }
    if (f.enumType() != null) {
      List<Form> values = new ArrayList<>();
      for (Map.Entry<String, BigInteger> v : f.enumType().values().entrySet()) {
        checkName(v.getKey(), "enumerator", e.name());
        checkReadable(v.getKey(), "enumerator", e.name());
        if (v.getValue().bitLength() > 63) {
          throw Problem.BAD_ENUM_EVENT_FIELD_VALUE
              .with("event", e.name())
              .with("field", f.name())
              .with("value", v.getValue())
              .with("expected", "enum values from -2^63 to 2^63-1, which an event file"
                  + " holds")
              .build();
        }
        values.add(new Form.KeywordForm(0, v.getKey()));
        values.add(new Form.IntegerForm(0, v.getValue().longValue()));
      }
      opts.add(new Form.KeywordForm(0, "enum"));
      opts.add(new Form.MapForm(0, values));
    }
    if (s.aligned() != 0) {
      opts.add(new Form.KeywordForm(0, "aligned"));
      opts.add(new Form.IntegerForm(0, s.aligned()));
    }
    if (!opts.isEmpty()) {
      spec.add(new Form.MapForm(0, opts));
    }
    return new Form.VectorForm(0, spec);
  }

  private static void collect(EventLayout e, Map<String, EventLayout> byName,
      Set<EventLayout> seen) {
    if (!seen.add(e)) {
      return;
    }
    for (Field f : e.fields()) {
      if (f.isNested()) {
        collect(f.nested(), byName, seen);
      }
      if (f.spec().pointee() != null) {
        collect(f.spec().pointee(), byName, seen);
      }
    }
    checkName(e.name(), "event", e.name());
    checkReadable(e.name(), "event", e.name());
    EventLayout before = byName.putIfAbsent(e.name(), e);
    if (before != null && !before.equals(e)) {
      throw Problem.DUPLICATE_EVENT
          .with("event", e.name())
          .with("value", e.name())
          .with("expected", "distinct names for distinct events")
          .build();
    }
  }

  /** A name must read back as the symbol or keyword it is written as. */
  private static void checkName(String name, String what, String event) {
    boolean ok = !name.isEmpty() && !Character.isDigit(name.charAt(0))
        && !name.equals("nil") && !name.equals("true") && !name.equals("false")
        && !((name.charAt(0) == '+' || name.charAt(0) == '-') && name.length() > 1
            && Character.isDigit(name.charAt(1)));
    for (int i = 0; ok && i < name.length(); i++) {
      char c = name.charAt(i);
      ok = Character.isLetterOrDigit(c) || SYMBOL_PUNCTUATION.indexOf(c) >= 0;
    }
    if (!ok) {
      throw (what.equals("event") ? Problem.BAD_NAME_EVENT_SYMBOL : Problem.BAD_NAME_EVENT_KEYWORD)
          .with("event", event)
          .with("value", name)
          .with("expected", "letters, digits and " + SYMBOL_PUNCTUATION + ", not starting"
              + " with a digit")
          .with("what", what)
          .build();
    }
  }

  /**
   * A name that reads back, but not as the symbol or keyword it is written as: a quote or
   * other reader macro first (the reader reads {@code 'x} as {@code (quote x)}), a slash
   * (a namespace), a colon first.
   */
  private static void checkReadable(String name, String what, String event) {
    char c = name.isEmpty() ? 0 : name.charAt(0);
    if (c == '\'' || c == ':' || name.indexOf('/') >= 0) {
      throw (what.equals("event") ? Problem.BAD_NAME_SYMBOL_READ_BACK
          : Problem.BAD_NAME_KEYWORD_READ_BACK)
          .with("event", event)
          .with("value", name)
          .with("expected", "a name that does not start with ' or : and holds no /")
          .with("what", what)
          .build();
    }
  }

  /**
   * A form as text, whole: lists, vectors and maps with their items separated by a space,
   * strings quoted, keywords with their colon.
   *
   * @param form the form
   * @return the text
   */
  public static String text(Form form) {
    StringBuilder b = new StringBuilder();
    text(b, form);
    return b.toString();
  }

  private static void text(StringBuilder b, Form f) {
    if (f instanceof Form.ListForm l) {
      seq(b, "(", l.items(), ")");
    } else if (f instanceof Form.VectorForm v) {
      seq(b, "[", v.items(), "]");
    } else if (f instanceof Form.MapForm m) {
      seq(b, "{", m.items(), "}");
    } else if (f instanceof Form.KeywordForm k) {
      b.append(':').append(k.name());
    } else if (f instanceof Form.SymbolForm s) {
      b.append(s.name());
    } else if (f instanceof Form.IntegerForm i) {
      b.append(i.value());
    } else if (f instanceof Form.StringForm s) {
      b.append(Notation.quote(s.value()));
    } else if (f instanceof Form.EventForm e) {
      b.append(e.event().name());
    } else {
      b.append(f.show());
    }
  }

  private static void seq(StringBuilder b, String open, List<Form> items, String close) {
    b.append(open);
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) {
        b.append(' ');
      }
      text(b, items.get(i));
    }
    b.append(close);
  }

  /**
   * An event file that declares events and the events they nest: an optional comment,
   * then one {@code defevent} form per event, its head line with the name and options, a
   * line per field spec.
   *
   * @param events the events
   * @param comment text for {@code ;;} lines at the top, or null for none
   * @return the file's text, ending in a newline
   * @throws BpfEventsException as {@link #forms}
   */
  public static String eventFile(List<EventLayout> events, String comment) {
    List<Form> forms = forms(events, "defevent");
    // the length first, so that text past the bound is refused before it is built
    long length = comment == null ? 0
        : comment.length() + 4L * (1 + comment.chars().filter(c -> c == '\n').count());
    for (int i = 0; i < forms.size(); i++) {
      List<Form> items = ((Form.ListForm) forms.get(i)).items();
      // "(head Name {opts}", "\n  [spec]" per field, ")\n", and "\n" between events
      length += (i > 0 || comment != null ? 1 : 0) + 5 + items.size() - 3;
      for (int k = 0; k < items.size(); k++) {
        length += length(items.get(k)) + (k >= 3 ? 2 : 0);
      }
      if (length > MAX_TEXT) {
        throw tooLong(length, "characters", events);
      }
    }
    StringBuilder b = new StringBuilder((int) length);
    if (comment != null) {
      for (String line : comment.split("\n", -1)) {
        b.append(line.isEmpty() ? ";;" : ";; " + line).append('\n');
      }
    }
    for (Form f : forms) {
      List<Form> items = ((Form.ListForm) f).items();
      if (b.length() > 0) {
        b.append('\n');
      }
      b.append('(').append(text(items.get(0))).append(' ').append(text(items.get(1)))
          .append(' ').append(text(items.get(2)));
      for (Form spec : items.subList(3, items.size())) {
        b.append("\n  ").append(text(spec));
      }
      b.append(")\n");
    }
    String text = b.toString();
    readsBack(text, events);
    return text;
  }

  /** The length of a form's {@link #text}, counted without building it. */
  private static long length(Form f) {
    List<Form> items;
    if (f instanceof Form.ListForm l) {
      items = l.items();
    } else if (f instanceof Form.VectorForm v) {
      items = v.items();
    } else if (f instanceof Form.MapForm m) {
      items = m.items();
    } else {
      return text(f).length();
    }
    long n = Math.max(2, 1 + items.size());
    for (Form item : items) {
      n += length(item);
    }
    return n;
  }

  private static BpfEventsException tooLong(long value, String unit,
      List<EventLayout> events) {
    return Problem.DEFINITION_TOO_LARGE
        .with("value", value)
        .with("events", events.size())
        .with("expected", "an event file of at most " + MAX_TEXT + " bytes (what the event"
            + " file reader reads)")
        .with("unit", unit)
        .build();
  }


  /** The text must read back, with the library's own reader, to the same layouts. */
  private static void readsBack(String text, List<EventLayout> events) {
    byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    if (bytes.length > MAX_TEXT) {
      throw tooLong(bytes.length, "bytes", events);
    }
    EventFile back;
    try {
      back = EventFileReader.read("the written event file", bytes);
    } catch (BpfEventsException e) {
      throw Problem.BAD_NAME_DEFINITIONS_READ_BACK
          .with("value", e.getMessage())
          .with("expected", "definitions the event-file reader reads back")
          .build();
    }
    for (EventLayout e : events) {
      EventLayout read = back.event(e.name());
      if (!read.equals(e)) {
        throw Problem.BAD_NAME_EVENT_READS_BACK
            .with("event", e.name())
            .with("value", e.name())
            .with("expected", "definitions that read back to the same layouts")
            .build();
      }
    }
  }
}
