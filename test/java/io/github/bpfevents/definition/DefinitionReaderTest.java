package io.github.bpfevents.definition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Examples;
import io.github.bpfevents.Notation;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.FieldType;
import io.github.bpfevents.layout.Packing;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The defevent grammar on forms built by hand, as the Clojure namespace hands them over
 * (line 0) or an event file reads them (real lines): what each accepted form gives, and for
 * each refused one its problem, its data ({@code "event"}, {@code "field"}, {@code "index"},
 * {@code "line"}, {@code "value"}) and its message in EDN.
 */
class DefinitionReaderTest {
  private static Form.KeywordForm kw(String name) {
    return new Form.KeywordForm(0, name);
  }

  private static Form.KeywordForm kw(int line, String name) {
    return new Form.KeywordForm(line, name);
  }

  private static Form.SymbolForm sym(String name) {
    return new Form.SymbolForm(0, name);
  }

  private static Form.SymbolForm sym(int line, String name) {
    return new Form.SymbolForm(line, name);
  }

  private static Form.VectorForm vec(Form... items) {
    return new Form.VectorForm(0, List.of(items));
  }

  private static Form.VectorForm vec(int line, Form... items) {
    return new Form.VectorForm(line, List.of(items));
  }

  private static Form.MapForm map(int line, Form... items) {
    return new Form.MapForm(line, List.of(items));
  }

  private static Form.IntegerForm num(long n) {
    return new Form.IntegerForm(0, n);
  }

  /** [name type] with keywords. */
  private static Form.VectorForm spec(String name, String type) {
    return vec(kw(name), kw(type));
  }

  /** [name type count] with keywords. */
  private static Form.VectorForm spec(String name, String type, long count) {
    return vec(kw(name), kw(type), num(count));
  }

  private static EventLayout define(Form name, List<Form> specs, Form options) {
    return DefinitionReader.define(name, specs, options, null);
  }

  private static BpfEventsException refused(Executable code) {
    return assertThrows(BpfEventsException.class, code);
  }

  private static String edn(BpfEventsException e) {
    return e.message(Notation.EDN);
  }

  // ---------------------------------------------------------------------------------------
  // Accepted

  @Test
  void connectionEventFromForms() {
    EventLayout e = define(sym("ConnectionEvent"), List.of(
        spec("timestamp", "u64"), spec("pid", "u32"), spec("saddr", "u32"),
        spec("daddr", "u32"), spec("sport", "u16"), spec("dport", "u16"),
        spec("protocol", "u8"), spec("direction", "u8"), spec("padding", "u8", 2),
        spec("comm", "char", 16)), null);
    assertEquals(Examples.CONNECTION_EVENT, e);
  }

  @Test
  void theNameMayBeASymbolAKeywordOrAString() {
    List<Form> specs = List.of(spec("pid", "u32"));
    assertEquals("Ev", define(sym("Ev"), specs, null).name());
    assertEquals("Ev", define(kw("Ev"), specs, null).name());
    assertEquals("Ev", define(new Form.StringForm(0, "Ev"), specs, null).name());
    assertEquals("Ev", DefinitionReader.eventName(sym("Ev")));
    assertEquals("ns/Ev", DefinitionReader.eventName(kw("ns/Ev")));
  }

  @Test
  void specsAsAVectorOrAList() {
    EventLayout fromVector = DefinitionReader.define(sym("Ev"),
        new Form.VectorForm(0, List.of(spec("pid", "u32"))), null, null);
    EventLayout fromList = DefinitionReader.define(sym("Ev"),
        new Form.ListForm(0, List.of(spec("pid", "u32"))), null, null);
    assertEquals(fromVector, fromList);
    assertEquals(4, fromList.size());
  }

  @Test
  void theAlignOption() {
    List<Form> specs = List.of(spec("a", "u8"), spec("b", "u64"));
    assertEquals(Packing.PACKED, define(sym("E"), specs, null).packing());
    assertEquals(Packing.PACKED, define(sym("E"), specs, map(0)).packing());
    assertEquals(Packing.PACKED,
        define(sym("E"), specs, map(0, kw("align"), kw("packed"))).packing());
    EventLayout natural = define(sym("E"), specs, map(0, kw("align"), kw("natural")));
    assertEquals(Packing.NATURAL, natural.packing());
    assertEquals(16, natural.size());
  }

