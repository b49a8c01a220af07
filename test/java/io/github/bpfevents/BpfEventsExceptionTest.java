package io.github.bpfevents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The one error type as its class documentation describes it: a template whose
 * {@code {key}} places are filled from the data, read in Java notation by
 * {@code getMessage()} and in EDN by {@code message(EDN)}; the ways an error is widened
 * ({@code within}, {@code with}, {@code replacing}); and quoted values that stay short and
 * quick however large, endless or self-containing they are.
 */
class BpfEventsExceptionTest {
  /** The longest message a bounded excerpt may give, for the values below. */
  private static final int SHORT = 1000;
  /** Time enough for any bounded message; an unbounded one never finishes. */
  private static final Duration QUICKLY = Duration.ofSeconds(2);

  private static BpfEventsException noField(Object field) {
    return BpfEventsException.of("unknown-field")
        .with("event", "ConnectionEvent")
        .with("field", field)
        .message("event {event} has no field {field}");
  }

  // ---------------------------------------------------------------------------------------
  // Templates and notations

  @Test
  void theTemplateIsFilledFromTheDataInEitherNotation() {
    BpfEventsException e = noField("nope");
    assertEquals("event ConnectionEvent has no field nope", e.getMessage());
    assertEquals("event ConnectionEvent has no field nope", e.message(Notation.JAVA));
    assertEquals("event ConnectionEvent has no field :nope", e.message(Notation.EDN));
  }

  @Test
  void theProblemComesFirstInTheDataAndEntriesKeepTheirOrder() {
    BpfEventsException e = noField("nope");
    assertEquals("unknown-field", e.problem());
    assertEquals(List.of("problem", "event", "field"), new ArrayList<>(e.data().keySet()));
    assertEquals("unknown-field", e.data().get("problem"));
    assertEquals("nope", e.data().get("field"));
    assertThrows(UnsupportedOperationException.class, () -> e.data().put("x", 1));
  }

  @Test
  void anExceptionWithoutDataHoldsItsProblem() {
    BpfEventsException e = BpfEventsException.of("not-wrapped").message("plain text");
    assertEquals(Map.of("problem", "not-wrapped"), e.data());
    assertEquals("plain text", e.getMessage());
    assertNull(e.getCause());
  }

  @Test
  void aNullValueIsRecordedAndShown() {
    BpfEventsException e = BpfEventsException.of("bad-value")
        .with("value", null)
        .message("value {value}");
    assertTrue(e.data().containsKey("value"));
    assertNull(e.data().get("value"));
    assertEquals("value null", e.getMessage());
    assertEquals("value nil", e.message(Notation.EDN));
  }

  /** key, value, Java text, EDN text: how each kind of entry is shown. */
  static Stream<Arguments> shownEntries() {
    return Stream.of(
        // names: plain in Java, keywords in EDN
        Arguments.of("field", "pid", "pid", ":pid"),
        Arguments.of("type", "u99", "u99", ":u99"),
        Arguments.of("register", "r11", "r11", ":r11"),
        Arguments.of("key", "align", "align", ":align"),
        Arguments.of("member", "comm", "comm", ":comm"),
        Arguments.of("step", "ttl", "ttl", ":ttl"),
        // paths of names and indices
        Arguments.of("path", List.of("hops", 2, "ttl"), "hops[2].ttl", "[:hops 2 :ttl]"),
        Arguments.of("at", List.of("src", "port"), "src.port", "[:src :port]"),
        Arguments.of("at", List.of(), "", "[]"),
        Arguments.of("path", List.of("comm", 3L), "comm[3]", "[:comm 3]"),
        // a field inside a nested event is named by its path
        Arguments.of("field", List.of("hops", 2, "ttl"), "hops[2].ttl", "[:hops 2 :ttl]"),
        // lists of names
        Arguments.of("accepted", List.of("natural", "packed"), "[natural, packed]",
            "[:natural :packed]"),
        Arguments.of("accepted", List.of(), "[]", "[]"),
        // values: strings quoted, with escapes
        Arguments.of("value", "natural", "\"natural\"", "\"natural\""),
        Arguments.of("value", "a\"b\\c\nd\te\u0001", "\"a\\\"b\\\\c\\nd\\te\\u0001\"",
            "\"a\\\"b\\\\c\\nd\\te\\u0001\""),
        Arguments.of("value", "", "\"\"", "\"\""),
        Arguments.of("value", 42L, "42", "42"),
        Arguments.of("value", -1, "-1", "-1"),
        Arguments.of("value", true, "true", "true"),
        Arguments.of("value", 'x', "'x'", "\\x"),
        Arguments.of("value", null, "null", "nil"),
        Arguments.of("value", List.of(1, 2), "[1, 2]", "[1 2]"),
        Arguments.of("value", new LinkedList<>(List.of(1, 2)), "[1, 2]", "(1 2)"),
        Arguments.of("value", new int[] {1, 2}, "[1, 2]", "[1 2]"),
        Arguments.of("value", orderedMap("a", 1, "b", "x"), "{\"a\"=1, \"b\"=\"x\"}",
            "{\"a\" 1, \"b\" \"x\"}"),
        // a String under any other key is text of the message, as it is
        Arguments.of("expected", "a positive integer", "a positive integer",
            "a positive integer"),
        Arguments.of("event", "ConnectionEvent", "ConnectionEvent", "ConnectionEvent"),
        // a value that knows how it is shown
        Arguments.of("value", (Shown) n -> n == Notation.EDN ? ":u32" : "u32", "u32", ":u32"));
  }

