package io.github.bpfevents.btf;

import io.github.bpfevents.BpfEventsException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The string section of BTF: NUL-terminated names back to back, the first one empty, each
 * named by its byte offset ({@code name_off}). Made while writing ({@link #add}, each
 * distinct name once) or read from a blob ({@link #read}, {@link #at}).
 */
public final class BtfStrings {
  /** {@code BTF_MAX_NAME_OFFSET}: the largest offset a record may name. */
  public static final int MAX_OFFSET = 0x00ffffff;

  private final ByteArrayOutputStream out;
  private final Map<String, Integer> offsets;
  private final byte[] data;
  private final String source;

  /** An empty table for writing: just the empty name at offset 0. */
  public BtfStrings() {
    this.out = new ByteArrayOutputStream();
    this.out.write(0);
    this.offsets = new HashMap<>();
    this.offsets.put("", 0);
    this.data = null;
    this.source = null;
  }

  private BtfStrings(byte[] data, String source) {
    this.out = null;
    this.offsets = null;
    this.data = data;
    this.source = source;
  }

  /**
   * The offset of a name, adding it the first time.
   *
   * @param name the name: no NUL in it; empty for none (offset 0)
   * @return its offset
   * @throws BpfEventsException if the name holds a NUL, or the section would pass
   *     {@link #MAX_OFFSET}
   * @throws IllegalStateException for a table that was read, not made
   */
  public int add(String name) {
    if (out == null) {
      throw new IllegalStateException("a string table read from a blob is not written to");
    }
    Integer known = offsets.get(name);
    if (known != null) {
      return known;
    }
    if (name.indexOf('\0') >= 0) {
      throw BpfEventsException.of("bad-btf-name")
          .with("value", name)
          .with("expected", "a name without NUL")
          .message("BTF name {value} holds a NUL; expected {expected}");
    }
    int at = out.size();
    if (at > MAX_OFFSET) {
      throw BpfEventsException.of("btf-too-large")
          .with("value", at)
          .with("expected", "at most " + MAX_OFFSET + " bytes of names")
          .message("BTF names reach {value} bytes; expected {expected}");
    }
    out.writeBytes(name.getBytes(StandardCharsets.UTF_8));
    out.write(0);
    offsets.put(name, at);
    return at;
  }

  /**
   * The section's bytes, as written so far.
   *
   * @return the bytes
   */
  public byte[] bytes() {
    return out != null ? out.toByteArray() : data.clone();
  }

  /**
   * The section's length in bytes.
   *
   * @return the length
   */
  public int length() {
    return out != null ? out.size() : data.length;
  }

  /**
   * Reads a string section.
   *
   * @param blob the bytes holding it
   * @param offset where it starts
   * @param length its length
   * @param source the blob's name, for messages
   * @return the table
   * @throws BpfEventsException if it is empty, or does not start and end with a NUL
   */
  public static BtfStrings read(byte[] blob, int offset, int length, String source) {
    if (length == 0 || blob[offset] != 0 || blob[offset + length - 1] != 0) {
      throw BpfEventsException.of("bad-btf")
          .with("source", source)
          .with("value", length)
          .with("expected", "a string section that starts and ends with a NUL")
          .message("{source}: the BTF string section of {value} bytes is malformed;"
              + " expected {expected}");
    }
    byte[] data = new byte[length];
    System.arraycopy(blob, offset, data, 0, length);
    return new BtfStrings(data, source);
  }

  /**
   * The name at an offset of a table that was read.
   *
   * @param offset a {@code name_off}
   * @return the name up to its NUL
   * @throws BpfEventsException if the offset lies outside the section
   */
  public String at(long offset) {
    if (data == null) {
      throw new IllegalStateException("names of a table being written are not looked up");
    }
    if (offset < 0 || offset >= data.length) {
      throw BpfEventsException.of("bad-btf")
          .with("source", source)
          .with("value", offset)
          .with("expected", "an offset below " + data.length)
          .message("{source}: BTF name offset {value} is outside the string section;"
              + " expected {expected}");
    }
    int start = (int) offset;
    int end = start;
    while (data[end] != 0) {
      end++;
    }
    return new String(data, start, end - start, StandardCharsets.UTF_8);
  }
}