  @Test
  void anEventGivenAsAValueIsANestedType() {
    EventLayout flow = define(sym("Flow"), List.of(
        spec("ts", "u64"),
        vec(kw("src"), new Form.EventForm(0, Examples.ENDPOINT)),
        vec(kw("hops"), new Form.EventForm(0, Examples.ENDPOINT), num(3))),
        map(0, kw("align"), kw("natural")));
    assertSame(Examples.ENDPOINT, flow.field("src").nested());
    assertEquals(8, flow.field("src").offset());
    assertEquals(3, flow.field("hops").count());
    assertEquals(16, flow.field("hops").offset());
    assertEquals(40, flow.size());
  }

  @Test
  void aSymbolNamesAnEventFoundByTheLookup() {
    Function<String, EventLayout> events = n -> n.equals("Endpoint") ? Examples.ENDPOINT : null;
    EventLayout e = DefinitionReader.define(sym("E"), List.of(vec(kw("src"), sym("Endpoint"))),
        null, events);
    assertSame(Examples.ENDPOINT, e.field("src").nested());
  }

  @Test
  void aWholeDefeventForm() {
    Form.ListForm form = new Form.ListForm(1, List.of(sym(1, "defevent"), sym(1, "Endpoint"),
        map(1, kw(1, "align"), kw(1, "natural")),
        vec(2, kw(2, "addr"), kw(2, "be32")), vec(3, kw(3, "port"), kw(3, "be16"))));
    assertEquals(Examples.ENDPOINT, DefinitionReader.defevent(form, null));
    Form.ListForm noOptions = new Form.ListForm(1, List.of(sym("defevent"), sym("A"),
        spec("x", "u8")));
    assertEquals(1, DefinitionReader.defevent(noOptions, null).size());
  }

  // ---------------------------------------------------------------------------------------
  // Names

  @Test
  void badEventNames() {
    List<Form> specs = List.of(spec("pid", "u32"));
    for (Form name : List.of(new Form.StringForm(4, ""),
        new Form.IntegerForm(4, 5), new Form.OtherForm(4, "nil"),
        new Form.VectorForm(4, List.of()))) {
      BpfEventsException e = refused(() -> define(name, specs, null));
      assertEquals("bad-event-name", e.problem(), name.show());
      assertEquals(name, e.data().get("value"));
      assertEquals(4, e.data().get("line"));
      assertEquals("event name " + name.show() + " is not a name; expected a symbol (or a"
          + " keyword or non-empty string)", edn(e));
    }
  }

  @Test
  void aNameWithANamespace() {
    Form name = sym(4, "ns/Ev");
    BpfEventsException e = refused(() -> define(name, List.of(spec("pid", "u32")), null));
    assertEquals("bad-event-name", e.problem());
    assertEquals(name, e.data().get("value"));
    assertEquals(4, e.data().get("line"));
    assertEquals("event name ns/Ev has a namespace; expected a symbol without a namespace,"
        + " such as ConnectionEvent", edn(e));
    Form.ListForm form = new Form.ListForm(7, List.of(sym(7, "defevent"), sym(8, "a/A"),
        spec("x", "u8")));
    assertEquals("event name a/A has a namespace; expected a symbol without a namespace,"
        + " such as ConnectionEvent", edn(refused(() -> DefinitionReader.defevent(form, null))));
  }

  @Test
  void defeventWithoutAName() {
    Form.ListForm form = new Form.ListForm(7, List.of(sym(7, "defevent")));
    BpfEventsException e = refused(() -> DefinitionReader.defevent(form, null));
    assertEquals("bad-event-name", e.problem());
    assertEquals(7, e.data().get("line"));
    assertEquals(form, e.data().get("value"));
    assertEquals("defevent has no name; expected (defevent Name [:field :type] ...)", edn(e));
  }

  @Test
  void defeventNameMustBeASymbol() {
    for (Form name : List.of(kw(8, "A"), new Form.StringForm(8, "A"))) {
      Form.ListForm form = new Form.ListForm(7, List.of(sym(7, "defevent"), name,
          spec("x", "u8")));
      BpfEventsException e = refused(() -> DefinitionReader.defevent(form, null));
      assertEquals("bad-event-name", e.problem());
      assertEquals(8, e.data().get("line"), "the line of the name");
      assertEquals(name, e.data().get("value"));
      assertEquals("defevent name " + name.show() + " is not a symbol; expected a symbol such"
          + " as ConnectionEvent", edn(e));
    }
  }

  // ---------------------------------------------------------------------------------------
  // Specs

