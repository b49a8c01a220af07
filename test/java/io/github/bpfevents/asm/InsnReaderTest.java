package io.github.bpfevents.asm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.HostValues;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Instructions and registers read from host values (plain Java values here). */
class InsnReaderTest {
  private static Map<String, Object> insn(Object opcode, Object dst, Object src, Object offset,
      Object imm) {
    return Map.of("opcode", opcode, "dst", dst, "src", src, "offset", offset, "imm", imm);
  }

  @Test
  void fieldsAreTheBitsOfTheirWidth() {
    // clj-ebpf's unchecked byte -73 is mov64 imm (0xb7); llvm-mc: b7 01 00 00 ff ff ff ff
    Insn i = InsnReader.read(insn((byte) -73, (byte) 1, (byte) 0, (short) 0, 0xffffffffL),
        HostValues.JAVA, 0);
    assertEquals(List.of(0xb7, 1, 0, 0, -1), List.of(i.opcode(), i.dst(), i.src(), i.offset(), i.imm()));
  }

  @Test
  void nestedSequencesAreSplicedInOrder() {
    Map<String, Object> exit = insn(0x95, 0, 0, 0, 0);
    Map<String, Object> mov = insn(0xb7, 0, 0, 0, 7);
    List<Insn> out = InsnReader.flatten(List.of(mov, List.of(List.of(), List.of(exit, mov)), exit),
        HostValues.JAVA);
    assertEquals(List.of(0xb7, 0x95, 0xb7, 0x95), out.stream().map(Insn::opcode).toList());
  }

  @Test
  void badElementsAreNamedByPosition() {
    Map<String, Object> exit = insn(0x95, 0, 0, 0, 0);
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> InsnReader.flatten(List.of(exit, insn(0x95, 11, 0, 0, 0)), HostValues.JAVA));
    assertEquals("not-an-instruction", e.problem());
    assertEquals(1L, e.data().get("index"));
    assertEquals("dst", e.data().get("key"));
    assertEquals("element 1 is not an instruction: instruction dst 11 is out of range;"
        + " expected a register number 0 to 10", e.getMessage());
    assertEquals("not-an-instruction", assertThrows(BpfEventsException.class,
        () -> InsnReader.flatten(List.of(insn(BigInteger.TWO.pow(70), 0, 0, 0, 0)),
            HostValues.JAVA)).problem());
    assertEquals("not-a-sequence", assertThrows(BpfEventsException.class,
        () -> InsnReader.flatten(exit, HostValues.JAVA)).problem());
  }

  @Test
  void nestingAndCountAreBounded() {
    Object deep = List.of();
    for (int i = 0; i < InsnReader.MAX_NESTING; i++) {
      deep = List.of(deep);
    }
    assertEquals(List.of(), InsnReader.flatten(deep, HostValues.JAVA));
    Object deeper = List.of(deep);
    assertEquals("too-deeply-nested", assertThrows(BpfEventsException.class,
        () -> InsnReader.flatten(deeper, HostValues.JAVA)).problem());
    List<Object> empties = new ArrayList<>(Collections.nCopies(InsnEncoder.MAX_INSNS + 1, List.of()));
    assertEquals("too-many-instructions", assertThrows(BpfEventsException.class,
        () -> InsnReader.flatten(empties, HostValues.JAVA)).problem());
  }

  @Test
  void registersAreNamesOrNumbers() {
    assertEquals(Register.R6, Register.read("r6", HostValues.JAVA));
    assertEquals(Register.R10, Register.read("fp", HostValues.JAVA));
    assertEquals(Register.R7, Register.read(7L, HostValues.JAVA));
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> Register.read(11L, HostValues.JAVA));
    assertEquals("unknown-register", e.problem());
    assertEquals(11L, e.data().get("register"));
  }
}
