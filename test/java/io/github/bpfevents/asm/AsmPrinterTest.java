package io.github.bpfevents.asm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Notation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The printer's text for every kind of instruction, table-driven: each row is an encoding
 * (8 bytes, or 16 for {@code lddw}) and the text that {@code llvm-mc-19 -disassemble
 * -triple=bpfel -mcpu=v4} prints for it, without alu32 ({@code -mattr=-alu32}, the default
 * dialect) and with it. {@code NONE} stands where LLVM cannot decode the encoding
 * ({@code warning: invalid instruction encoding}). Expected texts are literals, copied from
 * LLVM's output; {@link LlvmDisassemblyTest} checks thousands more against LLVM itself.
 */
class AsmPrinterTest {
  private static final String NONE = null;

  /** One row: the encoding (hex), LLVM's text without and with alu32, NONE if refused. */
  record Row(String hex, String noAlu32, String alu32) {
    @Override
    public String toString() {
      return hex + " " + (noAlu32 == null ? "(refused)" : noAlu32);
    }

    String text(AsmDialect dialect) {
      return dialect == AsmDialect.ALU32 ? alu32 : noAlu32;
    }

    List<Insn> slots() {
      byte[] b = StoreTest.hex(hex);
      List<Insn> slots = new ArrayList<>();
      for (int at = 0; at < b.length; at += 8) {
        slots.add(InsnEncoder.decode(b, at));
      }
      return slots;
    }
  }

  private static Row row(String hex, String text) {
    return new Row(hex, text, text);
  }

  private static Row row(String hex, String noAlu32, String alu32) {
    return new Row(hex, noAlu32, alu32);
  }

