package io.github.bpfevents.codec;

import io.github.bpfevents.layout.FieldType;
import java.math.BigInteger;
import java.nio.ByteBuffer;

/**
 * One scalar of a record, read as the number it stands for: unsigned types widened to
 * their unsigned value, signed types sign-extended, {@code be*} read big-endian.
 */
public final class Scalars {
  private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

  private Scalars() {}

  /**
   * The 64 bits of a scalar as a long: the unsigned or signed value for types up to 32
   * bits, the raw bits for 64-bit types (read {@code u64}, {@code ptr} and {@code be64}
   * as unsigned: {@link Long#toUnsignedString}, or {@link #unsigned64}).
   *
   * @param t the type
   * @param b the buffer
   * @param at the absolute index of the scalar
   * @return the value
   */
  public static long bits(FieldType t, ByteBuffer b, int at) {
    switch (t) {
      case U8:
      case CHAR:
        return b.get(at) & 0xffL;
      case I8:
        return b.get(at);
      case U16:
        return ByteOrders.le16(b, at) & 0xffffL;
      case I16:
        return ByteOrders.le16(b, at);
      case U32:
        return ByteOrders.le32(b, at) & 0xffffffffL;
      case I32:
        return ByteOrders.le32(b, at);
      case U64:
      case I64:
      case PTR:
        return ByteOrders.le64(b, at);
      case BE16:
        return ByteOrders.be16(b, at) & 0xffffL;
      case BE32:
        return ByteOrders.be32(b, at) & 0xffffffffL;
      case BE64:
        return ByteOrders.be64(b, at);
      default:
        throw new AssertionError(t);
    }
  }

  /**
   * Reads the unsigned byte at {@code at}.
   *
   * @param b the buffer
   * @param at the absolute index
   * @return the unsigned byte at {@code at}
   */
  public static long u8(ByteBuffer b, int at) {
    return b.get(at) & 0xffL;
  }

  /**
   * Reads the signed byte at {@code at}.
   *
   * @param b the buffer
   * @param at the absolute index
   * @return the signed byte at {@code at}
   */
  public static long i8(ByteBuffer b, int at) {
    return b.get(at);
  }

  /**
   * Reads the little-endian unsigned 16 bits at {@code at}.
   *
   * @param b the buffer
   * @param at the absolute index
   * @return the little-endian unsigned 16 bits at {@code at}
   */
  public static long u16(ByteBuffer b, int at) {
    return ByteOrders.le16(b, at) & 0xffffL;
  }

  /**
   * Reads the little-endian signed 16 bits at {@code at}.
   *
   * @param b the buffer
   * @param at the absolute index
   * @return the little-endian signed 16 bits at {@code at}
   */
  public static long i16(ByteBuffer b, int at) {
    return ByteOrders.le16(b, at);
  }

  /**
   * Reads the little-endian unsigned 32 bits at {@code at}.
   *
   * @param b the buffer
   * @param at the absolute index
   * @return the little-endian unsigned 32 bits at {@code at}
   */
  public static long u32(ByteBuffer b, int at) {
    return ByteOrders.le32(b, at) & 0xffffffffL;
  }

  /**
   * Reads the little-endian signed 32 bits at {@code at}.
   *
   * @param b the buffer
   * @param at the absolute index
   * @return the little-endian signed 32 bits at {@code at}
   */
  public static long i32(ByteBuffer b, int at) {
    return ByteOrders.le32(b, at);
  }

  /**
   * Reads the little-endian 64 bits at {@code at}, signed.
   *
   * @param b the buffer
   * @param at the absolute index
   * @return the little-endian 64 bits at {@code at}, signed
   */
  public static long i64(ByteBuffer b, int at) {
    return ByteOrders.le64(b, at);
  }

  /**
   * Reads the little-endian 64 bits at {@code at}, unsigned: a Long or a BigInteger.
   *
   * @param b the buffer
   * @param at the absolute index
   * @return the little-endian 64 bits at {@code at}, unsigned: a Long or a BigInteger
   */
  public static Object u64(ByteBuffer b, int at) {
    return unsignedObject(ByteOrders.le64(b, at));
  }

  /**
   * Reads the big-endian unsigned 16 bits at {@code at}.
   *
   * @param b the buffer
   * @param at the absolute index
   * @return the big-endian unsigned 16 bits at {@code at}
   */
  public static long be16(ByteBuffer b, int at) {
    return ByteOrders.be16(b, at) & 0xffffL;
  }

  /**
   * Reads the big-endian unsigned 32 bits at {@code at}.
   *
   * @param b the buffer
   * @param at the absolute index
   * @return the big-endian unsigned 32 bits at {@code at}
   */
  public static long be32(ByteBuffer b, int at) {
    return ByteOrders.be32(b, at) & 0xffffffffL;
  }

  /**
   * Reads the big-endian 64 bits at {@code at}, unsigned: a Long or a BigInteger.
   *
   * @param b the buffer
   * @param at the absolute index
   * @return the big-endian 64 bits at {@code at}, unsigned: a Long or a BigInteger
   */
  public static Object be64(ByteBuffer b, int at) {
    return unsignedObject(ByteOrders.be64(b, at));
  }

  /**
   * A C string: the bytes from {@code at} up to the first NUL or {@code count} bytes,
   * decoded as UTF-8 with invalid sequences replaced by U+FFFD.
   *
   * @param b the buffer
   * @param at the absolute index of the first byte
   * @param count the array's length
   * @return the string
   */
  public static String cstring(ByteBuffer b, int at, int count) {
    int n = 0;
    while (n < count && b.get(at + n) != 0) {
      n++;
    }
    byte[] bytes = new byte[n];
    b.get(at, bytes, 0, n);
    return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
  }

  private static Object unsignedObject(long v) {
    return v < 0 ? BigInteger.valueOf(v).add(TWO_64) : (Object) v;
  }

  /**
   * Whether the type's 64-bit values are unsigned (so values at or above 2^63 need a
   * {@link BigInteger}).
   *
   * @param t the type
   * @return true for u64, ptr and be64
   */
  public static boolean unsigned64(FieldType t) {
    return t == FieldType.U64 || t == FieldType.PTR || t == FieldType.BE64;
  }

  /**
   * The value of a scalar as an object: a {@link Long}, or a {@link BigInteger} for an
   * unsigned 64-bit value at or above 2^63.
   *
   * @param t the type
   * @param b the buffer
   * @param at the absolute index
   * @return the value
   */
  public static Object value(FieldType t, ByteBuffer b, int at) {
    long v = bits(t, b, at);
    return unsigned64(t) ? unsignedObject(v) : (Object) v;
  }
}
