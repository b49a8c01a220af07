package io.github.bpfevents.codec;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Problem;
import io.github.bpfevents.layout.FieldRef;
import io.github.bpfevents.layout.FieldType;
import java.math.BigInteger;
import java.nio.ByteBuffer;

/**
 * The read handle: a scalar field resolved once, by name or path
 * ({@link EventView#handle}): its type, its offset within the record and its element count. It reads its field of any record
 * directly, the fastest path for a few fields of many records, allocating nothing:
 *
 * <pre>{@code
 * FieldHandle pid = EventView.of(conn).handle("pid");
 * long p = pid.u32(buf, recordOffset);
 * }</pre>
 *
 * <p>A bitfield is read by {@link #bits} (as C reads it: sign-extended when its type is
 * signed), with no allocation; the getters of a type read whole elements and refuse it.
 *
 * <p>A getter of the wrong type for the field, or a record that does not hold the field
 * within the buffer, is an error. Immutable and thread-safe.
 */
public final class FieldHandle {
  private static final int NOWHERE = Integer.MIN_VALUE;

  private final FieldRef ref;
  private final FieldType type;
  private final int offset;
  // The index each getter adds to the record's: the field's offset for the getters of its
  // type, else an index no buffer holds, so that a getter of the wrong type fails the
  // buffer's own bounds check (and is reported as the wrong type) with no test of its own.
  private final int u8At;
  private final int i8At;
  private final int u16At;
  private final int i16At;
  private final int u32At;
  private final int i32At;
  private final int u64At;
  private final int i64At;
  private final int be16At;
  private final int be32At;
  private final int be64At;
  private final int charAt;
  private final int i128At;
  private final int u128At;
  private final int wideAt;
  // a bitfield: its first bit within the byte at offset, its width; -1 for no bitfield
  private final int shift;
  private final int width;

  FieldHandle(FieldRef ref) {
    this.ref = ref;
    this.type = ref.type();
    this.offset = ref.offset();
    this.u8At = at(FieldType.U8);
    this.i8At = at(FieldType.I8);
    this.u16At = at(FieldType.U16);
    this.i16At = at(FieldType.I16);
    this.u32At = at(FieldType.U32);
    this.i32At = at(FieldType.I32);
    this.u64At = at(FieldType.U64);
    this.i64At = at(FieldType.I64);
    this.be16At = at(FieldType.BE16);
    this.be32At = at(FieldType.BE32);
    this.be64At = at(FieldType.BE64);
    this.charAt = type.text() ? offset : NOWHERE;
    this.i128At = at(FieldType.I128);
    this.u128At = at(FieldType.U128);
    this.wideAt = i128At != NOWHERE ? i128At : u128At;
    this.shift = ref.isBitfield() ? (int) (ref.bitOffset() & 7) : -1;
    this.width = ref.bits();
  }

  /** The field's offset for the getter of {@code getter}'s type, else NOWHERE. */
  private int at(FieldType getter) {
    return type.readsAs() == getter && !ref.isBitfield() ? offset : NOWHERE;
  }

  /** @return true when the handle reads a bitfield (by {@link #bits}) */
  public boolean isBitfield() {
    return shift >= 0;
  }

  /** @return the bitfield's width in bits, or -1 for a field that is no bitfield */
  public int bitWidth() {
    return width;
  }

  /** @return the scalar type */
  public FieldType type() {
    return type;
  }

  /** @return the offset within the record */
  public int offset() {
    return offset;
  }

  /** @return the number of elements (a char array's length) */
  public int count() {
    return ref.count();
  }

  /** @return the path, as text: {@code src.port} */
  public String pathText() {
    return ref.pathText();
  }

  /**
   * Reads this u8 (or char) field of the record at absolute index {@code record} of
   * {@code buf}, without a view.
   *
   * @param buf the buffer (its byte order is ignored)
   * @param record the record's first byte
   * @return the unsigned byte
   * @throws BpfEventsException if the field is not a u8, or lies beyond the buffer
   */
  public long u8(ByteBuffer buf, int record) {
    try {
      return FieldType.U8.read(buf, checked(record) + u8At);
    } catch (IndexOutOfBoundsException | NullPointerException e) {
      throw failure(FieldType.U8, u8At, buf, record);
    }
  }

