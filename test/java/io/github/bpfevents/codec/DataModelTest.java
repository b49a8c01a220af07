package io.github.bpfevents.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Java data model: String keys (and nothing else taken for a key), unmodifiable maps in
 * the order the keys were given, unmodifiable lists.
 */
class DataModelTest {
  private static final DataModel JAVA = DataModel.JAVA;

  @Test
  void keysAreTheFieldNames() {
    assertEquals("pid", JAVA.key("pid"));
    assertEquals("pid", JAVA.name("pid"));
    assertNull(JAVA.name(5));
    assertNull(JAVA.name(null));
    assertNull(JAVA.name(new StringBuilder("pid")));
  }

  @Test
  void mapsKeepTheOrderGivenAndCannotChange() {
    Object m = JAVA.map(new Object[] {"z", 1L, "a", 2L, "m", "x"});
    Map<String, Object> map = DataModel.asMap(m);
    assertEquals(List.of("z", "a", "m"), new ArrayList<>(map.keySet()));
    assertEquals(Map.of("z", 1L, "a", 2L, "m", "x"), map);
    assertThrows(UnsupportedOperationException.class, () -> map.put("b", 3L));
    assertEquals(Map.of(), DataModel.asMap(JAVA.map(new Object[0])));
  }

  @Test
  void listsHoldTheItemsAndCannotChange() {
    List<Object> list = DataModel.asList(JAVA.list(new Object[] {1L, 2L}));
    assertEquals(List.of(1L, 2L), list);
    assertThrows(UnsupportedOperationException.class, () -> list.set(0, 5L));
    assertThrows(UnsupportedOperationException.class, () -> list.add(5L));
  }

  @Test
  void theJavaModelIsWhatTheDecoderUsesByDefault() {
    assertSame(JAVA, EventDecoder.of(io.github.bpfevents.Examples.ENDPOINT, JAVA).model());
  }
}
