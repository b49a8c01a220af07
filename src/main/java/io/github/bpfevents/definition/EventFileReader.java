package io.github.bpfevents.definition;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Problem;
import io.github.bpfevents.layout.EventLayout;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an event file: the {@code defevent} forms that a user keeps in a Clojure file,
 * read as data and never evaluated, checked by {@link DefinitionReader} and laid out.
 *
 * <pre>
 * (ns my.events (:require [clj-ebpf.dsl.structs :refer [defevent]]))   ; ignored
 * (defevent Endpoint {:align :natural} [:addr :be32] [:port :be16])
 * (defevent Flow {:align :natural} [:ts :u64] [:src Endpoint] [:hops Endpoint 4])
 * </pre>
 *
 * <pre>{@code
 * EventFile f = EventFileReader.read(Path.of("events.clj"));
 * EventFile g = EventFileReader.readResource("my/events.clj");   // from the classpath
 * }</pre>
 *
 * <p>A file holds {@code (defevent Name [options] spec...)} forms (the head may also be
 * written {@code alias/defevent}) and {@code (ns ...)} forms, which are ignored. A type may
 * be the symbol of an event declared earlier in the same file. Anything else, in
 * particular any other form such as {@code (do ...)} and any {@code #} reader dispatch, is
 * an error naming its line; see {@link FormReader} for what the text may hold. Every error
 * is a {@link BpfEventsException} whose data holds {@code "source"} (the file's name) and
 * {@code "line"} (0 when the error has no line).
 */
public final class EventFileReader {
  /** The largest event file read, in bytes. */
  public static final int MAX_BYTES = 8 << 20;

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
   * @param path the file: a regular file (a directory, a pipe or a device is refused, so
   *     that reading never waits for a writer)
   * @return its events
   * @throws BpfEventsException if the file cannot be read, is not a regular file, is
   *     larger than {@link #MAX_BYTES}, is not UTF-8, or holds anything but valid
   *     {@code defevent} and {@code ns} forms; the message names the line where it has one
   */
  public static EventFile read(Path path) {
    if (path == null) {
      throw error(null, 0, "no event file given; expected the path of an event file");
    }
    String source = path.toString();
    if (Files.isDirectory(path)) {
      throw unreadable(source, "it is a directory; expected a file of defevent forms");
    }
    if (Files.exists(path) && !Files.isRegularFile(path)) {
      throw unreadable(source, "it is not a regular file (a pipe or a device); expected a"
          + " file of defevent forms");
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS)) {
      // the size first: a sparse giant is refused unread
      long size = Files.size(path);
      if (size > MAX_BYTES) {
        throw error(source, 0, source + " is larger than " + MAX_BYTES + " bytes; expected"
            + " an event file of at most " + MAX_BYTES + " bytes");
      }
      bytes = in.readNBytes(MAX_BYTES + 1);
    } catch (NoSuchFileException e) {
      throw unreadable(source, "no such file");
    } catch (AccessDeniedException e) {
      throw unreadable(source, "permission denied");
    } catch (IOException e) {
      throw unreadable(source, String.valueOf(e.getMessage()));
    }
    return read(source, bytes);
  }

  /**
   * Reads and lays out the events of a classpath resource, found by the current thread's
   * context class loader (or this library's when there is none).
   *
   * @param name the resource's name, such as {@code "my/events.clj"}
   * @return its events
   * @throws BpfEventsException if there is no such resource, or as {@link #read(Path)}
   */
  public static EventFile readResource(String name) {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    return readResource(loader != null ? loader : EventFileReader.class.getClassLoader(), name);
  }

  /**
   * Reads and lays out the events of a classpath resource.
   *
   * @param loader the class loader that finds it
   * @param name the resource's name, such as {@code "my/events.clj"}
   * @return its events
   * @throws BpfEventsException if there is no such resource, or as {@link #read(Path)}
   */
  public static EventFile readResource(ClassLoader loader, String name) {
    String source = "classpath:" + name;
    if (loader == null || name == null) {
      throw unreadable(source, "no class loader or no name; expected both");
    }
    try (InputStream in = loader.getResourceAsStream(name)) {
      if (in == null) {
        throw unreadable(source, "no such resource");
      }
      return read(source, in.readNBytes(MAX_BYTES + 1));
    } catch (IOException e) {
      throw unreadable(source, String.valueOf(e.getMessage()));
    }
  }

  /**
   * Reads and lays out the events of a file's contents.
   *
   * @param source the file's name, for messages
   * @param bytes the contents, UTF-8
   * @return the events
   * @throws BpfEventsException as {@link #read(Path)}
   */
  public static EventFile read(String source, byte[] bytes) {
    if (bytes == null) {
      throw error(source, 0, "no contents given for " + source + "; expected the bytes of"
          + " an event file");
    }
    if (bytes.length > MAX_BYTES) {
      throw error(source, 0, source + " is larger than " + MAX_BYTES + " bytes; expected an"
          + " event file of at most " + MAX_BYTES + " bytes");
    }
    EventFileReader r = new EventFileReader(source);
    for (Form form : FormReader.read(source, bytes)) {
      r.topLevel(form);
    }
    if (r.events.isEmpty()) {
      throw error(source, 0, source + " declares no events; expected at least one"
          + " (defevent Name [:field :type] ...)");
    }
    return new EventFile(source, r.events, r.lines, r.fieldLines);
  }

  /**
   * The error of an event file: problem {@code "bad-event-file"}, the message as given.
   *
   * @param source the file's name
   * @param line the line, 0 for none
   * @param message the message
   * @return the exception, to be thrown
   */
  static BpfEventsException error(String source, int line, String message) {
    return Problem.BAD_EVENT_FILE
        .with("source", source)
        .with("line", line)
        .with("detail", message)
        .build();
  }

  private static BpfEventsException unreadable(String source, String why) {
    return Problem.UNREADABLE_EVENT_FILE
        .with("source", source)
        .with("line", 0)
        .with("why", why)
        .build();
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
    throw error(source, form.line(), "form " + form.show() + " is not accepted: an event file"
        + " is read as data and never run; expected (defevent Name [:field :type] ...) or"
        + " (ns ...)");
  }

  private void defevent(Form.ListForm form) {
    EventLayout layout;
    try {
      if (form.items().size() > 1 && form.items().get(1) instanceof Form.SymbolForm s
          && events.containsKey(s.name())) {
        throw error(source, s.line(), "event " + s.name() + " is declared twice (first at"
            + " line " + lines.get(s.name()) + "); expected distinct event names");
      }
      layout = DefinitionReader.defevent(form, this::declared);
    } catch (BpfEventsException e) {
      if (e.data().containsKey("source")) {
        throw e;
      }
      Object at = e.data().get("line");
      int line = at instanceof Integer n && n > 0 ? n : form.line();
      throw e.replacing("line", line).with(Map.of("source", source));
    }
    String name = layout.name();
    events.put(name, layout);
    lines.put(name, form.line());
    Map<String, Integer> fields = new LinkedHashMap<>();
    List<Form> items = form.items();
    int first = items.size() > 2 && items.get(2) instanceof Form.MapForm ? 3 : 2;
    for (int i = first; i < items.size(); i++) {
      if (items.get(i) instanceof Form.VectorForm v
          && v.items().get(0) instanceof Form.KeywordForm k) {
        fields.put(k.name(), v.line());
      }
    }
    fieldLines.put(name, fields);
  }

  private EventLayout declared(String symbol) {
    return events.get(symbol);
  }
}
