package io.github.bpfevents.asm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.bpfevents.BpfEventsException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Instructions as bytes: each slot is 8 bytes, little-endian, as {@code struct bpf_insn}
 * on {@code bpfel} (opcode; src in the high nibble and dst in the low nibble of byte 1;
 * offset in bytes 2-3; imm in bytes 4-7). The expected bytes are written out by hand from
 * the ISA (RFC 9669), never computed by the encoder; decoding gives the instructions back.
 * Also the errors: null elements, more than {@code MAX_INSNS}, a read-only or too small
 * buffer, a truncated slot.
 */
class InsnEncoderTest {
  private static byte[] hex(String s) {
    return HexFormat.ofDelimiter(" ").parseHex(s);
  }

  /** The instruction, its bytes, what it is in the ISA's words. */
  static Stream<Arguments> slots() {
    return Stream.of(
        // JMP (0x05) | EXIT (0x90)
        Arguments.of(Insn.of(0x95, 0, 0, 0, 0), "95 00 00 00 00 00 00 00", "exit"),
        // ALU64 (0x07) | MOV (0xb0) | K (0x00): r0 = 0
        Arguments.of(Insn.of(0xb7, 0, 0, 0, 0), "b7 00 00 00 00 00 00 00", "r0 = 0"),
        // ALU64 | MOV | X (0x08): r1 = r10, src 10 in the high nibble
        Arguments.of(Insn.of(0xbf, 1, 10, 0, 0), "bf a1 00 00 00 00 00 00", "r1 = r10"),
        // ALU64 | ADD (0x00) | K: r2 += -8, imm two's complement
        Arguments.of(Insn.of(0x07, 2, 0, 0, -8), "07 02 00 00 f8 ff ff ff", "r2 += -8"),
        // STX (0x03) | W (0x00) | MEM (0x60): *(u32 *)(r6 + 8) = r7
        Arguments.of(Insn.of(0x63, 6, 7, 8, 0), "63 76 08 00 00 00 00 00", "stx w"),
        // ST (0x02) | DW (0x18) | MEM: *(u64 *)(r10 - 8) = 1, offset two's complement
        Arguments.of(Insn.of(0x7a, 10, 0, -8, 1), "7a 0a f8 ff 01 00 00 00", "st dw"),
        // JMP | JA (0x00): goto -1
        Arguments.of(Insn.of(0x05, 0, 0, -1, 0), "05 00 ff ff 00 00 00 00", "goto -1"),
        // JMP | JEQ (0x10) | X: if r1 == r2 goto +3
        Arguments.of(Insn.of(0x1d, 1, 2, 3, 0), "1d 21 03 00 00 00 00 00", "jeq"),
        // JMP | CALL (0x80): call 1
        Arguments.of(Insn.of(0x85, 0, 0, 0, 1), "85 00 00 00 01 00 00 00", "call 1"),
        // LD (0x00) | IMM (0x00) | DW (0x18), first slot of r1 = 0x100000002 ll
        Arguments.of(Insn.of(0x18, 1, 0, 0, 2), "18 01 00 00 02 00 00 00", "lddw"),
        // its second slot: the high 32 bits
        Arguments.of(Insn.of(0x00, 0, 0, 0, 1), "00 00 00 00 01 00 00 00", "lddw high"),
        // the extremes of every field
        Arguments.of(Insn.of(0xff, 10, 10, -32768, Integer.MIN_VALUE),
            "ff aa 00 80 00 00 00 80", "extremes"),
        Arguments.of(Insn.of(0x00, 0, 0, 32767, Integer.MAX_VALUE),
            "00 00 ff 7f ff ff ff 7f", "extremes"),
        Arguments.of(Insn.of(0x07, 0, 0, 0, 0x12345678), "07 00 00 00 78 56 34 12",
            "imm byte order"));
  }

  @ParameterizedTest(name = "{2}")
  @MethodSource("slots")
  void theBytesOfOneInstruction(Insn insn, String bytes, String what) {
    assertArrayEquals(hex(bytes), InsnEncoder.encode(List.of(insn)));
    assertEquals(insn, InsnEncoder.decode(hex(bytes), 0));
  }

  @Test
  void instructionsBackToBack() {
    List<Insn> program = new ArrayList<>();
    List<String> bytes = new ArrayList<>();
    slots().forEach(a -> {
      program.add((Insn) a.get()[0]);
      bytes.add((String) a.get()[1]);
    });
    byte[] code = InsnEncoder.encode(program);
    assertArrayEquals(hex(String.join(" ", bytes)), code);
    assertEquals(8 * program.size(), code.length);
    for (int k = 0; k < program.size(); k++) {
      assertEquals(program.get(k), InsnEncoder.decode(code, 8 * k));
    }
    assertArrayEquals(new byte[0], InsnEncoder.encode(List.of()));
  }

