package io.github.bpfevents.cheader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.FieldSpec;
import io.github.bpfevents.layout.FieldType;
import io.github.bpfevents.layout.LayoutEngine;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The header's argument checks, with the list kinds Java callers pass. */
class CHeaderTest {
  private static final EventLayout EV =
      LayoutEngine.layout("Ev", List.of(FieldSpec.of("pid", FieldType.U32)));

  @Test
  void immutableListsAreAccepted() {
    // List.of and List.copyOf throw NullPointerException on contains(null)
    String h = CHeader.emit(List.of(EV));
    assertTrue(h.contains("struct ev {\n\t__u32 pid;\n} __attribute__((packed));"), h);
    assertEquals(h, CHeader.emit(List.copyOf(List.of(EV)), null));
  }

  @Test
  void aNullEventIsTheLibrarysError() {
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> CHeader.emit(Arrays.asList(EV, null)));
    assertEquals("no-events", e.problem());
  }
}
