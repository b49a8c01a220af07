package io.github.bpfevents.codec;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Problem;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.Field;
import io.github.bpfevents.layout.FieldType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Writes a record from data, the inverse of {@link EventDecoder}: a map from field key to
 * value (keys as the {@link DataModel} makes them); a missing field is zero. Each value
 * must fit its field's type exactly ({@code u8} 0..255, {@code i8} -128..127, ...,
 * {@code u64} 0..2^64-1, see {@link FieldType#fits}); a {@code char} field takes a String
 * (any CharSequence) whose UTF-8 bytes fit the array and hold no NUL; another array takes
 * exactly its count of elements in order: a list (any ordered {@link Iterable}, not a
 * Set) or a Java array; a nested event a map. Integers may be Long,
 * Integer, Short, Byte, BigInteger, or another integral Number (such as Clojure's BigInt).
 *
 * <pre>{@code
 * byte[] rec = EventEncoder.encode(conn, Map.of("pid", 4242L, "comm", "curl"));
 * }</pre>
 *
 * <p>An array's elements are counted as they are read, never more than one past the
 * field's count, so an endless sequence is an error, not a hang.
 */
public final class EventEncoder {
  private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

  private EventEncoder() {}

  /**
   * The record's bytes, from a map of field name to value.
   *
   * @param event the layout
   * @param values field name to value
   * @return {@code event.size()} bytes, little-endian ({@code be*} fields big-endian)
   * @throws BpfEventsException naming the field and the value that does not fit, or an
   *     unknown field; nothing is returned then
   */
  public static byte[] encode(EventLayout event, Map<?, ?> values) {
    return encode(event, values, DataModel.JAVA);
  }

  /**
   * The record's bytes, from a map whose keys are the model's.
   *
   * @param event the layout
   * @param values field key to value
   * @param model what the keys are
   * @return {@code event.size()} bytes
   * @throws BpfEventsException as {@link #encode(EventLayout, Map)}
   */
  public static byte[] encode(EventLayout event, Map<?, ?> values, DataModel model) {
    Records.checkEvent(event);
    if (values == null) {
      throw Problem.BAD_VALUE_VALUES_NULL
          .with("value", null)
          .with("expected", "a map of field name to value")
          .build();
    }
    byte[] out = allocate(event);
    write(event, values, ByteBuffer.wrap(out), 0, new ArrayList<>(), model);
    return out;
  }

  /** The largest byte array the JVM makes (a few bytes short of 2^31-1). */
  private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

  /** A record's bytes, or the library's error where the JVM cannot hold them. */
  private static byte[] allocate(EventLayout event) {
    try {
      if (event.size() <= MAX_ARRAY) {
        return new byte[event.size()];
      }
    } catch (OutOfMemoryError e) {
      // the heap is smaller than the record: said below, as for the array limit
    }
    throw Problem.EVENT_TOO_LARGE_RECORD_MADE_HERE
        .with("event", event.name())
        .with("value", event.size())
        .with("expected", "a record this JVM can hold in a byte array (its heap holds "
            + Runtime.getRuntime().maxMemory() + " bytes at most)")
        .build();
  }

  private static void write(EventLayout event, Map<?, ?> values, ByteBuffer b, int base,
      List<Object> path, DataModel model) {
    if (values == null) {
      throw bad(path, null, "a map of field name to value");
    }
    int known = 0;
    List<String> names = event.fieldNames();
    for (String n : names) {
      if (has(values, model.key(n))) {
        known++;
      }
    }
    if (known != values.size()) {
      for (Object key : values.keySet()) {
        String name = model.name(key);
        if (name == null || !event.hasField(name)) {
          // a key that is no name at all is shown as written, not as a field name
          boolean named = name != null;
          List<Object> p = new ArrayList<>(path);
          if (named) {
            p.add(name);
          }
          throw (named ? Problem.UNKNOWN_FIELD : Problem.UNKNOWN_FIELD_RECORD_KEY)
              .with(named ? "field" : "value", named ? name : key)
              .with("path", p)
              .with("event", event.name())
              .with("expected", (named ? "" : "field names as keys: ") + "one of {accepted}")
              .with("accepted", event.fieldNames())
              .build();
        }
      }
    }
    boolean overlapping = overlaps(event);
    // the fields written so far, by first bit: they never share a bit, so a new field
    // shares one with a written field only if with the one before it or the one after
    java.util.TreeMap<Long, Field> written = overlapping ? new java.util.TreeMap<>() : null;
    for (String n : names) {
      Object key = model.key(n);
      if (!has(values, key)) {
        continue;
      }
      Field f = event.field(n);
      List<Object> p = new ArrayList<>(path);
      p.add(f.name());
      if (overlapping && bitSize(f) > 0) {
        Map.Entry<Long, Field> before = written.floorEntry(f.bitOffset());
        Map.Entry<Long, Field> after = written.ceilingEntry(f.bitOffset());
        Field w = before != null && sameBytes(before.getValue(), f) ? before.getValue()
            : after != null && sameBytes(after.getValue(), f) ? after.getValue() : null;
        if (w != null) {
          List<Object> other = new ArrayList<>(path);
          other.add(w.name());
          throw Problem.OVERLAPPING_FIELDS
              .with("field", path.isEmpty() ? f.name() : p)
              .with("path", p)
              .with("member", path.isEmpty() ? w.name() : other)
              .with("event", event.name())
              .with("expected", "values for members of a union that share no bytes: one"
                  + " of them")
              .build();
        }
        written.put(f.bitOffset(), f);
      }
      Object v = values.get(key);
      int at = base + f.offset();
      if (f.isBitfield()) {
        bitfield(f, v, b, at, p, model);
      } else if (f.isFlexible()) {
        Iterator<?> it = f.type() != null && f.type().text() && v instanceof CharSequence cs
            && cs.isEmpty() ? java.util.Collections.emptyIterator() : items(v);
        if (it == null || it.hasNext()) {
          throw bad(p, v, "an empty list" + (f.type() != null && f.type().text()
              ? " or \"\"" : "") + " (" + (f.isFlexibleMember()
              ? "a flexible array member has no elements in the record"
              : "a zero-length array has no elements") + ")");
        }
      } else if (!f.isNested() && f.type().text()) {
        text(v, f.count(), b, at, p);
      } else if (f.count() == 1) {
        element(f, v, b, at, p, model);
      } else {
        Iterator<?> it = items(v);
        if (it == null) {
          throw bad(p, v, "a list (or array) of exactly " + f.count() + " elements"
              + (v instanceof java.util.Set ? "; a set has no order" : ""));
        }
        int k = 0;
        while (it.hasNext()) {
          Object item = it.next();
          if (k == f.count()) {
            throw bad(p, v, "a list (or array) of exactly " + f.count() + " elements, not more");
          }
          List<Object> pk = new ArrayList<>(p);
          pk.add(k);
          element(f, item, b, at + k * f.elementSize(), pk, model);
          k++;
        }
        if (k != f.count()) {
          throw bad(p, v, "a list (or array) of exactly " + f.count() + " elements, not " + k);
        }
      }
    }
  }

  private static final Object OVERLAPS = new Object();

  /** Whether two of the fields an event reaches share bits (through a union), memoised. */
  private static boolean overlaps(EventLayout event) {
    return event.memo(OVERLAPS, e -> {
      List<Field> fs = new ArrayList<>();
      for (String n : e.fieldNames()) {
        fs.add(e.field(n));
      }
      fs.sort(java.util.Comparator.comparingLong(Field::bitOffset));
      long end = 0;
      for (Field f : fs) {
        if (f.bitOffset() < end) {
          return true;
        }
        end = Math.max(end, f.bitOffset() + bitSize(f));
      }
      return false;
    });
  }

  private static long bitSize(Field f) {
    return f.isBitfield() ? f.bits() : 8L * f.size();
  }

  /** Whether two fields share a bit (a field of no bits shares none). */
  private static boolean sameBytes(Field a, Field b) {
    long a0 = a.bitOffset();
    long a1 = a0 + bitSize(a);
    long b0 = b.bitOffset();
    long b1 = b0 + bitSize(b);
    return a0 < b1 && b0 < a1;
  }

  private static void bitfield(Field f, Object v, ByteBuffer b, int at, List<Object> path,
      DataModel model) {
    int w = f.bits();
    FieldType t = f.type();
    BigInteger n = enumValue(f, v, model);
    if (n == null) {
      n = integer(v);
    }
    BigInteger lo = t.signed() ? BigInteger.ONE.shiftLeft(w - 1).negate() : BigInteger.ZERO;
    BigInteger hi = (t.signed() ? BigInteger.ONE.shiftLeft(w - 1) : BigInteger.ONE.shiftLeft(w))
        .subtract(BigInteger.ONE);
    if (n == null || n.compareTo(lo) < 0 || n.compareTo(hi) > 0) {
      throw bad(path, v, "an integer from " + lo + " to " + hi + " (a bitfield of " + w
          + " bits of " + t.typeName() + ")" + enumNames(f), f);
    }
    if (t.size() > 8) {
      Bits.writeWide(b, at, (int) (f.bitOffset() & 7), w, n);
      return;
    }
    Bits.write(b, at, (int) (f.bitOffset() & 7), w, n.longValue());
  }

  /** The value an enumerator's name stands for, or null when v names none. */
  private static BigInteger enumValue(Field f, Object v, DataModel model) {
    if (f.enumType() == null || v instanceof Number) {
      return null;
    }
    String name = v instanceof String s ? s : model.name(v);
    return name == null ? null : f.enumType().values().get(name);
  }

  private static String enumNames(Field f) {
    return f.enumType() == null ? "" : " or one of {accepted}";
  }

  /**
   * The elements of an array field's value in order: a list or other ordered iterable, or
   * a Java array (of objects or primitives); null for anything else, a set (whose order
   * is not the user's) and a map included.
   */
  private static Iterator<?> items(Object v) {
    if (v instanceof Iterable<?> items && !(v instanceof Map) && !(v instanceof java.util.Set)) {
      return items.iterator();
    }
    if (v != null && v.getClass().isArray()) {
      int n = java.lang.reflect.Array.getLength(v);
      return new Iterator<Object>() {
        private int i;

        @Override
        public boolean hasNext() {
          return i < n;
        }

        @Override
        public Object next() {
          if (i >= n) {
            throw new java.util.NoSuchElementException();
          }
          return java.lang.reflect.Array.get(v, i++);
        }
      };
    }
    return null;
  }

  /**
   * Whether the map holds the key; a map that cannot hold keys of its kind (a sorted map
   * of other keys throws ClassCastException) does not.
   */
  private static boolean has(Map<?, ?> values, Object key) {
    try {
      return values.containsKey(key);
    } catch (ClassCastException | NullPointerException e) {
      return false;
    }
  }

  private static void element(Field f, Object v, ByteBuffer b, int at, List<Object> path,
      DataModel model) {
    if (f.isNested()) {
      if (!(v instanceof Map)) {
        throw bad(path, v, "a map of the fields of " + f.nested().name());
      }
      write(f.nested(), (Map<?, ?>) v, b, at, path, model);
    } else if (f.enumType() != null) {
      BigInteger n = enumValue(f, v, model);
      if (n == null && (integer(v) == null || !f.type().fits(integer(v)))) {
        throw bad(path, v, "an integer from " + f.type().min() + " to " + f.type().max()
            + " (" + f.type().typeName() + ")" + enumNames(f), f);
      }
      scalar(f.type(), n != null ? n : v, b, at, path);
    } else {
      scalar(f.type(), v, b, at, path);
    }
  }

  private static void scalar(FieldType t, Object v, ByteBuffer b, int at, List<Object> path) {
    BigInteger n = integer(v);
    if (n == null || !t.fits(n)) {
      throw bad(path, v, "an integer from " + t.min() + " to " + t.max() + " ("
          + t.typeName() + ")");
    }
    if (t.size() > 8) {
      t.write(b, at, n); // all 16 bytes of an i128 or u128
      return;
    }
    long bits = n.signum() < 0 || n.bitLength() < 64 ? n.longValue()
        : n.subtract(TWO_64).longValue();
    t.write(b, at, bits);
  }

  /** The integer a value stands for, or null when it is not an integer. */
  private static BigInteger integer(Object v) {
    if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return BigInteger.valueOf(((Number) v).longValue());
    }
    if (v instanceof BigInteger n) {
      return n;
    }
    if (v instanceof Number && !(v instanceof Double || v instanceof Float
        || v instanceof BigDecimal)) {
      try {
        return new BigInteger(v.toString());
      } catch (NumberFormatException e) {
        return null; // a ratio, or a number of a kind with no integer text
      }
    }
    return null;
  }

  private static void text(Object v, int count, ByteBuffer b, int at, List<Object> path) {
    String bytesOf = count == 1 ? " UTF-8 byte" : " UTF-8 bytes";
    if (!(v instanceof CharSequence)) {
      throw bad(path, v, "a string of at most " + count + bytesOf);
    }
    byte[] bytes;
    try {
      ByteBuffer enc = StandardCharsets.UTF_8.newEncoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .encode(CharBuffer.wrap(v.toString()));
      bytes = new byte[enc.remaining()];
      enc.get(bytes);
    } catch (CharacterCodingException e) {
      throw bad(path, v, "a string of valid Unicode (it holds an unpaired surrogate)");
    }
    if (bytes.length > count) {
      throw bad(path, v, "a string of at most " + count + bytesOf + ", not " + bytes.length);
    }
    for (byte x : bytes) {
      if (x == 0) {
        throw bad(path, v, "a string without NUL characters (NUL ends a C string)");
      }
    }
    b.put(at, bytes);
  }

  private static BpfEventsException bad(List<Object> path, Object v, String expected) {
    return bad(path, v, expected, null);
  }

  /** As {@link #bad(List, Object, String)}, naming an enum field's enumerators. */
  private static BpfEventsException bad(List<Object> path, Object v, String expected,
      Field f) {
    Object field = path.size() == 1 ? path.get(0) : path;
    BpfEventsException.Builder b = Problem.BAD_VALUE_FIELD_FIT
        .with("field", field)
        .with("path", path)
        .with("value", v)
        .with("expected", expected);
    if (f != null && f.enumType() != null) {
      b.with("accepted", List.copyOf(f.enumType().names()));
    }
    return b.build();
  }
}
