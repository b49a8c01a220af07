package io.github.bpfevents.asm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.HostValues;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The two register spellings of LLVM's BPF assembler text, as the class documentation
 * tabulates them: they differ only for narrow memory accesses that move a register.
 */
class AsmDialectTest {

  @Test
  void theLlvmMcFlagsOfEachDialect() {
    assertEquals(List.of("-mcpu=v4", "-mattr=-alu32"),
        AsmDialect.NO_ALU32.llvmMcFlags());
    assertEquals(List.of("-mcpu=v4"), AsmDialect.ALU32.llvmMcFlags());
    assertSame(AsmDialect.NO_ALU32, AsmPrinter.DEFAULT_DIALECT);
  }

  @Test
  void theDocumentedExamples() {
    // stx u32: *(u32 *)(r6 + 8) = r7 | w7
    Insn stx = Insn.of(0x63, 6, 7, 8, 0);
    assertEquals("*(u32 *)(r6 + 8) = r7", AsmPrinter.print(stx, AsmDialect.NO_ALU32));
    assertEquals("*(u32 *)(r6 + 8) = w7", AsmPrinter.print(stx, AsmDialect.ALU32));
    // ldx u16: r1 | w1 = *(u16 *)(r2 + 4)
    Insn ldx = Insn.of(0x69, 1, 2, 4, 0);
    assertEquals("r1 = *(u16 *)(r2 + 4)", AsmPrinter.print(ldx, AsmDialect.NO_ALU32));
    assertEquals("w1 = *(u16 *)(r2 + 4)", AsmPrinter.print(ldx, AsmDialect.ALU32));
    // atomic u32 add: lock *(u32 *)(r1 + 0) += r2 | w2
    Insn add = Insn.of(0xc3, 1, 2, 0, 0);
    assertEquals("lock *(u32 *)(r1 + 0) += r2", AsmPrinter.print(add, AsmDialect.NO_ALU32));
    assertEquals("lock *(u32 *)(r1 + 0) += w2", AsmPrinter.print(add, AsmDialect.ALU32));
  }

  @Test
  void everythingElseReadsTheSame() {
    for (Insn i : List.of(
        Insn.of(0x7b, 10, 1, -8, 0), // *(u64 *)(r10 - 8) = r1
        Insn.of(0x62, 6, 0, 8, 7), // *(u32 *)(r6 + 8) = 7
        Insn.of(0x07, 1, 0, 0, 5), // r1 += 5
        Insn.of(0x04, 1, 0, 0, 5), // w1 += 5
        Insn.of(0x95, 0, 0, 0, 0))) { // exit
      assertEquals(AsmPrinter.print(i, AsmDialect.NO_ALU32),
          AsmPrinter.print(i, AsmDialect.ALU32));
    }
    assertEquals("w1 += 5", AsmPrinter.print(Insn.of(0x04, 1, 0, 0, 5), AsmDialect.NO_ALU32));
  }

  @Test
  void optionsAsAHostWritesThem() {
    assertSame(AsmDialect.NO_ALU32, AsmDialect.read(Map.of(), HostValues.JAVA), "the default");
    assertSame(AsmDialect.NO_ALU32, AsmDialect.read(Map.of("dialect", "no-alu32"), HostValues.JAVA));
    assertSame(AsmDialect.ALU32, AsmDialect.read(Map.of("dialect", "alu32"), HostValues.JAVA));
    assertEquals(List.of("no-alu32", "alu32"),
        List.of(AsmDialect.NO_ALU32.optionName(), AsmDialect.ALU32.optionName()));
    Map<String, Object> nil = new HashMap<>();
    nil.put("dialect", null);
    for (Object bad : new Object[] {Map.of("dialect", "ALU32"), Map.of("dialect", "x"), nil,
        Map.of("dialect", "alu32", "x", 1L), Map.of("x", 1L), null, "alu32", List.of()}) {
      BpfEventsException e = assertThrows(BpfEventsException.class,
          () -> AsmDialect.read(bad, HostValues.JAVA), String.valueOf(bad));
      assertEquals("bad-option", e.problem());
      assertSame(bad, e.data().get("value"), "the options as written");
      assertEquals(List.of("no-alu32", "alu32"), e.data().get("accepted"));
    }
    assertEquals("options {\"dialect\"=\"x\"} are not accepted; expected {:dialect :no-alu32} or"
        + " {:dialect :alu32}", assertThrows(BpfEventsException.class,
            () -> AsmDialect.read(Map.of("dialect", "x"), HostValues.JAVA)).getMessage());
  }
}
