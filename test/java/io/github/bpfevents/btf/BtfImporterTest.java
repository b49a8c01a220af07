package io.github.bpfevents.btf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Examples;
import io.github.bpfevents.check.RandomEvents;
import io.github.bpfevents.layout.CNames;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.Field;
import io.github.bpfevents.layout.FieldType;
import io.github.bpfevents.layout.Packing;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The importer: events written to BTF come back with every offset, size, count and type
 * (a pointer value as the {@code __u64} it is written as); the packing inferred where BTF
 * does not say it; and what an event cannot express is an error naming struct and member.
 */
class BtfImporterTest {
  private static final int INT = 1;

  /** Records: [1] int, then the given ones (ids from 2). */
  static Btf btf(BtfType... more) {
    List<BtfType> types = new ArrayList<>();
    types.add(BtfType.integer("int", 4, BtfType.INT_SIGNED));
    types.addAll(List.of(more));
    return BtfReader.read(BtfWriter.encode(types), "t");
  }

  static BtfType.Member member(String name, int type, long byteOffset) {
    return new BtfType.Member(name, type, 8 * byteOffset, 0);
  }

  /** Same offsets, sizes, counts and types (ptr kept through its tag), nested alike. */
  static void assertSameLayout(EventLayout expected, EventLayout actual) {
    assertEquals(expected.size(), actual.size(), expected.name() + " size");
    assertEquals(expected.fields().size(), actual.fields().size(), expected.name());
    for (int i = 0; i < expected.fields().size(); i++) {
      Field e = expected.fields().get(i);
      Field a = actual.fields().get(i);
      String where = expected.name() + "." + e.name();
      assertEquals(CNames.convert(e.name()), a.name(), where);
      assertEquals(e.offset(), a.offset(), where);
      assertEquals(e.count(), a.count(), where);
      assertEquals(e.isNested(), a.isNested(), where);
      if (e.isNested()) {
        assertSameLayout(e.nested(), a.nested());
      } else {
        assertEquals(e.type(), a.type(), where);
      }
    }
  }

  @Test
  void eventsComeBackFromTheirBtf() {
    Random rnd = new Random(7);
    List<EventLayout> events = new ArrayList<>(List.of(Examples.CONNECTION_EVENT,
        Examples.FLOW_EVENT));
    for (int i = 0; i < 300; i++) {
      events.add(RandomEvents.event(rnd, "Gen" + i, 3));
    }
    Btf btf = BtfReader.read(BtfWriter.write(events), "all");
    int natural = 0;
    for (EventLayout e : events) {
      List<EventLayout> imported = BtfImporter.events(btf,
          List.of(CNames.identifier(e.name(), "event")));
      EventLayout last = imported.get(imported.size() - 1);
      assertSameLayout(e, last);
      assertEquals(List.of(), BtfChecker.check(last, btf), e.name());
      natural += last.packing() == Packing.NATURAL ? 1 : 0;
    }
    assertTrue(natural > 50 && natural < 280, "both packings are inferred: " + natural);
  }

  @Test
  void dependenciesFirstEachOnce() {
    Btf btf = BtfReader.read(BtfWriter.write(List.of(Examples.FLOW_EVENT,
        Examples.CONNECTION_EVENT)), "t");
    List<EventLayout> evs = BtfImporter.events(btf, List.of("flow_event", "endpoint",
        "connection_event"));
    assertEquals(List.of("endpoint", "flow_event", "connection_event"),
        evs.stream().map(EventLayout::name).toList());
    assertTrue(evs.get(1).field("src").nested() == evs.get(0), "one event, nested twice");
    assertEquals(Packing.PACKED, evs.get(2).packing());
    assertEquals(Packing.NATURAL, evs.get(1).packing());
  }

  @Test
  void cTypesBecomeTheTypesOfTheTable() {
    // struct ev { char c[4]; __be32 be; long l; unsigned short us; _Bool b; enum e en;
    //             const void *p; char *s; signed char sc; };
    Btf btf = btf(
        BtfType.integer("char", 1, BtfType.INT_SIGNED),                        // 2
        BtfType.array(2, INT, 4),                                              // 3
        BtfType.integer("unsigned int", 4, 0),                                 // 4
        BtfType.typedef("__u32", 4),                                           // 5
        BtfType.typedef("__be32", 5),                                          // 6
        BtfType.integer("long", 8, BtfType.INT_SIGNED),                        // 7
        BtfType.integer("unsigned short", 2, 0),                               // 8
        BtfType.integer("_Bool", 1, BtfType.INT_BOOL),                         // 9
        new BtfType.Enum("e", 4, true, List.of()),                             // 10
        BtfType.refer(BtfKind.CONST, "", 0),                                   // 11
        BtfType.pointer(11),                                                   // 12
        BtfType.pointer(2),                                                    // 13
        BtfType.integer("signed char", 1, BtfType.INT_SIGNED),                 // 14
        BtfType.struct("ev", 48, List.of(member("c", 3, 0), member("be", 6, 4),
            member("l", 7, 8), member("us", 8, 16), member("b", 9, 18),
            member("en", 10, 20), member("p", 12, 24), member("s", 13, 32),
            member("sc", 14, 40))));
    EventLayout ev = BtfImporter.events(btf, List.of("ev")).get(0);
    assertEquals(Packing.NATURAL, ev.packing());
    assertEquals(List.of(FieldType.CHAR, FieldType.BE32, FieldType.I64, FieldType.U16,
        FieldType.U8, FieldType.I32, FieldType.PTR, FieldType.PTR, FieldType.I8),
        ev.fields().stream().map(Field::type).toList());
    assertEquals(4, ev.field("c").count());
  }

