package io.github.bpfevents.definition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Examples;
import io.github.bpfevents.check.RandomEvents;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.FieldSpec;
import io.github.bpfevents.layout.FieldType;
import io.github.bpfevents.layout.LayoutEngine;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Events back to defevent forms and event files, which read back to the same events. */
class DefinitionWriterTest {
  @Test
  void theFormsOfTheExample() {
    List<Form> forms = DefinitionWriter.forms(List.of(Examples.FLOW_EVENT), "defevent");
    assertEquals(List.of(
        "(defevent Endpoint {:align :natural} [:addr :be32] [:port :be16])",
        "(defevent FlowEvent {:align :natural} [:ts :u64] [:protocol :u8] [:src Endpoint]"
            + " [:dst Endpoint] [:pid :u32] [:comm :char 16])"),
        forms.stream().map(DefinitionWriter::text).toList());
    String conn = DefinitionWriter.text(DefinitionWriter.forms(
        List.of(Examples.CONNECTION_EVENT), "s/defevent").get(0));
    assertEquals("(s/defevent ConnectionEvent {:align :packed} [:timestamp :u64] [:pid :u32]",
        conn.substring(0, conn.indexOf(" [:saddr")));
  }

  @Test
  void anEventFileReadsBackToTheSameEvents() {
    Random rnd = new Random(3);
    List<EventLayout> events = new ArrayList<>(List.of(Examples.CONNECTION_EVENT,
        Examples.FLOW_EVENT));
    for (int i = 0; i < 300; i++) {
      events.add(RandomEvents.event(rnd, "Gen" + i, 3));
    }
    String text = DefinitionWriter.eventFile(events, "generated\n\nfor a test");
    EventFile file = EventFileReader.read("gen.clj", text.getBytes(StandardCharsets.UTF_8));
    for (EventLayout e : events) {
      assertEquals(e, file.event(e.name()));
    }
    assertEquals("""
        ;; generated
        ;;
        ;; for a test

        (defevent ConnectionEvent {:align :packed}
          [:timestamp :u64]
        """, text.substring(0, text.indexOf("  [:pid")));
    assertEquals("(defevent Endpoint {:align :natural}\n  [:addr :be32]\n  [:port :be16])\n",
        DefinitionWriter.eventFile(List.of(Examples.ENDPOINT), null));
  }

  @Test
  void namesThatWouldNotReadBackAreErrors() {
    EventLayout space = LayoutEngine.layout("my event", List.of(FieldSpec.of("a",
        FieldType.U8)));
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> DefinitionWriter.forms(List.of(space), "defevent"));
    assertEquals("bad-name", e.problem());
    assertEquals("event my event: event name \"my event\" cannot be written as a symbol;"
        + " expected letters, digits and *+!-_'?<>=.$&%|, not starting with a digit",
        e.getMessage());
    EventLayout nil = LayoutEngine.layout("nil", List.of(FieldSpec.of("a", FieldType.U8)));
    assertEquals("bad-name", assertThrows(BpfEventsException.class,
        () -> DefinitionWriter.forms(List.of(nil), "defevent")).problem());
    EventLayout field = LayoutEngine.layout("Ev", List.of(FieldSpec.of("a:b", FieldType.U8)));
    assertEquals("bad-name", assertThrows(BpfEventsException.class,
        () -> DefinitionWriter.forms(List.of(field), "defevent")).problem());
    EventLayout other = LayoutEngine.layout("Endpoint", List.of(FieldSpec.of("a",
        FieldType.U8)));
    assertEquals("two different events are named Endpoint; expected distinct names for"
        + " distinct events", assertThrows(BpfEventsException.class,
            () -> DefinitionWriter.forms(List.of(Examples.FLOW_EVENT, other), "defevent"))
        .getMessage());
    assertEquals("no-events", assertThrows(BpfEventsException.class,
        () -> DefinitionWriter.forms(List.of(), "defevent")).problem());
  }

  @Test
  void textPastWhatTheReaderReadsIsRefusedBeforeItIsBuilt() {
    // 300 fields naming one event of a 30,000-character name: 9 MB of text from a few
    // objects; refused from its length, before it is built
    EventLayout nested = LayoutEngine.layout("n".repeat(30_000), List.of(FieldSpec.of("b",
        FieldType.U8)), io.github.bpfevents.layout.Packing.NATURAL);
    List<FieldSpec> specs = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      specs.add(FieldSpec.of("f" + i, nested, 1));
    }
    EventLayout top = LayoutEngine.layout("Top", specs,
        io.github.bpfevents.layout.Packing.NATURAL);
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> DefinitionWriter.eventFile(List.of(top), null));
    assertEquals("definition-too-large", e.problem());
    long at = ((Number) e.data().get("value")).longValue();
    // counted exactly: "(defevent nnn... {:align :natural}", "\n  [:b :u8]" and ")\n" (30,041),
    // then the head of Top (34) and 300 lines "\n  [:fN nnn...]" (30,007 each and the
    // names f0 ... f299, 1,090 characters)
    assertEquals(30_041 + 34 + 300L * 30_007 + 1090, at);
    // 250 of them fit, and read back to the same layout
    EventLayout fits = LayoutEngine.layout("Top", specs.subList(0, 250),
        io.github.bpfevents.layout.Packing.NATURAL);
    String text = DefinitionWriter.eventFile(List.of(fits), null);
    assertEquals(fits, EventFileReader.read("t", text.getBytes(StandardCharsets.UTF_8))
        .event("Top"));
  }

  @Test
  void aNameThatReadsBackAsSomethingElseIsRefused() {
    for (String name : List.of("'x", ":x", "a/b")) {
      EventLayout e = LayoutEngine.layout(name, List.of(FieldSpec.of("a", FieldType.U8)),
          io.github.bpfevents.layout.Packing.NATURAL);
      assertEquals("bad-name", assertThrows(BpfEventsException.class,
          () -> DefinitionWriter.eventFile(List.of(e), null)).problem(), name);
    }
  }
}
