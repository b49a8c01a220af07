package io.github.bpfevents.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.bpfevents.Examples;
import io.github.bpfevents.definition.EventFile;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The built-in example file holds the documented events, laid out as the Java API does. */
class ExampleEventsTest {
  @Test
  void theExampleIsTheDocumentedConnectionEventAndFlowEvent() {
    EventFile f = ExampleEvents.events();
    assertEquals(List.of("ConnectionEvent", "Endpoint", "FlowEvent"), f.names());
    assertEquals(Examples.CONNECTION_EVENT, f.event("ConnectionEvent"));
    assertEquals(Examples.ENDPOINT, f.event("Endpoint"));
    assertEquals(Examples.FLOW_EVENT, f.event("FlowEvent"));
    assertEquals(48, Examples.FLOW_EVENT.size());
    assertEquals(24, Examples.FLOW_EVENT.resolve(List.of("dst", "port")).offset());
  }
}