  @Test
  void packedWhenOnlyPackedFitsNaturalWhenBothDo() {
    Btf btf = btf(
        BtfType.integer("unsigned char", 1, 0),                                // 2
        BtfType.struct("p", 5, List.of(member("a", 2, 0), member("b", INT, 1))),   // 3
        BtfType.struct("both", 8, List.of(member("a", INT, 0), member("b", INT, 4))), // 4
        BtfType.struct("bytes", 3, List.of(member("a", 2, 0), member("b", 2, 1),
            member("c", 2, 2))));                                              // 5
    assertEquals(Packing.PACKED, BtfImporter.events(btf, List.of("p")).get(0).packing());
    assertEquals(Packing.NATURAL, BtfImporter.events(btf, List.of("both")).get(0).packing());
    assertEquals(Packing.NATURAL, BtfImporter.events(btf, List.of("bytes")).get(0)
        .packing());
  }

  @Test
  void aNestedStructIsPackedWhenItsUserNeedsAlignmentOne() {
    // struct in { int a; int b; } __attribute__((packed)): its offsets are natural, but
    // struct out { char c; struct in i; } puts it at 1, which only alignment 1 allows;
    // struct wide { struct in i; char c; } is 9 bytes, which only alignment 1 gives
    Btf btf = btf(
        BtfType.integer("char", 1, BtfType.INT_SIGNED),                        // 2
        BtfType.struct("in", 8, List.of(member("a", INT, 0), member("b", INT, 4))), // 3
        BtfType.struct("out", 16, List.of(member("c", 2, 0), member("i", 3, 1),
            member("d", INT, 12))),                                            // 4
        BtfType.struct("wide", 9, List.of(member("i", 3, 0), member("c", 2, 8))),   // 5
        BtfType.struct("plain", 12, List.of(member("c", 2, 0), member("i", 3, 4)))); // 6
    List<EventLayout> out = BtfImporter.events(btf, List.of("out"));
    assertEquals(Packing.PACKED, out.get(0).packing(), "in");
    assertEquals(Packing.NATURAL, out.get(1).packing(), "out: c@0, i@1, d@12 natural");
    List<EventLayout> wide = BtfImporter.events(btf, List.of("wide"));
    assertEquals(Packing.PACKED, wide.get(0).packing());
    assertEquals(Packing.NATURAL, wide.get(1).packing());
    List<EventLayout> plain = BtfImporter.events(btf, List.of("plain"));
    assertEquals(Packing.NATURAL, plain.get(0).packing());
    assertEquals(Packing.NATURAL, plain.get(1).packing());
  }

