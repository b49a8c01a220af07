package io.github.bpfevents.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Examples;
import io.github.bpfevents.HostValues;
import io.github.bpfevents.asm.Insn;
import io.github.bpfevents.asm.InsnEncoder;
import io.github.bpfevents.check.LlvmMc;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.FieldSpec;
import io.github.bpfevents.layout.FieldType;
import io.github.bpfevents.layout.LayoutEngine;
import java.math.BigInteger;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The stores for arguments as a host wrote them, read through {@link HostValues#JAVA}
 * (names as Strings, Java integers, Lists and Maps): the instructions' text is checked
 * against the layout's offsets, and their bytes against LLVM's assembler for that text.
 */
class HostStoresTest {
  static final EventLayout CONN = Examples.CONNECTION_EVENT;
  static final HostValues HV = HostValues.JAVA;
  static final BigInteger TWO_64_MINUS_1 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  /** sport u16, then the bitfields fin and syn (bits 16 and 17), ttl u8 at 3. */
  static final EventLayout TCP = LayoutEngine.layout("Tcp", List.of(
      FieldSpec.of("sport", FieldType.U16),
      FieldSpec.bitfield("fin", FieldType.U8, 1),
      FieldSpec.bitfield("syn", FieldType.U8, 1),
      FieldSpec.of("ttl", FieldType.U8)));

  static BpfEventsException thrown(org.junit.jupiter.api.function.Executable f) {
    return assertThrows(BpfEventsException.class, f);
  }

  /** Each instruction's text is LLVM's for its bytes: assembling the text gives them. */
  static void llvmAgrees(List<Insn> insns) {
    List<String> texts = new ArrayList<>();
    for (Insn i : insns) {
      texts.add(i.toString());
    }
    List<LlvmMc.Assembled> llvm = LlvmMc.require().assemble(texts);
    for (int k = 0; k < insns.size(); k++) {
      assertArrayEquals(llvm.get(k).bytes, InsnEncoder.encode(List.of(insns.get(k))), texts.get(k));
    }
  }

  @Test
  void registersAsNamesOrIntegersAndFieldsAsNamesOrPaths() {
    Insn byName = HostStores.storeField("r6", CONN, CONN, "pid", "r7", HV);
    Insn byNumber = HostStores.storeField(6L, CONN, CONN, List.of("pid"), 7, HV);
    assertEquals("*(u32 *)(r6 + 8) = r7", byName.toString());
    assertEquals(byName, byNumber);
    Insn element = HostStores.storeImm("fp", CONN, CONN, List.of("comm", 3L), 65L, HV);
    assertEquals("*(u8 *)(r10 + 31) = 65", element.toString());
    llvmAgrees(List.of(byName, element));
    BpfEventsException e = thrown(() -> HostStores.storeField(11L, CONN, CONN, "pid", "r7", HV));
    assertEquals("unknown-register", e.problem());
    assertEquals(11L, e.data().get("register"));
  }

  @Test
  void anUnknownFieldIsStatedAsCljEbpfStatesIt() {
    Map<String, Object> def = Map.of("name", "Conn");
    BpfEventsException e = thrown(() -> HostStores.storeImm("r6", CONN, def, "nope", 1L, HV));
    assertEquals("unknown-field", e.problem());
    assertTrue(e.getMessage().startsWith("Unknown field: \"nope\"; event ConnectionEvent has no"
        + " field :nope; expected one of [:timestamp "), e.getMessage());
    assertEquals("Conn", e.data().get("event"), "the host's event name, as given");
    assertEquals("nope", e.data().get("field"));
    assertEquals(CONN.fieldNames(), e.data().get("available-fields"));
    assertEquals(CONN.fieldNames(), e.data().get("accepted"), "the library's data stays");

    BpfEventsException unnamed = thrown(() -> HostStores.zeroField("r6", CONN, CONN, "nope", HV));
    assertEquals("ConnectionEvent", unnamed.data().get("event"), "no :name: the layout's");

    BpfEventsException notAPath = thrown(() -> HostStores.storeField("r6", CONN, CONN, 5L, "r7", HV));
    assertEquals("unknown-field", notAPath.problem());
    assertEquals("Unknown field: 5; field 5 is not a field name or path; expected a keyword or a"
        + " vector of keywords and indices", notAPath.getMessage());
    assertEquals(CONN.fieldNames(), notAPath.data().get("available-fields"));
    assertEquals("unknown-field", thrown(() -> HostStores.storeField("r6", CONN, CONN, List.of(),
        "r7", HV)).problem());

    EventLayout in = LayoutEngine.layout("In", List.of(FieldSpec.of("a", FieldType.U8)));
    EventLayout outer = LayoutEngine.layout("Outer", List.of(FieldSpec.of("x", FieldType.U8),
        FieldSpec.of("in", in, 1)));
    BpfEventsException nested = thrown(() -> HostStores.storeField("r6", outer, outer,
        List.of("in", "b"), "r7", HV));
    assertEquals(List.of("a"), nested.data().get("available-fields"),
        "the names where the step was looked for");
    assertEquals("Outer", nested.data().get("event"));
  }

  @Test
  void otherProblemsKeepTheLibrarysMessage() {
    BpfEventsException e = thrown(() -> HostStores.storeField("r6", CONN, CONN,
        List.of("comm", 16L), "r7", HV));
    assertEquals("index-out-of-range", e.problem());
    assertTrue(e.getMessage().startsWith("index 16 is outside"), e.getMessage());
    assertEquals("not-an-event", thrown(() -> HostStores.zeroEvent("r6", null, HV)).problem());
  }

  @Test
  void immediatesAsWritten() {
    Insn minusOne = HostStores.storeImm("r6", CONN, CONN, "timestamp", TWO_64_MINUS_1, HV);
    assertEquals("*(u64 *)(r6 + 0) = -1", minusOne.toString(), "2^64-1 is the 64 bits of -1");
    Insn port = HostStores.storeImm("r6", CONN, CONN, "sport", (short) 80, HV);
    assertEquals("*(u16 *)(r6 + 20) = 80", port.toString());
    llvmAgrees(List.of(minusOne, port));

    BpfEventsException wide = thrown(() -> HostStores.storeImm("r6", CONN, CONN, "pid",
        TWO_64_MINUS_1, HV));
    assertEquals("immediate-out-of-range", wide.problem());
    assertSame(TWO_64_MINUS_1, wide.data().get("value"), "the value as written");
    assertEquals("field pid: immediate 18446744073709551615 does not fit a 4-byte store;"
        + " expected -2147483648 to 4294967295", wide.getMessage());

    Integer threeHundred = 300;
    BpfEventsException narrow = thrown(() -> HostStores.storeImm("r6", CONN, CONN, "protocol",
        threeHundred, HV));
    assertSame(threeHundred, narrow.data().get("value"), "the Integer, not a Long made of it");

    BigInteger half = BigInteger.ONE.shiftLeft(63);
    BpfEventsException signExtended = thrown(() -> HostStores.storeImm("r6", CONN, CONN,
        "timestamp", half, HV));
    assertSame(half, signExtended.data().get("value"));
    assertTrue(signExtended.getMessage().contains("lddw"), signExtended.getMessage());

    for (Object junk : new Object[] {BigInteger.ONE.shiftLeft(64), BigInteger.ONE.shiftLeft(63)
        .negate().subtract(BigInteger.ONE), 1.5, null, "1"}) {
      BpfEventsException x = thrown(() -> HostStores.storeImm("r6", CONN, CONN, "pid", junk, HV));
      assertEquals("immediate-out-of-range", x.problem(), String.valueOf(junk));
      assertSame(junk, x.data().get("value"));
      assertEquals("an integer from -2^63 to 2^64-1", x.data().get("expected"));
    }

    EventLayout be = LayoutEngine.layout("B", List.of(FieldSpec.of("x", FieldType.BE64)));
    BpfEventsException swapped = thrown(() -> HostStores.storeImm("r6", be, be, "x",
        TWO_64_MINUS_1.subtract(BigInteger.ONE), HV));
    assertEquals("immediate-out-of-range", swapped.problem());
    assertEquals(TWO_64_MINUS_1.subtract(BigInteger.ONE), swapped.data().get("value"));
  }

  @Test
  void zeroFieldIsOneStoreWhereOneZeroesTheField() {
    Object pid = HostStores.zeroField("r6", CONN, CONN, "pid", HV);
    assertEquals("*(u32 *)(r6 + 8) = 0", pid.toString());
    Object comm = HostStores.zeroField("r6", CONN, CONN, "comm", HV);
    assertInstanceOf(List.class, comm);
    @SuppressWarnings("unchecked")
    List<Insn> stores = (List<Insn>) comm;
    assertEquals(List.of("*(u32 *)(r6 + 28) = 0", "*(u64 *)(r6 + 32) = 0",
        "*(u32 *)(r6 + 40) = 0"), stores.stream().map(Insn::toString).toList());
    llvmAgrees(stores);
    assertEquals(6, HostStores.zeroEvent(6L, CONN, HV).size());
  }

  @Test
  void storeFieldsReadsValueSpecsAndStoresInLayoutOrder() {
    Map<Object, Object> values = new LinkedHashMap<>();
    values.put(List.of("protocol"), Map.of("imm", 6L));
    values.put("pid", Map.of("reg", 7L));
    List<Insn> stores = HostStores.storeFields("r6", CONN, CONN, values, HV);
    assertEquals(List.of("*(u32 *)(r6 + 8) = r7", "*(u8 *)(r6 + 24) = 6"),
        stores.stream().map(Insn::toString).toList());
    llvmAgrees(stores);

    Map<Object, Object> twice = new LinkedHashMap<>();
    twice.put("pid", Map.of("reg", "r7"));
    twice.put(List.of("pid"), Map.of("imm", 1L));
    BpfEventsException dup = thrown(() -> HostStores.storeFields("r6", CONN, CONN, twice, HV));
    assertEquals("duplicate-field", dup.problem());
    assertEquals(List.of("pid"), dup.data().get("field"), "the second entry, as written");

    for (Object spec : new Object[] {Map.of("reg", "r7", "imm", 1L), Map.of(), "r7",
        Map.of("value", 1L), null}) {
      Map<Object, Object> m = new LinkedHashMap<>();
      m.put("pid", spec);
      BpfEventsException bad = thrown(() -> HostStores.storeFields("r6", CONN, CONN, m, HV));
      assertEquals("bad-value-spec", bad.problem(), String.valueOf(spec));
      assertEquals("{:reg r} or {:imm v}", bad.data().get("expected"));
    }
    BpfEventsException notAMap = thrown(() -> HostStores.storeFields("r6", CONN, CONN,
        List.of("pid"), HV));
    assertEquals("bad-value-spec", notAMap.problem());
    Integer big = 256;
    BpfEventsException imm = thrown(() -> HostStores.storeFields("r6", CONN, CONN,
        Map.of("protocol", Map.of("imm", big)), HV));
    assertSame(big, imm.data().get("value"));
  }

  @Test
  void aMapOfMoreEntriesThanTheRecordHasBytesIsReadOnlyThatFar() {
    EventLayout four = LayoutEngine.layout("Four", List.of(FieldSpec.of("c", FieldType.CHAR, 4)));
    AtomicInteger read = new AtomicInteger();
    // c, [c 0], [c 1], [c 2], [c 3], then the same again, endlessly: distinct entries that
    // overlap, found out once the first five (one past the four bytes) are read
    Map<Object, Object> endless = new AbstractMap<>() {
      @Override
      public Set<Map.Entry<Object, Object>> entrySet() {
        return new AbstractSet<>() {
          @Override
          public Iterator<Map.Entry<Object, Object>> iterator() {
            return new Iterator<>() {
              @Override
              public boolean hasNext() {
                return true;
              }

              @Override
              public Map.Entry<Object, Object> next() {
                int i = read.getAndIncrement() % 5;
                Object key = i == 0 ? "c" : List.of("c", (long) (i - 1));
                return Map.entry(key, Map.of("imm", 1L));
              }
            };
          }

          @Override
          public int size() {
            return Integer.MAX_VALUE;
          }
        };
      }
    };
    BpfEventsException e = thrown(() -> HostStores.storeFields("r6", four, four, endless, HV));
    assertEquals("duplicate-field", e.problem());
    assertEquals(5, read.get());
  }

  @Test
  void bitfieldStoresFromValueSpecs() {
    List<Insn> imm = HostStores.storeBits("r6", TCP, TCP, "syn", Map.of("imm", 1L), "r1", HV);
    assertEquals(List.of("r1 = *(u8 *)(r6 + 2)", "w1 &= -3", "w1 |= 2", "*(u8 *)(r6 + 2) = r1"),
        imm.stream().map(Insn::toString).toList());
    llvmAgrees(imm);
    assertEquals(List.of(HostStores.storeField("r6", TCP, TCP, "ttl", "r7", HV)),
        HostStores.storeBits("r6", TCP, TCP, "ttl", Map.of("reg", "r7"), "r1", HV));
    BpfEventsException wide = thrown(() -> HostStores.storeBits("r6", TCP, TCP, "syn",
        Map.of("imm", TWO_64_MINUS_1), "r1", HV));
    assertEquals("bad-immediate", wide.problem());
    assertSame(TWO_64_MINUS_1, wide.data().get("value"));
    BpfEventsException spec = thrown(() -> HostStores.storeBits("r6", TCP, TCP, "syn",
        Map.of("im", 1L), "r1", HV));
    assertEquals("bad-value-spec", spec.problem());
    assertEquals("unknown-field", thrown(() -> HostStores.storeBits("r6", TCP, TCP, "nope",
        Map.of("imm", 1L), "r1", HV)).problem());
  }
}