  @Test
  void encodeIntoABufferAtItsPosition() {
    for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
      ByteBuffer b = ByteBuffer.allocate(20).order(order);
      b.position(3);
      InsnEncoder.encode(Insn.of(0x7a, 10, 0, -8, 1), b);
      assertEquals(11, b.position());
      byte[] want = new byte[20];
      System.arraycopy(hex("7a 0a f8 ff 01 00 00 00"), 0, want, 3, 8);
      assertArrayEquals(want, b.array(), order.toString());
    }
    ByteBuffer exact = ByteBuffer.allocate(8);
    InsnEncoder.encode(Insn.of(0x95, 0, 0, 0, 0), exact);
    assertEquals(0, exact.remaining());
  }

  @Test
  void decodeAtAnOffset() {
    byte[] b = hex("ee ee ee 63 76 08 00 00 00 00 00 ee");
    assertEquals(Insn.of(0x63, 6, 7, 8, 0), InsnEncoder.decode(b, 3));
  }

  // ---------------------------------------------------------------------------------------
  // Errors

  @Test
  void aNullElementIsNamedByItsIndex() {
    List<Insn> program = Arrays.asList(Insn.of(0xb7, 0, 0, 0, 0), null, Insn.of(0x95, 0, 0, 0, 0));
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> InsnEncoder.encode(program));
    assertEquals("not-an-instruction", e.problem());
    assertEquals(1, e.data().get("index"));
    assertEquals("element 1 is null; expected an instruction", e.getMessage());
    assertEquals("not-an-instruction", assertThrows(BpfEventsException.class,
        () -> InsnEncoder.encode((List<Insn>) null)).problem());
    assertEquals("not-an-instruction", assertThrows(BpfEventsException.class,
        () -> InsnEncoder.encode(null, ByteBuffer.allocate(8))).problem());
  }

  /** A program of n copies of exit, without n objects. */
  private static List<Insn> exits(int n) {
    Insn exit = Insn.of(0x95, 0, 0, 0, 0);
    return new AbstractList<>() {
      @Override
      public Insn get(int index) {
        return exit;
      }

      @Override
      public int size() {
        return n;
      }
    };
  }

  @Test
  void theKernelsLimitOnAProgramsLength() {
    assertEquals(1_000_000, InsnEncoder.MAX_INSNS);
    byte[] most = InsnEncoder.encode(exits(InsnEncoder.MAX_INSNS));
    assertEquals(8_000_000, most.length);
    assertEquals((byte) 0x95, most[most.length - 8]);
    BpfEventsException e = assertTimeoutPreemptively(Duration.ofSeconds(2),
        () -> assertThrows(BpfEventsException.class,
            () -> InsnEncoder.encode(exits(InsnEncoder.MAX_INSNS + 1))));
    assertEquals("too-many-instructions", e.problem());
    assertEquals(1_000_001, e.data().get("value"));
    assertEquals("1000001 instructions are too many; expected at most 1000000 instructions,"
        + " the kernel's limit", e.getMessage());
    assertEquals("too-many-instructions", assertThrows(BpfEventsException.class,
        () -> InsnEncoder.encode(exits(Integer.MAX_VALUE))).problem());
  }

  @Test
  void aReadOnlyBufferIsRefused() {
    ByteBuffer b = ByteBuffer.allocate(16).asReadOnlyBuffer();
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> InsnEncoder.encode(Insn.of(0x95, 0, 0, 0, 0), b));
    assertEquals("read-only-buffer", e.problem());
    assertEquals("a writable buffer", e.data().get("expected"));
    assertEquals(0, b.position());
  }

  @Test
  void aBufferTooSmall() {
    ByteBuffer b = ByteBuffer.allocate(16);
    b.position(9);
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> InsnEncoder.encode(Insn.of(0x95, 0, 0, 0, 0), b));
    assertEquals("buffer-too-small", e.problem());
    assertEquals(7, e.data().get("value"));
    assertEquals("buffer has 7 bytes remaining; expected at least 8 bytes remaining",
        e.getMessage());
    assertEquals(9, b.position());
    BpfEventsException none = assertThrows(BpfEventsException.class,
        () -> InsnEncoder.encode(Insn.of(0x95, 0, 0, 0, 0), null));
    assertEquals("buffer-too-small", none.problem());
    assertNull(none.data().get("value"));
  }

  @Test
  void aTruncatedSlot() {
    byte[] seven = new byte[7];
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> InsnEncoder.decode(seven, 0));
    assertEquals("truncated-instruction", e.problem());
    assertEquals(0, e.data().get("value"));
    assertEquals(7, e.data().get("length"));
    assertEquals("no instruction at byte 0 of 7 bytes; expected 8 bytes from the offset",
        e.getMessage());
    assertEquals("truncated-instruction", assertThrows(BpfEventsException.class,
        () -> InsnEncoder.decode(new byte[16], 9)).problem());
    assertEquals("truncated-instruction", assertThrows(BpfEventsException.class,
        () -> InsnEncoder.decode(new byte[16], -1)).problem());
    assertEquals("truncated-instruction", assertThrows(BpfEventsException.class,
        () -> InsnEncoder.decode(new byte[16], Integer.MAX_VALUE)).problem());
    assertEquals("truncated-instruction", assertThrows(BpfEventsException.class,
        () -> InsnEncoder.decode(null, 0)).problem());
  }

  @Test
  void aRegisterNibbleAbove10IsNoInstruction() {
    // the register byte can hold 0 to 15; registers are 0 to 10
    BpfEventsException dst = assertThrows(BpfEventsException.class,
        () -> InsnEncoder.decode(hex("b7 0b 00 00 00 00 00 00"), 0));
    assertEquals("insn-field-out-of-range", dst.problem());
    assertEquals("dst", dst.data().get("key"));
    assertEquals(11L, dst.data().get("value"));
    BpfEventsException src = assertThrows(BpfEventsException.class,
        () -> InsnEncoder.decode(hex("bf f0 00 00 00 00 00 00"), 0));
    assertEquals("src", src.data().get("key"));
    assertEquals(15L, src.data().get("value"));
  }
}