  @Test
  void specsThatAreNotAVectorOrList() {
    for (Form specs : new Form[] {kw(3, "pid"), map(3), null}) {
      BpfEventsException e = refused(() -> DefinitionReader.define(sym("Ev"), specs, null,
          null));
      assertEquals("bad-field-specs", e.problem());
      assertEquals("Ev", e.data().get("event"));
      assertEquals(specs, e.data().get("value"));
      assertEquals(specs == null ? 0 : 3, e.data().get("line"));
    }
    BpfEventsException e = refused(() -> DefinitionReader.define(sym("Ev"), kw(3, "pid"),
        null, null));
    assertEquals("field specs of Ev are :pid; expected a vector of [name type] or [name type"
        + " count]", edn(e));
  }

  @Test
  void aSpecThatIsNotAVectorOfTwoOrThree() {
    Form list = new Form.ListForm(5, List.of(kw("y"), kw("u8")));
    Form one = vec(5, kw("y"));
    Form four = vec(5, kw("y"), kw("u8"), num(2), num(3));
    Form keyword = kw(5, "y");
    for (Form bad : List.of(list, one, four, keyword)) {
      BpfEventsException e = refused(() -> define(sym("A"), List.of(spec("x", "u8"), bad),
          null));
      assertEquals("bad-field-spec", e.problem(), bad.show());
      assertEquals("A", e.data().get("event"));
      assertEquals(1, e.data().get("index"));
      assertEquals(bad, e.data().get("value"));
      assertEquals(5, e.data().get("line"));
      assertEquals("event A: field spec 1 is " + bad.show() + "; expected [name type] or"
          + " [name type count]", edn(e));
    }
  }

  @Test
  void aFieldNameThatIsNotAKeyword() {
    for (Form name : List.of(sym("x"), new Form.StringForm(0, "x"), num(1))) {
      BpfEventsException e = refused(() -> define(sym("A"), List.of(vec(6, name, kw("u8"))),
          null));
      assertEquals("bad-field-name", e.problem());
      assertEquals("A", e.data().get("event"));
      assertEquals(0, e.data().get("index"));
      assertEquals(name, e.data().get("value"));
      assertEquals(6, e.data().get("line"), "the line of the spec");
      assertEquals("event A: field name " + name.show() + " in spec 0 is not a keyword;"
          + " expected a keyword such as :pid", edn(e));
    }
  }

  @Test
  void aCountThatIsNotAnInteger() {
    Form two = new Form.StringForm(0, "2");
    BpfEventsException e = refused(() -> define(sym("A"), List.of(spec("x", "u8"),
        vec(9, kw("y"), kw("u8"), two)), null));
    assertEquals("bad-count", e.problem());
    assertEquals("A", e.data().get("event"));
    assertEquals("y", e.data().get("field"));
    assertEquals(1, e.data().get("index"));
    assertEquals(two, e.data().get("value"));
    assertEquals(9, e.data().get("line"));
    assertEquals("event A: field :y has count \"2\"; expected an integer from 1 to 2147483647", edn(e));
  }

  @Test
  void aCountOutOfRange() {
    for (long count : new long[] {0, -1, 1L << 31, Long.MIN_VALUE}) {
      BpfEventsException e = refused(() -> define(sym("A"),
          List.of(vec(9, kw("y"), kw("u8"), num(count))), null));
      assertEquals("bad-count", e.problem());
      assertEquals("A", e.data().get("event"));
      assertEquals("y", e.data().get("field"));
      assertEquals(0, e.data().get("index"));
      assertEquals(count, e.data().get("value"));
      assertEquals(9, e.data().get("line"));
      assertEquals("event A: field :y has count " + count + "; expected an integer from 1 to 2147483647",
          edn(e));
    }
  }

  @Test
  void anUnknownTypeKeyword() {
    BpfEventsException e = refused(() -> define(sym("A"), List.of(vec(2, kw("x"), kw("u33"))),
        null));
    assertEquals("unknown-type", e.problem());
    assertEquals("A", e.data().get("event"));
    assertEquals("x", e.data().get("field"));
    assertEquals(0, e.data().get("index"));
    assertEquals("u33", e.data().get("type"));
    assertEquals(2, e.data().get("line"));
    assertEquals(FieldType.names(), e.data().get("accepted"));
    assertEquals("event A: field :x: unknown type :u33; expected one of [:u8 :i8 :u16 :i16"
        + " :u32 :i32 :u64 :i64 :char :ptr :be16 :be32 :be64 :i128 :u128]", edn(e));
    assertEquals("event A: field x: unknown type u33; expected one of [u8, i8, u16, i16,"
        + " u32, i32, u64, i64, char, ptr, be16, be32, be64, i128, u128]", e.getMessage());
  }