  @ParameterizedTest(name = "{0} {2}")
  @MethodSource("shownEntries")
  void eachKindOfEntryIsShownAsItsKeySays(String key, Object value, String java, String edn) {
    assertEquals(java, BpfEventsException.show(key, value, Notation.JAVA));
    assertEquals(edn, BpfEventsException.show(key, value, Notation.EDN));
    BpfEventsException e = BpfEventsException.of("p").with(key, value).message("<{" + key + "}>");
    assertEquals("<" + java + ">", e.getMessage());
    assertEquals("<" + edn + ">", e.message(Notation.EDN));
  }

  @Test
  void pathsAndAcceptedListsInAMessage() {
    BpfEventsException e = BpfEventsException.of("unknown-field")
        .with("field", "nope")
        .with("at", List.of("hops", 2))
        .with("expected", "one of {accepted}")
        .with("accepted", List.of("addr", "ttl"))
        .message("path {at} has no field {field}; expected {expected}");
    assertEquals("path hops[2] has no field nope; expected one of [addr, ttl]",
        e.getMessage());
    assertEquals("path [:hops 2] has no field :nope; expected one of [:addr :ttl]",
        e.message(Notation.EDN));
  }

  @Test
  void theExpectedEntryIsItselfATemplate() {
    BpfEventsException e = BpfEventsException.of("unknown-type")
        .with("type", "u33")
        .with("expected", "one of {accepted}")
        .with("accepted", List.of("u8", "u16"))
        .message("unknown type {type}; expected {expected}");
    assertEquals("unknown type u33; expected one of [u8, u16]", e.getMessage());
    assertEquals("unknown type :u33; expected one of [:u8 :u16]", e.message(Notation.EDN));
    assertEquals("one of [:u8 :u16]", e.render((String) e.data().get("expected"),
        Notation.EDN));
    // the data keeps the template
    assertEquals("one of {accepted}", e.data().get("expected"));
  }

  @Test
  void anExpectedEntryThatNamesItselfDoesNotRecurseWithoutEnd() {
    BpfEventsException e = BpfEventsException.of("p")
        .with("expected", "{expected} {expected}")
        .message("expected {expected}");
    String m = assertTimeoutPreemptively(QUICKLY, () -> e.getMessage());
    assertTrue(m.length() < SHORT, m);
    assertTrue(m.startsWith("expected "), m);
  }

  @Test
  void doubledOpeningBracesAreOneLiteralBrace() {
    BpfEventsException e = BpfEventsException.of("bad-option")
        .with("value", "x")
        .message("options {value} are not a map; expected a map such as {{:align :natural}");
    assertEquals("options \"x\" are not a map; expected a map such as {:align :natural}",
        e.getMessage());
    assertEquals("{{", BpfEventsException.of("p").message("{{{{").getMessage());
  }

  @Test
  void placesWithoutDataAndNonPlacesStayAsWritten() {
    BpfEventsException e = BpfEventsException.of("p")
        .with("field", "pid")
        .message("{missing} {field} {Field} {9x} {} {field");
    assertEquals("{missing} pid {Field} {9x} {} {field", e.getMessage());
    assertEquals("", e.render(null, Notation.JAVA));
    assertEquals("pid and pid", e.render("{field} and {field}", Notation.JAVA));
    assertEquals(":pid and :pid", e.render("{field} and {field}", Notation.EDN));
  }

