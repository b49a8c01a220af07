package io.github.bpfevents.definition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Notation;
import io.github.bpfevents.layout.EnumType;
import io.github.bpfevents.layout.EventKind;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.FieldRef;
import io.github.bpfevents.layout.FieldSpec;
import io.github.bpfevents.layout.FieldType;
import io.github.bpfevents.layout.LayoutEngine;
import io.github.bpfevents.layout.Packing;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The C type model as data: an event file that declares a union, anonymous members,
 * bitfields, an enum, a pointer, a flexible array and an empty struct lays out as the
 * same definitions built from Java, with the numbers gcc and clang give for the C structs
 * (checked by hand here and for generated definitions in CTypeModelLayoutTest); and each
 * misuse is refused naming the event, the field and what was expected.
 */
class CTypeModelGrammarTest {
  private static final String FLOW = String.join("\n",
      "(defevent Addr {:kind :union :align :natural} [:v4 :u32] [:v6 :u8 16])",
      "(defevent Ports {:kind :struct :align :natural} [:sport :be16] [:dport :be16])",
      "(defevent Empty {:kind :struct})",
      "(defevent Flow {:align :natural :aligned 8}",
      "  [:saddr Addr] [:daddr Addr]",
      "  [Ports]",
      "  [:fin :u8 {:bits 1}] [:syn :u8 {:bits 1}] [:rst :u8 {:bits 1}] [:u8 {:bits 0}]",
      "  [:state :i8 {:bits 4 :enum {:up 1 :down -2}}]",
      "  [:kind :u8 {:enum {:open 1 :close 2}}]",
      "  [:none Empty]",
      "  [:sk :ptr {:to \"sock\"}] [:peer :ptr {:to Addr}]",
      "  [:ts :u64 {:aligned 16}]",
      "  [:data :u8 []])",
      "(defevent Flow2 [:ok :u8] [:saddr Addr])");

  private static EventFile read(String text) {
    return EventFileReader.read("types.clj", text.getBytes(StandardCharsets.UTF_8));
  }

  private static String refused(String text) {
    BpfEventsException e = assertThrows(BpfEventsException.class, () -> read(text));
    return e.message(Notation.EDN);
  }

  private static void contains(String message, String part) {
    assertTrue(message.contains(part), message);
  }

  @Test
  void aFlowRecordOfTheWholeModel() {
    EventFile f = read(FLOW);
    EventLayout addr = f.event("Addr");
    assertEquals(EventKind.UNION, addr.kind());
    assertEquals(16, addr.size());
    assertEquals(4, addr.alignment());
    assertEquals(0, addr.field("v6").offset());
    assertEquals(0, f.event("Empty").size());
    EventLayout flow = f.event("Flow");
    // C: union addr saddr @0, daddr @16, struct { sport; dport; } @32, flags byte 36,
    // :0 moves to byte 37, state:4 bits 296..299, kind @38, none @39 (0 bytes),
    // sk @40, peer @48, ts @64 (aligned 16), data @72, size 80 (alignment 16)
    assertEquals(List.of("saddr", "daddr", "sport", "dport", "fin", "syn", "rst", "state",
        "kind", "none", "sk", "peer", "ts", "data"), flow.fieldNames());
    assertEquals(32, flow.field("sport").offset());
    assertEquals(34, flow.resolve(List.of("dport")).offset());
    assertEquals(288, flow.field("fin").bitOffset());
    assertEquals(289, flow.resolve(List.of("syn")).bitOffset());
    assertEquals(1, flow.resolve(List.of("syn")).bits());
    assertEquals(296, flow.field("state").bitOffset());
    assertEquals(4, flow.field("state").bits());
    assertEquals("down", flow.field("state").enumType().nameOf(-2));
    assertEquals(38, flow.field("kind").offset());
    assertEquals(39, flow.field("none").offset());
    assertEquals(40, flow.field("sk").offset());
    assertEquals("sock", flow.field("sk").spec().pointeeName());
    assertEquals(EventKind.UNION, flow.field("peer").spec().pointeeKind());
    assertEquals(64, flow.field("ts").offset());
    assertEquals(72, flow.field("data").offset());
    assertEquals(0, flow.field("data").size());
    assertEquals(80, flow.size());
    assertEquals(16, flow.alignment());
    assertEquals(20, flow.resolve(List.of("daddr", "v6", 4)).offset());
    FieldRef v4 = flow.resolve(List.of("daddr", "v4"));
    assertEquals(16, v4.offset());
    assertFalse(v4.isBitfield());
    assertEquals("(Flow has an explicit alignment)", flow.cTypeModelPath());
    assertEquals("saddr (Addr is a union)", f.event("Flow2").cTypeModelPath());
    assertEquals(javaFlow(), flow);
  }