  /**
   * Reads this i8 field of the record at absolute index {@code record} of
   * {@code buf}, without a view.
   *
   * @param buf the buffer (its byte order is ignored)
   * @param record the record's first byte
   * @return the signed byte
   * @throws BpfEventsException if the field is not an i8, or lies beyond the buffer
   */
  public long i8(ByteBuffer buf, int record) {
    try {
      return FieldType.I8.read(buf, checked(record) + i8At);
    } catch (IndexOutOfBoundsException | NullPointerException e) {
      throw failure(FieldType.I8, i8At, buf, record);
    }
  }

  /**
   * Reads this u16 field of the record at absolute index {@code record} of
   * {@code buf}, without a view.
   *
   * @param buf the buffer (its byte order is ignored)
   * @param record the record's first byte
   * @return the unsigned 16-bit value
   * @throws BpfEventsException if the field is not a u16, or lies beyond the buffer
   */
  public long u16(ByteBuffer buf, int record) {
    try {
      return FieldType.U16.read(buf, checked(record) + u16At);
    } catch (IndexOutOfBoundsException | NullPointerException e) {
      throw failure(FieldType.U16, u16At, buf, record);
    }
  }

  /**
   * Reads this i16 field of the record at absolute index {@code record} of
   * {@code buf}, without a view.
   *
   * @param buf the buffer (its byte order is ignored)
   * @param record the record's first byte
   * @return the signed 16-bit value
   * @throws BpfEventsException if the field is not an i16, or lies beyond the buffer
   */
  public long i16(ByteBuffer buf, int record) {
    try {
      return FieldType.I16.read(buf, checked(record) + i16At);
    } catch (IndexOutOfBoundsException | NullPointerException e) {
      throw failure(FieldType.I16, i16At, buf, record);
    }
  }

  /**
   * Reads this u32 field of the record at absolute index {@code record} of
   * {@code buf}, without a view.
   *
   * @param buf the buffer (its byte order is ignored)
   * @param record the record's first byte
   * @return the unsigned 32-bit value
   * @throws BpfEventsException if the field is not a u32, or lies beyond the buffer
   */
  public long u32(ByteBuffer buf, int record) {
    try {
      return FieldType.U32.read(buf, checked(record) + u32At);
    } catch (IndexOutOfBoundsException | NullPointerException e) {
      throw failure(FieldType.U32, u32At, buf, record);
    }
  }

  /**
   * Reads this i32 field of the record at absolute index {@code record} of
   * {@code buf}, without a view.
   *
   * @param buf the buffer (its byte order is ignored)
   * @param record the record's first byte
   * @return the signed 32-bit value
   * @throws BpfEventsException if the field is not an i32, or lies beyond the buffer
   */
  public long i32(ByteBuffer buf, int record) {
    try {
      return FieldType.I32.read(buf, checked(record) + i32At);
    } catch (IndexOutOfBoundsException | NullPointerException e) {
      throw failure(FieldType.I32, i32At, buf, record);
    }
  }

  /**
   * Reads this u64 (or ptr) field of the record at absolute index {@code record} of
   * {@code buf}, without a view.
   *
   * @param buf the buffer (its byte order is ignored)
   * @param record the record's first byte
   * @return the 64 bits, to be read as unsigned
   * @throws BpfEventsException if the field is not a u64, or lies beyond the buffer
   */
  public long u64(ByteBuffer buf, int record) {
    try {
      return FieldType.U64.read(buf, checked(record) + u64At);
    } catch (IndexOutOfBoundsException | NullPointerException e) {
      throw failure(FieldType.U64, u64At, buf, record);
    }
  }

  /**
   * Reads this i64 field of the record at absolute index {@code record} of
   * {@code buf}, without a view.
   *
   * @param buf the buffer (its byte order is ignored)
   * @param record the record's first byte
   * @return the signed 64-bit value
   * @throws BpfEventsException if the field is not an i64, or lies beyond the buffer
   */
  public long i64(ByteBuffer buf, int record) {
    try {
      return FieldType.I64.read(buf, checked(record) + i64At);
    } catch (IndexOutOfBoundsException | NullPointerException e) {
      throw failure(FieldType.I64, i64At, buf, record);
    }
  }

