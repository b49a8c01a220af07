package io.github.bpfevents.store;

import io.github.bpfevents.Problem;
import io.github.bpfevents.asm.AluOp;
import io.github.bpfevents.asm.AtomicOp;
import io.github.bpfevents.asm.InsnClass;
import io.github.bpfevents.asm.Insn;
import io.github.bpfevents.asm.Mode;
import io.github.bpfevents.asm.Opcode;
import io.github.bpfevents.asm.Register;
import io.github.bpfevents.asm.Size;
import io.github.bpfevents.asm.Store;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.FieldRef;
import java.util.ArrayList;
import java.util.List;

/**
 * Stores into bitfields: they change only the field's bits. BPF has no bit store, so the
 * bits are written through a scratch register the caller names (its value is lost; the
 * record register and the value register keep theirs). The record is taken to start
 * 8-byte aligned, as ring-buffer and map memory does.
 *
 * <ul>
 *   <li>The field's bits are cut at 32-bit word boundaries into pieces, each written on
 *       its own.
 *   <li>Where the smallest aligned unit (1, 2 or 4 bytes) around a piece holds nothing
 *       else (the piece fills it), one store writes it: {@code *(u8 *)(r6 + 36) = 2}; a
 *       register's bits are first shifted into place in the scratch register. Bits that
 *       belong to no field (padding, unnamed bitfields) keep their value, as C leaves them.
 *   <li>Otherwise an immediate is written by a read-modify-write through the scratch
 *       register: load the unit, clear the field's bits, set the value's, store
 *       ({@code w1 = *(u8 *)(r6 + 36); w1 &= -3; w1 |= 2; *(u8 *)(r6 + 36) = w1}).
 *   <li>and a register's value by two atomic operations on the aligned 32-bit word: clear
 *       the field's bits ({@code lock *(u32 *)(r6 + 36) &= w1}), then set the value's bits,
 *       shifted and masked in the scratch register ({@code lock ... |= w1}). The word must
 *       lie inside the record.
 * </ul>
 *
 * <p>The value is the bitfield's: an immediate must fit its width (either reading, signed
 * or unsigned, as for {@link Store#st}); a register's low bits are stored.
 */
final class BitfieldStores {
  private static final int ALU32_AND_K = InsnClass.ALU.bits() | AluOp.AND.bits();
  private static final int ALU32_OR_K = InsnClass.ALU.bits() | AluOp.OR.bits();
  private static final int ALU32_MOV_K = InsnClass.ALU.bits() | AluOp.MOV.bits();
  private static final int ALU64_MOV_X = InsnClass.ALU64.bits() | AluOp.MOV.bits() | 0x08;
  private static final int ALU64_RSH_K = InsnClass.ALU64.bits() | AluOp.RSH.bits();
  private static final int ALU64_LSH_K = InsnClass.ALU64.bits() | AluOp.LSH.bits();
  private static final int ATOMIC_W = Opcode.loadStore(InsnClass.STX, Mode.ATOMIC, Size.W);

  private BitfieldStores() {}

  /** One piece of a bitfield: its bits within one aligned unit. */
  private record Piece(int unit, Size size, int pos, int bits, int from, int word) {
    int mask() {
      return (int) (((1L << bits) - 1) << pos);
    }
  }

  /**
   * The pieces of a bitfield: cut at 32-bit words, and at bytes where the aligned unit
   * around a piece would reach past the record's end.
   */
  private static List<Piece> pieces(FieldRef f, int recordSize) {
    List<Piece> out = new ArrayList<>();
    long start = f.bitOffset();
    long end = start + f.bits();
    for (long at = start; at < end; ) {
      long wordEnd = (at / 32 + 1) * 32;
      long stop = Math.min(end, wordEnd);
      if (4L * (at / 32) + 4 > recordSize) {
        stop = Math.min(stop, (at / 8 + 1) * 8); // a byte at a time near the end
      }
      int first = (int) (at / 8);
      int last = (int) ((stop - 1) / 8);
      int unit;
      Size size;
      if (first == last) {
        unit = first;
        size = Size.B;
      } else if (first / 2 == last / 2) {
        unit = first / 2 * 2;
        size = Size.H;
      } else {
        unit = first / 4 * 4;
        size = Size.W;
      }
      out.add(new Piece(unit, size, (int) (at - 8L * unit), (int) (stop - at),
          (int) (at - start), (int) (at / 32 * 4)));
      at = stop;
    }
    return out;
  }

  /**
   * Whether the unit holds nothing but the piece: its bits fill the unit, so one store
   * writes them and no other bit (padding, unnamed bitfields and the bits of other fields
   * keep their bytes, as C leaves them).
   */
  private static boolean alone(Piece p) {
    return p.pos() == 0 && p.bits() == 8 * p.size().bytes();
  }

