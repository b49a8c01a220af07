package io.github.bpfevents.cli;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.layout.Alignment;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.FieldSpec;
import io.github.bpfevents.layout.FieldType;
import io.github.bpfevents.layout.LayoutEngine;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an event file: the {@code defevent} forms that a user keeps in a Clojure file,
 * read as data and never evaluated, laid out by {@link LayoutEngine}.
 *
 * <pre>
 * (ns my.events (:require [clj-ebpf.dsl.structs :refer [defevent]]))   ; ignored
 * (defevent Endpoint {:align :natural} [:addr :be32] [:port :be16])
 * (defevent Flow {:align :natural} [:ts :u64] [:src Endpoint] [:hops Endpoint 4])
 * </pre>
 *
 * <p>A file holds {@code (defevent Name [options] spec...)} forms (the head may also be
 * written {@code alias/defevent}) and {@code (ns ...)} forms, which are ignored. The
 * options map accepts only {@code {:align :packed}} and {@code {:align :natural}}. A spec is
 * {@code [:name type]} or {@code [:name type count]}; the type is a type keyword
 * ({@code :u8 :i8 :u16 :i16 :u32 :i32 :u64 :i64 :char :ptr :be16 :be32 :be64}) or the
 * symbol of an event declared earlier in the same file. Anything else, in particular
 * any other form such as {@code (do ...)} and any {@code #} reader dispatch, is an error
 * naming its line; see {@link FormReader} for what the text may hold.
 */
public final class EventFileReader {
  /** The largest event file read, in bytes. */
  public static final int MAX_BYTES = 8 << 20;

  private static final String EXPECTED_SPEC = "[name type] or [name type count]";

  private final String source;
  private final Map<String, EventLayout> events = new LinkedHashMap<>();
  private final Map<String, Integer> lines = new LinkedHashMap<>();
  private final Map<String, Map<String, Integer>> fieldLines = new LinkedHashMap<>();

  private EventFileReader(String source) {
    this.source = source;
  }

  /**
   * Reads and lays out the events of a file.
   *
   * @param path the file
   * @return its events
   * @throws InputException if the file cannot be read, is larger than {@link #MAX_BYTES},
   *     is not UTF-8, or holds anything but valid {@code defevent} and {@code ns} forms;
   *     the message names the line where it has one
   */
  public static EventFile read(Path path) {
    String source = path.toString();
    if (Files.isDirectory(path)) {
      throw new InputException("cannot read " + source + ": it is a directory; expected a"
          + " file of defevent forms");
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(path)) {
      bytes = in.readNBytes(MAX_BYTES + 1);
    } catch (NoSuchFileException e) {
      throw new InputException("cannot read " + source + ": no such file");
    } catch (AccessDeniedException e) {
      throw new InputException("cannot read " + source + ": permission denied");
    } catch (IOException e) {
      throw new InputException("cannot read " + source + ": " + e.getMessage());
    }
    if (bytes.length > MAX_BYTES) {
      throw new InputException(source + " is larger than " + MAX_BYTES + " bytes; expected"
          + " an event file of at most " + MAX_BYTES + " bytes");
    }
    return read(source, bytes);
  }

  /**
   * Reads and lays out the events of a file's contents.
   *
   * @param source the file's name, for messages
   * @param bytes the contents, UTF-8
   * @return the events
   * @throws InputException as {@link #read(Path)}
   */
  public static EventFile read(String source, byte[] bytes) {
    EventFileReader r = new EventFileReader(source);
    for (Form form : FormReader.read(source, bytes)) {
      r.topLevel(form);
    }
    if (r.events.isEmpty()) {
      throw new InputException(source + " declares no events; expected at least one"
          + " (defevent Name [:field :type] ...)");
    }
    return new EventFile(source, r.events, r.lines, r.fieldLines);
  }

  private InputException error(Form at, String message) {
    return new InputException(source, at.line(), message);
  }

  private void topLevel(Form form) {
    if (form instanceof Form.ListForm list && !list.items().isEmpty()
        && list.items().get(0) instanceof Form.SymbolForm head) {
      if (head.name().equals("ns")) {
        return;
      }
      if (head.name().equals("defevent") || head.name().endsWith("/defevent")) {
        defevent(list);
        return;
      }
    }
    throw error(form, "form " + form.show() + " is not accepted: an event file is read as"
        + " data and never run; expected (defevent Name [:field :type] ...) or (ns ...)");
  }

  private void defevent(Form.ListForm form) {
    List<Form> items = form.items();
    if (items.size() < 2) {
      throw error(form, "defevent has no name; expected (defevent Name [:field :type] ...)");
    }
    if (!(items.get(1) instanceof Form.SymbolForm nameForm) || nameForm.name().contains("/")) {
      throw error(items.get(1), "defevent name " + items.get(1).show() + " is not a symbol;"
          + " expected a symbol such as ConnectionEvent");
    }
    String name = nameForm.name();
    if (events.containsKey(name)) {
      throw error(nameForm, "event " + name + " is declared twice (first at line "
          + lines.get(name) + "); expected distinct event names");
    }
    int first = 2;
    Alignment alignment = Alignment.PACKED;
    if (items.size() > 2 && items.get(2) instanceof Form.MapForm options) {
      alignment = alignment(name, options);
      first = 3;
    }
    List<Form> specForms = items.subList(first, items.size());
    List<FieldSpec> specs = new ArrayList<>();
    for (int i = 0; i < specForms.size(); i++) {
      specs.add(spec(name, i, specForms.get(i)));
    }
    EventLayout layout;
    try {
      layout = LayoutEngine.layout(name, specs, alignment);
    } catch (BpfEventsException e) {
      Object index = e.data().get("index");
      Form at = index instanceof Integer i && i >= 0 && i < specForms.size()
          ? specForms.get(i) : form;
      throw error(at, e.getMessage());
    }
    events.put(name, layout);
    lines.put(name, form.line());
    Map<String, Integer> fields = new LinkedHashMap<>();
    for (int i = 0; i < specs.size(); i++) {
      fields.put(specs.get(i).name(), specForms.get(i).line());
    }
    fieldLines.put(name, fields);
  }

  private Alignment alignment(String event, Form.MapForm options) {
    List<Form> kv = options.items();
    Alignment alignment = Alignment.PACKED;
    for (int i = 0; i < kv.size(); i += 2) {
      Form key = kv.get(i);
      Form value = kv.get(i + 1);
      if (!(key instanceof Form.KeywordForm k) || !k.name().equals("align")) {
        throw error(key, "event " + event + ": unknown option " + key.show()
            + "; expected :align");
      }
      if (!(value instanceof Form.KeywordForm v)
          || !(v.name().equals("packed") || v.name().equals("natural"))) {
        throw error(value, "event " + event + ": option :align " + value.show()
            + " is not accepted; expected :packed or :natural");
      }
      alignment = Alignment.named(v.name());
    }
    return alignment;
  }

  private FieldSpec spec(String event, int index, Form form) {
    if (!(form instanceof Form.VectorForm vector)
        || vector.items().size() < 2 || vector.items().size() > 3) {
      throw error(form, "event " + event + ": field spec " + index + " is " + form.show()
          + "; expected " + EXPECTED_SPEC);
    }
    List<Form> parts = vector.items();
    if (!(parts.get(0) instanceof Form.KeywordForm nameForm)) {
      throw error(form, "event " + event + ": field name " + parts.get(0).show()
          + " in spec " + index + " is not a keyword; expected a keyword such as :pid");
    }
    String field = nameForm.name();
    long count = 1;
    if (parts.size() == 3) {
      if (!(parts.get(2) instanceof Form.IntegerForm c)) {
        throw error(form, "event " + event + ": field " + field + " has count "
            + parts.get(2).show() + "; expected a positive integer");
      }
      count = c.value();
    }
    Form type = parts.get(1);
    try {
      if (type instanceof Form.KeywordForm k) {
        FieldType t;
        try {
          t = FieldType.named(k.name());
        } catch (BpfEventsException e) {
          throw e.within("field", field, "field " + field);
        }
        return FieldSpec.of(field, t, count);
      }
      if (type instanceof Form.SymbolForm s) {
        EventLayout nested = events.get(s.name());
        if (nested == null) {
          throw error(form, "event " + event + ": field " + field + " has type " + s.name()
              + ", which is not an event declared above it; expected a type keyword "
              + keywords() + (events.isEmpty() ? " (no event is declared above it)"
                  : " or one of the events declared above " + List.copyOf(events.keySet())));
        }
        return FieldSpec.of(field, nested, count);
      }
    } catch (BpfEventsException e) {
      throw error(form, "event " + event + ": " + e.getMessage());
    }
    throw error(form, "event " + event + ": field " + field + " has type " + type.show()
        + "; expected a type keyword " + keywords() + " or the name of an event declared"
        + " above it");
  }

  private static String keywords() {
    StringBuilder b = new StringBuilder();
    for (String n : FieldType.names()) {
      b.append(b.length() == 0 ? "(:" : " :").append(n);
    }
    return b.append(')').toString();
  }
}