  /**
   * Reads this be16 field of the record at absolute index {@code record} of
   * {@code buf}, without a view.
   *
   * @param buf the buffer (its byte order is ignored)
   * @param record the record's first byte
   * @return the value, read in network byte order
   * @throws BpfEventsException if the field is not a be16, or lies beyond the buffer
   */
  public long be16(ByteBuffer buf, int record) {
    try {
      return FieldType.BE16.read(buf, checked(record) + be16At);
    } catch (IndexOutOfBoundsException | NullPointerException e) {
      throw failure(FieldType.BE16, be16At, buf, record);
    }
  }

  /**
   * Reads this be32 field of the record at absolute index {@code record} of
   * {@code buf}, without a view.
   *
   * @param buf the buffer (its byte order is ignored)
   * @param record the record's first byte
   * @return the value, read in network byte order
   * @throws BpfEventsException if the field is not a be32, or lies beyond the buffer
   */
  public long be32(ByteBuffer buf, int record) {
    try {
      return FieldType.BE32.read(buf, checked(record) + be32At);
    } catch (IndexOutOfBoundsException | NullPointerException e) {
      throw failure(FieldType.BE32, be32At, buf, record);
    }
  }

  /**
   * Reads this be64 field of the record at absolute index {@code record} of
   * {@code buf}, without a view.
   *
   * @param buf the buffer (its byte order is ignored)
   * @param record the record's first byte
   * @return the 64 bits in network byte order, to be read as unsigned
   * @throws BpfEventsException if the field is not a be64, or lies beyond the buffer
   */
  public long be64(ByteBuffer buf, int record) {
    try {
      return FieldType.BE64.read(buf, checked(record) + be64At);
    } catch (IndexOutOfBoundsException | NullPointerException e) {
      throw failure(FieldType.BE64, be64At, buf, record);
    }
  }

  /**
   * Reads this i128 field of the record at absolute index {@code record} of {@code buf}
   * (this allocates the BigInteger; {@link #low64} and {@link #high64} do not).
   *
   * <pre>{@code
   * BigInteger v = EventView.of(e).handle("full").i128(buf, 0);
   * }</pre>
   *
   * @param buf the buffer (its byte order is ignored)
   * @param record the record's first byte
   * @return the signed 128-bit value
   * @throws BpfEventsException if the field is not an i128, or lies beyond the buffer
   */
  public BigInteger i128(ByteBuffer buf, int record) {
    try {
      return big(FieldType.I128.value(buf, checked(record) + i128At));
    } catch (IndexOutOfBoundsException | NullPointerException e) {
      throw failure(FieldType.I128, i128At, buf, record);
    }
  }

  /**
   * Reads this u128 field of the record at absolute index {@code record} of {@code buf}
   * (this allocates the BigInteger; {@link #low64} and {@link #high64} do not).
   *
   * @param buf the buffer (its byte order is ignored)
   * @param record the record's first byte
   * @return the unsigned 128-bit value, never negative
   * @throws BpfEventsException if the field is not a u128, or lies beyond the buffer
   */
  public BigInteger u128(ByteBuffer buf, int record) {
    try {
      return big(FieldType.U128.value(buf, checked(record) + u128At));
    } catch (IndexOutOfBoundsException | NullPointerException e) {
      throw failure(FieldType.U128, u128At, buf, record);
    }
  }

  /**
   * Reads the low 64 bits of this i128 or u128 field, with no allocation.
   *
   * @param buf the buffer (its byte order is ignored)
   * @param record the record's first byte
   * @return bits 0 to 63 of the value
   * @throws BpfEventsException if the field is not an i128 or u128, or lies beyond the
   *     buffer
   */
  public long low64(ByteBuffer buf, int record) {
    return half(buf, record, 0);
  }

  /**
   * Reads the high 64 bits of this i128 or u128 field, with no allocation.
   *
   * @param buf the buffer (its byte order is ignored)
   * @param record the record's first byte
   * @return bits 64 to 127 of the value
   * @throws BpfEventsException if the field is not an i128 or u128, or lies beyond the
   *     buffer
   */
  public long high64(ByteBuffer buf, int record) {
    return half(buf, record, 8);
  }

