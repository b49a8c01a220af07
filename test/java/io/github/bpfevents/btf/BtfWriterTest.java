package io.github.bpfevents.btf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Examples;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.FieldSpec;
import io.github.bpfevents.layout.FieldType;
import io.github.bpfevents.layout.LayoutEngine;
import io.github.bpfevents.layout.Packing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The records and bytes the writer makes: a blob computed by hand from {@code linux/btf.h},
 * the chain of records of every type of the table, nested events once, and the errors.
 */
class BtfWriterTest {
  static EventLayout one(String name, FieldType type) {
    return LayoutEngine.layout(name, List.of(FieldSpec.of("v", type)));
  }

  @Test
  void theBlobOfOneU32FieldByHand() {
    byte[] blob = BtfWriter.write(List.of(one("Ev", FieldType.U32)));
    // strings: "\0unsigned int\0ev\0v\0": unsigned int @1, ev @14, v @17; 19 bytes
    // types: INT (16 bytes) + STRUCT with one member (24 bytes) = 40 = 0x28
    String expected = ""
        + "9feb0100" + "18000000" + "00000000" + "28000000" + "28000000" + "13000000"
        + "01000000" + "00000001" + "04000000" + "20000000"        // [1] INT unsigned int
        + "0e000000" + "01000004" + "04000000"                      // [2] STRUCT ev size 4
        + "11000000" + "01000000" + "00000000"                      //     v: [1] at bit 0
        + HexFormat.of().formatHex("\0unsigned int\0ev\0v\0".getBytes());
    assertEquals(expected, HexFormat.of().formatHex(blob));
  }

  @Test
  void aBigEndianFieldIsATypedefChainAsLinuxTypesDeclaresIt() {
    EventLayout ev = LayoutEngine.layout("Ev", List.of(FieldSpec.of("a", FieldType.U8),
        FieldSpec.of("b", FieldType.BE16)));
    assertEquals(List.of(
        BtfType.integer("unsigned char", 1, 0),
        BtfType.integer("unsigned short", 2, 0),
        BtfType.typedef("__u16", 2),
        BtfType.typedef("__be16", 3),
        BtfType.struct("ev", 3, List.of(new BtfType.Member("a", 1, 0, 0),
            new BtfType.Member("b", 4, 8, 0)))), BtfWriter.types(List.of(ev)));
  }

  /** The element type of the one member of an event of one field of the type. */
  private static Btf read(FieldType t) {
    return BtfReader.read(BtfWriter.write(List.of(one("Ev", t))), "t");
  }

  @ParameterizedTest
  @EnumSource(FieldType.class)
  void everyTypeOfTheTableIsItsIntegerOrTheTypedefOfItsCName(FieldType t) {
    Btf btf = read(t);
    BtfType struct = btf.type(btf.struct("ev"));
    int id = struct.members().get(0).type();
    BtfType member = btf.type(id);
    List<String> chain = new ArrayList<>();
    while (member.kind() == BtfKind.TYPEDEF) {
      chain.add(member.name());
      member = btf.type(member.type());
    }
    assertEquals(BtfKind.INT, member.kind());
    BtfType.Int integer = (BtfType.Int) member;
    assertEquals(t.size(), member.size());
    assertEquals(8 * t.size(), integer.intBits());
    assertEquals(0, integer.intBitOffset());
    assertEquals(t.signed(), (integer.intEncoding() & BtfType.INT_SIGNED) != 0, "signedness");
    if (t.text()) {
      assertEquals("char", member.name());
      assertEquals(BtfType.INT_CHAR, integer.intEncoding());
      assertEquals(List.of(), chain);
    } else if (t.bigEndian()) {
      assertEquals(List.of(t.cType(), t.cType().replace("__be", "__u")), chain);
    } else if (t == FieldType.PTR) {
      assertEquals(List.of("__u64"), chain);
      assertEquals("unsigned long long", member.name());
    } else {
      assertEquals(List.of(), chain, "a plain integer is the INT itself");
      assertEquals(Map.of(FieldType.U8, "unsigned char", FieldType.I8, "signed char",
          FieldType.U16, "unsigned short", FieldType.I16, "short", FieldType.U32,
          "unsigned int", FieldType.I32, "int", FieldType.U64, "unsigned long long",
          FieldType.I64, "long long", FieldType.I128, "__int128", FieldType.U128,
          "unsigned __int128").get(t), member.name());
    }
  }

