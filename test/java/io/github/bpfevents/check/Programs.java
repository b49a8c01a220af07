package io.github.bpfevents.check;

import io.github.bpfevents.asm.Insn;
import io.github.bpfevents.asm.Register;
import java.util.ArrayList;
import java.util.List;

/**
 * The instructions around the project's stores in a test program, from RFC 9669's
 * encoding. Only tests use them; the kernel's verifier and the bytes a program leaves
 * behind are their check.
 */
public final class Programs {
  private Programs() {}

  /** {@code dst = imm} (ALU64 | MOV | K). */
  public static Insn movImm(Register dst, int imm) {
    return Insn.of(0xb7, dst.number(), 0, 0, imm);
  }

  /** {@code dst = src} (ALU64 | MOV | X). */
  public static Insn mov(Register dst, Register src) {
    return Insn.of(0xbf, dst.number(), src.number(), 0, 0);
  }

  /** {@code dst += imm} (ALU64 | ADD | K). */
  public static Insn addImm(Register dst, int imm) {
    return Insn.of(0x07, dst.number(), 0, 0, imm);
  }

  /** {@code dst = imm64 ll}: two slots (LD | IMM | DW). */
  public static List<Insn> lddw(Register dst, long imm64) {
    return List.of(Insn.of(0x18, dst.number(), 0, 0, (int) imm64),
        Insn.of(0, 0, 0, 0, (int) (imm64 >>> 32)));
  }

  /** {@code dst = map_fd ll}: {@code lddw} with src {@code BPF_PSEUDO_MAP_FD} (1). */
  public static List<Insn> lddwMapFd(Register dst, int fd) {
    return List.of(Insn.of(0x18, dst.number(), 1, 0, fd), Insn.of(0, 0, 0, 0, 0));
  }

  /** {@code call helper} (JMP | CALL). */
  public static Insn call(int helper) {
    return Insn.of(0x85, 0, 0, 0, helper);
  }

  /** {@code if dst != imm goto +off} (JMP | JNE | K). */
  public static Insn jneImm(Register dst, int imm, int off) {
    return Insn.of(0x55, dst.number(), 0, off, imm);
  }

  /** {@code dst &= imm} (ALU64 | AND | K). */
  public static Insn andImm(Register dst, int imm) {
    return Insn.of(0x57, dst.number(), 0, 0, imm);
  }

  /** {@code dst ^= imm} (ALU64 | XOR | K; imm sign-extended). */
  public static Insn xorImm(Register dst, int imm) {
    return Insn.of(0xa7, dst.number(), 0, 0, imm);
  }

  /** {@code dst = *(u64 *)(src + off)} (LDX | MEM | DW). */
  public static Insn ldxDw(Register dst, Register src, int off) {
    return Insn.of(0x79, dst.number(), src.number(), off, 0);
  }

  /** {@code if dst == imm goto +off} (JMP | JEQ | K). */
  public static Insn jeqImm(Register dst, int imm, int off) {
    return Insn.of(0x15, dst.number(), 0, off, imm);
  }

  /** {@code goto +off} (JMP | JA). */
  public static Insn ja(int off) {
    return Insn.of(0x05, 0, 0, off, 0);
  }

  /** {@code exit}. */
  public static Insn exit() {
    return Insn.of(0x95, 0, 0, 0, 0);
  }

  /**
   * A socket-filter program that looks up entry 0 of the array map, puts the value's
   * address in {@code eventReg}, loads each register of {@code values} with its constant,
   * runs {@code body}, and returns 0.
   *
   * @param mapFd the array map
   * @param eventReg where the value's address goes (r0 to r9)
   * @param values a constant for each of r0..r9 (ignored for eventReg)
   * @param body the project's stores
   * @return the whole program
   */
  public static List<Insn> aroundMapValue(int mapFd, Register eventReg, long[] values,
      List<Insn> body) {
    List<Insn> p = new ArrayList<>();
    p.add(Insn.of(0x62, Register.R10.number(), 0, -4, 0)); // *(u32 *)(r10 - 4) = 0
    p.add(mov(Register.R2, Register.R10));
    p.add(addImm(Register.R2, -4));
    p.addAll(lddwMapFd(Register.R1, mapFd));
    p.add(call(1)); // map_lookup_elem
    p.add(jneImm(Register.R0, 0, 2));
    p.add(movImm(Register.R0, 0));
    p.add(exit());
    p.add(mov(eventReg, Register.R0));
    for (int r = 0; r <= 9; r++) {
      if (r != eventReg.number()) {
        p.addAll(lddw(Register.of(r), values[r]));
      }
    }
    p.addAll(body);
    p.add(movImm(Register.R0, 0));
    p.add(exit());
    return p;
  }
}