  private static String error(Btf btf, String struct) {
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> BtfImporter.events(btf, List.of(struct)));
    return e.problem() + " " + e.data().get("struct") + "." + e.data().get("member") + ": "
        + e.getMessage();
  }

  @Test
  void whatAnEventCannotExpressNamesStructAndMember() {
    Btf btf = btf(
        BtfType.integer("unsigned char", 1, 0),                                // 2
        BtfType.aggregate(BtfKind.STRUCT, "bits", true, 1, List.of(
            new BtfType.Member("ihl", 2, 0, 4), new BtfType.Member("v", 2, 4, 4))), // 3
        BtfType.aggregate(BtfKind.UNION, "u", false, 4, List.of(member("a", INT, 0))), // 4
        BtfType.struct("un", 4, List.of(member("x", 4, 0))),                   // 5
        BtfType.pointer(5),                                                    // 6
        BtfType.struct("ptr", 8, List.of(member("next", 6, 0))),               // 7
        BtfType.array(INT, INT, 0),                                            // 8
        BtfType.struct("flex", 4, List.of(member("n", INT, 0), member("data", 8, 4))), // 9
        new BtfType.Float("double", 8),                                        // 10
        BtfType.struct("fl", 8, List.of(member("d", 10, 0))),                  // 11
        BtfType.struct("anon", 4, List.of(member("", 4, 0))),                  // 12
        BtfType.struct("odd", 8, List.of(member("a", 2, 0), member("b", INT, 2))), // 13
        BtfType.struct("empty", 0, List.of()),                                 // 14
        BtfType.integer("unsigned __int128", 16, 0),                           // 15
        BtfType.struct("wide", 16, List.of(member("x", 15, 0))),               // 16
        BtfType.integer("int", 4, BtfType.INT_SIGNED, 0, 3),                   // 17
        BtfType.struct("oldbits", 4, List.of(member("f", 17, 0))),             // 18
        BtfType.refer(BtfKind.FWD, "sk", 0),                                   // 19
        BtfType.pointer(19),                                                   // 20
        BtfType.struct("fwd", 8, List.of(member("sk", 20, 0))),                // 21
        BtfType.struct("self", 4, List.of(member("me", 22, 0))),               // 22
        BtfType.struct("big", 6, List.of(member("a", INT, 0), member("b", 2, 4))), // 23
        BtfType.aggregate(BtfKind.STRUCT, "widebits", true, 16,
            List.of(new BtfType.Member("b", 15, 0, 70))));                     // 24
    // the C type model imports: bitfields (both encodings), unions, pointers to structs
    // and forward declarations, flexible arrays, anonymous members, empty structs, and
    // offsets that an explicit alignment gives; each checks clean against its struct
    for (String ok : List.of("bits", "un", "ptr", "fwd", "flex", "anon", "odd", "empty",
        "oldbits", "big", "wide", "widebits")) {
      List<EventLayout> evs = BtfImporter.events(btf, List.of(ok));
      assertEquals(List.of(), BtfChecker.check(evs.get(evs.size() - 1), btf, ok), ok);
    }
    EventLayout bits = BtfImporter.events(btf, List.of("bits")).get(0);
    assertEquals(4, bits.field("v").bits());
    assertEquals(4L, bits.field("v").bitOffset());
    assertEquals(3, BtfImporter.events(btf, List.of("oldbits")).get(0).field("f").bits());
    assertEquals("sk", BtfImporter.events(btf, List.of("fwd")).get(0).field("sk").spec()
        .pointeeName());
    assertTrue(BtfImporter.events(btf, List.of("flex")).get(0).field("data").isFlexible());
    assertEquals(2, BtfImporter.events(btf, List.of("odd")).get(0).field("b").spec()
        .aligned());
    assertEquals("cannot-import fl.d: struct fl: member d is double; expected integers,"
        + " enums, pointers, arrays, structs and unions", error(btf, "fl"));
    assertEquals(FieldType.U128, BtfImporter.events(btf, List.of("wide")).get(0).field("x")
        .type());
    EventLayout wide = BtfImporter.events(btf, List.of("widebits")).get(0);
    assertEquals(FieldType.U128, wide.field("b").type());
    assertEquals(70, wide.field("b").bits());
    assertEquals(List.of(), BtfChecker.check(wide, btf, "widebits"));
    assertEquals("cannot-import self.null: self.me: struct self holds itself; expected structs that"
        + " do not nest themselves", error(btf, "self"));
    assertEquals(1, BtfImporter.events(btf, List.of("u")).size(), "a union by its name");
    assertEquals("no-events", assertThrows(BpfEventsException.class,
        () -> BtfImporter.events(btf, List.of())).problem());
  }

  @Test
  void aRefusalNamesThePathFromTheStructNamed() {
    Btf btf = btf(
        new BtfType.Float("double", 8),                                        // 2
        BtfType.struct("inner", 8, List.of(member("d", 2, 0))),                 // 3
        BtfType.aggregate(BtfKind.UNION, "", false, 8, List.of(member("i", 3, 0))), // 4
        BtfType.struct("outer", 8, List.of(member("", 4, 0))),                 // 5
        BtfType.struct("top", 8, List.of(member("o", 5, 0))));                 // 6
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> BtfImporter.events(btf, List.of("top")));
    assertEquals("top.o.(anonymous 0).i.d: struct inner: member d is double; expected"
        + " integers, enums, pointers, arrays, structs and unions", e.getMessage());
    assertEquals("top.o.(anonymous 0).i.d", e.data().get("reached"));
    assertEquals("inner", e.data().get("struct"));
  }

  @Test
  void anonymousStructsAreNamedAfterTheirMemberAndNamesStayDistinct() {
    Btf btf = btf(
        BtfType.struct("", 4, List.of(member("a", INT, 0))),                   // 2
        BtfType.struct("outer", 8, List.of(member("in", 2, 0), member("b", INT, 4))), // 3
        BtfType.struct("outer_in", 4, List.of(member("z", INT, 0))),           // 4
        BtfType.struct("both", 12, List.of(member("x", 4, 0), member("y", 3, 4))));  // 5
    List<EventLayout> evs = BtfImporter.events(btf, List.of("both"));
    assertEquals(List.of("outer_in", "outer_in_2", "outer", "both"),
        evs.stream().map(EventLayout::name).toList());
  }
}
