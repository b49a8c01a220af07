package io.github.bpfevents.definition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.HostQueries;
import io.github.bpfevents.HostValues;
import io.github.bpfevents.btf.BtfWriter;
import io.github.bpfevents.codec.EventDecoder;
import io.github.bpfevents.definition.HostDefinitionsTest.Kw;
import io.github.bpfevents.definition.HostDefinitionsTest.Sym;
import io.github.bpfevents.layout.EventLayout;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The queries of the Clojure namespace, answered in the core for a host: the layout
 * report of {@code struct { __u8 flag; __u64 ts; }} has pahole's 7-byte hole after flag,
 * a 200-byte record crosses cache lines at 64, 128 and 192, a definition checked against
 * BTF that declares ts as 32 bits differs in size, and every bad argument is refused
 * naming it.
 */
class HostQueriesTest {
  private static final HostValues HOST = HostDefinitionsTest.HOST;

  private static Kw kw(String name) {
    return new Kw(name);
  }

  private static Object natural(String name, String tsType) {
    return HostDefinitions.define(new Sym(name), List.of(List.of(kw("flag"), kw("u8")),
        List.of(kw("ts"), kw(tsType))), HOST.map(new Object[] {kw("align"), kw("natural")}),
        HOST).definition();
  }

  @Test
  void theLayoutReportIsTheHostsData() {
    Map<?, ?> r = (Map<?, ?>) HostQueries.describe(natural("Ev", "u64"), HOST);
    assertEquals(new Sym("Ev"), r.get(kw("name")));
    assertEquals(16, r.get(kw("size")));
    assertEquals(8, r.get(kw("alignment")));
    assertEquals(List.of(HOST.map(new Object[] {kw("offset"), 1, kw("size"), 7, kw("after"),
        kw("flag")})), r.get(kw("holes")));
    assertEquals(List.of(), r.get(kw("cacheline-boundaries")));
    Object wide = HostDefinitions.define(new Sym("W"), List.of(List.of(kw("a"), kw("u8"), 200L)),
        HOST.map(new Object[0]), HOST).definition();
    assertEquals(List.of(64L, 128L, 192L),
        ((Map<?, ?>) HostQueries.describe(wide, HOST)).get(kw("cacheline-boundaries")));
  }

  @Test
  void aDefinitionIsCheckedAgainstBtf() {
    Object ev = natural("Ev", "u64");
    EventLayout narrow = HostDefinitions.layout(natural("Ev", "u32"), HOST);
    byte[] btf = BtfWriter.write(List.of(narrow));
    assertEquals(List.of(), HostQueries.check(natural("Ev", "u32"), btf, null, HOST));
    List<?> found = (List<?>) HostQueries.check(ev, btf, null, HOST);
    assertTrue(found.contains(HOST.map(new Object[] {kw("path"), List.of(kw("ts")),
        kw("struct"), "ev", kw("mismatch"), kw("size"), kw("definition"), 8L, kw("btf"), 4L})),
        found.toString());
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> HostQueries.check(ev, btf, 42L, HOST));
    assertEquals("unknown-struct", e.problem());
    assertEquals("bad-btf-source", assertThrows(BpfEventsException.class,
        () -> HostQueries.check(ev, 42L, null, HOST)).problem());
    assertEquals("no-events", assertThrows(BpfEventsException.class,
        () -> HostQueries.events(btf, List.of(), HOST)).problem());
    assertEquals("no-events", assertThrows(BpfEventsException.class,
        () -> HostQueries.events(btf, List.of(1L), HOST)).problem());
  }

  @Test
  void decodingChecksTheOffsetAndTheBuffer() {
    EventLayout l = HostDefinitions.layout(natural("Ev", "u64"), HOST);
    EventDecoder d = EventDecoder.of(l, HOST);
    byte[] bytes = new byte[24];
    bytes[12] = 5;
    assertEquals(5L, ((Map<?, ?>) HostQueries.decode(d, bytes, 4L, HOST)).get(kw("ts")));
    ByteBuffer b = ByteBuffer.wrap(bytes).position(4);
    assertEquals(5L, ((Map<?, ?>) HostQueries.decode(d, b, 0, HOST)).get(kw("ts")));
    assertEquals("bad-offset", assertThrows(BpfEventsException.class,
        () -> HostQueries.decode(d, bytes, -1L, HOST)).problem());
    assertEquals("bad-offset", assertThrows(BpfEventsException.class,
        () -> HostQueries.decode(d, bytes, 1L << 31, HOST)).problem());
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> HostQueries.decode(d, "bytes", 0L, HOST));
    assertEquals("not-a-buffer", e.problem());
    assertSame("bytes", ((Map<?, ?>) e.data(HOST)).get(kw("value")));
    assertEquals("bad-value", assertThrows(BpfEventsException.class,
        () -> HostQueries.encode(natural("Ev", "u64"), List.of(1L), HOST)).problem());
  }

  @Test
  void typesAndPathsReadAsWritten() {
    Object inner = natural("In", "u32");
    Object outer = HostDefinitions.define(new Sym("Out"), List.of(List.of(kw("a"), inner, 2L)),
        HOST.map(new Object[0]), HOST).definition();
    assertSame(inner, HostQueries.typeAt(outer, List.of(kw("a")), HOST));
    assertEquals(kw("u32"), HostQueries.typeAt(outer, List.of(kw("a"), 1L, kw("ts")), HOST));
    EventLayout l = HostDefinitions.layout(outer, HOST);
    Map<?, ?> ref = (Map<?, ?>) HostQueries.fieldRef(l.resolve(List.of("a", 1L, "ts")), HOST);
    assertEquals(List.of(kw("a"), 1L, kw("ts")), ref.get(kw("path")));
    assertEquals(8 + 4, ref.get(kw("offset")));
    assertEquals(kw("u32"), ref.get(kw("type")));
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> HostQueries.cHeader(outer, HOST.map(new Object[] {kw("nope"), 1L}), HOST));
    assertEquals("bad-option", e.problem());
    assertEquals(List.of(kw("guard")), ((Map<?, ?>) e.data(HOST)).get(kw("accepted")));
    assertTrue(HostQueries.cHeader(outer, HOST.map(new Object[] {kw("guard"), "OUT_H"}), HOST)
        .contains("#ifndef OUT_H"));
  }

  @Test
  void pathsAreReadAndBadOnesGiveBackTheValueAsWritten() {
    assertEquals(List.of("a", 2L, "ts"), HostQueries.path(List.of(kw("a"), 2, kw("ts")), HOST));
    assertEquals(List.of("a"), HostQueries.path(kw("a"), HOST));
    for (Object bad : List.<Object>of("a", List.of(), List.of(kw("a"), "b"), 7L)) {
      BpfEventsException e = assertThrows(BpfEventsException.class,
          () -> HostQueries.path(bad, HOST));
      assertEquals("unknown-field", e.problem());
      assertSame(bad, ((Map<?, ?>) e.data(HOST)).get(kw("field")));
    }
    Object inner = natural("In", "u32");
    Object outer = HostDefinitions.define(new Sym("Out"), List.of(List.of(kw("a"), inner)),
        HOST.map(new Object[0]), HOST).definition();
    assertSame(inner, HostQueries.fieldType(outer, kw("a"), HOST));
    assertEquals(kw("u32"), HostQueries.fieldType(outer, List.of(kw("a"), kw("ts")), HOST));
  }
}
