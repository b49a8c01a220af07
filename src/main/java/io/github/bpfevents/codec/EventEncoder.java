package io.github.bpfevents.codec;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.Field;
import io.github.bpfevents.layout.FieldType;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a record from Java data, the inverse of {@link EventDecoder}: a map from field
 * name to value; a missing field is zero. Each value must fit its field's type exactly
 * ({@code u8} 0..255, {@code i8} -128..127, ..., {@code u64} 0..2^64-1 as a Long or
 * BigInteger); a {@code char} field takes a String whose UTF-8 bytes fit the array and
 * hold no NUL; another array takes a List of exactly its count; a nested event a map.
 * Integers may be Long, Integer, Short, Byte or BigInteger.
 *
 * <pre>{@code
 * byte[] rec = EventEncoder.encode(conn, Map.of("pid", 4242L, "comm", "curl"));
 * }</pre>
 */
public final class EventEncoder {
  private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

  private EventEncoder() {}

  /**
   * The record's bytes.
   *
   * @param event the layout
   * @param values field name to value
   * @return {@code event.size()} bytes, little-endian ({@code be*} fields big-endian)
   * @throws BpfEventsException naming the field and the value that does not fit, or an
   *     unknown field; nothing is returned then
   */
  public static byte[] encode(EventLayout event, Map<String, ?> values) {
    if (event == null) {
      Records.check(null, null, 0);
    }
    byte[] out = new byte[event.size()];
    write(event, values, ByteBuffer.wrap(out), 0, new ArrayList<>());
    return out;
  }

  private static void write(EventLayout event, Map<?, ?> values, ByteBuffer b, int base,
      List<Object> path) {
    if (values == null) {
      throw bad(path, null, "a map of field name to value");
    }
    for (Object key : values.keySet()) {
      if (!(key instanceof String) || !event.hasField((String) key)) {
        List<Object> p = new ArrayList<>(path);
        p.add(key);
        throw BpfEventsException.of("unknown-field")
            .with("field", key)
            .with("path", p)
            .with("event", event.name())
            .with("expected", "one of " + event.fieldNames())
            .with("accepted", event.fieldNames())
            .message("event " + event.name() + " has no field " + key + "; expected one of "
                + event.fieldNames());
      }
    }
    for (Field f : event.fields()) {
      if (!values.containsKey(f.name())) {
        continue;
      }
      List<Object> p = new ArrayList<>(path);
      p.add(f.name());
      Object v = values.get(f.name());
      int at = base + f.offset();
      if (!f.isNested() && Records.isText(f.type())) {
        text(v, f.count(), b, at, p);
      } else if (f.count() == 1) {
        element(f, v, b, at, p);
      } else {
        if (!(v instanceof List) || ((List<?>) v).size() != f.count()) {
          throw bad(p, v, "a list of exactly " + f.count() + " elements");
        }
        List<?> items = (List<?>) v;
        for (int k = 0; k < f.count(); k++) {
          List<Object> pk = new ArrayList<>(p);
          pk.add(k);
          element(f, items.get(k), b, at + k * f.elementSize(), pk);
        }
      }
    }
  }

  private static void element(Field f, Object v, ByteBuffer b, int at, List<Object> path) {
    if (f.isNested()) {
      if (!(v instanceof Map)) {
        throw bad(path, v, "a map of the fields of " + f.nested().name());
      }
      write(f.nested(), (Map<?, ?>) v, b, at, path);
    } else {
      scalar(f.type(), v, b, at, path);
    }
  }

  private static void scalar(FieldType t, Object v, ByteBuffer b, int at, List<Object> path) {
    BigInteger n = integer(v);
    BigInteger min;
    BigInteger max;
    int bits = 8 * t.size();
    if (t.signed()) {
      min = BigInteger.ONE.shiftLeft(bits - 1).negate();
      max = BigInteger.ONE.shiftLeft(bits - 1).subtract(BigInteger.ONE);
    } else {
      min = BigInteger.ZERO;
      max = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
    }
    if (n == null || n.compareTo(min) < 0 || n.compareTo(max) > 0) {
      throw bad(path, v, "an integer from " + min + " to " + max + " (" + t.typeName() + ")");
    }
    long bitsValue = n.signum() < 0 || n.bitLength() < 64 ? n.longValue()
        : n.subtract(TWO_64).longValue();
    switch (t.size()) {
      case 1:
        b.put(at, (byte) bitsValue);
        break;
      case 2:
        (t.bigEndian() ? ByteOrders.BE16 : ByteOrders.LE16).set(b, at, (short) bitsValue);
        break;
      case 4:
        (t.bigEndian() ? ByteOrders.BE32 : ByteOrders.LE32).set(b, at, (int) bitsValue);
        break;
      default:
        (t.bigEndian() ? ByteOrders.BE64 : ByteOrders.LE64).set(b, at, bitsValue);
    }
  }

  private static BigInteger integer(Object v) {
    if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return BigInteger.valueOf(((Number) v).longValue());
    }
    return v instanceof BigInteger ? (BigInteger) v : null;
  }

  private static void text(Object v, int count, ByteBuffer b, int at, List<Object> path) {
    if (!(v instanceof String)) {
      throw bad(path, v, "a string of at most " + count + " UTF-8 bytes");
    }
    byte[] bytes;
    try {
      ByteBuffer enc = StandardCharsets.UTF_8.newEncoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .encode(CharBuffer.wrap((String) v));
      bytes = new byte[enc.remaining()];
      enc.get(bytes);
    } catch (CharacterCodingException e) {
      throw bad(path, v, "a string of valid Unicode (it holds an unpaired surrogate)");
    }
    if (bytes.length > count) {
      throw bad(path, v, "a string of at most " + count + " UTF-8 bytes, not " + bytes.length);
    }
    for (byte x : bytes) {
      if (x == 0) {
        throw bad(path, v, "a string without NUL characters (NUL ends a C string)");
      }
    }
    b.put(at, bytes);
  }

  private static String pathText(List<Object> path) {
    StringBuilder b = new StringBuilder();
    for (Object step : path) {
      if (step instanceof Integer) {
        b.append('[').append(step).append(']');
      } else {
        b.append(b.length() == 0 ? "" : ".").append(step);
      }
    }
    return b.toString();
  }

  private static BpfEventsException bad(List<Object> path, Object v, String expected) {
    Object field = path.size() == 1 ? path.get(0) : path;
    return BpfEventsException.of("bad-value")
        .with("field", field)
        .with("path", path)
        .with("value", v)
        .with("expected", expected)
        .message("field " + pathText(path) + ": value " + (v instanceof String ? "\"" + v + "\"" : v)
            + " does not fit; expected " + expected);
  }
}