  @Test
  void nestedEventsOnceAndArraysIndexedByUnsignedInt() {
    Btf btf = BtfReader.read(BtfWriter.write(List.of(Examples.FLOW_EVENT,
        Examples.CONNECTION_EVENT)), "t");
    int structs = 0;
    for (int id = 1; id <= btf.count(); id++) {
      BtfType t = btf.type(id);
      if (t.kind() == BtfKind.STRUCT) {
        structs++;
      }
      if (t instanceof BtfType.Array a) {
        assertEquals("unsigned int", btf.type(a.indexType()).name());
      }
    }
    assertEquals(3, structs, "flow_event, endpoint (twice nested, once written), "
        + "connection_event");
    int endpoint = btf.struct("endpoint");
    int flow = btf.struct("flow_event");
    assertTrue(endpoint < flow, "a nested event comes before its user");
    BtfType f = btf.type(flow);
    assertEquals(48, f.size());
    List<Long> offsets = new ArrayList<>();
    for (BtfType.Member m : f.members()) {
      offsets.add(m.bitOffset());
    }
    assertEquals(List.of(0L, 64L, 96L, 160L, 224L, 256L), offsets);
    assertEquals(endpoint, f.members().get(2).type());
    assertEquals(endpoint, f.members().get(3).type());
    BtfType.Array comm = (BtfType.Array) btf.type(f.members().get(5).type());
    assertEquals(BtfKind.ARRAY, comm.kind());
    assertEquals(16, comm.count());
    assertEquals("char", btf.type(comm.elementType()).name());
  }

  @Test
  void packedEventsHaveTheOffsetsTheyHave() {
    Btf btf = BtfReader.read(BtfWriter.write(List.of(Examples.CONNECTION_EVENT)), "t");
    BtfType c = btf.type(btf.struct("connection_event"));
    assertEquals(44, c.size());
    assertEquals(8 * 28, c.members().get(9).bitOffset());
  }

  @Test
  void sharedNestingCostsTimeLinearInTheDistinctEvents() {
    // level k holds level k-1 twice: 2^27 paths to the innermost byte, 28 distinct events
    EventLayout e = LayoutEngine.layout("L0", List.of(FieldSpec.of("b", FieldType.U8)));
    for (int k = 1; k < 28; k++) {
      e = LayoutEngine.layout("L" + k, List.of(FieldSpec.of("x", e, 1),
          FieldSpec.of("y", e, 1)), Packing.NATURAL);
    }
    EventLayout top = e;
    List<BtfType> types = assertTimeoutPreemptively(Duration.ofSeconds(5),
        () -> BtfWriter.types(List.of(top)));
    assertEquals(29, types.size(), "28 structs and one INT");
    assertEquals(1L << 27, types.get(28).size());
  }

