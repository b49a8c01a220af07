package io.github.bpfevents.codec;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.Field;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a record's bytes into Java data: a map from field name to value in declaration
 * order. Values: {@link Long} for integers (unsigned types as their unsigned value; a
 * {@code u64}, {@code ptr} or {@code be64} at or above 2^63 as a
 * {@link java.math.BigInteger}); a {@link String} for {@code char} fields (up to the first
 * NUL, UTF-8, invalid bytes replaced by U+FFFD); a {@link List} for other arrays; a nested
 * map for a nested event. Records are little-endian, {@code be*} fields big-endian,
 * whatever the buffer's byte order.
 *
 * <pre>{@code
 * Map<String, Object> m = EventDecoder.decode(conn, buf, 0);
 * m.get("pid");   // 4242L
 * }</pre>
 */
public final class EventDecoder {
  private EventDecoder() {}

  /**
   * Decodes the record at absolute index {@code at} of {@code buf}.
   *
   * @param event the layout
   * @param buf the bytes; its position is ignored, its limit respected
   * @param at the record's first byte
   * @return an unmodifiable map in declaration order
   * @throws BpfEventsException if the record does not fit below the limit
   */
  public static Map<String, Object> decode(EventLayout event, ByteBuffer buf, int at) {
    Records.check(event, buf, at);
    return decodeAt(event, buf, at);
  }

  private static Map<String, Object> decodeAt(EventLayout event, ByteBuffer buf, int base) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (Field f : event.fields()) {
      m.put(f.name(), field(f, buf, base + f.offset()));
    }
    return Collections.unmodifiableMap(m);
  }

  private static Object field(Field f, ByteBuffer buf, int at) {
    if (!f.isNested() && Records.isText(f.type())) {
      return Scalars.cstring(buf, at, f.count());
    }
    if (f.count() == 1) {
      return element(f, buf, at);
    }
    List<Object> items = new ArrayList<>(f.count());
    for (int k = 0; k < f.count(); k++) {
      items.add(element(f, buf, at + k * f.elementSize()));
    }
    return Collections.unmodifiableList(items);
  }

  private static Object element(Field f, ByteBuffer buf, int at) {
    return f.isNested() ? decodeAt(f.nested(), buf, at) : Scalars.value(f.type(), buf, at);
  }
}
