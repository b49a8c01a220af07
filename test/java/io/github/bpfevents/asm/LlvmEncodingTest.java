package io.github.bpfevents.asm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfevents.check.LlvmMc;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The project's store encodings and texts against LLVM's BPF assembler: for thousands of
 * generated stores (every width, st and stx, every register, offsets and immediates at
 * their edges), LLVM assembles the project's text to the project's bytes and prints the
 * same text back, and LLVM's disassembler reads the project's bytes as the project's text.
 */
@Tag("llvm")
class LlvmEncodingTest {
  private static final long[] OFFSETS = {-32768, -32767, -256, -129, -128, -8, -1, 0, 1, 2, 7,
      8, 127, 128, 255, 256, 4096, 32766, 32767};

  static List<Insn> generated() {
    List<Insn> insns = new ArrayList<>();
    Random rnd = new Random(20261126);
    for (Size size : Size.values()) {
      for (Register dst : Register.values()) {
        for (Register src : Register.values()) {
          for (long off : OFFSETS) {
            insns.add(Store.stx(size, dst, off, src));
          }
          insns.add(Store.stx(size, dst, rnd.nextInt(65536) - 32768, src));
        }
        for (long imm : immediateEdges(size)) {
          for (long off : OFFSETS) {
            insns.add(Store.st(size, dst, off, imm));
          }
        }
        for (int k = 0; k < 20; k++) {
          insns.add(Store.st(size, dst, rnd.nextInt(65536) - 32768, randomImmediate(size, rnd)));
        }
      }
    }
    return insns;
  }

  static long[] immediateEdges(Size size) {
    if (size == Size.DW) {
      return new long[] {Integer.MIN_VALUE, -1, 0, 1, Integer.MAX_VALUE};
    }
    int bits = 8 * size.bytes();
    long min = -(1L << (bits - 1));
    long max = (1L << bits) - 1;
    return new long[] {min, min + 1, -1, 0, 1, -min - 1, -min, max};
  }

  static long randomImmediate(Size size, Random rnd) {
    long[] edges = immediateEdges(size);
    long min = edges[0];
    long max = edges[edges.length - 1];
    return min + (long) (rnd.nextDouble() * (max - min + 1));
  }

  @Test
  void llvmAssemblesTheProjectsTextToTheProjectsBytes() {
    LlvmMc llvm = LlvmMc.require();
    List<Insn> insns = generated();
    List<String> texts = new ArrayList<>();
    for (Insn i : insns) {
      texts.add(AsmPrinter.print(i));
    }
    List<LlvmMc.Assembled> assembled = llvm.assemble(texts);
    for (int k = 0; k < insns.size(); k++) {
      byte[] ours = InsnEncoder.encode(List.of(insns.get(k)));
      LlvmMc.Assembled theirs = assembled.get(k);
      assertArrayEquals(theirs.bytes, ours, "bytes of " + texts.get(k));
      assertEquals(theirs.text, texts.get(k), "LLVM's text of the same instruction");
    }
    System.out.println("[llvm] " + insns.size()
        + " store instructions: LLVM assembles the project's text to the project's bytes");
  }

  @Test
  void llvmDisassemblesTheProjectsBytesToTheProjectsText() {
    LlvmMc llvm = LlvmMc.require();
    List<Insn> insns = generated();
    List<String> theirs = llvm.disassemble(InsnEncoder.encode(insns));
    for (int k = 0; k < insns.size(); k++) {
      assertEquals(theirs.get(k), AsmPrinter.print(insns.get(k)));
    }
    System.out.println("[llvm] " + insns.size()
        + " store instructions: LLVM disassembles the project's bytes to the project's text");
  }

  @Test
  void generatedCasesCoverEveryOpcodeAndEdge() {
    List<Insn> insns = generated();
    assertTrue(insns.size() > 5000, "thousands of cases: " + insns.size());
    long opcodes = insns.stream().mapToInt(Insn::opcode).distinct().count();
    assertEquals(8, opcodes, "st and stx at four widths");
    assertTrue(insns.stream().anyMatch(i -> i.offset() == -32768));
    assertTrue(insns.stream().anyMatch(i -> i.offset() == 32767));
    assertTrue(insns.stream().anyMatch(i -> i.dst() == 10 && i.src() == 10));
    assertTrue(Arrays.stream(immediateEdges(Size.W)).anyMatch(v -> v == 4294967295L));
  }
}