  static final List<Row> ROWS = List.of(
      // ALU and ALU64, K and X sources
      row("07 01 00 00 05 00 00 00", "r1 += 5"),
      row("04 01 00 00 05 00 00 00", "w1 += 5"),
      row("0f 21 00 00 00 00 00 00", "r1 += r2"),
      row("0c 21 00 00 00 00 00 00", "w1 += w2"),
      row("07 a1 00 00 05 00 00 00", "r1 += 5"),
      row("17 03 00 00 ff ff ff ff", "r3 -= -1"),
      row("1c 43 00 00 00 00 00 00", "w3 -= w4"),
      row("27 05 00 00 00 00 00 80", "r5 *= -2147483648"),
      row("2f 65 00 00 00 00 00 00", "r5 *= r6"),
      row("34 01 00 00 03 00 00 00", "w1 /= 3"),
      row("3f 21 00 00 00 00 00 00", "r1 /= r2"),
      row("44 07 00 00 ff ff ff 7f", "w7 |= 2147483647"),
      row("4f 87 00 00 00 00 00 00", "r7 |= r8"),
      row("54 09 00 00 ff 00 00 00", "w9 &= 255"),
      row("5f a9 00 00 00 00 00 00", "r9 &= r10"),
      row("64 0a 00 00 1f 00 00 00", "w10 <<= 31"),
      row("67 01 00 00 3f 00 00 00", "r1 <<= 63"),
      row("74 01 00 00 01 00 00 00", "w1 >>= 1"),
      row("7f 21 00 00 00 00 00 00", "r1 >>= r2"),
      row("94 01 00 00 07 00 00 00", "w1 %= 7"),
      row("9c 21 00 00 00 00 00 00", "w1 %= w2"),
      row("a7 01 00 00 fe ff ff ff", "r1 ^= -2"),
      row("ac 21 00 00 00 00 00 00", "w1 ^= w2"),
      row("c4 01 00 00 05 00 00 00", "w1 s>>= 5"),
      row("cf 21 00 00 00 00 00 00", "r1 s>>= r2"),
      // signed division and modulo: offset 1
      row("37 01 01 00 fd ff ff ff", "r1 s/= -3"),
      row("3c 31 01 00 00 00 00 00", "w1 s/= w3"),
      row("97 01 01 00 07 00 00 00", "r1 s%= 7"),
      row("9f 21 01 00 00 00 00 00", "r1 s%= r2"),
      // neg: only dst is read
      row("87 01 00 00 00 00 00 00", "r1 = -r1"),
      row("84 05 00 00 00 00 00 00", "w5 = -w5"),
      row("87 a1 07 00 09 00 00 00", "r1 = -r1"),
      // mov, movsx (offset 8, 16, 32), addr_space_cast (offset 1)
      row("b7 01 00 00 ff ff ff ff", "r1 = -1"),
      row("b4 01 00 00 ff ff ff 7f", "w1 = 2147483647"),
      row("bf 21 00 00 00 00 00 00", "r1 = r2"),
      row("bc 21 00 00 00 00 00 00", "w1 = w2"),
      row("bf 21 08 00 00 00 00 00", "r1 = (s8)r2"),
      row("bf 21 10 00 00 00 00 00", "r1 = (s16)r2"),
      row("bf 21 20 00 00 00 00 00", "r1 = (s32)r2"),
      row("bc 21 08 00 00 00 00 00", "w1 = (s8)w2"),
      row("bc 21 10 00 00 00 00 00", "w1 = (s16)w2"),
      row("bf 21 01 00 01 00 ff ff", "r1 = addr_space_cast(r2, 65535, 1)"),
      // byte swaps
      row("d4 01 00 00 10 00 00 00", "r1 = le16 r1"),
      row("d4 01 00 00 20 00 00 00", "r1 = le32 r1"),
      row("dc 01 00 00 40 00 00 00", "r1 = be64 r1"),
      row("d7 01 00 00 10 00 00 00", "r1 = bswap16 r1"),
      row("d7 02 00 00 20 00 00 00", "r2 = bswap32 r2"),
      row("d7 03 00 00 40 00 00 00", "r3 = bswap64 r3"),
      // jumps
      row("05 00 03 00 00 00 00 00", "goto +3"),
      row("05 00 00 80 00 00 00 00", "goto -32768"),
      row("06 00 00 00 70 11 01 00", "gotol +70000"),
      row("06 00 00 00 ff ff ff ff", "gotol -1"),
      row("15 01 03 00 05 00 00 00", "if r1 == 5 goto +3"),
      row("1d 21 ff ff 00 00 00 00", "if r1 == r2 goto -1"),
      row("16 01 03 00 05 00 00 00", "if w1 == 5 goto +3"),
      row("1e 21 03 00 00 00 00 00", "if w1 == w2 goto +3"),
      row("25 01 01 00 ff ff ff ff", "if r1 > -1 goto +1"),
      row("2d 21 01 00 00 00 00 00", "if r1 > r2 goto +1"),
      row("35 01 01 00 00 00 00 00", "if r1 >= 0 goto +1"),
      row("3e 21 01 00 00 00 00 00", "if w1 >= w2 goto +1"),
      row("45 01 01 00 04 00 00 00", "if r1 & 4 goto +1"),
      row("4e 21 01 00 00 00 00 00", "if w1 & w2 goto +1"),
      row("55 01 01 00 00 00 00 00", "if r1 != 0 goto +1"),
      row("5d 21 01 00 00 00 00 00", "if r1 != r2 goto +1"),
      row("65 01 01 00 00 00 00 00", "if r1 s> 0 goto +1"),
      row("6d 21 01 00 00 00 00 00", "if r1 s> r2 goto +1"),
      row("76 01 01 00 00 00 00 00", "if w1 s>= 0 goto +1"),
      row("7d 21 01 00 00 00 00 00", "if r1 s>= r2 goto +1"),
      row("a5 01 01 00 00 00 00 00", "if r1 < 0 goto +1"),
      row("ad 21 01 00 00 00 00 00", "if r1 < r2 goto +1"),
      row("b6 01 01 00 00 00 00 00", "if w1 <= 0 goto +1"),
      row("bd 21 01 00 00 00 00 00", "if r1 <= r2 goto +1"),
      row("c5 01 01 00 00 00 00 80", "if r1 s< -2147483648 goto +1"),
      row("cd 21 01 00 00 00 00 00", "if r1 s< r2 goto +1"),
      row("d5 01 ff 7f 00 00 00 00", "if r1 s<= 0 goto +32767"),
      row("de 21 01 00 00 00 00 00", "if w1 s<= w2 goto +1"),
      row("85 00 00 00 01 00 00 00", "call 1"),
      row("85 10 00 00 05 00 00 00", "call 5"),
      row("85 20 00 00 ff ff ff ff", "call -1"),
      row("8d 02 00 00 00 00 00 00", "callx r2"),
      row("95 00 00 00 00 00 00 00", "exit"),
      row("e5 00 02 00 00 00 00 00", "may_goto +2"),
      // lddw and its pseudo forms
      row("18 01 00 00 05 00 00 00 00 00 00 00 00 00 00 00", "r1 = 5 ll"),
      row("18 01 00 00 00 00 00 00 00 00 00 00 01 00 00 00", "r1 = 4294967296 ll"),
      row("18 01 00 00 ff ff ff ff 00 00 00 00 ff ff ff ff", "r1 = -1 ll"),
      row("18 02 00 00 00 00 00 00 00 00 00 00 00 00 00 80", "r2 = -9223372036854775808 ll"),
      row("18 11 00 00 03 00 00 00 00 00 00 00 00 00 00 00", "ld_pseudo\tr1, 1, 3"),
      row("18 21 00 00 10 00 00 00 00 00 00 00 08 00 00 00", "ld_pseudo\tr1, 2, 16"),
      row("18 31 00 00 ff ff ff ff 00 00 00 00 00 00 00 00", "ld_pseudo\tr1, 3, 4294967295"),
      row("18 41 00 00 02 00 00 00 00 00 00 00 00 00 00 00", "ld_pseudo\tr1, 4, 2"),
      row("18 51 00 00 00 00 00 00 00 00 00 00 00 00 00 00", "ld_pseudo\tr1, 5, 0"),
      row("18 61 00 00 01 00 00 00 00 00 00 00 04 00 00 00", "ld_pseudo\tr1, 6, 1"),
      // legacy packet loads
      row("20 00 00 00 0c 00 00 00", "r0 = *(u32 *)skb[12]"),
      row("28 00 00 00 0c 00 00 00", "r0 = *(u16 *)skb[12]"),
      row("30 00 00 00 ff ff ff ff", "r0 = *(u8 *)skb[-1]"),
      row("40 70 00 00 00 00 00 00", "r0 = *(u32 *)skb[r7]"),
      row("48 70 00 00 00 00 00 00", "r0 = *(u16 *)skb[r7]"),
      row("50 73 05 00 09 00 00 00", "r0 = *(u8 *)skb[r7]"),
      // ldx, ldsx
      row("61 21 04 00 00 00 00 00", "r1 = *(u32 *)(r2 + 4)", "w1 = *(u32 *)(r2 + 4)"),
      row("69 21 fe ff 00 00 00 00", "r1 = *(u16 *)(r2 - 2)", "w1 = *(u16 *)(r2 - 2)"),
      row("71 21 00 00 00 00 00 00", "r1 = *(u8 *)(r2 + 0)", "w1 = *(u8 *)(r2 + 0)"),
      row("79 a1 f8 ff 00 00 00 00", "r1 = *(u64 *)(r10 - 8)"),
      row("81 21 04 00 00 00 00 00", "r1 = *(s32 *)(r2 + 4)"),
      row("89 21 fe ff 00 00 00 00", "r1 = *(s16 *)(r2 - 2)"),
      row("91 21 00 80 00 00 00 00", "r1 = *(s8 *)(r2 - 32768)"),
      // st, stx
      row("62 06 08 00 07 00 00 00", "*(u32 *)(r6 + 8) = 7"),
      row("6a 06 24 00 01 00 00 00", "*(u16 *)(r6 + 36) = 1"),
      row("72 06 18 00 06 00 00 00", "*(u8 *)(r6 + 24) = 6"),
      row("7a 0a f8 ff 01 00 00 00", "*(u64 *)(r10 - 8) = 1"),
      row("63 76 08 00 00 00 00 00", "*(u32 *)(r6 + 8) = r7", "*(u32 *)(r6 + 8) = w7"),
      row("6b 16 24 00 00 00 00 00", "*(u16 *)(r6 + 36) = r1", "*(u16 *)(r6 + 36) = w1"),
      row("73 16 18 00 00 00 00 00", "*(u8 *)(r6 + 24) = r1", "*(u8 *)(r6 + 24) = w1"),
      row("7b 1a f8 ff 00 00 00 00", "*(u64 *)(r10 - 8) = r1"),
      // atomics, 64-bit
      row("db 21 08 00 00 00 00 00", "lock *(u64 *)(r1 + 8) += r2"),
      row("db 21 08 00 40 00 00 00", "lock *(u64 *)(r1 + 8) |= r2"),
      row("db 21 08 00 50 00 00 00", "lock *(u64 *)(r1 + 8) &= r2"),
      row("db 21 08 00 a0 00 00 00", "lock *(u64 *)(r1 + 8) ^= r2"),
      row("db 21 08 00 01 00 00 00", "r2 = atomic_fetch_add((u64 *)(r1 + 8), r2)"),
      row("db 21 08 00 41 00 00 00", "r2 = atomic_fetch_or((u64 *)(r1 + 8), r2)"),
      row("db 21 08 00 51 00 00 00", "r2 = atomic_fetch_and((u64 *)(r1 + 8), r2)"),
      row("db 21 08 00 a1 00 00 00", "r2 = atomic_fetch_xor((u64 *)(r1 + 8), r2)"),
      row("db 21 08 00 e1 00 00 00", "r2 = xchg_64(r1 + 8, r2)"),
      row("db 21 08 00 f1 00 00 00", "r0 = cmpxchg_64(r1 + 8, r0, r2)"),
      row("db 21 08 00 0f 00 00 00", "lock *(u64 *)(r1 + 8) += r2"),
      // atomics, 32-bit
      row("c3 21 08 00 00 00 00 00", "lock *(u32 *)(r1 + 8) += r2", "lock *(u32 *)(r1 + 8) += w2"),
      row("c3 21 08 00 01 00 00 00", "lock *(u32 *)(r1 + 8) += r2", "w2 = atomic_fetch_add((u32 *)(r1 + 8), w2)"),
      row("c3 21 08 00 40 00 00 00", NONE, "lock *(u32 *)(r1 + 8) |= w2"),
      row("c3 21 08 00 41 00 00 00", NONE, "w2 = atomic_fetch_or((u32 *)(r1 + 8), w2)"),
      row("c3 21 08 00 50 00 00 00", NONE, "lock *(u32 *)(r1 + 8) &= w2"),
      row("c3 21 08 00 51 00 00 00", NONE, "w2 = atomic_fetch_and((u32 *)(r1 + 8), w2)"),
      row("c3 21 08 00 a0 00 00 00", NONE, "lock *(u32 *)(r1 + 8) ^= w2"),
      row("c3 21 08 00 a1 00 00 00", NONE, "w2 = atomic_fetch_xor((u32 *)(r1 + 8), w2)"),
      row("c3 21 08 00 e1 00 00 00", NONE, "w2 = xchg32_32(r1 + 8, w2)"),
      row("c3 21 08 00 f1 00 00 00", NONE, "w0 = cmpxchg32_32(r1 + 8, w0, w2)"),
      // refused
      row("00 00 00 00 00 00 00 00", NONE),
      row("07 01 01 00 05 00 00 00", NONE),
      row("8c 01 00 00 00 00 00 00", NONE),
      row("bc 21 20 00 00 00 00 00", NONE),
      row("bc 21 01 00 00 00 00 00", NONE),
      row("b7 01 08 00 00 00 00 00", NONE),
      row("bf 21 02 00 00 00 00 00", NONE),
      row("d4 01 00 00 08 00 00 00", NONE),
      row("df 01 00 00 10 00 00 00", NONE),
      row("e7 01 00 00 00 00 00 00", NONE),
      row("f4 01 00 00 00 00 00 00", NONE),
      row("0d 00 00 00 00 00 00 00", NONE),
      row("0e 00 00 00 00 00 00 00", NONE),
      row("86 00 00 00 01 00 00 00", NONE),
      row("96 00 00 00 00 00 00 00", NONE),
      row("9d 00 00 00 00 00 00 00", NONE),
      row("95 00 00 00 01 00 00 00", NONE),
      row("e6 00 00 00 00 00 00 00", NONE),
      row("ed 00 00 00 00 00 00 00", NONE),
      row("f5 00 00 00 00 00 00 00", NONE),
      row("38 00 00 00 00 00 00 00", NONE),
      row("58 00 00 00 00 00 00 00", NONE),
      row("60 00 00 00 00 00 00 00", NONE),
      row("08 00 00 00 00 00 00 00", NONE),
      row("99 21 00 00 00 00 00 00", NONE),
      row("a1 21 00 00 00 00 00 00", NONE),
      row("c1 21 00 00 00 00 00 00", NONE),
      row("82 01 00 00 00 00 00 00", NONE),
      row("d3 21 00 00 00 00 00 00", NONE),
      row("cb 21 00 00 00 00 00 00", NONE),
      row("db 21 00 00 10 00 00 00", NONE),
      row("db 21 00 00 e0 00 00 00", NONE),
      row("db 21 00 00 f0 00 00 00", NONE),
      row("18 01 01 00 00 00 00 00 00 00 00 00 00 00 00 00", NONE));