  @Test
  void equalEventsOfOneNameAreOneStructAndDifferentOnesAnError() {
    EventLayout a = one("Ev", FieldType.U32);
    EventLayout b = one("Ev", FieldType.U32);
    assertEquals(2, BtfWriter.types(List.of(a, b)).size());
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> BtfWriter.write(List.of(a, one("Ev", FieldType.U16))));
    assertEquals("c-name-clash", e.problem());
    assertEquals("events Ev and Ev both become struct \"ev\" but differ; expected distinct C"
        + " struct names for distinct events", e.getMessage());
  }

  @Test
  void errorsNameTheValue() {
    assertEquals("no-events", assertThrows(BpfEventsException.class,
        () -> BtfWriter.write(List.of())).problem());
    assertEquals("no-events", assertThrows(BpfEventsException.class,
        () -> BtfWriter.write(null)).problem());
    BpfEventsException badName = assertThrows(BpfEventsException.class,
        () -> BtfWriter.write(List.of(LayoutEngine.layout("Ev",
            List.of(FieldSpec.of("int", FieldType.U8))))));
    assertEquals("bad-c-name", badName.problem());
    assertTrue(badName.getMessage().contains("field name int"), badName.getMessage());
    BpfEventsException clash = assertThrows(BpfEventsException.class,
        () -> BtfWriter.write(List.of(LayoutEngine.layout("Ev",
            List.of(FieldSpec.of("a-b", FieldType.U8), FieldSpec.of("a_b", FieldType.U8))))));
    assertEquals("fields a-b and a_b of Ev both become \"a_b\" in C; expected field names that"
        + " stay distinct in C", clash.getMessage());
    EventLayout far = LayoutEngine.layout("Far", List.of(
        FieldSpec.of("pad", FieldType.U8, 1L << 29), FieldSpec.of("x", FieldType.U8)));
    BpfEventsException tooFar = assertThrows(BpfEventsException.class,
        () -> BtfWriter.write(List.of(far)));
    assertEquals("btf-too-large", tooFar.problem());
    assertEquals("event Far: field x at byte 536870912 lies beyond what BTF describes;"
        + " expected offsets below 2^29 bytes (BTF counts bits in 32 bits)",
        tooFar.getMessage());
  }

  @Test
  void encodeChecksTheRecordsItWrites() {
    BpfEventsException dangling = assertThrows(BpfEventsException.class,
        () -> BtfWriter.encode(List.of(BtfType.typedef("t", 2))));
    assertEquals("BTF type 1 refers to type 2, which is not written; expected an id from 0"
        + " to 1", dangling.getMessage());
    BpfEventsException offset = assertThrows(BpfEventsException.class,
        () -> BtfWriter.encode(List.of(BtfType.integer("int", 4, 1),
            BtfType.aggregate(BtfKind.STRUCT, "s", true, 4,
                List.of(new BtfType.Member("m", 1, 1L << 24, 0))))));
    assertEquals("btf-too-large", offset.problem());
    byte[] fwd = BtfWriter.encode(List.of(BtfType.refer(BtfKind.FWD, "s", 0),
        BtfType.pointer(1), BtfType.refer(BtfKind.CONST, "", 2)));
    assertEquals(List.of(BtfType.refer(BtfKind.FWD, "s", 0), BtfType.pointer(1),
        BtfType.refer(BtfKind.CONST, "", 2)), types(BtfReader.read(fwd, "t")));
  }

  static List<BtfType> types(Btf btf) {
    List<BtfType> out = new ArrayList<>();
    for (int id = 1; id <= btf.count(); id++) {
      out.add(btf.type(id));
    }
    return out;
  }

  @Test
  void stringsAreWrittenOnceEach() {
    BtfStrings s = new BtfStrings();
    assertEquals(0, s.add(""));
    assertEquals(1, s.add("ab"));
    assertEquals(4, s.add("c"));
    assertEquals(1, s.add("ab"));
    assertArrayEquals("\0ab\0c\0".getBytes(), s.bytes());
    assertEquals("bad-btf-name", assertThrows(BpfEventsException.class,
        () -> s.add("a\0b")).problem());
    BtfStrings read = BtfStrings.read("x\0ab\0c\0".getBytes(), 1, 6, "t");
    assertEquals("ab", read.at(1));
    assertEquals("", read.at(0));
    assertEquals("t: BTF name offset 6 is outside the string section; expected an offset"
        + " below 6",
        assertThrows(BpfEventsException.class, () -> read.at(6)).getMessage());
  }
}
