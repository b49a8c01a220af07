package io.github.bpfevents.asm;

import static io.github.bpfevents.asm.Register.R0;
import static io.github.bpfevents.asm.Register.R1;
import static io.github.bpfevents.asm.Register.R10;
import static io.github.bpfevents.asm.Register.R2;
import static io.github.bpfevents.asm.Register.R3;
import static io.github.bpfevents.asm.Register.R4;
import static io.github.bpfevents.asm.Register.R5;
import static io.github.bpfevents.asm.Register.R6;
import static io.github.bpfevents.asm.Register.R7;
import static io.github.bpfevents.asm.Register.R8;
import static io.github.bpfevents.asm.Register.R9;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfevents.BpfEventsException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Store instructions, table-driven in the style of cilium/ebpf's asm tests: each row is the
 * built instruction, its 8 bytes as written in the BPF ISA (RFC 9669, BPF-FACTS.md) and its
 * assembler text. Expected bytes are literals, never computed by the encoder.
 */
class StoreTest {

  /** One row: the instruction as built, its wire bytes (hex), its assembler text. */
  record Row(Insn insn, String hex, String asm) {
    @Override
    public String toString() {
      return asm;
    }
  }

  private static Row row(Insn insn, String hex, String asm) {
    return new Row(insn, hex, asm);
  }

