package io.github.bpfevents.definition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.check.RandomCTypes;
import io.github.bpfevents.layout.EventLayout;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Definitions of the C type model written as an event file read back to the same
 * layouts: 500 generated definitions (unions, anonymous members, bitfields, enums,
 * pointers, flexible arrays, empty structs, aligned), each through its text.
 */
class CTypeModelWriterTest {
  @Test
  void generatedDefinitionsReadBackAsTheyWereWritten() {
    RandomCTypes gen = new RandomCTypes(new Random(17_2026_12_06L));
    int written = 0;
    int refused = 0;
    for (int i = 0; i < 500; i++) {
      EventLayout ev = gen.event("wr" + i, 2);
      String text;
      try {
        text = DefinitionWriter.eventFile(List.of(ev), null);
      } catch (BpfEventsException e) {
        // a u64 enum value past 2^63-1, which no event file integer holds
        assertEquals("bad-enum", e.problem(), e.getMessage());
        refused++;
        continue;
      }
      EventFile back = EventFileReader.read("wr.clj", text.getBytes(StandardCharsets.UTF_8));
      assertEquals(ev, back.event(ev.name()), text);
      written++;
    }
    assertTrue(written > 400, written + " written, " + refused + " refused");
    System.out.println("[definitions] " + written + " generated definitions of the C type"
        + " model written and read back to the same layouts (" + refused + " with a u64"
        + " enum value past 2^63-1 refused)");
  }

  @Test
  void theFlowExampleAsText() {
    EventFile f = EventFileReader.read("t.clj", String.join("\n",
        "(defevent Addr {:kind :union :align :natural} [:v4 :u32] [:v6 :u8 16])",
        "(defevent Flow {:align :natural} [Addr] [:syn :u8 {:bits 1}] [:u8 {:bits 0}]",
        "  [:kind :u8 {:enum {:open 1}}] [:sk :ptr {:to \"sock\"}] [:d :u8 []])")
        .getBytes(StandardCharsets.UTF_8));
    String text = DefinitionWriter.eventFile(List.of(f.event("Flow")), null);
    assertTrue(text.contains("(defevent Addr {:align :natural :kind :union}"), text);
    assertTrue(text.contains("[Addr]"), text);
    assertTrue(text.contains("[:syn :u8 {:bits 1}]"), text);
    assertTrue(text.contains("[:u8 {:bits 0}]"), text);
    assertTrue(text.contains("[:kind :u8 {:enum {:open 1}}]"), text);
    assertTrue(text.contains("[:sk :ptr {:to \"sock\"}]"), text);
    assertTrue(text.contains("[:d :u8 []]"), text);
  }
}
