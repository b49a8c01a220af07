package io.github.bpfevents.layout;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Notation;
import io.github.bpfevents.Problem;
import io.github.bpfevents.Shown;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The scalar types a field may have: the one table of them. Each type knows its size
 * (which is also its natural alignment and the width of the store that writes it), its
 * signedness and byte order, its C type, its range of values, and how to read and write
 * one element of it in a record. The decoder, the encoder, the field handles, the C header,
 * the layout report and BTF all ask this table; nothing else switches on the type.
 *
 * <pre>
 *   type   size  signed  order  C        reads as
 *   u8     1     no      -      __u8     u8
 *   i8     1     yes     -      __s8     i8
 *   u16    2     no      le     __u16    u16
 *   i16    2     yes     le     __s16    i16
 *   u32    4     no      le     __u32    u32
 *   i32    4     yes     le     __s32    i32
 *   u64    8     no      le     __u64    u64
 *   i64    8     yes     le     __s64    i64
 *   char   1     no      -      char     u8   (arrays of it are text)
 *   ptr    8     no      le     __u64    u64
 *   be16   2     no      be     __be16   be16
 *   be32   4     no      be     __be32   be32
 *   be64   8     no      be     __be64   be64
 *   i128   16    yes     le     __int128            i128
 *   u128   16    no      le     unsigned __int128   u128
 * </pre>
 *
 * <p>{@link #read} gives an element's value in a long: zero-extended for unsigned types
 * up to 32 bits, sign-extended for signed ones, the raw 64 bits for 64-bit types (read
 * {@code u64}, {@code ptr} and {@code be64} as unsigned; {@link #value} boxes them so), the
 * low 64 bits for 128-bit types (whose whole value {@link #value} gives, and
 * {@link #write(ByteBuffer, int, BigInteger)} writes).
 *
 * <p>The 128-bit types are 16 bytes, 16-byte aligned, as gcc and clang lay out
 * {@code __int128} for x86-64 and for {@code -target bpf} ({@code <linux/types.h>} has no
 * name for them). BPF has no 16-byte load or store: stores refuse them, and zeroing one
 * takes two 8-byte stores.
 */
public enum FieldType implements Shown {
  /** Unsigned 8-bit. */
  U8("u8", 1, false, false, "__u8") {
    @Override
    public long read(ByteBuffer b, int at) {
      return b.get(at) & 0xffL;
    }

    @Override
    public void write(ByteBuffer b, int at, long bits) {
      b.put(at, (byte) bits);
    }
  },
  /** Signed 8-bit. */
  I8("i8", 1, true, false, "__s8") {
    @Override
    public long read(ByteBuffer b, int at) {
      return b.get(at);
    }

    @Override
    public void write(ByteBuffer b, int at, long bits) {
      b.put(at, (byte) bits);
    }
  },
  /** Unsigned 16-bit, little-endian. */
  U16("u16", 2, false, false, "__u16") {
    @Override
    public long read(ByteBuffer b, int at) {
      return (short) ByteOrders.LE16.get(b, at) & 0xffffL;
    }

    @Override
    public void write(ByteBuffer b, int at, long bits) {
      ByteOrders.LE16.set(b, at, (short) bits);
    }
  },
  /** Signed 16-bit, little-endian. */
  I16("i16", 2, true, false, "__s16") {
    @Override
    public long read(ByteBuffer b, int at) {
      return (short) ByteOrders.LE16.get(b, at);
    }

    @Override
    public void write(ByteBuffer b, int at, long bits) {
      ByteOrders.LE16.set(b, at, (short) bits);
    }
  },
  /** Unsigned 32-bit, little-endian. */
  U32("u32", 4, false, false, "__u32") {
    @Override
    public long read(ByteBuffer b, int at) {
      return (int) ByteOrders.LE32.get(b, at) & 0xffffffffL;
    }

    @Override
    public void write(ByteBuffer b, int at, long bits) {
      ByteOrders.LE32.set(b, at, (int) bits);
    }
  },
  /** Signed 32-bit, little-endian. */
  I32("i32", 4, true, false, "__s32") {
    @Override
    public long read(ByteBuffer b, int at) {
      return (int) ByteOrders.LE32.get(b, at);
    }

    @Override
    public void write(ByteBuffer b, int at, long bits) {
      ByteOrders.LE32.set(b, at, (int) bits);
    }
  },
  /** Unsigned 64-bit, little-endian. */
  U64("u64", 8, false, false, "__u64") {
    @Override
    public long read(ByteBuffer b, int at) {
      return (long) ByteOrders.LE64.get(b, at);
    }

    @Override
    public void write(ByteBuffer b, int at, long bits) {
      ByteOrders.LE64.set(b, at, bits);
    }
  },
  /** Signed 64-bit, little-endian. */
  I64("i64", 8, true, false, "__s64") {
    @Override
    public long read(ByteBuffer b, int at) {
      return (long) ByteOrders.LE64.get(b, at);
    }

    @Override
    public void write(ByteBuffer b, int at, long bits) {
      ByteOrders.LE64.set(b, at, bits);
    }
  },
  /** A byte of text; arrays of it are C strings. Read as an unsigned byte. */
  CHAR("char", 1, false, false, "char") {
    @Override
    public long read(ByteBuffer b, int at) {
      return b.get(at) & 0xffL;
    }

    @Override
    public void write(ByteBuffer b, int at, long bits) {
      b.put(at, (byte) bits);
    }
  },
  /** A 64-bit pointer value, little-endian. Read as an unsigned 64-bit value. */
  PTR("ptr", 8, false, false, "__u64") {
    @Override
    public long read(ByteBuffer b, int at) {
      return (long) ByteOrders.LE64.get(b, at);
    }

    @Override
    public void write(ByteBuffer b, int at, long bits) {
      ByteOrders.LE64.set(b, at, bits);
    }
  },
  /** Unsigned 16-bit in network byte order. */
  BE16("be16", 2, false, true, "__be16") {
    @Override
    public long read(ByteBuffer b, int at) {
      return (short) ByteOrders.BE16.get(b, at) & 0xffffL;
    }

    @Override
    public void write(ByteBuffer b, int at, long bits) {
      ByteOrders.BE16.set(b, at, (short) bits);
    }
  },
  /** Unsigned 32-bit in network byte order. */
  BE32("be32", 4, false, true, "__be32") {
    @Override
    public long read(ByteBuffer b, int at) {
      return (int) ByteOrders.BE32.get(b, at) & 0xffffffffL;
    }

    @Override
    public void write(ByteBuffer b, int at, long bits) {
      ByteOrders.BE32.set(b, at, (int) bits);
    }
  },
  /** Unsigned 64-bit in network byte order. */
  BE64("be64", 8, false, true, "__be64") {
    @Override
    public long read(ByteBuffer b, int at) {
      return (long) ByteOrders.BE64.get(b, at);
    }

    @Override
    public void write(ByteBuffer b, int at, long bits) {
      ByteOrders.BE64.set(b, at, bits);
    }
  },
  /** Signed 128-bit, little-endian: C's {@code __int128}, 16-byte aligned. */
  I128("i128", 16, true, false, "__int128") {
    @Override
    public long read(ByteBuffer b, int at) {
      ByteOrders.LE64.get(b, at + 8); // the whole element lies below the limit
      return (long) ByteOrders.LE64.get(b, at);
    }

    @Override
    public void write(ByteBuffer b, int at, long bits) {
      write(b, at, BigInteger.valueOf(bits));
    }

    @Override
    public Object value(ByteBuffer b, int at) {
      return wide(b, at, true);
    }

    @Override
    public void write(ByteBuffer b, int at, BigInteger n) {
      writeWide(b, at, n);
    }
  },
  /** Unsigned 128-bit, little-endian: C's {@code unsigned __int128}, 16-byte aligned. */
  U128("u128", 16, false, false, "unsigned __int128") {
    @Override
    public long read(ByteBuffer b, int at) {
      ByteOrders.LE64.get(b, at + 8);
      return (long) ByteOrders.LE64.get(b, at);
    }

    @Override
    public void write(ByteBuffer b, int at, long bits) {
      write(b, at, BigInteger.valueOf(bits));
    }

    @Override
    public Object value(ByteBuffer b, int at) {
      return wide(b, at, false);
    }

    @Override
    public void write(ByteBuffer b, int at, BigInteger n) {
      writeWide(b, at, n);
    }
  };

  private static final List<String> NAMES;
  private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);
  private static final BigInteger LOW_64 = TWO_64.subtract(BigInteger.ONE);
  private static final BigInteger TWO_128 = BigInteger.ONE.shiftLeft(128);

  static {
    List<String> names = new ArrayList<>();
    for (FieldType t : values()) {
      names.add(t.typeName);
    }
    NAMES = Collections.unmodifiableList(names);
  }

  private final String typeName;
  private final int size;
  private final boolean signed;
  private final boolean bigEndian;
  private final String cType;
  private final BigInteger min;
  private final BigInteger max;

  FieldType(String typeName, int size, boolean signed, boolean bigEndian, String cType) {
    this.typeName = typeName;
    this.size = size;
    this.signed = signed;
    this.bigEndian = bigEndian;
    this.cType = cType;
    int bits = 8 * size;
    this.min = signed ? BigInteger.ONE.shiftLeft(bits - 1).negate() : BigInteger.ZERO;
    this.max = (signed ? BigInteger.ONE.shiftLeft(bits - 1) : BigInteger.ONE.shiftLeft(bits))
        .subtract(BigInteger.ONE);
  }

  /**
   * Reads one element at an absolute index of a buffer, in the type's byte order whatever
   * the buffer's: the unsigned or signed value for types up to 32 bits, the raw 64 bits
   * for 64-bit types.
   *
   * @param b the buffer
   * @param at the element's first byte
   * @return the value
   * @throws IndexOutOfBoundsException if the element does not lie below the buffer's limit
   */
  public abstract long read(ByteBuffer b, int at);

  /**
   * Writes the low {@link #size()} bytes of {@code bits} at an absolute index, in the
   * type's byte order. The caller has checked the value's range ({@link #fits}).
   *
   * @param b the buffer
   * @param at the element's first byte
   * @param bits the value
   * @throws IndexOutOfBoundsException if the element does not lie below the buffer's limit
   */
  public abstract void write(ByteBuffer b, int at, long bits);

  /**
   * Writes an integer at an absolute index: the low {@link #size()} bytes of its two's
   * complement, in the type's byte order (all 16 bytes for {@code i128} and {@code u128}).
   * The caller has checked the value's range ({@link #fits}).
   *
   * <pre>{@code
   * FieldType.U128.write(buf, 0, BigInteger.ONE.shiftLeft(100));   // byte 12 becomes 0x10
   * }</pre>
   *
   * @param b the buffer
   * @param at the element's first byte
   * @param n the value
   * @throws IndexOutOfBoundsException if the element does not lie below the buffer's limit
   */
  public void write(ByteBuffer b, int at, BigInteger n) {
    write(b, at, n.longValue());
  }

  /** A 128-bit element as a Long when it fits one, else a BigInteger. */
  private static Object wide(ByteBuffer b, int at, boolean signed) {
    long lo = (long) ByteOrders.LE64.get(b, at);
    long hi = (long) ByteOrders.LE64.get(b, at + 8);
    if (signed ? hi == (lo >> 63) : hi == 0 && lo >= 0) {
      return lo;
    }
    BigInteger v = BigInteger.valueOf(hi).shiftLeft(64)
        .or(BigInteger.valueOf(lo).and(LOW_64));
    return signed || v.signum() >= 0 ? v : v.add(TWO_128);
  }

  private static void writeWide(ByteBuffer b, int at, BigInteger n) {
    long hi = n.shiftRight(64).longValue();
    ByteOrders.LE64.get(b, at + 8); // nothing written unless all 16 bytes lie below the limit
    ByteOrders.LE64.set(b, at, n.longValue());
    ByteOrders.LE64.set(b, at + 8, hi);
  }

  /**
   * Reads one element as the number it stands for, boxed: a Long, or for a {@code u64},
   * {@code ptr} or {@code be64} at or above 2^63 a BigInteger; an {@code i128} or
   * {@code u128} a Long when the value fits one, else a BigInteger ({@code u128} never
   * negative).
   *
   * @param b the buffer
   * @param at the element's first byte
   * @return the value
   */
  public Object value(ByteBuffer b, int at) {
    long v = read(b, at);
    if (size == 8 && !signed && v < 0) {
      return BigInteger.valueOf(v).add(TWO_64);
    }
    return v;
  }

  /**
   * Whether the type holds the number: {@code u8} 0 to 255, {@code i8} -128 to 127, ...,
   * {@code u64} 0 to 2^64-1.
   *
   * @param n a number
   * @return true if {@link #min()} &lt;= n &lt;= {@link #max()}
   */
  public boolean fits(BigInteger n) {
    return n.compareTo(min) >= 0 && n.compareTo(max) <= 0;
  }

  /** @return the smallest value of the type */
  public BigInteger min() {
    return min;
  }

  /** @return the largest value of the type */
  public BigInteger max() {
    return max;
  }

  /**
   * The type whose reader reads this one: {@code char} reads as {@code u8}, {@code ptr} as
   * {@code u64}, every other type as itself.
   *
   * @return the type
   */
  public FieldType readsAs() {
    return this == CHAR ? U8 : this == PTR ? U64 : this;
  }

  /**
   * Whether an array of the type is text: {@code char}, decoded to a String up to its
   * first NUL.
   *
   * @return true for char
   */
  public boolean text() {
    return this == CHAR;
  }

  /**
   * Whether values are stored in network byte order (big-endian).
   *
   * @return true for be16, be32 and be64
   */
  public boolean bigEndian() {
    return bigEndian;
  }

  /**
   * The type in C, with the kernel's {@code <linux/types.h>} names.
   *
   * @return for example {@code "__u32"}, {@code "__be16"}, {@code "char"}
   */
  public String cType() {
    return cType;
  }

  /**
   * The natural alignment: the type's size.
   *
   * @return 1, 2, 4, 8 or 16
   */
  public int alignment() {
    return size;
  }

  /**
   * The type's name, as in the Clojure keyword: {@code "u32"}, {@code "char"}.
   *
   * @return the name
   */
  public String typeName() {
    return typeName;
  }

  /**
   * Bytes in one element, which is also the width of the load or store that moves it (a
   * 128-bit element has none: BPF's widest is 8 bytes).
   *
   * @return 1, 2, 4, 8 or 16
   */
  public int size() {
    return size;
  }

  /**
   * Whether values of the type are signed.
   *
   * @return true for i8, i16, i32, i64 and i128
   */
  public boolean signed() {
    return signed;
  }

  /**
   * The type as messages show it: {@code u32}, or {@code :u32} in EDN.
   *
   * @param notation how names are written
   * @return the name
   */
  @Override
  public String shown(Notation notation) {
    return notation == Notation.EDN ? ":" + typeName : typeName;
  }

  /**
   * Every type name, in the order of this enum.
   *
   * @return {@code [u8, i8, u16, i16, u32, i32, u64, i64, char, ptr, be16, be32, be64, i128,
   *     u128]}
   */
  public static List<String> names() {
    return NAMES;
  }

  /**
   * The type of the given name.
   *
   * @param name for example {@code "u32"}
   * @return the type
   * @throws BpfEventsException for an unknown name, null included
   */
  public static FieldType named(String name) {
    for (FieldType t : values()) {
      if (t.typeName.equals(name)) {
        return t;
      }
    }
    throw Problem.UNKNOWN_TYPE
        .with("type", name)
        .with("expected", "one of {accepted}")
        .with("accepted", NAMES)
        .build();
  }
}
