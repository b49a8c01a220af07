package io.github.bpfevents.codec;

import java.nio.ByteBuffer;

/**
 * Bitfields in record bytes, as x86-64 and BPF lay them out: bit {@code i} of a record is
 * bit {@code i % 8} (least significant first) of byte {@code i / 8}. A bitfield of w bits
 * at bit offset o is the w bits from o up, read as an unsigned or a two's complement
 * integer; it touches at most 9 bytes (64 bits starting at bit 7 of a byte), and only
 * those bytes are read or written. Nothing allocates, but the wide reads and writes, of
 * bitfields of a 128-bit type (up to 17 bytes).
 */
final class Bits {
  private Bits() {}

  /**
   * Reads a bitfield.
   *
   * @param b the buffer
   * @param byteAt the absolute index of the byte that holds its first bit
   * @param shift the first bit within that byte, 0 to 7
   * @param width the width, 1 to 64
   * @param signed whether to sign-extend
   * @return the value, sign-extended when signed, else zero-extended (a 64-bit unsigned
   *     value above 2^63 is its negative long)
   * @throws IndexOutOfBoundsException if a byte it touches lies beyond the limit
   */
  static long read(ByteBuffer b, int byteAt, int shift, int width, boolean signed) {
    int n = (shift + width + 7) >>> 3;
    long v = 0;
    for (int i = 0; i < n && i < 8; i++) {
      v |= (b.get(byteAt + i) & 0xffL) << (8 * i);
    }
    v >>>= shift;
    if (n == 9) {
      v |= (b.get(byteAt + 8) & 0xffL) << (64 - shift);
    }
    if (width < 64) {
      v &= (1L << width) - 1;
      if (signed && (v >>> (width - 1)) != 0) {
        v |= -1L << width;
      }
    }
    return v;
  }

  /**
   * Writes a bitfield, leaving every other bit of the bytes it touches as it was.
   *
   * @param b the buffer
   * @param byteAt the absolute index of the byte that holds its first bit
   * @param shift the first bit within that byte, 0 to 7
   * @param width the width, 1 to 64
   * @param value the value; its low {@code width} bits are written
   * @throws IndexOutOfBoundsException if a byte it touches lies beyond the limit
   */
  static void write(ByteBuffer b, int byteAt, int shift, int width, long value) {
    for (int bit = 0; bit < width; ) {
      int at = shift + bit;
      int i = at >>> 3;
      int lo = at & 7;
      int take = Math.min(8 - lo, width - bit);
      int mask = ((1 << take) - 1) << lo;
      int part = (int) ((value >>> bit) << lo) & mask;
      int old = b.get(byteAt + i) & 0xff;
      b.put(byteAt + i, (byte) ((old & ~mask) | part));
      bit += take;
    }
  }

  /**
   * Reads a bitfield of any width, up to 128 bits (it touches at most 17 bytes); this
   * allocates.
   *
   * @param b the buffer
   * @param byteAt the absolute index of the byte that holds its first bit
   * @param shift the first bit within that byte, 0 to 7
   * @param width the width, 1 to 128
   * @param signed whether to sign-extend
   * @return the value
   * @throws IndexOutOfBoundsException if a byte it touches lies beyond the limit
   */
  static java.math.BigInteger readWide(ByteBuffer b, int byteAt, int shift, int width,
      boolean signed) {
    int n = (shift + width + 7) >>> 3;
    byte[] big = new byte[n + 1]; // big-endian, a leading 0 keeps it positive
    for (int i = 0; i < n; i++) {
      big[n - i] = b.get(byteAt + i);
    }
    java.math.BigInteger v = new java.math.BigInteger(big).shiftRight(shift)
        .and(java.math.BigInteger.ONE.shiftLeft(width).subtract(java.math.BigInteger.ONE));
    return signed && v.testBit(width - 1) ? v.subtract(java.math.BigInteger.ONE.shiftLeft(width))
        : v;
  }

  /**
   * Writes a bitfield of any width, up to 128 bits, leaving every other bit of the bytes
   * it touches as it was.
   *
   * @param b the buffer
   * @param byteAt the absolute index of the byte that holds its first bit
   * @param shift the first bit within that byte, 0 to 7
   * @param width the width, 1 to 128
   * @param value the value; its low {@code width} bits (of its two's complement) are
   *     written
   * @throws IndexOutOfBoundsException if a byte it touches lies beyond the limit
   */
  static void writeWide(ByteBuffer b, int byteAt, int shift, int width,
      java.math.BigInteger value) {
    b.get(byteAt + ((shift + width - 1) >>> 3)); // nothing written unless all bytes fit
    for (int bit = 0; bit < width; ) {
      int at = shift + bit;
      int i = at >>> 3;
      int lo = at & 7;
      int take = Math.min(8 - lo, width - bit);
      int mask = ((1 << take) - 1) << lo;
      int part = (value.shiftRight(bit).intValue() << lo) & mask;
      int old = b.get(byteAt + i) & 0xff;
      b.put(byteAt + i, (byte) ((old & ~mask) | part));
      bit += take;
    }
  }
}