  static Stream<Row> rows() {
    return ROWS.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void printsWhatLlvmPrintsInBothDialects(Row r) {
    List<Insn> slots = r.slots();
    for (AsmDialect dialect : AsmDialect.values()) {
      String expected = r.text(dialect);
      if (expected == null) {
        BpfEventsException e = assertThrows(BpfEventsException.class,
            () -> AsmPrinter.printAll(slots, dialect), dialect.toString());
        assertUnsupported(e, slots.get(0));
        assertEquals(0, e.data().get("index"));
      } else {
        assertEquals(List.of(expected), AsmPrinter.printAll(slots, dialect), dialect.toString());
      }
      if (slots.size() == 1) {
        Insn insn = slots.get(0);
        assertEquals(expected != null, AsmPrinter.canPrint(insn, dialect), dialect.toString());
        if (expected == null) {
          assertUnsupported(assertThrows(BpfEventsException.class,
              () -> AsmPrinter.print(insn, dialect)), insn);
        } else {
          assertEquals(expected, AsmPrinter.print(insn, dialect), dialect.toString());
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void theDefaultDialectIsTheOneWithoutAlu32(Row r) {
    List<Insn> slots = r.slots();
    if (r.noAlu32() == null) {
      assertThrows(BpfEventsException.class, () -> AsmPrinter.printAll(slots));
    } else {
      assertEquals(List.of(r.noAlu32()), AsmPrinter.printAll(slots));
    }
    if (slots.size() == 1) {
      Insn insn = slots.get(0);
      assertEquals(r.noAlu32() != null, AsmPrinter.canPrint(insn));
      if (r.noAlu32() != null) {
        assertEquals(r.noAlu32(), AsmPrinter.print(insn));
        assertEquals(r.noAlu32(), insn.toString(), "Insn.toString is the default text");
      } else {
        assertTrue(insn.toString().startsWith("Insn{opcode="), insn.toString());
      }
    }
  }

  private static void assertUnsupported(BpfEventsException e, Insn insn) {
    assertEquals("unsupported-instruction", e.problem());
    String fields = String.format("Insn{opcode=0x%02x, dst=%d, src=%d, offset=%d, imm=%d}",
        insn.opcode(), insn.dst(), insn.src(), insn.offset(), insn.imm());
    assertEquals(insn, e.data().get("value"));
    assertTrue(e.getMessage().contains(fields), e.getMessage());
    assertTrue(e.message(Notation.EDN).contains(String.format(
        "{:opcode 0x%02x, :dst %d, :src %d, :offset %d, :imm %d}",
        insn.opcode(), insn.dst(), insn.src(), insn.offset(), insn.imm())),
        e.message(Notation.EDN));
    assertTrue(e.data().get("expected") instanceof String, e.data().toString());
    assertTrue(e.getMessage().contains(fields), "message names the instruction: " + e.getMessage());
    assertTrue(e.getMessage().contains("expected " + e.data().get("expected")), e.getMessage());
  }

  @Test
  void theTableCoversEveryClassAndKind() {
    Set<InsnClass> classes = EnumSet.noneOf(InsnClass.class);
    Set<AluOp> alu = EnumSet.noneOf(AluOp.class);
    Set<JumpOp> jumps = EnumSet.noneOf(JumpOp.class);
    Set<AtomicOp> atomics = EnumSet.noneOf(AtomicOp.class);
    for (Row r : ROWS) {
      Insn insn = r.slots().get(0);
      if (r.alu32() == null) {
        continue;
      }
      InsnClass cls = InsnClass.ofOpcode(insn.opcode());
      classes.add(cls);
      if (cls == InsnClass.ALU || cls == InsnClass.ALU64) {
        alu.add(AluOp.ofOpcode(insn.opcode()));
      } else if (cls == InsnClass.JMP || cls == InsnClass.JMP32) {
        jumps.add(JumpOp.ofOpcode(insn.opcode()));
      } else if (Mode.ofOpcode(insn.opcode()) == Mode.ATOMIC) {
        atomics.add(AtomicOp.ofImm(insn.imm()));
      }
    }
    assertEquals(EnumSet.allOf(InsnClass.class), classes);
    assertEquals(EnumSet.allOf(AluOp.class), alu);
    assertEquals(EnumSet.allOf(JumpOp.class), jumps);
    assertEquals(EnumSet.allOf(AtomicOp.class), atomics);
    assertTrue(ROWS.size() > 150, "rows: " + ROWS.size());
  }

  // ---------------------------------------------------------------------------------------
  // Sequences and lddw

  @Test
  void printAllPrintsOneLinePerInstructionAndLddwAsOne() {
    List<Insn> program = List.of(
        Insn.of(0x18, 1, 1, 0, 3), Insn.of(0, 0, 0, 0, 0),       // ld_pseudo r1, 1, 3
        Insn.of(0xb7, 2, 0, 0, 16),                                 // r2 = 16
        Insn.of(0x18, 3, 0, 0, 0), Insn.of(0, 0, 0, 0, 1),        // r3 = 2^32 ll
        Store.stx(Size.W, Register.R6, 8, Register.R7),
        Insn.of(0x85, 0, 0, 0, 131),
        Insn.of(0x95, 0, 0, 0, 0));
    assertEquals(List.of("ld_pseudo\tr1, 1, 3", "r2 = 16", "r3 = 4294967296 ll",
        "*(u32 *)(r6 + 8) = r7", "call 131", "exit"), AsmPrinter.printAll(program));
    assertEquals(List.of("ld_pseudo\tr1, 1, 3", "r2 = 16", "r3 = 4294967296 ll",
        "*(u32 *)(r6 + 8) = w7", "call 131", "exit"),
        AsmPrinter.printAll(program, AsmDialect.ALU32));
    assertEquals(List.of(), AsmPrinter.printAll(List.of()));
  }

  @Test
  void theFirstSlotOfLddwAloneNeedsItsSecond() {
    Insn first = Insn.of(0x18, 1, 0, 0, 5);
    assertFalse(AsmPrinter.canPrint(first));
    assertFalse(AsmPrinter.canPrint(first, AsmDialect.ALU32));
    BpfEventsException e = assertThrows(BpfEventsException.class, () -> AsmPrinter.print(first));
    assertUnsupported(e, first);
    assertTrue(e.getMessage().contains("second slot"), e.getMessage());
    assertTrue(e.getMessage().contains("print the two slots together"), e.getMessage());
    assertEquals("Insn{opcode=0x18, dst=1, src=0, offset=0, imm=5}", first.toString());
  }

  @Test
  void aLddwAtTheEndWithoutItsSecondSlotNamesItsPosition() {
    List<Insn> insns = List.of(Insn.of(0x95, 0, 0, 0, 0), Insn.of(0xb7, 0, 0, 0, 0),
        Insn.of(0x18, 1, 0, 0, 5));
    BpfEventsException e = assertThrows(BpfEventsException.class, () -> AsmPrinter.printAll(insns));
    assertEquals("unsupported-instruction", e.problem());
    assertEquals(2, e.data().get("index"));
    assertEquals(Insn.of(0x18, 1, 0, 0, 5), e.data().get("value"));
    assertTrue(e.getMessage().contains("lddw at instruction 2"), e.getMessage());
    assertTrue(e.getMessage().contains("no second slot"), e.getMessage());
  }

  @Test
  void aMalformedSecondSlotNamesItsPosition() {
    // LLVM reads only the second slot's imm; the kernel (and this printer) want the rest 0
    List<Insn> bad = List.of(Insn.of(0x1f, 0, 0, 0, 0), Insn.of(0, 0, 0, 0, 0), Insn.of(0, 0, 0, 0, 0),
        Insn.of(0x95, 0, 0, 0, 0));
    for (Insn second : List.of(Insn.of(0x95, 0, 0, 0, 0), Insn.of(0, 1, 0, 0, 7),
        Insn.of(0, 0, 2, 0, 7), Insn.of(0, 0, 0, -1, 7), Insn.of(0x18, 0, 0, 0, 0))) {
      List<Insn> insns = List.of(Insn.of(0xb7, 0, 0, 0, 0), Insn.of(0x18, 1, 0, 0, 5), second);
      BpfEventsException e = assertThrows(BpfEventsException.class,
          () -> AsmPrinter.printAll(insns, AsmDialect.ALU32), second.toString());
      assertEquals("unsupported-instruction", e.problem());
      assertEquals(2, e.data().get("index"));
      assertTrue(e.getMessage().contains("instruction 2, the second slot of the lddw at"
          + " instruction 1"), e.getMessage());
      assertTrue(e.getMessage().contains("expected"), e.getMessage());
    }
    // a second slot that is opcode 0 with an imm is fine, and imm is the high half
    assertEquals(List.of("r1 = -8589934587 ll"), AsmPrinter.printAll(
        List.of(Insn.of(0x18, 1, 0, 0, 5), Insn.of(0, 0, 0, 0, -2))));
    // opcode 0 on its own is no instruction
    BpfEventsException e = assertThrows(BpfEventsException.class, () -> AsmPrinter.printAll(bad));
    assertEquals(1, e.data().get("index"));
  }

  @Test
  void anUndecodableInstructionInASequenceNamesItsPosition() {
    List<Insn> insns = List.of(Insn.of(0x18, 1, 0, 0, 5), Insn.of(0, 0, 0, 0, 0),
        Insn.of(0xb7, 0, 0, 0, 0), Insn.of(0x95, 0, 0, 0, 1));
    BpfEventsException e = assertThrows(BpfEventsException.class, () -> AsmPrinter.printAll(insns));
    assertEquals("unsupported-instruction", e.problem());
    assertEquals(3, e.data().get("index"));
    assertEquals(Insn.of(0x95, 0, 0, 0, 1), e.data().get("value"));
    assertEquals("immediate 0", e.data().get("expected"));
    assertTrue(e.getMessage().startsWith("instruction 3: cannot print Insn{opcode=0x95"),
        e.getMessage());
    assertTrue(e.getMessage().endsWith("exit with immediate 1; expected immediate 0"),
        e.getMessage());
  }

  @Test
  void the32BitAtomicsWithoutAlu32AreLlvmsAddOnly() {
    Insn fetchAdd = Insn.of(0xc3, 1, 2, 8, 0x01);
    assertEquals("lock *(u32 *)(r1 + 8) += r2", AsmPrinter.print(fetchAdd));
    assertEquals("w2 = atomic_fetch_add((u32 *)(r1 + 8), w2)",
        AsmPrinter.print(fetchAdd, AsmDialect.ALU32));
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> AsmPrinter.print(Insn.of(0xc3, 1, 2, 8, 0xe1)));
    assertTrue(e.getMessage().contains("xchg"), e.getMessage());
    assertTrue(e.getMessage().contains("ALU32"), e.getMessage());
  }

  @Test
  void unusedHighBitsOfTheAtomicImmediateAreNotRead() {
    assertEquals("r0 = cmpxchg_64(r1 - 8, r0, r2)",
        AsmPrinter.print(Insn.of(0xdb, 1, 2, -8, 0x7ffff0f1)));
    assertEquals("w2 = xchg32_32(r1 - 8, w2)",
        AsmPrinter.print(Insn.of(0xc3, 1, 2, -8, 0x100e1), AsmDialect.ALU32));
  }

  // ---------------------------------------------------------------------------------------
  // Arguments

  @Test
  void nullsAreTheLibrarysErrors() {
    assertFalse(AsmPrinter.canPrint(null, AsmDialect.ALU32));
    assertFalse(AsmPrinter.canPrint(Insn.of(0x95, 0, 0, 0, 0), null));
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> AsmPrinter.print(null, AsmDialect.ALU32));
    assertEquals("unsupported-instruction", e.problem());
    e = assertThrows(BpfEventsException.class,
        () -> AsmPrinter.print(Insn.of(0x95, 0, 0, 0, 0), null));
    assertEquals("missing-argument", e.problem());
    assertEquals("dialect", e.data().get("key"));
    e = assertThrows(BpfEventsException.class, () -> AsmPrinter.printAll(List.of(), null));
    assertEquals("missing-argument", e.problem());
    e = assertThrows(BpfEventsException.class, () -> AsmPrinter.printAll(null));
    assertEquals("not-an-instruction", e.problem());
    List<Insn> withNull = Arrays.asList(Insn.of(0x95, 0, 0, 0, 0), null);
    e = assertThrows(BpfEventsException.class, () -> AsmPrinter.printAll(withNull));
    assertEquals("not-an-instruction", e.problem());
    assertEquals(1, e.data().get("index"));
    List<Insn> nullSecond = Arrays.asList(Insn.of(0x18, 0, 0, 0, 0), null);
    e = assertThrows(BpfEventsException.class, () -> AsmPrinter.printAll(nullSecond));
    assertEquals("not-an-instruction", e.problem());
    assertEquals(1, e.data().get("index"));
  }

  @Test
  void theResultOfPrintAllIsUnmodifiable() {
    List<String> lines = AsmPrinter.printAll(List.of(Insn.of(0x95, 0, 0, 0, 0)));
    assertThrows(UnsupportedOperationException.class, () -> lines.add("exit"));
  }

  @Test
  void dialectsNameTheirLlvmFlags() {
    assertEquals(AsmDialect.NO_ALU32, AsmPrinter.DEFAULT_DIALECT);
    assertEquals(List.of("-mcpu=v4", "-mattr=-alu32"), AsmDialect.NO_ALU32.llvmMcFlags());
    assertEquals(List.of("-mcpu=v4"), AsmDialect.ALU32.llvmMcFlags());
  }

  // ---------------------------------------------------------------------------------------
  // The opcode parts

  @Test
  void operationBitsRoundTrip() {
    for (AluOp op : AluOp.values()) {
      for (int cls : new int[] {0x04, 0x07}) {
        assertEquals(op, AluOp.ofOpcode(op.bits() | Source.X.bits() | cls));
        assertEquals(op.bits(), (op.bits() | cls) & AluOp.MASK);
      }
    }
    assertNull(AluOp.ofOpcode(0xe7));
    assertNull(AluOp.ofOpcode(0xf4));
    for (JumpOp op : JumpOp.values()) {
      assertEquals(op, JumpOp.ofOpcode(op.bits() | Source.K.bits() | 0x05));
    }
    assertNull(JumpOp.ofOpcode(0xf5));
    assertEquals(11, Arrays.stream(JumpOp.values()).filter(JumpOp::isConditional).count());
    for (AtomicOp op : AtomicOp.values()) {
      assertEquals(op, AtomicOp.ofImm(op.bits() | AtomicOp.FETCH | 0x1200));
    }
    assertNull(AtomicOp.ofImm(0x10));
    assertEquals(Source.X, Source.ofOpcode(0x0f));
    assertEquals(Source.K, Source.ofOpcode(0x07));
    assertEquals("s/=", "s" + AluOp.DIV.operator());
    assertTrue(AtomicOp.XCHG.alwaysFetches());
    assertFalse(AtomicOp.XOR.alwaysFetches());
  }
}
