package io.github.bpfevents.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.asm.AsmPrinter;
import io.github.bpfevents.asm.Register;
import io.github.bpfevents.btf.Btf;
import io.github.bpfevents.btf.BtfChecker;
import io.github.bpfevents.btf.BtfImporter;
import io.github.bpfevents.btf.BtfReader;
import io.github.bpfevents.btf.BtfWriter;
import io.github.bpfevents.cheader.CHeader;
import io.github.bpfevents.check.Bpf;
import io.github.bpfevents.check.BtfLoad;
import io.github.bpfevents.codec.EventDecoder;
import io.github.bpfevents.codec.EventEncoder;
import io.github.bpfevents.codec.EventView;
import io.github.bpfevents.codec.FieldHandle;
import io.github.bpfevents.definition.DefinitionWriter;
import io.github.bpfevents.definition.EventFileReader;
import io.github.bpfevents.report.LayoutReport;
import io.github.bpfevents.report.PaholeText;
import io.github.bpfevents.store.EventStores;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code :i128} and {@code :u128}, C's {@code __int128} and {@code unsigned __int128},
 * through every output. The numbers are gcc's (x86-64) and clang-19's ({@code -target
 * bpf}) for {@code struct wide { __u8 flag; unsigned __int128 sum; __int128 delta; };}:
 * 16 bytes, 16-byte aligned, sum at 16, delta at 32, size 48; packed, at 1 and 17, size 33
 * (CTypeModelLayoutTest checks generated definitions that hold them against both).
 */
class Int128Test {
  private static final BigInteger TWO_100 = BigInteger.ONE.shiftLeft(100);
  private static final EventLayout WIDE = LayoutEngine.layout("Wide", List.of(
      FieldSpec.of("flag", FieldType.U8), FieldSpec.of("sum", FieldType.U128),
      FieldSpec.of("delta", FieldType.I128)), Packing.NATURAL);
  private static final EventLayout PACKED = LayoutEngine.layout("WideP", List.of(
      FieldSpec.of("flag", FieldType.U8), FieldSpec.of("sum", FieldType.U128),
      FieldSpec.of("delta", FieldType.I128)), Packing.PACKED);

  @Test
  void sixteenBytesSixteenAligned() {
    assertEquals(List.of(0, 16, 32), WIDE.fields().stream().map(Field::offset).toList());
    assertEquals(48, WIDE.size());
    assertEquals(16, WIDE.alignment());
    assertEquals(List.of(0, 1, 17), PACKED.fields().stream().map(Field::offset).toList());
    assertEquals(33, PACKED.size());
  }

  @Test
  void theHeaderTheReportAndEventFilesNameThem() {
    String h = CHeader.emit(List.of(WIDE));
    assertTrue(h.contains("\t__u8 flag;\n\tunsigned __int128 sum;\n\t__int128 delta;\n"), h);
    assertTrue(h.contains("_Static_assert(_Alignof(struct wide) == 16"), h);
    String r = PaholeText.render(LayoutReport.of(WIDE));
    assertTrue(r.contains("unsigned __int128") && r.contains("15 bytes hole"), r);
    String file = DefinitionWriter.eventFile(List.of(WIDE), null);
    assertTrue(file.contains("[:sum :u128] [:delta :i128]")
        || file.contains("[:sum :u128]\n  [:delta :i128]"), file);
    assertEquals(WIDE, EventFileReader.read("wide.clj", file.getBytes(StandardCharsets.UTF_8))
        .event("Wide"));
  }