  static final List<Row> ROWS = List.of(
      // stx at the four widths; the documented examples.
      row(Store.stx(Size.B, R6, 24, R1), "73 16 18 00 00 00 00 00", "*(u8 *)(r6 + 24) = r1"),
      row(Store.stx(Size.H, R6, 36, R1), "6b 16 24 00 00 00 00 00", "*(u16 *)(r6 + 36) = r1"),
      row(Store.stx(Size.W, R6, 8, R7), "63 76 08 00 00 00 00 00", "*(u32 *)(r6 + 8) = r7"),
      row(Store.stx(Size.DW, R10, -8, R1), "7b 1a f8 ff 00 00 00 00", "*(u64 *)(r10 - 8) = r1"),
      // stx offset edges and register nibbles.
      row(Store.stx(Size.DW, R1, -32768, R2), "7b 21 00 80 00 00 00 00", "*(u64 *)(r1 - 32768) = r2"),
      row(Store.stx(Size.W, R0, 32767, R10), "63 a0 ff 7f 00 00 00 00", "*(u32 *)(r0 + 32767) = r10"),
      row(Store.stx(Size.H, R9, 0, R8), "6b 89 00 00 00 00 00 00", "*(u16 *)(r9 + 0) = r8"),
      row(Store.stx(Size.B, R10, -1, R0), "73 0a ff ff 00 00 00 00", "*(u8 *)(r10 - 1) = r0"),
      row(Store.stx(Size.B, R5, 256, R4), "73 45 00 01 00 00 00 00", "*(u8 *)(r5 + 256) = r4"),
      // st at the four widths; the documented example.
      row(Store.st(Size.B, R6, 24, 6), "72 06 18 00 06 00 00 00", "*(u8 *)(r6 + 24) = 6"),
      row(Store.st(Size.H, R6, 36, 1), "6a 06 24 00 01 00 00 00", "*(u16 *)(r6 + 36) = 1"),
      row(Store.st(Size.W, R6, 8, 7), "62 06 08 00 07 00 00 00", "*(u32 *)(r6 + 8) = 7"),
      row(Store.st(Size.DW, R10, -8, 1), "7a 0a f8 ff 01 00 00 00", "*(u64 *)(r10 - 8) = 1"),
      // st offset edges.
      row(Store.st(Size.B, R1, -32768, 0), "72 01 00 80 00 00 00 00", "*(u8 *)(r1 - 32768) = 0"),
      row(Store.st(Size.H, R1, 32767, 0), "6a 01 ff 7f 00 00 00 00", "*(u16 *)(r1 + 32767) = 0"),
      row(Store.st(Size.W, R1, 0, 0), "62 01 00 00 00 00 00 00", "*(u32 *)(r1 + 0) = 0"),
      // u8 immediates: -128..255.
      row(Store.st(Size.B, R1, 0, -128), "72 01 00 00 80 ff ff ff", "*(u8 *)(r1 + 0) = -128"),
      row(Store.st(Size.B, R1, 1, -1), "72 01 01 00 ff ff ff ff", "*(u8 *)(r1 + 1) = -1"),
      row(Store.st(Size.B, R1, 2, 127), "72 01 02 00 7f 00 00 00", "*(u8 *)(r1 + 2) = 127"),
      row(Store.st(Size.B, R1, 3, 255), "72 01 03 00 ff 00 00 00", "*(u8 *)(r1 + 3) = 255"),
      // u16 immediates: -32768..65535.
      row(Store.st(Size.H, R2, -32768, -32768), "6a 02 00 80 00 80 ff ff", "*(u16 *)(r2 - 32768) = -32768"),
      row(Store.st(Size.H, R2, 2, 32767), "6a 02 02 00 ff 7f 00 00", "*(u16 *)(r2 + 2) = 32767"),
      row(Store.st(Size.H, R2, 32767, 65535), "6a 02 ff 7f ff ff 00 00", "*(u16 *)(r2 + 32767) = 65535"),
      // u32 immediates: -2^31..2^32-1; above 2^31-1 the same 32 bits read as signed.
      row(Store.st(Size.W, R3, 4, -2147483648L), "62 03 04 00 00 00 00 80", "*(u32 *)(r3 + 4) = -2147483648"),
      row(Store.st(Size.W, R3, 12, 2147483647L), "62 03 0c 00 ff ff ff 7f", "*(u32 *)(r3 + 12) = 2147483647"),
      row(Store.st(Size.W, R3, 16, 2147483648L), "62 03 10 00 00 00 00 80", "*(u32 *)(r3 + 16) = -2147483648"),
      row(Store.st(Size.W, R3, 8, 4294967295L), "62 03 08 00 ff ff ff ff", "*(u32 *)(r3 + 8) = -1"),
      // u64 immediates: only -2^31..2^31-1 (sign-extended by the CPU).
      row(Store.st(Size.DW, R10, -16, -2147483648L), "7a 0a f0 ff 00 00 00 80", "*(u64 *)(r10 - 16) = -2147483648"),
      row(Store.st(Size.DW, R4, 0, -1), "7a 04 00 00 ff ff ff ff", "*(u64 *)(r4 + 0) = -1"),
      row(Store.st(Size.DW, R4, 8, 2147483647L), "7a 04 08 00 ff ff ff 7f", "*(u64 *)(r4 + 8) = 2147483647"));

  static Stream<Row> rows() {
    return ROWS.stream();
  }