  @Test
  void aTypeThatIsNoKeywordEventOrSymbol() {
    Form type = new Form.StringForm(0, "u8");
    BpfEventsException e = refused(() -> define(sym("A"), List.of(vec(2, kw("x"), type)),
        null));
    assertEquals("unknown-type", e.problem());
    assertEquals("A", e.data().get("event"));
    assertEquals("x", e.data().get("field"));
    assertEquals(0, e.data().get("index"));
    assertEquals(type, e.data().get("type"));
    assertEquals(2, e.data().get("line"));
    assertEquals("event A: field :x has unknown type \"u8\"; expected one of [:u8 :i8 :u16"
        + " :i16 :u32 :i32 :u64 :i64 :char :ptr :be16 :be32 :be64 :i128 :u128] or an event", edn(e));
  }

  @Test
  void aSymbolWithoutALookupIsAnUnknownType() {
    BpfEventsException e = refused(() -> define(sym("A"),
        List.of(vec(2, kw("x"), sym("Endpoint"))), null));
    assertEquals("unknown-type", e.problem());
    assertEquals("event A: field :x has unknown type Endpoint; expected one of [:u8 :i8 :u16"
        + " :i16 :u32 :i32 :u64 :i64 :char :ptr :be16 :be32 :be64 :i128 :u128] or an event", edn(e));
  }

  @Test
  void aSymbolTheLookupDoesNotFind() {
    BpfEventsException e = refused(() -> DefinitionReader.define(sym("A"),
        List.of(spec("a", "u8"), vec(4, kw("y"), sym("Nope"))), null, n -> null));
    assertEquals("unknown-type", e.problem());
    assertEquals("A", e.data().get("event"));
    assertEquals("y", e.data().get("field"));
    assertEquals(1, e.data().get("index"));
    assertEquals(sym("Nope"), e.data().get("type"));
    assertEquals(4, e.data().get("line"));
    assertEquals("event A: field :y has type Nope, which is not an event declared above it;"
        + " expected a type keyword or an event declared above it", edn(e));
  }

  @Test
  void aDuplicateFieldIsRefusedAtTheLineOfTheSecond() {
    BpfEventsException e = refused(() -> define(sym(1, "A"), List.of(
        vec(2, kw("x"), kw("u8")), vec(3, kw("y"), kw("u8")), vec(4, kw("x"), kw("u16"))),
        null));
    assertEquals("duplicate-field", e.problem());
    assertEquals("A", e.data().get("event"));
    assertEquals("x", e.data().get("field"));
    assertEquals(2, e.data().get("index"));
    assertEquals(4, e.data().get("line"));
    assertEquals("event A: duplicate field :x; expected unique field names", edn(e));
  }

  @Test
  void noSpecsIsRefusedAtTheLineOfTheName() {
    BpfEventsException e = refused(() -> define(sym(6, "A"), List.of(), null));
    assertEquals("no-fields", e.problem());
    assertEquals("A", e.data().get("event"));
    assertEquals(6, e.data().get("line"));
    assertEquals("event A declares no fields; expected at least one field", edn(e));
  }

  @Test
  void anEventTooLarge() {
    BpfEventsException e = refused(() -> define(sym(1, "A"), List.of(
        vec(2, kw("blob"), kw("u8"), num(Integer.MAX_VALUE)), vec(3, kw("x"), kw("u8"))),
        null));
    assertEquals("event-too-large", e.problem());
    assertEquals("x", e.data().get("field"));
    assertEquals(1, e.data().get("line"), "no spec index: the line of the name");
    assertEquals("event A reaches 2147483648 bytes at field :x; expected at most 2147483647"
        + " bytes", edn(e));
  }

  @Test
  void tooManyFields() {
    List<Form> specs = new ArrayList<>();
    for (int i = 0; i < 65536; i++) {
      specs.add(spec("f" + i, "u8"));
    }
    BpfEventsException e = refused(() -> define(sym(2, "Wide"), specs, null));
    assertEquals("too-many-fields", e.problem());
    assertEquals("Wide", e.data().get("event"));
    assertEquals(65536, e.data().get("value"));
    assertEquals("at most 65535 fields", e.data().get("expected"));
    assertEquals(2, e.data().get("line"));
    assertEquals("event Wide declares more than 65535 fields; expected at most 65535 fields",
        edn(e));
    // one fewer is accepted
    assertEquals(65535, define(sym("Wide"), specs.subList(0, 65535), null).size());
  }

  // ---------------------------------------------------------------------------------------
  // Options

