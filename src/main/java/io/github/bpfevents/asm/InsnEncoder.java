package io.github.bpfevents.asm;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Problem;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The wire form of instructions: 8 bytes each, little-endian, as the kernel's
 * {@code struct bpf_insn} on {@code bpfel}.
 *
 * <pre>
 *   byte 0: opcode   byte 1: src &lt;&lt; 4 | dst   bytes 2-3: offset   bytes 4-7: imm
 * </pre>
 */
public final class InsnEncoder {
  /** Bytes in one instruction slot. */
  public static final int SLOT = 8;
  /** The most instructions encoded at once: the kernel's limit on a program's length. */
  public static final int MAX_INSNS = 1_000_000;

  private InsnEncoder() {}

  /**
   * Encodes instructions back to back, ready for {@code BPF_PROG_LOAD}.
   *
   * <pre>{@code InsnEncoder.encode(List.of(Store.stx(Size.W, Register.R6, 8, Register.R7)))
   * // => {0x63, 0x76, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00}}</pre>
   *
   * @param insns the instructions, at most {@link #MAX_INSNS}
   * @return {@code 8 * insns.size()} bytes
   * @throws BpfEventsException naming the position of a null element, or when there are
   *     more than {@link #MAX_INSNS}
   */
  public static byte[] encode(List<Insn> insns) {
    if (insns == null) {
      throw Problem.NOT_AN_INSTRUCTION_LIST_NULL
          .with("value", null)
          .with("expected", "a list of instructions")
          .build();
    }
    if (insns.size() > MAX_INSNS) {
      throw Problem.TOO_MANY_INSTRUCTIONS
          .with("value", insns.size())
          .with("expected", "at most " + MAX_INSNS + " instructions, the kernel's limit")
          .build();
    }
    ByteBuffer buf = ByteBuffer.allocate(SLOT * insns.size()).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < insns.size(); i++) {
      encode(Insn.element(insns, i), buf);
    }
    return buf.array();
  }

  /**
   * Writes one instruction at the buffer's position, little-endian whatever the buffer's
   * byte order, and advances the position by 8.
   *
   * @param insn the instruction
   * @param buf a buffer with at least 8 bytes remaining
   * @throws BpfEventsException if the instruction or buffer is null, or fewer than 8 bytes
   *     remain
   */
  public static void encode(Insn insn, ByteBuffer buf) {
    if (insn == null) {
      throw Problem.NOT_AN_INSTRUCTION
          .with("value", null)
          .with("expected", "an instruction")
          .build();
    }
    if (buf != null && buf.isReadOnly()) {
      throw Problem.READ_ONLY_BUFFER
          .with("value", buf.toString())
          .with("expected", "a writable buffer")
          .build();
    }
    if (buf == null || buf.remaining() < SLOT) {
      throw Problem.BUFFER_TOO_SMALL
          .with("value", buf == null ? null : buf.remaining())
          .with("expected", "at least 8 bytes remaining")
          .with("remaining", String.valueOf(buf == null ? "no" : Integer.toString(buf.remaining())))
          .build();
    }
    int at = buf.position();
    buf.put(at, (byte) insn.opcode());
    buf.put(at + 1, (byte) ((insn.src() << 4) | insn.dst()));
    buf.put(at + 2, (byte) insn.offset());
    buf.put(at + 3, (byte) (insn.offset() >> 8));
    for (int k = 0; k < 4; k++) {
      buf.put(at + 4 + k, (byte) (insn.imm() >> (8 * k)));
    }
    buf.position(at + SLOT);
  }

  /**
   * Reads the instruction encoded at {@code bytes[at..at+8)}.
   *
   * @param bytes encoded instructions
   * @param at the first byte of the slot
   * @return the instruction
   * @throws BpfEventsException if fewer than 8 bytes remain, or a field is invalid
   */
  public static Insn decode(byte[] bytes, int at) {
    if (bytes == null) {
      throw Problem.TRUNCATED_INSTRUCTION_NULL
          .with("value", null)
          .with("expected", "a byte array")
          .build();
    }
    if (at < 0 || bytes.length - at < SLOT) {
      throw Problem.TRUNCATED_INSTRUCTION
          .with("value", at)
          .with("length", bytes.length)
          .with("expected", "8 bytes from the offset")
          .build();
    }
    int regs = bytes[at + 1] & 0xff;
    int off = (short) ((bytes[at + 2] & 0xff) | (bytes[at + 3] << 8));
    int imm = (bytes[at + 4] & 0xff) | (bytes[at + 5] & 0xff) << 8
        | (bytes[at + 6] & 0xff) << 16 | (bytes[at + 7] & 0xff) << 24;
    return Insn.of(bytes[at] & 0xff, regs & 0x0f, regs >>> 4, off, imm);
  }
}