  /** "63 76 08 00" to bytes. */
  static byte[] hex(String s) {
    String[] parts = s.trim().split("\\s+");
    byte[] out = new byte[parts.length];
    for (int i = 0; i < parts.length; i++) {
      out[i] = (byte) Integer.parseInt(parts[i], 16);
    }
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void encodesToTheIsaBytes(Row r) {
    assertArrayEquals(hex(r.hex()), InsnEncoder.encode(List.of(r.insn())), r.asm());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void printsTheAssemblerText(Row r) {
    assertEquals(r.asm(), AsmPrinter.print(r.insn()));
    assertEquals(r.asm(), r.insn().toString(), "Insn.toString of a store is its asm text");
    assertTrue(AsmPrinter.canPrint(r.insn()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void decodesBackToTheSameInstruction(Row r) {
    byte[] wire = hex(r.hex());
    Insn decoded = InsnEncoder.decode(wire, 0);
    assertEquals(r.insn(), decoded);
    assertEquals(r.asm(), AsmPrinter.print(decoded));
  }

  @Test
  void encodesAndDecodesAllRowsBackToBack() {
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    List<Insn> insns = new ArrayList<>();
    for (Row r : ROWS) {
      expected.writeBytes(hex(r.hex()));
      insns.add(r.insn());
    }
    byte[] wire = InsnEncoder.encode(insns);
    assertArrayEquals(expected.toByteArray(), wire);
    for (int k = 0; k < ROWS.size(); k++) {
      assertEquals(ROWS.get(k).insn(), InsnEncoder.decode(wire, 8 * k), "slot " + k);
    }
  }

  @Test
  void encodeOfAnEmptyListIsEmpty() {
    assertEquals(0, InsnEncoder.encode(List.of()).length);
  }

  @Test
  void decodeOfATruncatedSlotFails() {
    byte[] seven = hex("63 76 08 00 00 00 00");
    BpfEventsException e = assertThrows(BpfEventsException.class, () -> InsnEncoder.decode(seven, 0));
    assertEquals("truncated-instruction", e.problem());
    BpfEventsException e2 = assertThrows(BpfEventsException.class,
        () -> InsnEncoder.decode(hex("63 76 08 00 00 00 00 00"), -1));
    assertEquals("truncated-instruction", e2.problem());
  }

  @Test
  void decodeOfARegisterNibbleAboveTenFails() {
    // dst nibble 0xb = 11
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> InsnEncoder.decode(hex("63 7b 08 00 00 00 00 00"), 0));
    assertEquals("insn-field-out-of-range", e.problem());
    assertEquals("dst", e.data().get("key"));
    assertEquals(11L, e.data().get("value"));
  }

  // ---------------------------------------------------------------------------------------
  // Opcode builders

  static Stream<Arguments> opcodes() {
    return Stream.of(
        Arguments.of(Size.B, 1, "u8", 0x73, 0x72),
        Arguments.of(Size.H, 2, "u16", 0x6b, 0x6a),
        Arguments.of(Size.W, 4, "u32", 0x63, 0x62),
        Arguments.of(Size.DW, 8, "u64", 0x7b, 0x7a));
  }

  @ParameterizedTest(name = "{0}: stx 0x{3} st 0x{4}")
  @MethodSource("opcodes")
  void opcodeBuildersAndSizes(Size size, int bytes, String asmName, int stx, int st) {
    assertEquals(stx, Store.stxOpcode(size), "stx opcode");
    assertEquals(st, Store.stOpcode(size), "st opcode");
    assertEquals(bytes, size.bytes());
    assertEquals(asmName, size.asmName());
    assertSame(size, Size.ofBytes(bytes));
    assertSame(size, Size.ofOpcode(stx));
    assertSame(size, Size.ofOpcode(st));
    assertTrue(Opcode.isMemoryStore(stx));
    assertTrue(Opcode.isMemoryStore(st));
  }

  @Test
  void nonStoreOpcodesAreNotMemoryStores() {
    int[] others = {0x95, 0x61, 0x79, 0x18, 0xdb, 0xc3, 0x07, 0xb7, 0x00};
    for (int op : others) {
      assertFalse(Opcode.isMemoryStore(op), String.format("0x%02x", op));
    }
  }

  @Test
  void sizeOfBadWidthFails() {
    BpfEventsException e = assertThrows(BpfEventsException.class, () -> Size.ofBytes(3));
    assertEquals("bad-width", e.problem());
    assertEquals(3, e.data().get("value"));
  }

  // ---------------------------------------------------------------------------------------
  // Errors from the builders

  /** One error row: what to call, the problem, the value in the data, the expected text. */
  record Bad(String what, Supplier<Insn> call, String problem, Object value, String expected) {
    @Override
    public String toString() {
      return what;
    }
  }

  private static Bad bad(String what, Supplier<Insn> call, String problem, Object value,
      String expected) {
    return new Bad(what, call, problem, value, expected);
  }

  static Stream<Bad> badStores() {
    String off = "offset-out-of-range";
    String imm = "immediate-out-of-range";
    String offRange = "-32768 to 32767";
    return Stream.of(
        bad("stx offset 32768", () -> Store.stx(Size.W, R6, 32768, R7), off, 32768L, offRange),
        bad("stx offset -32769", () -> Store.stx(Size.W, R6, -32769, R7), off, -32769L, offRange),
        bad("st offset 32768", () -> Store.st(Size.B, R6, 32768, 0), off, 32768L, offRange),
        bad("st offset -32769", () -> Store.st(Size.DW, R6, -32769, 0), off, -32769L, offRange),
        bad("u8 imm -129", () -> Store.st(Size.B, R6, 0, -129), imm, -129L, "-128 to 255"),
        bad("u8 imm 256", () -> Store.st(Size.B, R6, 0, 256), imm, 256L, "-128 to 255"),
        bad("u16 imm -32769", () -> Store.st(Size.H, R6, 0, -32769), imm, -32769L, "-32768 to 65535"),
        bad("u16 imm 65536", () -> Store.st(Size.H, R6, 0, 65536), imm, 65536L, "-32768 to 65535"),
        bad("u32 imm -2^31-1", () -> Store.st(Size.W, R6, 0, -2147483649L), imm, -2147483649L, "-2147483648 to 4294967295"),
        bad("u32 imm 2^32", () -> Store.st(Size.W, R6, 0, 4294967296L), imm, 4294967296L, "-2147483648 to 4294967295"),
        bad("u64 imm -2^31-1", () -> Store.st(Size.DW, R6, 0, -2147483649L), imm, -2147483649L, "-2147483648 to 2147483647"),
        bad("u64 imm 2^31", () -> Store.st(Size.DW, R6, 0, 2147483648L), imm, 2147483648L, "-2147483648 to 2147483647"),
        bad("stx null size", () -> Store.stx(null, R6, 0, R7), "missing-argument", null, "a size"),
        bad("stx null dst", () -> Store.stx(Size.W, null, 0, R7), "missing-argument", null, "a dst"),
        bad("stx null src", () -> Store.stx(Size.W, R6, 0, null), "missing-argument", null, "a src"),
        bad("st null size", () -> Store.st(null, R6, 0, 0), "missing-argument", null, "a size"),
        bad("st null dst", () -> Store.st(Size.W, null, 0, 0), "missing-argument", null, "a dst"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badStores")
  void badStoreInputsThrowBpfEventsException(Bad b) {
    BpfEventsException e = assertThrows(BpfEventsException.class, b.call()::get);
    assertEquals(b.problem(), e.problem());
    assertEquals(b.problem(), e.data().get("problem"));
    assertTrue(e.data().containsKey("value"), "data has value: " + e.data());
    assertEquals(b.value(), e.data().get("value"));
    assertEquals(b.expected(), e.data().get("expected"));
    assertTrue(e.getMessage().contains(String.valueOf(b.value())),
        "message names " + b.value() + ": " + e.getMessage());
  }

  @Test
  void aSixtyFourBitImmediateTooLargeSaysToUseLddw() {
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> Store.st(Size.DW, R6, 0, 1L << 32));
    assertTrue(e.getMessage().contains("lddw"), e.getMessage());
    assertEquals(8, e.data().get("width"));
  }

  @Test
  void aNullArgumentNamesWhichOne() {
    BpfEventsException e = assertThrows(BpfEventsException.class, () -> Store.stx(Size.W, R6, 0, null));
    assertEquals("src", e.data().get("key"));
    BpfEventsException e2 = assertThrows(BpfEventsException.class, () -> Store.st(null, R6, 0, 0));
    assertEquals("size", e2.data().get("key"));
  }

  // ---------------------------------------------------------------------------------------
  // Insn

  static Stream<Arguments> insnFieldsOutOfRange() {
    return Stream.of(
        Arguments.of("opcode", (Supplier<Insn>) () -> Insn.of(256, 0, 0, 0, 0), 256L),
        Arguments.of("opcode", (Supplier<Insn>) () -> Insn.of(-1, 0, 0, 0, 0), -1L),
        Arguments.of("dst", (Supplier<Insn>) () -> Insn.of(0x63, 11, 0, 0, 0), 11L),
        Arguments.of("src", (Supplier<Insn>) () -> Insn.of(0x63, 0, -1, 0, 0), -1L),
        Arguments.of("src", (Supplier<Insn>) () -> Insn.of(0x63, 0, 11, 0, 0), 11L),
        Arguments.of("offset", (Supplier<Insn>) () -> Insn.of(0x63, 0, 0, 40000, 0), 40000L),
        Arguments.of("offset", (Supplier<Insn>) () -> Insn.of(0x63, 0, 0, -32769, 0), -32769L),
        Arguments.of("imm", (Supplier<Insn>) () -> Insn.of(0x62, 0, 0, 0, 1L << 31), 2147483648L),
        Arguments.of("imm", (Supplier<Insn>) () -> Insn.of(0x62, 0, 0, 0, -(1L << 31) - 1), -2147483649L));
  }

  @ParameterizedTest(name = "{0} = {2}")
  @MethodSource("insnFieldsOutOfRange")
  void insnFieldOutOfRange(String key, Supplier<Insn> call, long value) {
    BpfEventsException e = assertThrows(BpfEventsException.class, call::get);
    assertEquals("insn-field-out-of-range", e.problem());
    assertEquals(key, e.data().get("key"));
    assertEquals(value, e.data().get("value"));
    assertTrue(e.data().containsKey("expected"));
    assertTrue(e.getMessage().contains(Long.toString(value)), e.getMessage());
  }

  @Test
  void insnAcceptsEveryFieldAtItsEdges() {
    Insn lo = Insn.of(0, 0, 0, -32768, Integer.MIN_VALUE);
    Insn hi = Insn.of(255, 10, 10, 32767, Integer.MAX_VALUE);
    assertArrayEquals(hex("00 00 00 80 00 00 00 80"), InsnEncoder.encode(List.of(lo)));
    assertArrayEquals(hex("ff aa ff 7f ff ff ff 7f"), InsnEncoder.encode(List.of(hi)));
    assertEquals(255, hi.opcode());
    assertEquals(10, hi.dst());
    assertEquals(10, hi.src());
    assertEquals(32767, hi.offset());
    assertEquals(Integer.MAX_VALUE, hi.imm());
  }

  @Test
  void insnEqualityAndHashCode() {
    Insn built = Store.stx(Size.W, R6, 8, R7);
    Insn same = Insn.of(0x63, 6, 7, 8, 0);
    assertEquals(same, built);
    assertEquals(built, same);
    assertEquals(same.hashCode(), built.hashCode());
    assertEquals(built, built);

    List<Insn> differentInOneField = List.of(
        Insn.of(0x62, 6, 7, 8, 0),
        Insn.of(0x63, 5, 7, 8, 0),
        Insn.of(0x63, 6, 8, 8, 0),
        Insn.of(0x63, 6, 7, 9, 0),
        Insn.of(0x63, 6, 7, 8, 1));
    for (Insn other : differentInOneField) {
      assertNotEquals(built, other, other.toString());
      assertNotEquals(other, built, other.toString());
    }
    // the fields are not simply summed into the hash
    assertNotEquals(Insn.of(0x63, 6, 7, 8, 0).hashCode(), Insn.of(0x63, 7, 6, 8, 0).hashCode());
    assertNotEquals(built, null);
    assertNotEquals(built, "*(u32 *)(r6 + 8) = r7");
  }

  @Test
  void insnToStringOfAnUnprintableInstructionListsTheFields() {
    // exit with an immediate: LLVM's disassembler decodes exit only with imm 0
    assertEquals("Insn{opcode=0x95, dst=0, src=0, offset=0, imm=1}", Insn.of(0x95, 0, 0, 0, 1).toString());
    assertEquals("exit", Insn.of(0x95, 0, 0, 0, 0).toString());
  }

  // ---------------------------------------------------------------------------------------
  // Registers and the printer

  @Test
  void registerNames() {
    assertSame(R10, Register.named("fp"));
    assertSame(R10, Register.FP);
    assertSame(R0, Register.named("r0"));
    assertSame(R10, Register.named("r10"));
    assertSame(R7, Register.of(7));
    assertEquals("r10", R10.asmName());
    assertEquals(10, R10.number());
  }

  @Test
  void unknownRegisterName() {
    for (String name : new String[] {"r11", "R1", "", null}) {
      BpfEventsException e = assertThrows(BpfEventsException.class, () -> Register.named(name));
      assertEquals("unknown-register", e.problem());
      assertEquals(name, e.data().get("register"));
      assertTrue(e.data().containsKey("expected"));
      assertTrue(e.getMessage().contains(String.valueOf(name)), e.getMessage());
    }
  }

  @Test
  void unknownRegisterNumber() {
    for (int n : new int[] {-1, 11}) {
      BpfEventsException e = assertThrows(BpfEventsException.class, () -> Register.of(n));
      assertEquals("unknown-register", e.problem());
      assertEquals(n, e.data().get("value"));
    }
  }

  @Test
  void printerRejectsWhatLlvmCannotDecode() {
    // exit with a register source, ldx in an unassigned mode, a 1-byte atomic, lddw alone
    int[] opcodes = {0x9d, 0xa1, 0xd3, 0x18};
    for (int op : opcodes) {
      Insn insn = Insn.of(op, 0, 0, 0, 0);
      assertFalse(AsmPrinter.canPrint(insn));
      BpfEventsException e = assertThrows(BpfEventsException.class, () -> AsmPrinter.print(insn));
      assertEquals("unsupported-instruction", e.problem());
      assertTrue(e.data().containsKey("expected"));
    }
    BpfEventsException exit = assertThrows(BpfEventsException.class,
        () -> AsmPrinter.print(Insn.of(0x9d, 0, 0, 0, 0)));
    assertTrue(exit.getMessage().contains("opcode=0x9d"), exit.getMessage());
    assertEquals(Insn.of(0x9d, 0, 0, 0, 0), exit.data().get("value"));
  }

  @Test
  void printerRejectsNull() {
    assertFalse(AsmPrinter.canPrint(null));
    BpfEventsException e = assertThrows(BpfEventsException.class, () -> AsmPrinter.print(null));
    assertEquals("unsupported-instruction", e.problem());
  }

  @Test
  void encodeRejectsANullListAndANullElement() {
    BpfEventsException e = assertThrows(BpfEventsException.class, () -> InsnEncoder.encode(null));
    assertEquals("not-an-instruction", e.problem());
    List<Insn> withNull = new ArrayList<>();
    withNull.add(Store.stx(Size.W, R6, 8, R7));
    withNull.add(null);
    BpfEventsException e2 = assertThrows(BpfEventsException.class, () -> InsnEncoder.encode(withNull));
    assertEquals("not-an-instruction", e2.problem());
    assertEquals(1, e2.data().get("index"));
  }

  @Test
  void encoderRejectsNullAndShortInputWithTheLibrarysError() {
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> InsnEncoder.decode(null, 0));
    assertEquals("truncated-instruction", e.problem());
    e = assertThrows(BpfEventsException.class,
        () -> InsnEncoder.encode(null, java.nio.ByteBuffer.allocate(8)));
    assertEquals("not-an-instruction", e.problem());
    e = assertThrows(BpfEventsException.class,
        () -> InsnEncoder.encode(Store.st(Size.B, R1, 0, 0), java.nio.ByteBuffer.allocate(7)));
    assertEquals("buffer-too-small", e.problem());
    assertEquals(7, e.data().get("value"));
  }
}
