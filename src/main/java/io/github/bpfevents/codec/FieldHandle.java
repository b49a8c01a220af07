package io.github.bpfevents.codec;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.layout.FieldRef;
import io.github.bpfevents.layout.FieldType;
import java.nio.ByteBuffer;

/**
 * A scalar field resolved once, by name or path ({@link EventView#handle}): its type, its
 * offset within the record and its element count. It reads its field of any record
 * directly, the fastest path for a few fields of many records, allocating nothing:
 *
 * <pre>{@code
 * FieldHandle pid = EventView.of(conn).handle("pid");
 * long p = pid.u32(buf, recordOffset);
 * }</pre>
 *
 * <p>A getter of the wrong type for the field, or a record that does not hold the field
 * within the buffer, is an error. Immutable and thread-safe.
 */
public final class FieldHandle {
  private final FieldRef ref;
  private final FieldType type;
  private final int offset;

  FieldHandle(FieldRef ref) {
    this.ref = ref;
    this.type = ref.type();
    this.offset = ref.offset();
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
    if (type != FieldType.U8 && type != FieldType.CHAR) {
      throw wrongType(FieldType.U8);
    }
    try {
      return Scalars.u8(buf, record + offset);
    } catch (IndexOutOfBoundsException | NullPointerException e) {
      throw outside(buf, record);
    }
  }

  /**
   * Reads this i8 field of the record at absolute index {@code record} of
   * {@code buf}, without a view.
   *
   * @param buf the buffer (its byte order is ignored)
   * @param record the record's first byte
   * @return the signed byte
   * @throws BpfEventsException if the field is not a i8, or lies beyond the buffer
   */
  public long i8(ByteBuffer buf, int record) {
    if (type != FieldType.I8) {
      throw wrongType(FieldType.I8);
    }
    try {
      return Scalars.i8(buf, record + offset);
    } catch (IndexOutOfBoundsException | NullPointerException e) {
      throw outside(buf, record);
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
    if (type != FieldType.U16) {
      throw wrongType(FieldType.U16);
    }
    try {
      return Scalars.u16(buf, record + offset);
    } catch (IndexOutOfBoundsException | NullPointerException e) {
      throw outside(buf, record);
    }
  }

  /**
   * Reads this i16 field of the record at absolute index {@code record} of
   * {@code buf}, without a view.
   *
   * @param buf the buffer (its byte order is ignored)
   * @param record the record's first byte
   * @return the signed 16-bit value
   * @throws BpfEventsException if the field is not a i16, or lies beyond the buffer
   */
  public long i16(ByteBuffer buf, int record) {
    if (type != FieldType.I16) {
      throw wrongType(FieldType.I16);
    }
    try {
      return Scalars.i16(buf, record + offset);
    } catch (IndexOutOfBoundsException | NullPointerException e) {
      throw outside(buf, record);
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
    if (type != FieldType.U32) {
      throw wrongType(FieldType.U32);
    }
    try {
      return Scalars.u32(buf, record + offset);
    } catch (IndexOutOfBoundsException | NullPointerException e) {
      throw outside(buf, record);
    }
  }

  /**
   * Reads this i32 field of the record at absolute index {@code record} of
   * {@code buf}, without a view.
   *
   * @param buf the buffer (its byte order is ignored)
   * @param record the record's first byte
   * @return the signed 32-bit value
   * @throws BpfEventsException if the field is not a i32, or lies beyond the buffer
   */
  public long i32(ByteBuffer buf, int record) {
    if (type != FieldType.I32) {
      throw wrongType(FieldType.I32);
    }
    try {
      return Scalars.i32(buf, record + offset);
    } catch (IndexOutOfBoundsException | NullPointerException e) {
      throw outside(buf, record);
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
    if (type != FieldType.U64 && type != FieldType.PTR) {
      throw wrongType(FieldType.U64);
    }
    try {
      return Scalars.i64(buf, record + offset);
    } catch (IndexOutOfBoundsException | NullPointerException e) {
      throw outside(buf, record);
    }
  }

  /**
   * Reads this i64 field of the record at absolute index {@code record} of
   * {@code buf}, without a view.
   *
   * @param buf the buffer (its byte order is ignored)
   * @param record the record's first byte
   * @return the signed 64-bit value
   * @throws BpfEventsException if the field is not a i64, or lies beyond the buffer
   */
  public long i64(ByteBuffer buf, int record) {
    if (type != FieldType.I64) {
      throw wrongType(FieldType.I64);
    }
    try {
      return Scalars.i64(buf, record + offset);
    } catch (IndexOutOfBoundsException | NullPointerException e) {
      throw outside(buf, record);
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
    if (type != FieldType.BE16) {
      throw wrongType(FieldType.BE16);
    }
    try {
      return Scalars.be16(buf, record + offset);
    } catch (IndexOutOfBoundsException | NullPointerException e) {
      throw outside(buf, record);
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
    if (type != FieldType.BE32) {
      throw wrongType(FieldType.BE32);
    }
    try {
      return Scalars.be32(buf, record + offset);
    } catch (IndexOutOfBoundsException | NullPointerException e) {
      throw outside(buf, record);
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
    if (type != FieldType.BE64) {
      throw wrongType(FieldType.BE64);
    }
    try {
      return ByteOrders.be64(buf, record + offset);
    } catch (IndexOutOfBoundsException | NullPointerException e) {
      throw outside(buf, record);
    }
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
    if (type != FieldType.CHAR) {
      throw wrongType(FieldType.CHAR);
    }
    try {
      return Scalars.cstring(buf, record + offset, count());
    } catch (IndexOutOfBoundsException | NullPointerException e) {
      throw outside(buf, record);
    }
  }

  /**
   * Reads this integer field by its own type (as {@link Scalars#bits}).
   *
   * @param buf the buffer
   * @param record the record's first byte
   * @return the value
   * @throws BpfEventsException if the field lies beyond the buffer
   */
  public long bits(ByteBuffer buf, int record) {
    try {
      return Scalars.bits(type, buf, record + offset);
    } catch (IndexOutOfBoundsException | NullPointerException e) {
      throw outside(buf, record);
    }
  }

  private BpfEventsException wrongType(FieldType expected) {
    return BpfEventsException.of("wrong-type")
        .with("field", pathText())
        .with("type", type.typeName())
        .with("expected", expected.typeName())
        .message("field " + pathText() + " is " + type.typeName() + "; expected a "
            + expected.typeName() + " field for this getter");
  }

  private BpfEventsException outside(ByteBuffer buf, int record) {
    return BpfEventsException.of("buffer-too-short")
        .with("field", pathText())
        .with("offset", record)
        .with("value", buf == null ? null : buf.limit())
        .with("expected", "a buffer holding the field at " + record + " + " + offset)
        .message("field " + pathText() + " of the record at " + record + " lies beyond the"
            + " buffer (" + (buf == null ? "null" : buf.limit() + " bytes") + ")");
  }

  @Override
  public String toString() {
    return "FieldHandle{" + ref + "}";
  }
}