  private long half(ByteBuffer buf, int record, int from) {
    try {
      int at = checked(record) + wideAt;
      FieldType.U64.read(buf, at + (8 - from)); // the whole field lies below the limit
      return FieldType.U64.read(buf, at + from);
    } catch (IndexOutOfBoundsException | NullPointerException e) {
      throw failure(type == FieldType.I128 ? FieldType.I128 : FieldType.U128, wideAt, buf,
          record);
    }
  }

  private static BigInteger big(Object v) {
    return v instanceof BigInteger b ? b : BigInteger.valueOf((Long) v);
  }

  /**
   * Reads this char field of the record at absolute index {@code record} of {@code buf} as
   * text (this allocates the String): the bytes up to the first NUL, as UTF-8.
   *
   * @param buf the buffer
   * @param record the record's first byte
   * @return the text
   * @throws BpfEventsException if the field is not a char field, or lies beyond the buffer
   */
  public String string(ByteBuffer buf, int record) {
    try {
      int at = checked(record) + charAt;
      if (at >= 0 && (long) at + count() > buf.limit()) {
        throw new IndexOutOfBoundsException(at); // the whole field, not up to a NUL
      }
      return CStrings.read(buf, at, count());
    } catch (IndexOutOfBoundsException | NullPointerException e) {
      throw failure(FieldType.CHAR, charAt, buf, record);
    }
  }

  /**
   * Reads this integer field by its own type (as {@link FieldType#read}: the low 64 bits
   * of an i128 or u128); a bitfield as C reads it, sign-extended when its type is signed
   * (of one wider than 64 bits, the low 64 bits), with no allocation.
   *
   * @param buf the buffer
   * @param record the record's first byte
   * @return the value
   * @throws BpfEventsException if the field lies beyond the buffer
   */
  public long bits(ByteBuffer buf, int record) {
    try {
      if (shift >= 0) {
        // a bitfield wider than 64 bits (of an i128 or u128): its low 64 bits
        return width == 0 ? 0 : Bits.read(buf, checked(record) + offset, shift,
            Math.min(width, 64), type.signed() && width <= 64);
      }
      return type.read(buf, checked(record) + offset);
    } catch (IndexOutOfBoundsException | NullPointerException e) {
      throw outside(buf, record);
    }
  }

  /** A negative record index would let NOWHERE wrap around to a valid index. */
  private static int checked(int record) {
    if (record < 0) {
      throw new IndexOutOfBoundsException(record);
    }
    return record;
  }

  private BpfEventsException failure(FieldType expected, int at, ByteBuffer buf, int record) {
    return at == NOWHERE ? wrongType(expected) : outside(buf, record);
  }

  private BpfEventsException wrongType(FieldType expected) {
    if (shift >= 0) {
      return Problem.WRONG_TYPE_BITFIELD_BITS
          .with("field", ref.path())
          .with("type", type.typeName())
          .with("getter", expected)
          .with("value", width)
          .with("expected", "bits (getLong in a view) for a bitfield")
          .build();
    }
    return Problem.WRONG_TYPE
        .with("field", ref.path())
        .with("type", type.typeName())
        .with("getter", expected)
        .with("expected", (expected.typeName().startsWith("i") ? "an " : "a ")
            + expected.typeName() + " field for this getter")
        .build();
  }

  private BpfEventsException outside(ByteBuffer buf, int record) {
    if (buf == null) {
      return Problem.NOT_A_BUFFER
          .with("field", ref.path())
          .with("value", null)
          .with("expected", "a buffer holding the record")
          .build();
    }
    if (record < 0) {
      return Records.negativeOffset("field", ref.path(), record, buf);
    }
    return Problem.BUFFER_TOO_SHORT_FIELD_LIES_BEYOND
        .with("field", ref.path())
        .with("offset", record)
        .with("value", buf.limit())
        .with("expected", "a buffer holding the field at " + record + " + " + offset)
        .build();
  }

  @Override
  public String toString() {
    return "FieldHandle{" + ref + "}";
  }
}
