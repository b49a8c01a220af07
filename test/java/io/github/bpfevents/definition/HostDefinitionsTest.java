package io.github.bpfevents.definition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.HostValues;
import io.github.bpfevents.Notation;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.LayoutEngine;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Definitions read from a host's values: a host with keywords and symbols of its own
 * (records here), endless sequences, hand-made maps that nest or hold themselves. The
 * numbers are those C gives ({@code struct { __u8 flag; __u64 ts; }} is 16 bytes, ts at 8;
 * packed, 9 bytes), and errors give back the very value the caller wrote.
 */
class HostDefinitionsTest {
  public record Kw(String name) {}

  public record Sym(String name) {}

  /** A sequence that never ends, and counts how far it was walked. */
  static final class Endless implements Iterable<Object> {
    private final Object item;
    int walked;

    Endless(Object item) {
      this.item = item;
    }

    @Override
    public Iterator<Object> iterator() {
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return true;
        }

        @Override
        public Object next() {
          walked++;
          return item;
        }
      };
    }
  }

  /** A host whose names are Kw and Sym, vectors Lists, sequences other Iterables. */
  static final HostValues HOST = new HostValues() {
    @Override
    public Kind kind(Object x) {
      if (x instanceof Kw) {
        return Kind.KEYWORD;
      } else if (x instanceof Sym) {
        return Kind.SYMBOL;
      } else if (x instanceof List) {
        return Kind.VECTOR;
      } else if (x instanceof Iterable) {
        return Kind.SEQUENCE;
      }
      return HostValues.JAVA.kind(x);
    }

    @Override
    public String text(Object x) {
      return x instanceof Kw k ? k.name() : x instanceof Sym s ? s.name()
          : HostValues.JAVA.text(x);
    }

    @Override
    public Number integer(Object x) {
      return HostValues.JAVA.integer(x);
    }

    @Override
    public List<Object> items(Object x, int limit) {
      return x instanceof Iterable<?> i && !(x instanceof Map) ? HostValues.take(i, limit)
          : null;
    }

    @Override
    public List<Map.Entry<Object, Object>> entries(Object x, int limit) {
      return HostValues.JAVA.entries(x, limit);
    }

    @Override
    public Object get(Object map, String key) {
      return map instanceof Map<?, ?> m ? m.get(new Kw(key)) : null;
    }

    @Override
    public boolean has(Object map, String key) {
      return map instanceof Map<?, ?> m && m.containsKey(new Kw(key));
    }

    @Override
    public EventLayout event(Object x) {
      return null;
    }

    @Override
    public String show(Object x) {
      return x instanceof Kw k ? ":" + k.name() : x instanceof Sym s ? s.name()
          : HostValues.super.show(x);
    }

    @Override
    public Object keyword(String name) {
      return new Kw(name);
    }

    @Override
    public Object symbol(String name) {
      return new Sym(name);
    }

    @Override
    public Object key(String fieldName) {
      return new Kw(fieldName);
    }

    @Override
    public String name(Object key) {
      return ((Kw) key).name();
    }

    @Override
    public Object map(Object[] keysAndValues) {
      Map<Object, Object> m = new LinkedHashMap<>();
      for (int i = 0; i < keysAndValues.length; i += 2) {
        m.put(keysAndValues[i], keysAndValues[i + 1]);
      }
      return m;
    }

    @Override
    public Object list(Object[] items) {
      return new ArrayList<>(Arrays.asList(items));
    }
  };

  private static Kw kw(String name) {
    return new Kw(name);
  }

  private static Map<Object, Object> map(Object... kv) {
    return DataModelMaps.of(HOST, kv);
  }

  /** Maps for the test host. */
  static final class DataModelMaps {
    @SuppressWarnings("unchecked")
    static Map<Object, Object> of(HostValues host, Object... kv) {
      return (Map<Object, Object>) host.map(kv);
    }
  }

  private static BpfEventsException refused(Runnable r) {
    return assertThrows(BpfEventsException.class, r::run);
  }

  @Test
  void definesAsCDoesAndMakesTheDefinitionMapInDeclarationOrder() {
    List<Object> specs = List.of(List.of(kw("flag"), kw("u8")), List.of(kw("ts"), kw("u64")));
    HostDefinitions.Defined natural = HostDefinitions.define(new Sym("Ev"), specs,
        map(kw("align"), kw("natural")), HOST);
    assertEquals(16, natural.layout().size());
    assertEquals(8, natural.layout().fields().get(1).offset());
    @SuppressWarnings("unchecked")
    Map<Object, Object> d = (Map<Object, Object>) natural.definition();
    assertEquals(List.of(kw("name"), kw("align"), kw("fields"), kw("size"), kw("field-map")),
        new ArrayList<>(d.keySet()));
    assertEquals(new Sym("Ev"), d.get(kw("name")));
    assertEquals(kw("natural"), d.get(kw("align")));
    assertEquals(16, d.get(kw("size")));
    Object ts = map(kw("name"), kw("ts"), kw("type"), kw("u64"), kw("count"), 1, kw("size"), 8,
        kw("offset"), 8);
    assertEquals(ts, ((List<?>) d.get(kw("fields"))).get(1));
    assertEquals(ts, ((Map<?, ?>) d.get(kw("field-map"))).get(kw("ts")));
    // Integers as the Clojure namespace has always given them
    assertEquals(Integer.class, ((Map<?, ?>) ts).get(kw("offset")).getClass());

    HostDefinitions.Defined packed = HostDefinitions.define(new Sym("Ev"), specs, map(), HOST);
    assertEquals(9, packed.layout().size());
  }

  @Test
  void anEndlessSequenceOfSpecsIsCutJustPastTheLimit() {
    Endless specs = new Endless(List.of(kw("a"), kw("u8")));
    BpfEventsException e = refused(() -> HostDefinitions.define(new Sym("E"), specs, map(),
        HOST));
    assertEquals("too-many-fields", e.problem());
    assertEquals(HostDefinitions.MAX_ITEMS, specs.walked);
  }

  @Test
  void theErrorGivesBackTheValueAsWritten() {
    Endless count = new Endless(1L);
    BpfEventsException e = refused(() -> HostDefinitions.define(new Sym("E"),
        List.of(List.of(kw("a"), kw("u8"), count)), map(), HOST));
    assertEquals("bad-count", e.problem());
    @SuppressWarnings("unchecked")
    Map<Object, Object> data = (Map<Object, Object>) e.data(HOST);
    assertEquals(kw("bad-count"), data.get(kw("problem")));
    assertEquals(kw("a"), data.get(kw("field")));
    // the endless count is shown cut: eight items and the symbol ...
    List<Object> shown = new ArrayList<>(Arrays.asList(1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L));
    shown.add(new Sym("..."));
    assertEquals(shown, data.get(kw("value")));
    assertTrue(e.message(Notation.EDN).startsWith("event E: field :a has count "),
        e.message(Notation.EDN));

    Object written = List.of(kw("a"), kw("u99"));
    BpfEventsException t = refused(() -> HostDefinitions.define(new Sym("E"),
        List.of(List.of(kw("ok"), kw("u8")), written), map(), HOST));
    @SuppressWarnings("unchecked")
    Map<Object, Object> td = (Map<Object, Object>) t.data(HOST);
    assertEquals(kw("u99"), td.get(kw("type")));
    assertEquals(1, td.get(kw("index")));
    assertEquals("one of [:u8 :i8 :u16 :i16 :u32 :i32 :u64 :i64 :char :ptr :be16 :be32 :be64 :i128 :u128]",
        td.get(kw("expected")));
  }

  @Test
  void handMadeMapsNestAndAreLaidOutOnceEach() {
    Map<Object, Object> inner = map(kw("name"), new Sym("In"), kw("align"), kw("natural"),
        kw("fields"),
        List.of(map(kw("name"), kw("x"), kw("type"), kw("u32"))));
    Map<Object, Object> outer = map(kw("name"), new Sym("Out"), kw("align"), kw("natural"),
        kw("fields"), List.of(List.of(kw("f"), kw("u8")), List.of(kw("a"), inner),
            List.of(kw("b"), inner)));
    EventLayout l = HostDefinitions.layout(outer, HOST);
    assertEquals(12, l.size());
    assertSame(l.fields().get(1).nested(), l.fields().get(2).nested());
    assertEquals(List.of(kw("x"), kw("u32")), HostDefinitions.fieldSpecs(inner, HOST).get(0));
    Object maps = HostDefinitions.fieldMaps(outer, HOST);
    assertEquals(inner, ((Map<?, ?>) ((List<?>) maps).get(1)).get(kw("type")));
  }

  @Test
  void nestingTooDeepOrADefinitionThatHoldsItselfIsRefused() {
    Map<Object, Object> loop = map(kw("name"), new Sym("Loop"));
    loop.put(kw("fields"), List.of(List.of(kw("self"), loop)));
    BpfEventsException e = refused(() -> HostDefinitions.layout(loop, HOST));
    assertEquals("too-deep", e.problem());
    assertTrue(e.getMessage().endsWith(" nests events more than " + LayoutEngine.MAX_DEPTH
        + " deep (or holds itself); expected events nested at most " + LayoutEngine.MAX_DEPTH
        + " deep"), e.getMessage());
    assertEquals(new Sym("Loop"), ((Map<?, ?>) e.data(HOST)).get(kw("value")));
  }

  @Test
  void sequencesOfDefinitionsAreCheckedBeforeAnyIsLaidOut() {
    Map<Object, Object> ev = map(kw("name"), new Sym("E"), kw("fields"),
        List.of(List.of(kw("a"), kw("u8"))));
    assertEquals(2, HostDefinitions.layouts(List.of(ev, ev), HOST).size());
    assertEquals(1, HostDefinitions.layouts(ev, HOST).size());
    assertEquals("no-events", refused(() -> HostDefinitions.layouts(List.of(), HOST))
        .problem());
    assertEquals("no-events", refused(() -> HostDefinitions.layouts(7L, HOST)).problem());
    BpfEventsException notOne = refused(() -> HostDefinitions.layouts(new Endless(7L), HOST));
    assertEquals("not-an-event", notOne.problem());
    assertEquals("7 is not an event definition; expected the result of make-event-def or"
        + " defevent", notOne.message(Notation.EDN));
    assertEquals("too-many-events", refused(() -> HostDefinitions.layouts(new Endless(ev),
        HOST)).problem());
    assertFalse(HostDefinitions.isDefinition(map(kw("name"), new Sym("E")), HOST));
  }

  @Test
  void integersBeyondALongAreShownNotCut() {
    BigInteger huge = BigInteger.ONE.shiftLeft(70);
    BpfEventsException e = refused(() -> HostDefinitions.define(new Sym("E"),
        List.of(List.of(kw("a"), kw("u8"), huge)), map(), HOST));
    assertEquals("bad-count", e.problem());
    @SuppressWarnings("unchecked")
    Map<Object, Object> data = (Map<Object, Object>) e.data(HOST);
    assertSame(huge, data.get(kw("value")));
  }

  @Test
  void theDataReadsAsTheHostWritesIt() {
    EventLayout ev = HostDefinitions.define(new Sym("Ev"), List.of(List.of(kw("pid"),
        kw("u32"))), map(), HOST).layout();
    BpfEventsException e = BpfEventsException.of("unknown-field")
        .with("event", ev)
        .with("field", "nope")
        .with("accepted", List.of("pid", "comm"))
        .with("path", List.of("src", 2L))
        .with("insn", io.github.bpfevents.asm.Insn.ofBits(0x63, 6, 7, 8, 0))
        .with("expected", "one of {accepted}")
        .with("value", "nope")
        .message("event {event} has no field {field}; expected {expected}");
    @SuppressWarnings("unchecked")
    Map<Object, Object> d = (Map<Object, Object>) e.data(HOST);
    assertEquals(List.of(kw("problem"), kw("event"), kw("field"), kw("accepted"), kw("path"),
        kw("insn"), kw("expected"), kw("value")), new ArrayList<>(d.keySet()));
    assertEquals(kw("unknown-field"), d.get(kw("problem")));
    assertEquals(new Sym("Ev"), d.get(kw("event")));
    assertEquals(kw("nope"), d.get(kw("field")));
    assertEquals(List.of(kw("pid"), kw("comm")), d.get(kw("accepted")));
    assertEquals(List.of(kw("src"), 2L), d.get(kw("path")));
    assertEquals(map(kw("opcode"), 0x63L, kw("dst"), 6L, kw("src"), 7L, kw("offset"), 8L,
        kw("imm"), 0L), d.get(kw("insn")));
    assertEquals("one of [:pid :comm]", d.get(kw("expected")));
    assertEquals("nope", d.get(kw("value")), "a value stays as it was given");
    assertEquals("event Ev has no field :nope; expected one of [:pid :comm]",
        e.message(Notation.EDN));
  }

  @Test
  void aMalformedDefeventFormIsTheCatalogsError() {
    BpfEventsException e = HostDefinitions.malformedDefevent();
    assertEquals("bad-defevent", e.problem());
    assertEquals("malformed defevent form", e.getMessage());
    assertEquals("(defevent Name opts? [name type count?]...)", e.data().get("expected"));
  }
}
