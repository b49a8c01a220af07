package io.github.bpfevents.definition;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Problem;
import io.github.bpfevents.layout.EventLayout;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The events declared in one event file, laid out, in the order the file declares them.
 * Made by {@link EventFileReader}.
 *
 * <pre>{@code
 * EventFile f = EventFileReader.read(Path.of("events.clj"));
 * f.event("ConnectionEvent").size();   // 44
 * }</pre>
 */
public final class EventFile {
  private final String source;
  private final Map<String, EventLayout> events;
  private final Map<String, Integer> lines;
  private final Map<String, Map<String, Integer>> fieldLines;

  EventFile(String source, Map<String, EventLayout> events, Map<String, Integer> lines,
      Map<String, Map<String, Integer>> fieldLines) {
    this.source = source;
    this.events = Collections.unmodifiableMap(new LinkedHashMap<>(events));
    this.lines = Collections.unmodifiableMap(new LinkedHashMap<>(lines));
    this.fieldLines = Collections.unmodifiableMap(new LinkedHashMap<>(fieldLines));
  }

  /**
   * The file's name, as messages give it.
   *
   * @return the name the file was read under
   */
  public String source() {
    return source;
  }

  /**
   * Every event of the file.
   *
   * @return the layouts, in declaration order
   */
  public List<EventLayout> events() {
    return List.copyOf(events.values());
  }

  /**
   * The names of the events.
   *
   * @return the names, in declaration order
   */
  public List<String> names() {
    return List.copyOf(events.keySet());
  }

  /**
   * The event of that name.
   *
   * @param name the name after {@code defevent}
   * @return its layout
   * @throws BpfEventsException if the file declares no such event; the data lists the names
   */
  public EventLayout event(String name) {
    EventLayout e = events.get(name);
    if (e == null) {
      throw Problem.UNKNOWN_EVENT
          .with("event", name)
          .with("source", source)
          .with("line", 0)
          .with("expected", "one of " + names())
          .build();
    }
    return e;
  }

  /**
   * The events of the given names, or all of them.
   *
   * @param names event names; empty for every event
   * @return the layouts, in the order of {@code names} (of the file when empty)
   * @throws BpfEventsException if a name is not declared in the file
   */
  public List<EventLayout> select(List<String> names) {
    if (names.isEmpty()) {
      return events();
    }
    List<EventLayout> out = new ArrayList<>();
    for (String n : names) {
      out.add(event(n));
    }
    return out;
  }

  /**
   * The line where an event's {@code defevent} starts.
   *
   * @param name the event's name
   * @return the line, counting from 1
   * @throws BpfEventsException if the file declares no such event
   */
  public int line(String name) {
    event(name);
    return lines.get(name);
  }

  /**
   * The line of a field's spec.
   *
   * @param event the event's name
   * @param field the field's name
   * @return the line, counting from 1, or 0 when the event has no such field
   */
  public int fieldLine(String event, String field) {
    return fieldLines.getOrDefault(event, Map.of()).getOrDefault(field, 0);
  }
}
