package io.github.bpfevents.asm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Notation;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The instruction value: the five fields of the ISA's encoding (RFC 9669), each checked
 * against its width: {@code of} takes them as the ISA defines them (opcode 0..255,
 * registers 0..10, signed 16-bit offset, signed 32-bit immediate), {@code ofBits} also
 * takes the unsigned reading of the same bits and normalises it; one past either edge is
 * refused, naming the field.
 */
class InsnTest {

  @Test
  void theFiveFields() {
    Insn i = Insn.of(0x63, 6, 7, 8, 0);
    assertEquals(0x63, i.opcode());
    assertEquals(6, i.dst());
    assertEquals(7, i.src());
    assertEquals(8, i.offset());
    assertEquals(0, i.imm());
  }

  /** field, value: the edges {@code of} accepts. */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
      "opcode, 0", "opcode, 255",
      "dst, 0", "dst, 10", "src, 0", "src, 10",
      "offset, -32768", "offset, 32767",
      "imm, -2147483648", "imm, 2147483647",
  })
  void ofAcceptsEachRange(String field, long value) {
    Insn i = make(false, field, value);
    assertEquals(value, read(i, field));
  }

  private static final String IMM = "a signed 32-bit immediate, -2147483648 to 2147483647";

  /** field, value, expected: one past each edge of {@code of}. */
  static Stream<Arguments> ofRefuses() {
    return Stream.of(
        Arguments.of("opcode", -1L, "0 to 255"),
        Arguments.of("opcode", 256L, "0 to 255"),
        Arguments.of("dst", -1L, "a register number 0 to 10"),
        Arguments.of("dst", 11L, "a register number 0 to 10"),
        Arguments.of("src", -1L, "a register number 0 to 10"),
        Arguments.of("src", 11L, "a register number 0 to 10"),
        Arguments.of("offset", -32769L, "a signed 16-bit offset, -32768 to 32767"),
        Arguments.of("offset", 32768L, "a signed 16-bit offset, -32768 to 32767"),
        Arguments.of("imm", -2147483649L, IMM),
        Arguments.of("imm", 2147483648L, IMM),
        Arguments.of("imm", Long.MAX_VALUE, IMM));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("ofRefuses")
  void ofRefusesOnePastEachEdge(String field, long value, String expected) {
    BpfEventsException e = assertThrows(BpfEventsException.class, () -> make(false, field, value));
    assertEquals("insn-field-out-of-range", e.problem());
    assertEquals(field, e.data().get("key"));
    assertEquals(value, e.data().get("value"));
    assertEquals(expected, e.data().get("expected"));
    assertEquals("instruction " + field + " " + value + " is out of range; expected " + expected,
        e.getMessage());
    assertEquals("instruction :" + field + " " + value + " is out of range; expected "
        + expected, e.message(Notation.EDN));
  }

  /** field, value given, value held: ofBits reads both the signed and the unsigned bits. */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
      "opcode, -128, 128", "opcode, -73, 183", "opcode, -1, 255", "opcode, 0, 0",
      "opcode, 255, 255",
      "dst, 10, 10", "src, 0, 0",
      "offset, -32768, -32768", "offset, 32767, 32767", "offset, 32768, -32768",
      "offset, 65535, -1", "offset, 65528, -8",
      "imm, -2147483648, -2147483648", "imm, 2147483647, 2147483647",
      "imm, 2147483648, -2147483648", "imm, 4294967295, -1", "imm, 4294967288, -8",
  })
  void ofBitsNormalises(String field, long given, long held) {
    Insn i = make(true, field, given);
    assertEquals(held, read(i, field));
    // the same instruction as of() with the held value
    assertEquals(make(false, field, held), i);
  }

  /** field, value, expected: one past each edge of {@code ofBits}. */
  static Stream<Arguments> ofBitsRefuses() {
    return Stream.of(
        Arguments.of("opcode", -129L, "a byte, -128 to 255"),
        Arguments.of("opcode", 256L, "a byte, -128 to 255"),
        Arguments.of("dst", 11L, "a register number 0 to 10"),
        Arguments.of("src", -1L, "a register number 0 to 10"),
        Arguments.of("offset", -32769L, "16 bits, -32768 to 65535"),
        Arguments.of("offset", 65536L, "16 bits, -32768 to 65535"),
        Arguments.of("imm", -2147483649L, "32 bits, -2147483648 to 4294967295"),
        Arguments.of("imm", 4294967296L, "32 bits, -2147483648 to 4294967295"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("ofBitsRefuses")
  void ofBitsRefusesOnePastEachEdge(String field, long value, String expected) {
    BpfEventsException e = assertThrows(BpfEventsException.class, () -> make(true, field, value));
    assertEquals("insn-field-out-of-range", e.problem());
    assertEquals(field, e.data().get("key"));
    assertEquals(value, e.data().get("value"));
    assertEquals(expected, e.data().get("expected"));
  }

  @Test
  void theFirstFieldOutOfRangeIsNamed() {
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> Insn.of(256, 11, 11, 1 << 20, 1L << 40));
    assertEquals("opcode", e.data().get("key"));
    BpfEventsException regs = assertThrows(BpfEventsException.class,
        () -> Insn.ofBits(0, 0, 11, 1 << 20, 1L << 40));
    assertEquals("src", regs.data().get("key"));
  }

  @Test
  void equalWhenTheFiveFieldsAre() {
    assertEquals(Insn.of(0xb7, 0, 0, 0, 0), Insn.of(0xb7, 0, 0, 0, 0));
    assertEquals(Insn.of(0xb7, 0, 0, 0, 0).hashCode(), Insn.of(0xb7, 0, 0, 0, 0).hashCode());
    assertEquals(Insn.of(0xb7, 1, 0, 0, -1), Insn.ofBits(-73, 1, 0, 0, 0xffffffffL));
    assertNotEquals(Insn.of(0xb7, 0, 0, 0, 0), Insn.of(0xb7, 0, 0, 0, 1));
    assertNotEquals(Insn.of(0xb7, 0, 0, 0, 0), Insn.of(0xb7, 1, 0, 0, 0));
    assertNotEquals(Insn.of(0xb7, 0, 0, 0, 0), Insn.of(0xb7, 0, 1, 0, 0));
    assertNotEquals(Insn.of(0xb7, 0, 0, 0, 0), Insn.of(0xb7, 0, 0, 1, 0));
    assertNotEquals(Insn.of(0xb7, 0, 0, 0, 0), Insn.of(0xbf, 0, 0, 0, 0));
    assertNotEquals(Insn.of(0xb7, 0, 0, 0, 0), null);
    assertNotEquals(Insn.of(0xb7, 0, 0, 0, 0), "r0 = 0");
  }

  @Test
  void toStringIsTheAssemblerTextWhereThereIsOne() {
    assertEquals("exit", Insn.of(0x95, 0, 0, 0, 0).toString());
    assertEquals("*(u32 *)(r6 + 8) = r7", Insn.of(0x63, 6, 7, 8, 0).toString());
    assertEquals("r0 = 0", Insn.of(0xb7, 0, 0, 0, 0).toString());
    // the first slot of lddw is printed with its second: alone it shows its fields
    assertEquals("Insn{opcode=0x18, dst=1, src=0, offset=0, imm=5}",
        Insn.of(0x18, 1, 0, 0, 5).toString());
  }

  private static Insn make(boolean bits, String field, long v) {
    long opcode = field.equals("opcode") ? v : 0x95;
    long dst = field.equals("dst") ? v : 0;
    long src = field.equals("src") ? v : 0;
    long offset = field.equals("offset") ? v : 0;
    long imm = field.equals("imm") ? v : 0;
    return bits ? Insn.ofBits(opcode, dst, src, offset, imm)
        : Insn.of(opcode, dst, src, offset, imm);
  }

  private static long read(Insn i, String field) {
    return switch (field) {
      case "opcode" -> i.opcode();
      case "dst" -> i.dst();
      case "src" -> i.src();
      case "offset" -> i.offset();
      default -> i.imm();
    };
  }

  @Test
  void theFieldsAsLongsOrNarrowAsCljEbpfHoldsThem() {
    Insn mov = Insn.of(0xb7, 1, 0, -1, -2);
    assertEquals(java.util.List.of(0xb7L, 1L, 0L, -1L, -2L), mov.values(false));
    java.util.List<Number> narrow = mov.values(true);
    // clj-ebpf's make-instruction: (unchecked-byte opcode), (byte dst), (byte src),
    // (short offset), (int imm)
    assertEquals(java.util.List.of((byte) -73, (byte) 1, (byte) 0, (short) -1, -2), narrow);
    assertEquals(java.util.List.of(Byte.class, Byte.class, Byte.class, Short.class, Integer.class),
        narrow.stream().map(Object::getClass).toList());
    assertEquals(java.util.List.of(Long.class), mov.values(false).stream()
        .map(Object::getClass).distinct().toList());
    Insn wide = Insn.of(0xff, 10, 10, Short.MIN_VALUE, Integer.MIN_VALUE);
    assertEquals(java.util.List.of((byte) -1, (byte) 10, (byte) 10, Short.MIN_VALUE,
        Integer.MIN_VALUE), wide.values(true));
    assertEquals(wide, Insn.ofBits(-1, 10, 10, Short.MIN_VALUE, Integer.MIN_VALUE),
        "the narrow fields read back as the same instruction");
  }
}
