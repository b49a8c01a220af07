package io.github.bpfevents.btf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Examples;
import io.github.bpfevents.check.RandomEvents;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.FieldSpec;
import io.github.bpfevents.layout.FieldType;
import io.github.bpfevents.layout.LayoutEngine;
import io.github.bpfevents.layout.Packing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The checker: every event agrees with its own BTF; a C side that differs in one way gives
 * exactly the mismatch that names it; the agreements the contract allows; the errors.
 */
class BtfCheckerTest {
  static EventLayout ev(Packing p, Object... nameTypeCount) {
    return named("Ev", p, nameTypeCount);
  }

  /** An event of fields given as name, type (a FieldType or an event) and count. */
  static EventLayout named(String name, Packing p, Object... nameTypeCount) {
    List<FieldSpec> specs = new ArrayList<>();
    for (int i = 0; i < nameTypeCount.length; i += 3) {
      String n = (String) nameTypeCount[i];
      Object t = nameTypeCount[i + 1];
      int count = (Integer) nameTypeCount[i + 2];
      specs.add(t instanceof FieldType ft ? FieldSpec.of(n, ft, count)
          : FieldSpec.of(n, (EventLayout) t, count));
    }
    return LayoutEngine.layout(name, specs, p);
  }

  static Btf btfOf(EventLayout... events) {
    return BtfReader.read(BtfWriter.write(List.of(events)), "c");
  }

  @Test
  void everyEventAgreesWithItsOwnBtf() {
    Random rnd = new Random(5);
    List<EventLayout> events = new ArrayList<>(List.of(Examples.CONNECTION_EVENT,
        Examples.ENDPOINT, Examples.FLOW_EVENT));
    for (int i = 0; i < 300; i++) {
      events.add(RandomEvents.event(rnd, "Gen" + i, 3));
    }
    Btf btf = BtfReader.read(BtfWriter.write(events), "all");
    for (EventLayout e : events) {
      assertEquals(List.of(), BtfChecker.check(e, btf), e.name());
    }
  }

  private static BtfMismatch m(List<String> path, String aspect, Object def, Object btf) {
    return new BtfMismatch(path, "ev", aspect, def, btf);
  }

  @Test
  void swappedFieldsAreTheirOffsets() {
    EventLayout mine = ev(Packing.NATURAL, "a", FieldType.U32, 1, "b", FieldType.U32, 1,
        "c", FieldType.U64, 1);
    EventLayout theirs = ev(Packing.NATURAL, "b", FieldType.U32, 1, "a", FieldType.U32, 1,
        "c", FieldType.U64, 1);
    assertEquals(List.of(m(List.of("a"), "offset", 0L, 4L), m(List.of("b"), "offset", 4L, 0L)),
        BtfChecker.check(mine, btfOf(theirs)));
  }

  @Test
  void resizedReSignedReorderedAndRecountedFields() {
    EventLayout mine = ev(Packing.NATURAL, "a", FieldType.U32, 1, "b", FieldType.I16, 1,
        "c", FieldType.BE16, 1, "d", FieldType.CHAR, 8, "e", FieldType.U64, 1);
    EventLayout theirs = ev(Packing.NATURAL, "a", FieldType.U16, 1, "b", FieldType.U16, 1,
        "c", FieldType.U16, 1, "d", FieldType.CHAR, 6, "e", FieldType.U64, 1);
    assertEquals(List.of(
        m(List.of("a"), "size", 4L, 2L),
        m(List.of("b"), "offset", 4L, 2L),
        m(List.of("b"), "signedness", "signed", "unsigned"),
        m(List.of("c"), "offset", 6L, 4L),
        m(List.of("c"), "byte-order", "big-endian", "little-endian"),
        m(List.of("d"), "offset", 8L, 6L),
        m(List.of("d"), "count", 8L, 6L)),
        BtfChecker.check(mine, btfOf(theirs)));
  }

  @Test
  void missingAndExtraMembersAndTheTotalSize() {
    EventLayout mine = ev(Packing.PACKED, "a", FieldType.U32, 1, "gone", FieldType.U8, 1);
    EventLayout theirs = ev(Packing.PACKED, "a", FieldType.U32, 1, "new", FieldType.U16, 1);
    assertEquals(List.of(
        m(List.of(), "size", 5L, 6L),
        m(List.of("gone"), "missing", FieldType.U8, null),
        m(List.of("new"), "extra", null, "unsigned short")),
        BtfChecker.check(mine, btfOf(theirs)));
  }

  @Test
  void nestedEventsRecursivelyWithTheirPath() {
    EventLayout ep = named("Endpoint", Packing.NATURAL, "addr", FieldType.BE32, 1,
        "port", FieldType.BE16, 1);
    EventLayout theirEp = named("Endpoint", Packing.NATURAL, "addr", FieldType.BE32, 1,
        "port", FieldType.U16, 1);
    EventLayout mine = ev(Packing.NATURAL, "src", ep, 1, "hops", ep, 2);
    EventLayout theirs = ev(Packing.NATURAL, "src", theirEp, 1, "hops", theirEp, 2);
    assertEquals(List.of(new BtfMismatch(List.of("src", "port"), "endpoint", "byte-order",
        "big-endian", "little-endian")), BtfChecker.check(mine, btfOf(theirs)),
        "the nested pair is compared once, at its first path");
    EventLayout scalar = ev(Packing.NATURAL, "src", FieldType.U64, 1, "hops", ep, 2);
    assertEquals(List.of(m(List.of("src"), "type", FieldType.U64, "struct endpoint"),
        m(List.of("hops", "port"), "byte-order", "big-endian", "little-endian")).toString()
        .replace("struct=ev, aspect=byte-order", "struct=endpoint, aspect=byte-order"),
        BtfChecker.check(scalar, btfOf(theirs)).toString());
    assertEquals(List.of(m(List.of("src"), "type", ep, "unsigned long long")),
        BtfChecker.check(ev(Packing.NATURAL, "src", ep, 1), btfOf(ev(Packing.NATURAL,
            "src", FieldType.U64, 1))));
  }

