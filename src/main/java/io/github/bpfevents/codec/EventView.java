package io.github.bpfevents.codec;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Problem;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.FieldRef;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A zero-copy, allocation-free reader of records: wrap it over a buffer and an offset,
 * then read fields by handle (resolved once) or by name. One view is reused for every
 * record, as a flyweight; it is not thread-safe.
 *
 * <pre>{@code
 * EventView view = EventView.of(conn);
 * FieldHandle pid = view.handle("pid");
 * for (...) {
 *   view.wrap(buf, offset);
 *   long p = view.getU32(pid);          // or view.getU32("pid")
 * }
 * }</pre>
 *
 * <p>Reads are little-endian ({@code be*} big-endian) whatever the buffer's byte order.
 * Unsigned types up to 32 bits come back as their unsigned value in a long; {@code u64},
 * {@code ptr} and {@code be64} as their 64 bits (use {@link Long#toUnsignedString}).
 * A getter of the wrong type for the field is an error; so is wrapping where the record
 * does not fit.
 */
public final class EventView {
  private final EventLayout event;
  private final Map<String, FieldHandle> byName = new HashMap<>();
  private ByteBuffer buf;
  private int base;

  private EventView(EventLayout event) {
    this.event = event;
    for (String name : event.fieldNames()) {
      FieldRef r = event.resolve(List.of(name));
      if (!r.isNested()) {
        byName.put(name, new FieldHandle(r));
      }
    }
  }

  /**
   * A view for records of the given layout.
   *
   * @param event the layout
   * @return a view, not yet wrapped
   * @throws BpfEventsException if the event is null
   */
  public static EventView of(EventLayout event) {
    Records.checkEvent(event);
    return new EventView(event);
  }

  /**
   * The handle of a scalar field, by name or path ({@code "src", "port"}).
   *
   * @param path field names and indices, as {@link EventLayout#resolve}
   * @return the handle
   * @throws BpfEventsException if the path names no scalar
   */
  public FieldHandle handle(Object... path) {
    return handle(path == null ? null : Arrays.asList(path));
  }

  /**
   * The handle of a scalar field, by a path held in a list ({@code List.of("hops", 2,
   * "ttl")}).
   *
   * @param path field names and indices, as {@link EventLayout#resolve}
   * @return the handle
   * @throws BpfEventsException if the path names no scalar
   */
  public FieldHandle handle(List<?> path) {
    FieldRef r = event.resolve(path);
    if (r.isNested()) {
      throw Problem.NOT_A_SCALAR_EVENT
          .with("field", r.path())
          .with("expected", "a path to a scalar field")
          .build();
    }
    return new FieldHandle(r);
  }

  /**
   * Points the view at the record at absolute index {@code at} of {@code buf}.
   *
   * @param buf the buffer; its position is ignored, its limit respected
   * @param at the record's first byte
   * @return this view
   * @throws BpfEventsException if the record does not fit below the limit
   */
  public EventView wrap(ByteBuffer buf, int at) {
    if (buf == null || at < 0 || at > buf.limit() - event.size()) {
      Records.check(event, buf, at);
    }
    this.buf = buf;
    this.base = at;
    return this;
  }

  /** @return the layout */
  public EventLayout event() {
    return event;
  }

  private static FieldHandle given(FieldHandle h) {
    if (h == null) {
      throw Problem.NOT_A_HANDLE
          .with("value", null)
          .with("expected", "a field handle (EventView.handle)")
          .build();
    }
    return h;
  }

  private FieldHandle named(String name) {
    FieldHandle h = byName.get(name);
    if (h == null) {
      return handle(name);
    }
    return h;
  }

  private ByteBuffer wrapped() {
    if (buf == null) {
      throw Problem.NOT_WRAPPED
          .with("expected", "wrap(buffer, offset) first")
          .build();
    }
    return buf;
  }

  /**
   * Any integer field, read by its own type (as {@link io.github.bpfevents.layout.FieldType#read}).
   *
   * @param h the handle
   * @return the value
   */
  public long getLong(FieldHandle h) {
    return given(h).bits(wrapped(), base);
  }

  /**
   * Reads a u8 (or char) field of the wrapped record.
   *
   * @param h a u8 (or char) field
   * @return its unsigned value
   */
  public long getU8(FieldHandle h) {
    return given(h).u8(wrapped(), base);
  }

  /**
   * Reads an i8 field of the wrapped record.
   *
   * @param h an i8 field
   * @return its value
   */
  public long getI8(FieldHandle h) {
    return given(h).i8(wrapped(), base);
  }

  /**
   * Reads a u16 field of the wrapped record.
   *
   * @param h a u16 field
   * @return its unsigned value
   */
  public long getU16(FieldHandle h) {
    return given(h).u16(wrapped(), base);
  }

  /**
   * Reads an i16 field of the wrapped record.
   *
   * @param h an i16 field
   * @return its value
   */
  public long getI16(FieldHandle h) {
    return given(h).i16(wrapped(), base);
  }

  /**
   * Reads a u32 field of the wrapped record.
   *
   * @param h a u32 field
   * @return its unsigned value
   */
  public long getU32(FieldHandle h) {
    return given(h).u32(wrapped(), base);
  }

  /**
   * Reads an i32 field of the wrapped record.
   *
   * @param h an i32 field
   * @return its value
   */
  public long getI32(FieldHandle h) {
    return given(h).i32(wrapped(), base);
  }

  /**
   * Reads a u64 (or ptr) field of the wrapped record.
   *
   * @param h a u64 (or ptr) field
   * @return its 64 bits, to be read as unsigned
   */
  public long getU64(FieldHandle h) {
    return given(h).u64(wrapped(), base);
  }

  /**
   * Reads an i64 field of the wrapped record.
   *
   * @param h an i64 field
   * @return its value
   */
  public long getI64(FieldHandle h) {
    return given(h).i64(wrapped(), base);
  }

  /**
   * Reads a be16 field of the wrapped record.
   *
   * @param h a be16 field
   * @return its value, read in network byte order
   */
  public long getBe16(FieldHandle h) {
    return given(h).be16(wrapped(), base);
  }

  /**
   * Reads a be32 field of the wrapped record.
   *
   * @param h a be32 field
   * @return its value, read in network byte order
   */
  public long getBe32(FieldHandle h) {
    return given(h).be32(wrapped(), base);
  }

  /**
   * Reads a be64 field of the wrapped record.
   *
   * @param h a be64 field
   * @return its 64 bits in network byte order, to be read as unsigned
   */
  public long getBe64(FieldHandle h) {
    return given(h).be64(wrapped(), base);
  }

  /**
   * A char field of the wrapped record as text (this allocates the String).
   *
   * @param h a char field
   * @return the bytes up to the first NUL, as UTF-8
   */
  public String getString(FieldHandle h) {
    return given(h).string(wrapped(), base);
  }

  /**
   * Reads a u8 field.
   *
   * @param name a u8 field
   * @return as {@link #getU8(FieldHandle)}
   */
  public long getU8(String name) {
    return getU8(named(name));
  }

  /**
   * Reads an i8 field.
   *
   * @param name an i8 field
   * @return as {@link #getI8(FieldHandle)}
   */
  public long getI8(String name) {
    return getI8(named(name));
  }

  /**
   * Reads a u16 field.
   *
   * @param name a u16 field
   * @return as {@link #getU16(FieldHandle)}
   */
  public long getU16(String name) {
    return getU16(named(name));
  }

  /**
   * Reads an i16 field.
   *
   * @param name an i16 field
   * @return as {@link #getI16(FieldHandle)}
   */
  public long getI16(String name) {
    return getI16(named(name));
  }

  /**
   * Reads a u32 field.
   *
   * @param name a u32 field
   * @return as {@link #getU32(FieldHandle)}
   */
  public long getU32(String name) {
    return getU32(named(name));
  }

  /**
   * Reads an i32 field.
   *
   * @param name an i32 field
   * @return as {@link #getI32(FieldHandle)}
   */
  public long getI32(String name) {
    return getI32(named(name));
  }

  /**
   * Reads a u64 field.
   *
   * @param name a u64 field
   * @return as {@link #getU64(FieldHandle)}
   */
  public long getU64(String name) {
    return getU64(named(name));
  }

  /**
   * Reads an i64 field.
   *
   * @param name an i64 field
   * @return as {@link #getI64(FieldHandle)}
   */
  public long getI64(String name) {
    return getI64(named(name));
  }

  /**
   * Reads a be16 field.
   *
   * @param name a be16 field
   * @return as {@link #getBe16(FieldHandle)}
   */
  public long getBe16(String name) {
    return getBe16(named(name));
  }

  /**
   * Reads a be32 field.
   *
   * @param name a be32 field
   * @return as {@link #getBe32(FieldHandle)}
   */
  public long getBe32(String name) {
    return getBe32(named(name));
  }

  /**
   * Reads a be64 field.
   *
   * @param name a be64 field
   * @return as {@link #getBe64(FieldHandle)}
   */
  public long getBe64(String name) {
    return getBe64(named(name));
  }

  /**
   * Reads any integer field.
   *
   * @param name any integer field
   * @return as {@link #getLong(FieldHandle)}
   */
  public long getLong(String name) {
    return getLong(named(name));
  }

  /**
   * Reads a char field.
   *
   * @param name a char field
   * @return as {@link #getString(FieldHandle)}
   */
  public String getString(String name) {
    return getString(named(name));
  }
}
