package io.github.bpfevents.definition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Notation;
import io.github.bpfevents.layout.EventLayout;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The events of one file: by name, in the file's order or in the order asked for, with the
 * lines where each event and field is declared, and the error for a name the file does not
 * declare.
 */
class EventFileTest {
  private static final EventFile FILE = EventFileReader.read("ev.clj", String.join("\n",
      "(ns my.events)",
      "(defevent A [:x :u8])",
      "",
      "(defevent B {:align :natural}",
      "  [:y :u32]",
      "  [:a A 2])").getBytes(StandardCharsets.UTF_8));

  @Test
  void eventsInTheFilesOrder() {
    assertEquals("ev.clj", FILE.source());
    assertEquals(List.of("A", "B"), FILE.names());
    List<EventLayout> events = FILE.events();
    assertEquals(2, events.size());
    assertEquals("A", events.get(0).name());
    assertEquals(8, events.get(1).size());
    assertEquals(FILE.event("A"), FILE.event("B").field("a").nested());
    assertThrows(UnsupportedOperationException.class, () -> FILE.events().clear());
    assertThrows(UnsupportedOperationException.class, () -> FILE.names().clear());
  }

  @Test
  void select() {
    assertEquals(FILE.events(), FILE.select(List.of()));
    assertEquals(List.of(FILE.event("B"), FILE.event("A")), FILE.select(List.of("B", "A")));
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> FILE.select(List.of("A", "C")));
    assertEquals("unknown-event", e.problem());
    assertEquals("C", e.data().get("event"));
  }

  @Test
  void lines() {
    assertEquals(2, FILE.line("A"));
    assertEquals(4, FILE.line("B"));
    assertEquals(2, FILE.fieldLine("A", "x"));
    assertEquals(5, FILE.fieldLine("B", "y"));
    assertEquals(6, FILE.fieldLine("B", "a"));
    assertEquals(0, FILE.fieldLine("B", "nope"));
    assertEquals(0, FILE.fieldLine("Nope", "y"));
    assertEquals("unknown-event", assertThrows(BpfEventsException.class,
        () -> FILE.line("C")).problem());
  }

  @Test
  void anUnknownEvent() {
    BpfEventsException e = assertThrows(BpfEventsException.class, () -> FILE.event("C"));
    assertEquals("unknown-event", e.problem());
    assertEquals("C", e.data().get("event"));
    assertEquals("ev.clj", e.data().get("source"));
    assertEquals(0, e.data().get("line"));
    assertEquals("event C is not declared in ev.clj; expected one of [A, B]", e.getMessage());
    assertEquals(e.getMessage(), e.message(Notation.EDN));
    assertEquals("unknown-event", assertThrows(BpfEventsException.class,
        () -> FILE.event(null)).problem());
  }
}