  @Test
  void pointersU64AndCharsAgreeAsTheContractSays() {
    // struct ev { void *p; __u64 q; char c; unsigned char d; signed char e; char f; }
    Btf c = BtfReader.read(BtfWriter.encode(List.of(
        BtfType.pointer(0),
        BtfType.integer("unsigned long long", 8, 0),
        BtfType.typedef("__u64", 2),
        BtfType.integer("char", 1, BtfType.INT_SIGNED),
        BtfType.integer("unsigned char", 1, 0),
        BtfType.integer("signed char", 1, BtfType.INT_SIGNED),
        BtfType.struct("ev", 21, List.of(
            new BtfType.Member("p", 1, 0, 0), new BtfType.Member("q", 3, 64, 0),
            new BtfType.Member("r", 1, 128, 0), new BtfType.Member("c", 4, 192, 0),
            new BtfType.Member("d", 5, 200, 0), new BtfType.Member("e", 6, 208, 0),
            new BtfType.Member("f", 4, 216, 0))))), "c");
    EventLayout mine = ev(Packing.NATURAL, "p", FieldType.U64, 1, "q", FieldType.PTR, 1,
        "r", FieldType.PTR, 1, "c", FieldType.CHAR, 1, "d", FieldType.CHAR, 1,
        "e", FieldType.CHAR, 1, "f", FieldType.U8, 1);
    assertEquals(List.of(m(List.of(), "size", 32L, 21L)), BtfChecker.check(mine, c));
    EventLayout signed = ev(Packing.NATURAL, "p", FieldType.I64, 1);
    assertEquals(m(List.of("p"), "signedness", "signed", "unsigned"),
        BtfChecker.check(signed, c).get(1));
  }

  @Test
  void bitfieldsAndUnions() {
    Btf c = BtfReader.read(BtfWriter.encode(List.of(
        BtfType.integer("unsigned char", 1, 0),
        BtfType.aggregate(BtfKind.STRUCT, "ev", true, 2, List.of(
            new BtfType.Member("ihl", 1, 0, 4), new BtfType.Member("version", 1, 4, 4),
            new BtfType.Member("u", 3, 8, 0))),
        BtfType.aggregate(BtfKind.UNION, "", false, 1, List.of(
            new BtfType.Member("x", 1, 0, 0))))), "c");
    EventLayout mine = ev(Packing.PACKED, "ihl", FieldType.U8, 1, "version", FieldType.U8, 1,
        "u", FieldType.U8, 1);
    assertEquals(List.of(
        m(List.of(), "size", 3L, 2L),
        m(List.of("ihl"), "bitfield", 8L, 4L),
        m(List.of("version"), "offset", 1L, "bit 4"),
        m(List.of("version"), "bitfield", 8L, 4L),
        m(List.of("u"), "offset", 2L, 1L),
        m(List.of("u"), "type", FieldType.U8, "union (anon)")),
        BtfChecker.check(mine, c));
  }

  @Test
  void theStructIsTheCNameUnlessGiven() {
    Btf btf = btfOf(Examples.FLOW_EVENT);
    assertEquals(List.of(), BtfChecker.check(Examples.ENDPOINT, btf));
    assertEquals(List.of(), BtfChecker.check(named("Other", Packing.NATURAL,
        "addr", FieldType.BE32, 1, "port", FieldType.BE16, 1), btf, "endpoint"));
    BpfEventsException missing = assertThrows(BpfEventsException.class,
        () -> BtfChecker.check(Examples.CONNECTION_EVENT, btf));
    assertEquals("unknown-struct", missing.problem());
    assertEquals("c has no struct connection_event; expected a struct of that name in the"
        + " BTF", missing.getMessage());
    assertEquals("c has no struct nope; expected a struct of that name in the BTF",
        assertThrows(BpfEventsException.class,
            () -> BtfChecker.check(Examples.ENDPOINT, btf, "nope")).getMessage());
    assertEquals("not-an-event", assertThrows(BpfEventsException.class,
        () -> BtfChecker.check(null, btf)).problem());
  }

  @Test
  void sharedNestingIsCheckedInLinearTime() {
    EventLayout e = LayoutEngine.layout("L0", List.of(FieldSpec.of("b", FieldType.U16)));
    EventLayout c = LayoutEngine.layout("L0", List.of(FieldSpec.of("b", FieldType.I16)));
    for (int k = 1; k < 27; k++) {
      e = LayoutEngine.layout("L" + k, List.of(FieldSpec.of("x", e, 1),
          FieldSpec.of("y", e, 1)), Packing.NATURAL);
      c = LayoutEngine.layout("L" + k, List.of(FieldSpec.of("x", c, 1),
          FieldSpec.of("y", c, 1)), Packing.NATURAL);
    }
    EventLayout mine = e;
    Btf theirs = btfOf(c);
    List<BtfMismatch> found = assertTimeoutPreemptively(Duration.ofSeconds(5),
        () -> BtfChecker.check(mine, theirs));
    assertEquals(1, found.size(), "one mismatch, at the first path to it");
    assertEquals(27, found.get(0).path().size());
    assertEquals("x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.b: signedness unsigned in"
        + " the definition, signed in BTF (struct l0)", found.get(0).text());
  }
}