  @Test
  void literalTextIsShownAsItIsInEveryNotation() {
    BpfEventsException e = BpfEventsException.of("bad-event-file")
        .with("field", "pid")
        .literal("cannot read {field}.clj: {{x}} and {");
    assertEquals("cannot read {field}.clj: {{x}} and {", e.getMessage());
    assertEquals("cannot read {field}.clj: {{x}} and {", e.message(Notation.EDN));
    assertEquals("pid", e.data().get("field"));
  }

  // ---------------------------------------------------------------------------------------
  // Widening an error

  @Test
  void withinAddsAnEntryAfterTheProblemAndAPrefix() {
    BpfEventsException inner = BpfEventsException.of("unknown-type")
        .with("type", "u33")
        .message("unknown type {type}");
    BpfEventsException outer = inner.within("field", "pid", "field {field}");
    assertEquals("field pid: unknown type u33", outer.getMessage());
    assertEquals("field :pid: unknown type :u33", outer.message(Notation.EDN));
    assertEquals("unknown-type", outer.problem());
    assertEquals(List.of("problem", "field", "type"), new ArrayList<>(outer.data().keySet()));
    assertSame(inner, outer.getCause());
    // the original is unchanged
    assertEquals("unknown type u33", inner.getMessage());
    assertEquals(List.of("problem", "type"), new ArrayList<>(inner.data().keySet()));
    // widened twice, the outermost context comes first
    BpfEventsException twice = outer.within("event", "Ev", "event {event}");
    assertEquals("event Ev: field pid: unknown type u33", twice.getMessage());
    assertEquals(List.of("problem", "event", "field", "type"),
        new ArrayList<>(twice.data().keySet()));
  }

  @Test
  void withAddsOnlyEntriesTheDataLacks() {
    BpfEventsException inner = noField("nope");
    BpfEventsException more = inner.with(orderedMap("line", 3, "field", "other"));
    assertEquals("nope", more.data().get("field"));
    assertEquals(3, more.data().get("line"));
    assertEquals(List.of("problem", "event", "field", "line"),
        new ArrayList<>(more.data().keySet()));
    assertEquals(inner.getMessage(), more.getMessage());
    assertEquals(inner.problem(), more.problem());
    assertSame(inner, more.getCause());
    assertEquals(3, inner.data().size());
  }

  @Test
  void replacingChangesOneEntryInPlace() {
    BpfEventsException inner = BpfEventsException.of("bad-option")
        .with("key", "align")
        .with("value", "weird")
        .with("line", 0)
        .message("option {key} {value} is not accepted");
    BpfEventsException shown = inner.replacing("value", (Shown) n -> ":weird");
    assertEquals("option align :weird is not accepted", shown.getMessage());
    assertEquals(List.of("problem", "key", "value", "line"),
        new ArrayList<>(shown.data().keySet()));
    assertSame(inner, shown.getCause());
    BpfEventsException added = inner.replacing("source", "ev.clj");
    assertEquals("ev.clj", added.data().get("source"));
    assertEquals(List.of("problem", "key", "value", "line", "source"),
        new ArrayList<>(added.data().keySet()));
    assertEquals("\"weird\"", BpfEventsException.show("value", inner.data().get("value"),
        Notation.EDN));
  }

  // ---------------------------------------------------------------------------------------
  // Bounded excerpts

  /** A list of a billion elements that exist only when asked for. */
  static final class HugeList extends AbstractList<Long> implements RandomAccess {
    @Override
    public Long get(int index) {
      return (long) index;
    }

    @Override
    public int size() {
      return 1_000_000_000;
    }
  }

  /** An Iterable whose iterator never ends; messages must not call its toString. */
  static final class Endless implements Iterable<Object> {
    @Override
    public Iterator<Object> iterator() {
      return new Iterator<>() {
        private long n;

        @Override
        public boolean hasNext() {
          return true;
        }

        @Override
        public Object next() {
          return n++;
        }
      };
    }

    @Override
    public String toString() {
      throw new AssertionError("a message called toString on a value it does not know");
    }
  }

  /** An object of a class messages do not know: they must not call its toString. */
  static final class Opaque {
    @Override
    public String toString() {
      throw new AssertionError("a message called toString on a value it does not know");
    }
  }

  private static List<Object> selfContainingList() {
    List<Object> l = new ArrayList<>();
    l.add(1);
    l.add(l);
    l.add(2);
    return l;
  }