  /** The same definitions from Java. */
  private static EventLayout javaFlow() {
    EventLayout addr = LayoutEngine.layout("Addr", List.of(FieldSpec.of("v4", FieldType.U32),
        FieldSpec.of("v6", FieldType.U8, 16)), Packing.NATURAL, EventKind.UNION, 0);
    EventLayout ports = LayoutEngine.layout("Ports", List.of(
        FieldSpec.of("sport", FieldType.BE16), FieldSpec.of("dport", FieldType.BE16)),
        Packing.NATURAL, EventKind.STRUCT, 0);
    EventLayout empty = LayoutEngine.layout("Empty", List.of(), Packing.PACKED,
        EventKind.STRUCT, 0);
    Map<String, BigInteger> states = new LinkedHashMap<>();
    states.put("up", BigInteger.ONE);
    states.put("down", BigInteger.valueOf(-2));
    Map<String, BigInteger> kinds = new LinkedHashMap<>();
    kinds.put("open", BigInteger.ONE);
    kinds.put("close", BigInteger.TWO);
    return LayoutEngine.layout("Flow", List.of(
        FieldSpec.of("saddr", addr, 1), FieldSpec.of("daddr", addr, 1),
        FieldSpec.anonymous(ports),
        FieldSpec.bitfield("fin", FieldType.U8, 1), FieldSpec.bitfield("syn", FieldType.U8, 1),
        FieldSpec.bitfield("rst", FieldType.U8, 1), FieldSpec.bitfield(null, FieldType.U8, 0),
        FieldSpec.bitfield("state", FieldType.I8, 4)
            .withEnum(EnumType.of(null, FieldType.I8, states)),
        FieldSpec.of("kind", FieldType.U8).withEnum(EnumType.of(null, FieldType.U8, kinds)),
        FieldSpec.of("none", empty, 1),
        FieldSpec.pointer("sk", "sock", EventKind.STRUCT, 1),
        FieldSpec.pointer("peer", addr, 1),
        FieldSpec.of("ts", FieldType.U64).withAligned(16),
        FieldSpec.flexible("data", FieldType.U8)), Packing.NATURAL, EventKind.STRUCT, 8);
  }

  @Test
  void theSameNamesTwiceThroughAnAnonymousMember() {
    assertEquals("event B: duplicate field :v4; expected unique field names", refused(
        "(defevent A {:kind :union} [:v4 :u32] [:v6 :u8 16])\n(defevent B [:v4 :u8] [A])"));
  }

  @Test
  void bitfieldsThatCIsRefusingToo() {
    assertEquals("event A: bitfield :b of type :u8 is 9 bits wide; expected a width from 0"
        + " to 8 bits", refused("(defevent A [:b :u8 {:bits 9}])"));
    assertEquals("event A: bitfield :b is 0 bits wide and named; expected no name for a"
        + " bitfield of width 0, as in C", refused("(defevent A [:b :u8 {:bits 0}])"));
    assertEquals("event A: bitfield :b has type :be16; expected an integer type: one of"
        + " [:u8 :i8 :u16 :i16 :u32 :i32 :u64 :i64 :i128 :u128]",
        refused("(defevent A [:b :be16 {:bits 3}])"));
    assertEquals("event A: bitfield :b of type :u128 is 129 bits wide; expected a width from"
        + " 0 to 128 bits", refused("(defevent A [:b :u128 {:bits 129}])"));
    assertEquals(70, read("(defevent A [:b :i128 {:bits 70}])").event("A").field("b").bits());
    assertEquals("event A: field :b cannot be a bitfield; expected a scalar integer field, no"
        + " array", refused("(defevent A [:b :u8 2 {:bits 3}])"));
    contains(refused("(defevent A [:b :u8 {:bits 3 :aligned 4}])"),
        "bitfield :b is given alignment 4");
  }

  @Test
  void enumValuesMustFit() {
    assertEquals("event A: field :k: enumerator :x is 300, which does not fit :u8; expected"
        + " an integer from 0 to 255", refused("(defevent A [:k :u8 {:enum {:x 300}}])"));
    assertEquals("event A: bitfield :k: enumerator :y is 4; expected a value that fits 2"
        + " bits", refused("(defevent A [:k :u8 {:bits 2 :enum {:x 3 :y 4}}])"));
    assertEquals("event A: bitfield :k: enumerator :x is -2; expected a value that fits 1"
        + " bits", refused("(defevent A [:k :i8 {:bits 1 :enum {:x -2}}])"));
  }