  static List<Insn> storeImm(Register eventReg, EventLayout root, List<?> path, FieldRef f,
      long imm, Object written, Register scratch) {
    int w = f.bits();
    long min = -(1L << (w - 1));
    long max = w == 64 ? -1 : (1L << w) - 1;
    if (w < 64 && (imm < min || imm > max)) {
      throw Problem.BAD_IMMEDIATE
          .with("field", path.size() == 1 ? path.get(0) : path)
          .with("value", written)
          .with("expected", "an integer from " + min + " to " + max + " (a bitfield of " + w
              + " bits)")
          .build();
    }
    List<Insn> out = new ArrayList<>();
    for (Piece p : pieces(f, root.size())) {
      int value = (int) (((imm >>> p.from()) & ((1L << p.bits()) - 1)) << p.pos());
      if (alone(p)) {
        out.add(Store.st(p.size(), eventReg, p.unit(), p.size() == Size.W ? value
            : value & (int) ((1L << (8 * p.size().bytes())) - 1)));
        continue;
      }
      checkScratch(eventReg, scratch, null, path);
      out.add(Insn.of(Opcode.loadStore(InsnClass.LDX, Mode.MEM, p.size()), scratch.number(),
          eventReg.number(), p.unit(), 0));
      out.add(Insn.of(ALU32_AND_K, scratch.number(), 0, 0, ~p.mask()));
      if (value != 0) {
        out.add(Insn.of(ALU32_OR_K, scratch.number(), 0, 0, value));
      }
      out.add(Store.stx(p.size(), eventReg, p.unit(), scratch));
    }
    return out;
  }

  static List<Insn> storeReg(Register eventReg, EventLayout root, List<?> path, FieldRef f,
      Register valueReg, Register scratch) {
    checkScratch(eventReg, scratch, valueReg, path);
    List<Insn> out = new ArrayList<>();
    for (Piece p : pieces(f, root.size())) {
      if (alone(p)) {
        if (p.from() == 0 && p.pos() == 0 && p.bits() == 8 * p.size().bytes()) {
          out.add(Store.stx(p.size(), eventReg, p.unit(), valueReg));
          continue;
        }
        shifted(out, p, p.pos(), valueReg, scratch);
        out.add(Store.stx(p.size(), eventReg, p.unit(), scratch));
        continue;
      }
      if (p.word() + 4 > root.size()) {
        throw Problem.UNSUPPORTED_MEMBER_BITFIELD_BIT_WORD
            .with("field", path.size() == 1 ? path.get(0) : path)
            .with("value", p.word())
            .with("expected", "a bitfield whose aligned 32-bit word lies inside the record,"
                + " or an immediate")
            .build();
      }
      int pos = p.pos() + 8 * (p.unit() - p.word());
      int mask = (int) (((1L << p.bits()) - 1) << pos);
      out.add(Insn.of(ALU32_MOV_K, scratch.number(), 0, 0, ~mask));
      out.add(Insn.of(ATOMIC_W, eventReg.number(), scratch.number(), p.word(),
          AtomicOp.AND.bits()));
      Piece inWord = new Piece(p.word(), Size.W, pos, p.bits(), p.from(), p.word());
      shifted(out, inWord, pos, valueReg, scratch);
      out.add(Insn.of(ATOMIC_W, eventReg.number(), scratch.number(), p.word(),
          AtomicOp.OR.bits()));
    }
    return out;
  }

  /** scratch = ((value >> from) << pos) & mask. */
  private static void shifted(List<Insn> out, Piece p, int pos, Register valueReg,
      Register scratch) {
    out.add(Insn.of(ALU64_MOV_X, scratch.number(), valueReg.number(), 0, 0));
    if (p.from() > 0) {
      out.add(Insn.of(ALU64_RSH_K, scratch.number(), 0, 0, p.from()));
    }
    if (pos > 0) {
      out.add(Insn.of(ALU64_LSH_K, scratch.number(), 0, 0, pos));
    }
    out.add(Insn.of(ALU32_AND_K, scratch.number(), 0, 0, (int) (((1L << p.bits()) - 1) << pos)));
  }

  private static void checkScratch(Register eventReg, Register scratch, Register valueReg,
      List<?> path) {
    if (scratch == null || scratch == eventReg || scratch == valueReg
        || scratch == Register.R10) {
      throw Problem.BAD_REGISTER_BITFIELD_SCRATCH_USED
          .with("field", path.size() == 1 ? path.get(0) : path)
          .with("register", scratch == null ? null : scratch.asmName())
          .with("expected", "a scratch register other than the record's, the value's and"
              + " r10")
          .build();
    }
  }
}