  private static Map<Object, Object> selfContainingMap() {
    Map<Object, Object> m = new LinkedHashMap<>();
    m.put("a", 1);
    m.put("self", m);
    return m;
  }

  /** Builds the message of a bad value under the key, in both notations, within the time. */
  private static List<String> messages(String key, Object value) {
    return assertTimeoutPreemptively(QUICKLY, () -> {
      BpfEventsException e = BpfEventsException.of("bad-value")
          .with(key, value)
          .with("expected", "something else")
          .message("field comm: {" + key + "} does not fit; expected {expected}");
      return List.of(e.getMessage(), e.message(Notation.EDN));
    });
  }

  private static void assertShort(List<String> messages) {
    for (String m : messages) {
      assertTrue(m.length() < SHORT, m.length() + " characters: " + m);
      assertTrue(m.endsWith("; expected something else"), m);
    }
  }

  @Test
  void aHugeListShowsItsFirstElements() {
    List<String> m = messages("value", new HugeList());
    assertShort(m);
    assertEquals("field comm: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17,"
        + " 18, 19, 20, 21, 22, 23, ...] does not fit; expected something else", m.get(0));
    assertEquals("field comm: [0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23"
        + " ...] does not fit; expected something else", m.get(1));
  }

  @Test
  void aHugeArrayShowsItsFirstElements() {
    assertShort(messages("value", new long[5_000_000]));
  }

  @Test
  void anEndlessIterableShowsItsFirstElements() {
    List<String> m = messages("value", new Endless());
    assertShort(m);
    assertTrue(m.get(0).startsWith("field comm: [0, 1, 2, "), m.get(0));
    assertTrue(m.get(0).contains(", 23, ...]"), m.get(0));
  }

  @Test
  void endlessValuesAsNamesPathsAndAcceptedListsAreBoundedToo() {
    assertShort(messages("accepted", new Endless()));
    assertShort(messages("path", new HugeList()));
    assertShort(messages("field", new HugeList()));
  }

  @Test
  void aSelfContainingListShowsItsNestingAsDots() {
    List<String> m = messages("value", selfContainingList());
    assertShort(m);
    assertEquals("field comm: [1, [1, [1, ..., 2], 2], 2] does not fit; expected something"
        + " else", m.get(0));
    assertEquals("field comm: [1 [1 [1 ... 2] 2] 2] does not fit; expected something else",
        m.get(1));
  }

  @Test
  void aSelfContainingMapShowsItsNestingAsDots() {
    List<String> m = messages("value", selfContainingMap());
    assertShort(m);
    assertEquals("field comm: {\"a\"=1, \"self\"={\"a\"=1, \"self\"={\"a\"=1, \"self\"=...}}}"
        + " does not fit; expected something else", m.get(0));
  }

  @Test
  void anObjectOfAnUnknownClassShowsItsClassOnly() {
    List<String> m = messages("value", new Opaque());
    assertShort(m);
    assertEquals("field comm: #object[" + Opaque.class.getName() + "] does not fit; expected"
        + " something else", m.get(0));
    // inside a collection too
    assertShort(messages("value", List.of(new Opaque(), new Opaque())));
    assertShort(messages("field", new Opaque()));
  }

  @Test
  void aLongStringIsCut() {
    String longText = "x".repeat(1_000_000);
    List<String> m = messages("value", longText);
    assertShort(m);
    assertEquals("field comm: \"" + "x".repeat(64) + "...\" does not fit; expected something"
        + " else", m.get(0));
    assertShort(messages("field", longText));
    assertShort(messages("accepted", List.of(longText, longText)));
  }

  @Test
  void aMapOfEndlessValuesIsBounded() {
    Map<Object, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < 100; i++) {
      m.put(i, new Endless());
    }
    assertTimeoutPreemptively(QUICKLY, () -> messages("value", m));
  }

  /**
   * A list holding itself 30 times: each level shows 24 elements, three levels deep, so the
   * message quotes 24 * 24 * 24 elements (about 70,000 characters) where the class
   * documentation promises that no value makes a message long.
   */
  @Test
  void aListThatHoldsItselfManyTimesIsStillShort() {
    List<Object> l = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      l.add(l);
    }
    assertShort(messages("value", l));
    List<Object> wide = new ArrayList<>(Collections.nCopies(30,
        new ArrayList<>(Collections.nCopies(30, Arrays.asList(new Object[30])))));
    assertShort(messages("value", wide));
  }

  private static Map<String, Object> orderedMap(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