  /**
   * {@code []} is C99's flexible array member last in a struct after a named field, and
   * GNU C's zero-length array anywhere else; the numbers are gcc's and clang's for
   * {@code struct A { __u8 a; __u32 d[0]; __u8 b; __u16 e[0]; __u8 c; __u64 f[]; };},
   * {@code union U { __u8 a; __u64 z[0]; };}, {@code struct O { __u32 z[0]; };} and
   * {@code struct C { struct B x; __u8 y; struct B w[2]; union { struct B v; __u16 q; }; };}
   * for {@code struct B { __u8 n; __u8 d[]; };}.
   */
  @Test
  void anArrayOfNoElementsIsAFlexibleArrayMemberLastAndAZeroLengthArrayElsewhere() {
    EventFile f = read(String.join("\n",
        "(defevent A {:align :natural} [:a :u8] [:d :u32 []] [:b :u8] [:e :u16 []] [:c :u8]",
        "  [:f :u64 []])",
        "(defevent U {:kind :union :align :natural} [:a :u8] [:z :u64 []])",
        "(defevent O {:align :natural} [:z :u32 []])",
        "(defevent B {:align :natural} [:n :u8] [:d :u8 []])",
        "(defevent V {:kind :union :align :natural} [:v B] [:q :u16])",
        "(defevent C {:align :natural} [:x B] [:y :u8] [:w B 2] [V])"));
    EventLayout a = f.event("A");
    assertEquals(List.of(4, 4, 6, 6, 8), List.of(a.field("d").offset(), a.field("b").offset(),
        a.field("e").offset(), a.field("c").offset(), a.field("f").offset()));
    assertEquals(8, a.size());
    assertEquals(8, a.alignment());
    assertTrue(a.field("d").isZeroLength());
    assertFalse(a.field("d").isFlexibleMember());
    assertTrue(a.field("f").isFlexibleMember());
    assertTrue(a.endsFlexible());
    EventLayout u = f.event("U");
    assertEquals(8, u.size());
    assertEquals(8, u.alignment());
    assertTrue(u.field("z").isZeroLength());
    assertFalse(u.endsFlexible());
    EventLayout o = f.event("O");
    assertEquals(0, o.size());
    assertEquals(4, o.alignment());
    assertTrue(o.field("z").isZeroLength());
    EventLayout c = f.event("C");
    assertEquals(List.of(1, 2, 4), List.of(c.field("y").offset(), c.field("w").offset(),
        c.field("v").offset()));
    assertEquals(6, c.size());
    assertFalse(c.endsFlexible());
    // a path cannot index an array of no elements, nor go past it
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> a.resolve(List.of("d", 0)));
    assertEquals("index-out-of-range", e.problem());
    contains(e.message(Notation.EDN), "expected no index ([:d] is an array of no elements)");
    // a count of 0 written as a number stays an error
    contains(refused("(defevent A [:a :u8] [:d :u8 0] [:b :u8])"),
        "field :d has count 0; expected an integer from 1 to 2147483647");
  }

  @Test
  void optionsThatDoNotBelong() {
    contains(refused("(defevent A [:a :u8 {:size 3}])"),
        "field spec 0 has unknown option :size; expected one of [:aligned :bits"
            + " :enum :kind :to]");
    contains(refused("(defevent A [:a :u32 {:to \"sock\"}])"),
        "field :a of type :u32 is given a target");
    contains(refused("(defevent A [:a :u8 {:aligned 3}])"),
        "field :a has alignment 3; expected a power of two");
    contains(refused("(defevent A {:aligned 6} [:a :u8])"), "option :aligned 6 is not accepted; expected a power of two");
    contains(refused("(defevent A {:kind :enum} [:a :u8])"),
        "option :kind :enum is not accepted; expected one of [:struct :union]");
    contains(refused("(defevent A [:a :ptr {:to Nope}])"),
        "field :a points to Nope; expected an event, or a string naming a struct");
  }

  @Test
  void anEmptyStructSaysItsKind() {
    contains(refused("(defevent A)"), "declares no fields");
    assertEquals(0, read("(defevent A {:kind :union})").event("A").size());
  }

  @Test
  void theClassicModelIsUnchanged() {
    EventLayout e = read("(defevent A [:a :u8] [:b :u32 2])").event("A");
    assertNull(e.cTypeModelPath());
    assertEquals(EventKind.STRUCT, e.kind());
    assertEquals(8, e.field("b").bitOffset());
    assertEquals(-1, e.field("b").bits());
  }
}
