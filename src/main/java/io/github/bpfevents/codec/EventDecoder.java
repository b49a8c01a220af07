package io.github.bpfevents.codec;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Problem;
import io.github.bpfevents.layout.EnumType;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.Field;
import io.github.bpfevents.layout.FieldType;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * Turns a record's bytes into data: a map from field name to value in declaration order,
 * made by a {@link DataModel}. Values: {@link Long} for integers (unsigned types as their
 * unsigned value; a {@code u64}, {@code ptr} or {@code be64} at or above 2^63 as a
 * {@link java.math.BigInteger}); a {@link String} for {@code char} fields (up to the first
 * NUL, UTF-8, invalid bytes replaced by U+FFFD); a list for other arrays; a nested map
 * for a nested event. Records are little-endian, {@code be*} fields big-endian, whatever
 * the buffer's byte order.
 *
 * <p>The C type model: a union decodes to a map of every member's reading of the same
 * bytes; an anonymous member's fields appear at the enclosing level, by their own names;
 * a bitfield to the integer C reads (sign-extended when its type is signed); a field with
 * an enum to its enumerator's name (a keyword in Clojure) when one names the value, else
 * to the integer; a pointer to its 64-bit value; a flexible array member to an empty list
 * (its elements lie beyond the record), a GNU zero-length array to an empty list too, or
 * to "" for {@code char}.
 *
 * <pre>{@code
 * Map<String, Object> m = EventDecoder.decode(conn, buf, 0);
 * m.get("pid");   // 4242L
 *
 * EventDecoder d = EventDecoder.of(conn, DataModel.JAVA);   // made once per layout and model
 * Object record = d.decode(bytes, 0);
 * }</pre>
 *
 * <p>A decoder is made once per layout and model and kept with the layout
 * ({@link EventLayout#memo}); it is immutable and thread-safe.
 */
public final class EventDecoder {
  private final EventLayout event;
  private final DataModel model;
  private final Object[] keys;
  private final FieldReader[] readers;

  private EventDecoder(EventLayout event, DataModel model) {
    this.event = event;
    this.model = model;
    // the names reached from the event: an anonymous member's fields in its place, at
    // their offsets from this event; unnamed bitfields left out
    int n = event.fieldNames().size();
    this.keys = new Object[n];
    this.readers = new FieldReader[n];
    for (int i = 0; i < n; i++) {
      Field f = event.field(event.fieldNames().get(i));
      keys[i] = model.key(f.name());
      readers[i] = reader(f, model);
    }
  }

  /**
   * The decoder of a layout in a model, made on first request and kept with the layout.
   *
   * @param event the layout
   * @param model how records look as data
   * @return the decoder
   * @throws BpfEventsException if the event or the model is null
   */
  public static EventDecoder of(EventLayout event, DataModel model) {
    Records.checkEvent(event);
    if (model == null) {
      throw Problem.MISSING_ARGUMENT_DATA_MODEL_NULL
          .with("key", "model")
          .with("value", null)
          .with("expected", "a data model")
          .build();
    }
    return event.memo(model, e -> new EventDecoder(e, model));
  }

  /**
   * Decodes the record at absolute index {@code at} of {@code buf} into Java data.
   *
   * @param event the layout
   * @param buf the bytes; its position is ignored, its limit respected
   * @param at the record's first byte
   * @return an unmodifiable map in declaration order
   * @throws BpfEventsException if the record does not fit below the limit
   */
  public static Map<String, Object> decode(EventLayout event, ByteBuffer buf, int at) {
    return DataModel.asMap(of(event, DataModel.JAVA).decode(buf, at));
  }

  /** @return the layout this decoder reads */
  public EventLayout event() {
    return event;
  }

  /** @return the model it builds data in */
  public DataModel model() {
    return model;
  }

  /**
   * Decodes the record at absolute index {@code at} of {@code buf}.
   *
   * @param buf the bytes; its position is ignored, its limit respected
   * @param at the record's first byte
   * @return the record, as the model's map
   * @throws BpfEventsException if the buffer is null or the record does not fit below its
   *     limit
   */
  public Object decode(ByteBuffer buf, long at) {
    if (buf == null || at < 0 || at > buf.limit() - event.size()) {
      Records.check(event, buf, at);
    }
    return build(buf, (int) at);
  }

  /**
   * Decodes the record at index {@code at} of a byte array.
   *
   * @param bytes the bytes
   * @param at the record's first byte
   * @return the record, as the model's map
   * @throws BpfEventsException if the array is null or the record does not fit in it
   */
  public Object decode(byte[] bytes, long at) {
    if (bytes == null) {
      throw Problem.NOT_A_BUFFER_BYTES
          .with("value", null)
          .with("expected", "a byte array or a ByteBuffer")
          .build();
    }
    return decode(ByteBuffer.wrap(bytes), at);
  }

  private Object build(ByteBuffer b, int base) {
    FieldReader[] rs = readers;
    Object[] kv = new Object[2 * rs.length];
    for (int i = 0; i < rs.length; i++) {
      kv[2 * i] = keys[i];
      kv[2 * i + 1] = rs[i].read(b, base);
    }
    return model.map(kv);
  }

  private static FieldReader reader(Field f, DataModel model) {
    int off = f.offset();
    int count = f.count();
    if (f.isBitfield()) {
      int shift = (int) (f.bitOffset() & 7);
      int width = f.bits();
      FieldType t = f.type();
      EnumType en = f.enumType();
      if (t.size() > 8) {
        // a bitfield of a 128-bit type: a Long when the value fits one
        return (b, base) -> {
          BigInteger v = Bits.readWide(b, base + off, shift, width, t.signed());
          return v.bitLength() < 64 ? (Object) v.longValue() : v;
        };
      }
      return (b, base) -> {
        long v = Bits.read(b, base + off, shift, width, t.signed());
        return en != null ? named(en, v, t, model) : boxed(t, v);
      };
    }
    if (count == 0 && !f.isFlexibleMember() && !f.isNested() && f.type().text()) {
      return (b, base) -> ""; // a zero-length char array: the text of no bytes
    }
    if (count == 0) {
      return (b, base) -> model.list(new Object[0]);
    }
    if (!f.isNested() && f.type().text()) {
      return (b, base) -> CStrings.read(b, base + off, count);
    }
    FieldReader element;
    if (f.isNested()) {
      EventDecoder d = of(f.nested(), model);
      if (count == 1) {
        return (b, base) -> d.build(b, base + off);
      }
      element = d::build;
    } else if (f.enumType() != null) {
      FieldType t = f.type();
      EnumType en = f.enumType();
      element = (b, at) -> named(en, t.read(b, at), t, model);
      if (count == 1) {
        return (b, base) -> element(en, t, model, b, base + off);
      }
    } else {
      FieldType t = f.type();
      if (count == 1) {
        return (b, base) -> t.value(b, base + off);
      }
      element = t::value;
    }
    int stride = f.elementSize();
    return (b, base) -> {
      Object[] items = new Object[count];
      for (int k = 0; k < count; k++) {
        items[k] = element.read(b, base + off + k * stride);
      }
      return model.list(items);
    };
  }

  private static Object element(EnumType en, FieldType t, DataModel model, ByteBuffer b,
      int at) {
    return named(en, t.read(b, at), t, model);
  }

  /** An enum field's value: its enumerator's name as a key of the model, else the number. */
  private static Object named(EnumType en, long v, FieldType t, DataModel model) {
    String name = en.nameOf(v);
    return name != null ? model.key(name) : boxed(t, v);
  }

  /** The number the bits of a t stand for: a Long, or a BigInteger for a u64 at 2^63 up. */
  private static Object boxed(FieldType t, long v) {
    if (t.size() == 8 && !t.signed() && v < 0) {
      return java.math.BigInteger.valueOf(v).add(java.math.BigInteger.ONE.shiftLeft(64));
    }
    return v;
  }

  /** Reads one field of the record at {@code base}. */
  @FunctionalInterface
  private interface FieldReader {
    Object read(ByteBuffer b, int base);
  }

  @Override
  public String toString() {
    return "EventDecoder{" + event.name() + "}";
  }
}
