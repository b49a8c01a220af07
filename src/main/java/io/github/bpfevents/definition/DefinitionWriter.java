package io.github.bpfevents.definition;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Notation;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.Field;
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
 * before its first user; a field of count 1 has no count.
 *
 * <p>The text is proportional to what it declares: each event's head line, and one line
 * per field of its name, its type's name and its count, so at most
 * {@code 40 + |event name|} characters per event plus {@code 20 + |field name| + |type
 * name|} per field. An event file is at most {@link EventFileReader#MAX_BYTES}, what the
 * reader reads: {@link #eventFile} refuses longer text with the library's error before
 * building it past that bound, and checks that what it wrote reads back
 * ({@link EventFileReader}) to the same layouts.
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
      throw BpfEventsException.of("no-events")
          .with("value", events)
          .with("expected", "at least one event")
          .message("no events to write definitions for; expected {expected}");
    }
    List<Form> out = new ArrayList<>();
    for (EventLayout e : ordered(events)) {
      List<Form> items = new ArrayList<>();
      items.add(new Form.SymbolForm(0, head));
      items.add(new Form.SymbolForm(0, e.name()));
      items.add(new Form.MapForm(0, List.of(new Form.KeywordForm(0, "align"),
          new Form.KeywordForm(0, e.packing().optionName()))));
      for (Field f : e.fields()) {
        checkName(f.name(), "field", e.name());
        checkReadable(f.name(), "field", e.name());
        List<Form> spec = new ArrayList<>();
        spec.add(new Form.KeywordForm(0, f.name()));
        spec.add(f.isNested() ? new Form.SymbolForm(0, f.nested().name())
            : new Form.KeywordForm(0, f.type().typeName()));
        if (f.count() != 1) {
          spec.add(new Form.IntegerForm(0, f.count()));
        }
        items.add(new Form.VectorForm(0, spec));
      }
      out.add(new Form.ListForm(0, items));
    }
    return out;
  }

  /** The events and those they nest, each once, nested ones first; names checked. */
  private static java.util.Collection<EventLayout> ordered(List<EventLayout> events) {
    if (events == null || events.isEmpty() || events.stream().anyMatch(e -> e == null)) {
      throw BpfEventsException.of("no-events")
          .with("value", events)
          .with("expected", "at least one event")
          .message("no events to write definitions for; expected {expected}");
    }
    Map<String, EventLayout> byName = new LinkedHashMap<>();
    Set<EventLayout> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (EventLayout e : events) {
      collect(e, byName, seen);
    }
    return byName.values();
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
    }
    checkName(e.name(), "event", e.name());
    checkReadable(e.name(), "event", e.name());
    EventLayout before = byName.putIfAbsent(e.name(), e);
    if (before != null && !before.equals(e)) {
      throw BpfEventsException.of("duplicate-event")
          .with("event", e.name())
          .with("value", e.name())
          .with("expected", "distinct names for distinct events")
          .message("two different events are named {event}; expected {expected}");
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
      throw BpfEventsException.of("bad-name")
          .with("event", event)
          .with("value", name)
          .with("expected", "letters, digits and " + SYMBOL_PUNCTUATION + ", not starting"
              + " with a digit")
          .message("event {event}: " + what + " name {value} cannot be written as a "
              + (what.equals("event") ? "symbol" : "keyword") + "; expected {expected}");
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
      throw BpfEventsException.of("bad-name")
          .with("event", event)
          .with("value", name)
          .with("expected", "a name that does not start with ' or : and holds no /")
          .message("event {event}: " + what + " name {value} does not read back as the "
              + (what.equals("event") ? "symbol" : "keyword") + " it is written as;"
              + " expected {expected}");
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
    java.util.Collection<EventLayout> all = ordered(events);
    // the length first, so that text past the bound is refused before it is built
    long length = comment == null ? 0
        : comment.length() + 4L * (1 + comment.chars().filter(c -> c == '\n').count());
    for (EventLayout e : all) {
      length += 24 + e.name().length() + e.packing().optionName().length();
      for (Field f : e.fields()) {
        length += 7 + f.name().length() + (f.isNested() ? f.nested().name().length()
            : 1 + f.type().typeName().length())
            + (f.count() == 1 ? 0 : 1 + String.valueOf(f.count()).length());
      }
      if (length > MAX_TEXT) {
        throw tooLong(length, "characters", events);
      }
    }
    StringBuilder b = new StringBuilder((int) Math.min(length, MAX_TEXT + 1L));
    if (comment != null) {
      for (String line : comment.split("\n", -1)) {
        b.append(line.isEmpty() ? ";;" : ";; " + line).append('\n');
        bounded(b, events);
      }
    }
    // the text of each event straight from its layout (what forms() would hold, printed)
    for (EventLayout e : all) {
      if (b.length() > 0) {
        b.append('\n');
      }
      b.append("(defevent ").append(e.name()).append(" {:align :")
          .append(e.packing().optionName()).append('}');
      for (Field f : e.fields()) {
        checkName(f.name(), "field", e.name());
        checkReadable(f.name(), "field", e.name());
        b.append("\n  [:").append(f.name()).append(' ');
        if (f.isNested()) {
          b.append(f.nested().name());
        } else {
          b.append(':').append(f.type().typeName());
        }
        if (f.count() != 1) {
          b.append(' ').append(f.count());
        }
        b.append(']');
        bounded(b, events);
      }
      b.append(")\n");
      bounded(b, events);
    }
    String text = b.toString();
    readsBack(text, events);
    return text;
  }

  /** Refuses text past {@link #MAX_TEXT} UTF-16 units (a bound on its UTF-8 bytes too). */
  private static void bounded(StringBuilder b, List<EventLayout> events) {
    if (b.length() > MAX_TEXT) {
      throw tooLong(b.length(), "characters so far", events);
    }
  }

  private static BpfEventsException tooLong(long value, String unit,
      List<EventLayout> events) {
    return BpfEventsException.of("definition-too-large")
        .with("value", value)
        .with("events", events.size())
        .with("expected", "an event file of at most " + MAX_TEXT + " bytes (what the event"
            + " file reader reads)")
        .message("the event file of {events} events would pass {value} " + unit
            + "; expected {expected}");
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
      throw BpfEventsException.of("bad-name")
          .with("value", e.getMessage())
          .with("expected", "definitions the event-file reader reads back")
          .message("the written definitions do not read back ({value}); expected"
              + " {expected}");
    }
    for (EventLayout e : events) {
      EventLayout read = back.event(e.name());
      if (!read.equals(e)) {
        throw BpfEventsException.of("bad-name")
            .with("event", e.name())
            .with("value", e.name())
            .with("expected", "definitions that read back to the same layouts")
            .message("event {event}, written, reads back to another layout; expected"
                + " {expected}");
      }
    }
  }
}