  @Test
  void optionsThatAreNotAMap() {
    Form options = vec(3, kw("align"), kw("natural"));
    BpfEventsException e = refused(() -> define(sym("A"), List.of(spec("x", "u8")), options));
    assertEquals("bad-option", e.problem());
    assertEquals("A", e.data().get("event"));
    assertEquals(options, e.data().get("value"));
    assertEquals(List.of("align", "aligned", "kind"), e.data().get("accepted"));
    assertEquals(3, e.data().get("line"));
    assertEquals("event A: options [:align :natural] are not a map; expected a map such as"
        + " {:align :natural}", edn(e));
  }

  @Test
  void anUnknownOption() {
    Form options = map(3, kw(3, "align"), kw(3, "natural"), kw(4, "size"), num(8));
    BpfEventsException e = refused(() -> define(sym("A"), List.of(spec("x", "u8")), options));
    assertEquals("bad-option", e.problem());
    assertEquals("A", e.data().get("event"));
    assertEquals(kw(4, "size"), e.data().get("key"));
    assertEquals(num(8), e.data().get("value"));
    assertEquals(4, e.data().get("line"));
    assertEquals("event A: unknown option :size; expected one of [:align :aligned :kind]", edn(e));
    BpfEventsException notKeyword = refused(() -> define(sym("A"), List.of(spec("x", "u8")),
        map(3, new Form.StringForm(3, "align"), kw("natural"))));
    assertEquals("event A: unknown option \"align\"; expected one of [:align :aligned :kind]",
        edn(notKeyword));
  }

  @Test
  void aBadAlignValue() {
    for (Form value : List.of(kw(5, "weird"), new Form.StringForm(5, "natural"),
        sym(5, "natural"), new Form.OtherForm(5, "nil"))) {
      BpfEventsException e = refused(() -> define(sym("A"), List.of(spec("x", "u8")),
          map(3, kw(3, "align"), value)));
      assertEquals("bad-option", e.problem(), value.show());
      assertEquals("A", e.data().get("event"));
      assertEquals("align", e.data().get("key"));
      assertEquals(value, e.data().get("value"), "the form as written");
      assertEquals(5, e.data().get("line"), "the line of the value");
      assertEquals(List.of("natural", "packed"), e.data().get("accepted"));
      assertEquals("event A: option :align " + value.show() + " is not accepted; expected one"
          + " of [:natural :packed]", edn(e));
    }
  }

  // ---------------------------------------------------------------------------------------
  // Null forms

  @Test
  void nullSpecsFormIsTheLibrarysError() {
    BpfEventsException e = refused(() -> DefinitionReader.define(sym("A"), (Form) null, null,
        null));
    assertEquals("bad-field-specs", e.problem());
    assertEquals(0, e.data().get("line"));
  }

  /**
   * define() documents a BpfEventsException naming the first form not accepted; a null
   * where a form belongs (the name, a spec, an option key, the specs list, the defevent
   * form) is dereferenced instead.
   */
  @Test
  void nullFormsAreTheLibrarysError() {
    List<Form> withNull = new ArrayList<>(List.of(spec("x", "u8")));
    withNull.add(null);
    assertEquals("bad-field-spec", refused(() -> define(sym("A"), withNull, null)).problem());
    assertEquals("bad-event-name",
        refused(() -> define(null, List.of(spec("x", "u8")), null)).problem());
    List<Form> nullKey = new ArrayList<>();
    nullKey.add(null);
    nullKey.add(kw("natural"));
    assertEquals("bad-option", refused(() -> define(sym("A"), List.of(spec("x", "u8")),
        new Form.MapForm(0, nullKey))).problem());
    refused(() -> DefinitionReader.define(sym("A"), (List<Form>) null, null, null));
    refused(() -> DefinitionReader.defevent(null, null));
  }

  // ---------------------------------------------------------------------------------------
  // Lines

  @Test
  void formsNotReadFromAFileHaveLineZero() {
    BpfEventsException e = refused(() -> define(sym("A"), List.of(vec(kw("x"), kw("u33"))),
        null));
    assertEquals(0, e.data().get("line"));
    BpfEventsException dup = refused(() -> define(sym("A"), List.of(spec("x", "u8"),
        spec("x", "u8")), null));
    assertEquals(0, dup.data().get("line"));
  }

  @Test
  void theErrorCarriesNoSource() {
    // the source is an event file's to add
    BpfEventsException e = refused(() -> define(sym("A"), List.of(spec("x", "u33")), null));
    assertNull(e.data().get("source"));
    assertTrue(e.data().keySet().containsAll(List.of("problem", "event", "field", "index",
        "line")), e.data().toString());
  }
}