  @Test
  void decodedToALongWhenItFitsElseABigInteger() {
    Map<String, Object> in = new LinkedHashMap<>();
    in.put("flag", 1);
    in.put("sum", TWO_100.add(BigInteger.valueOf(5)));
    in.put("delta", -3L);
    byte[] b = EventEncoder.encode(WIDE, in);
    assertEquals(5, b[16]);
    assertEquals(0x10, b[16 + 12]);
    assertEquals((byte) 0xfd, b[32]);
    assertEquals((byte) 0xff, b[47]);
    Map<String, Object> out = EventDecoder.decode(WIDE, ByteBuffer.wrap(b), 0);
    assertEquals(TWO_100.add(BigInteger.valueOf(5)), out.get("sum"));
    assertEquals(-3L, out.get("delta"));
    BigInteger max = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);
    byte[] m = EventEncoder.encode(WIDE, Map.of("sum", max,
        "delta", BigInteger.ONE.shiftLeft(127).negate()));
    out = EventDecoder.decode(WIDE, ByteBuffer.wrap(m), 0);
    assertEquals(max, out.get("sum"));
    assertEquals(BigInteger.ONE.shiftLeft(127).negate(), out.get("delta"));
    for (Object bad : List.of(BigInteger.ONE.shiftLeft(128), -1, 1.5)) {
      BpfEventsException e = assertThrows(BpfEventsException.class,
          () -> EventEncoder.encode(WIDE, Map.of("sum", bad)));
      assertTrue(e.getMessage().contains("an integer from 0 to " + max + " (u128)"),
          e.getMessage());
    }
    assertThrows(BpfEventsException.class,
        () -> EventEncoder.encode(WIDE, Map.of("delta", BigInteger.ONE.shiftLeft(127))));
  }

  @Test
  void handlesReadTheWholeValueOrItsHalves() {
    byte[] b = EventEncoder.encode(WIDE, Map.of("sum", TWO_100.add(BigInteger.TWO),
        "delta", -2));
    ByteBuffer buf = ByteBuffer.wrap(b);
    FieldHandle sum = EventView.of(WIDE).handle("sum");
    FieldHandle delta = EventView.of(WIDE).handle("delta");
    assertEquals(TWO_100.add(BigInteger.TWO), sum.u128(buf, 0));
    assertEquals(2L, sum.low64(buf, 0));
    assertEquals(1L << 36, sum.high64(buf, 0));
    assertEquals(BigInteger.valueOf(-2), delta.i128(buf, 0));
    assertEquals(-1L, delta.high64(buf, 0));
    assertThrows(BpfEventsException.class, () -> sum.i128(buf, 0));
    assertThrows(BpfEventsException.class, () -> sum.u64(buf, 0));
    assertThrows(BpfEventsException.class, () -> EventView.of(WIDE).handle("flag")
        .low64(buf, 0));
    assertThrows(BpfEventsException.class, () -> sum.u128(ByteBuffer.wrap(new byte[31]), 0));
    assertThrows(BpfEventsException.class, () -> sum.high64(ByteBuffer.wrap(new byte[31]), 0));
  }

  @Test
  void storesRefuseThemAndZeroingTakesTwoDoubleWords() {
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> EventStores.storeImm(Register.R6, WIDE, "sum", 1));
    assertEquals("field sum is u128 (16 bytes), which no one BPF store writes; expected a"
        + " field of at most 8 bytes (the widest BPF store); write its two 64-bit halves with"
        + " 8-byte stores at offset 16 (low) and 24 (high), or zero it (zero-event-field)",
        e.getMessage());
    assertThrows(BpfEventsException.class,
        () -> EventStores.storeField(Register.R6, WIDE, "delta", Register.R7));
    assertEquals(List.of("*(u64 *)(r6 + 16) = 0", "*(u64 *)(r6 + 24) = 0"),
        AsmPrinter.printAll(EventStores.zeroField(Register.R6, WIDE, "sum")));
    assertEquals(6, EventStores.zeroEvent(Register.R6, WIDE).size());
  }

  /**
   * Bitfields of them, as C takes them: gcc and clang-19 ({@code -target bpf}) place
   * {@code struct big { char c; __int128 x; unsigned __int128 y; __int128 b:70;
   * unsigned __int128 u:1; unsigned __int128 v:127; };} with b at bit 384, u at 454, v at
   * 512 (it would cross a 128-bit unit), size 80 (clang's BTF of it, and pahole's report).
   */
  @Test
  void bitfieldsOfThemAsCPlacesThem() {
    EventLayout big = LayoutEngine.layout("Big", List.of(
        FieldSpec.of("c", FieldType.I8), FieldSpec.of("x", FieldType.I128),
        FieldSpec.of("y", FieldType.U128), FieldSpec.bitfield("b", FieldType.I128, 70),
        FieldSpec.bitfield("u", FieldType.U128, 1), FieldSpec.bitfield("v", FieldType.U128, 127)),
        Packing.NATURAL);
    assertEquals(List.of(384L, 454L, 512L), List.of(big.field("b").bitOffset(),
        big.field("u").bitOffset(), big.field("v").bitOffset()));
    assertEquals(80, big.size());
    assertTrue(CHeader.emit(List.of(big)).contains("\t__int128 b : 70;\n"));
    assertTrue(PaholeText.render(LayoutReport.of(big)).contains("48: 0 16 */"));
    BigInteger low70 = BigInteger.ONE.shiftLeft(69).negate();
    BigInteger top = BigInteger.ONE.shiftLeft(127).subtract(BigInteger.ONE);
    byte[] b = EventEncoder.encode(big, Map.of("b", low70, "u", 1, "v", top));
    Map<String, Object> m = EventDecoder.decode(big, ByteBuffer.wrap(b), 0);
    assertEquals(low70, m.get("b"));
    assertEquals(1L, m.get("u"));
    assertEquals(top, m.get("v"));
    assertEquals(0, b[79] & 0x80, "v leaves bit 639 alone");
    assertThrows(BpfEventsException.class, () -> EventEncoder.encode(big,
        Map.of("b", BigInteger.ONE.shiftLeft(69))));
    // bits 454 (u) and 455 to 511 (nothing): C reads u as 1; the handle as C
    assertEquals(1L, EventView.of(big).handle("u").bits(ByteBuffer.wrap(b), 0));
    // stores: a register or an immediate holds 64 bits
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> EventStores.storeBitsImm(Register.R6, big, List.of("b"), 1, Register.R1));
    assertTrue(e.getMessage().contains("is 70 bits wide"), e.getMessage());
    // v's last word holds bit 639, no field's: zeroing v would take a scratch register
    assertEquals("unsupported-member", assertThrows(BpfEventsException.class,
        () -> EventStores.zeroField(Register.R6, big, "v")).problem());
    EventLayout filled = LayoutEngine.layout("Filled", List.of(
        FieldSpec.bitfield("w", FieldType.U128, 128)), Packing.NATURAL);
    assertEquals(List.of("*(u32 *)(r6 + 0) = 0", "*(u32 *)(r6 + 4) = 0",
        "*(u32 *)(r6 + 8) = 0", "*(u32 *)(r6 + 12) = 0"),
        AsmPrinter.printAll(EventStores.zeroField(Register.R6, filled, "w")));
    // BTF: kind_flag members of a 16-byte INT, imported back bit by bit, loaded
    Btf btf = BtfReader.read(BtfWriter.write(List.of(big)), "big");
    assertEquals(List.of(), BtfChecker.check(big, btf));
    List<EventLayout> back = BtfImporter.events(btf, List.of("big"));
    assertEquals(70, back.get(back.size() - 1).field("b").bits());
    assertEquals(FieldType.I128, back.get(back.size() - 1).field("b").type());
    assertThrows(BpfEventsException.class, () -> EnumType.of(null, FieldType.U128,
        Map.of("a", BigInteger.ONE)));
  }

  @Test
  void btfIsAnIntOfSixteenBytesThatImportsBack() {
    byte[] blob = BtfWriter.write(List.of(WIDE));
    Btf btf = BtfReader.read(blob, "wide");
    assertEquals(List.of(), BtfChecker.check(WIDE, btf));
    List<EventLayout> back = BtfImporter.events(btf, List.of("wide"));
    EventLayout w = back.get(back.size() - 1);
    assertEquals(FieldType.U128, w.field("sum").type());
    assertEquals(FieldType.I128, w.field("delta").type());
    assertEquals(32, w.field("delta").offset());
    assertEquals(48, w.size());
    // a mismatch is found: the same offsets, the sum signed
    EventLayout signed = LayoutEngine.layout("wide", List.of(
        FieldSpec.of("flag", FieldType.U8), FieldSpec.of("sum", FieldType.I128),
        FieldSpec.of("delta", FieldType.I128)), Packing.NATURAL);
    assertTrue(!BtfChecker.check(signed, btf).isEmpty());
  }

  @Test
  @Tag("kernel")
  void theKernelLoadsTheirBtf() {
    Bpf.requirePermitted();
    EventLayout bits = LayoutEngine.layout("Bits", List.of(FieldSpec.of("c", FieldType.I8),
        FieldSpec.bitfield("b", FieldType.I128, 70), FieldSpec.bitfield("v", FieldType.U128,
            127)), Packing.NATURAL);
    BtfLoad.check(BtfWriter.write(List.of(WIDE, PACKED, bits)));
  }
}
