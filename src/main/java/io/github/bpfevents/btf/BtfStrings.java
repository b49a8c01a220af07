package io.github.bpfevents.btf;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Problem;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The string section of BTF: NUL-terminated names back to back, the first one empty, each
 * named by its byte offset ({@code name_off}). Made while writing ({@link #add}, each
 * distinct name once) or read from a blob ({@link #read}, {@link #at}).
 */
public final class BtfStrings {
  /** {@code BTF_MAX_NAME_OFFSET}: the largest offset a record may name. */
  public static final int MAX_OFFSET = 0x00ffffff;
  /**
   * {@code KSYM_NAME_LEN}: a name and its NUL take at most this many bytes (the kernel's
   * BTF checker's limit for the names of types).
   */
  public static final int KSYM_NAME_LEN = 512;

  private final boolean writing;
  private final Map<String, Integer> offsets;
  private final java.util.List<String> added;
  private int size;
  private byte[] seed;
  private int seedBase;
  private int seedLength;
  private final byte[] data;
  private final int base;
  private final int length;
  private final String source;
  private final Map<Integer, String> names;
  private final java.util.concurrent.atomic.AtomicLong cached =
      new java.util.concurrent.atomic.AtomicLong();

  /** An empty table for writing: just the empty name at offset 0. */
  public BtfStrings() {
    this.writing = true;
    this.offsets = new HashMap<>();
    this.offsets.put("", 0);
    this.added = new java.util.ArrayList<>();
    this.size = 1;
    this.data = null;
    this.base = 0;
    this.length = 0;
    this.source = null;
    this.names = null;
  }

  private BtfStrings(byte[] data, int base, int length, String source) {
    this.writing = false;
    this.offsets = null;
    this.added = null;
    this.data = data;
    this.base = base;
    this.length = length;
    this.source = source;
    this.names = new ConcurrentHashMap<>();
  }

  /**
   * A table for writing that starts as a table that was read: its bytes as they are, each
   * name found at the offset where it first starts (after a NUL), new names after them.
   *
   * @param read a table that was read
   * @return the table for writing
   * @throws IllegalStateException for a table that was made, not read
   */
  public static BtfStrings extending(BtfStrings read) {
    if (read.writing) {
      throw new IllegalStateException("only a table that was read is extended");
    }
    BtfStrings w = new BtfStrings();
    w.seed = read.data;
    w.seedBase = read.base;
    w.seedLength = read.length;
    w.size = read.length;
    w.offsets.clear();
    int start = 0;
    for (int i = 0; i < read.length; i++) {
      if (read.data[read.base + i] == 0) {
        w.offsets.putIfAbsent(new String(read.data, read.base + start, i - start,
            StandardCharsets.UTF_8), start);
        start = i + 1;
      }
    }
    return w;
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
    if (!writing) {
      throw new IllegalStateException("a string table read from a blob is not written to");
    }
    Integer known = offsets.get(name);
    if (known != null) {
      return known;
    }
    if (name.indexOf('\0') >= 0) {
      throw Problem.BAD_BTF_NAME
          .with("value", name)
          .with("expected", "a name without NUL")
          .build();
    }
    int at = size;
    if (at > MAX_OFFSET) {
      throw Problem.BTF_TOO_LARGE_NAMES_REACH_BYTES
          .with("value", at)
          .with("expected", "at most " + MAX_OFFSET + " bytes of names")
          .build();
    }
    size += utf8Length(name) + 1;
    added.add(name);
    offsets.put(name, at);
    return at;
  }

  private static int utf8Length(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  /**
   * The section's bytes, as written so far.
   *
   * @return the bytes
   */
  public byte[] bytes() {
    if (!writing) {
      return java.util.Arrays.copyOfRange(data, base, base + length);
    }
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(size);
    writeTo(b);
    return b.array();
  }

  /** Puts the section's bytes (of a table for writing) at a buffer's position. */
  void writeTo(java.nio.ByteBuffer b) {
    if (seed != null) {
      b.put(seed, seedBase, seedLength);
    } else {
      b.put((byte) 0);
    }
    for (String n : added) {
      b.put(n.getBytes(StandardCharsets.UTF_8)).put((byte) 0);
    }
  }

  /**
   * The section's length in bytes.
   *
   * @return the length
   */
  public int length() {
    return writing ? size : length;
  }

  /**
   * Reads a string section, copying it.
   *
   * @param blob the bytes holding it
   * @param offset where it starts
   * @param length its length
   * @param source the blob's name, for messages
   * @return the table
   * @throws BpfEventsException if it is empty, longer than {@link #MAX_OFFSET} + 1 bytes,
   *     or does not start and end with a NUL
   */
  public static BtfStrings read(byte[] blob, int offset, int length, String source) {
    return view(java.util.Arrays.copyOfRange(blob, offset, offset + length), 0, length,
        source);
  }

  /** A table over bytes it does not copy (the reader's, which no one else holds). */
  static BtfStrings view(byte[] blob, int offset, int length, String source) {
    if (length == 0 || blob[offset] != 0 || blob[offset + length - 1] != 0) {
      throw Problem.BAD_BTF_STRING_SECTION_BYTES
          .with("source", source)
          .with("value", length)
          .with("expected", "a string section that starts and ends with a NUL")
          .build();
    }
    if (length > MAX_OFFSET + 1) {
      throw Problem.BTF_TOO_LARGE_STRING_SECTION_BYTES
          .with("source", source)
          .with("value", length)
          .with("expected", "at most " + (MAX_OFFSET + 1) + " bytes (BTF_MAX_NAME_OFFSET,"
              + " as the kernel's BTF checker allows)")
          .build();
    }
    return new BtfStrings(blob, offset, length, source);
  }

  /**
   * Checks a name offset of a record: inside the section, at the start of a string (after a
   * NUL), the name shorter than {@link #KSYM_NAME_LEN} bytes and in UTF-8. So the names
   * decoded, once per offset, are at most the section's bytes.
   *
   * @param offset a {@code name_off}
   * @param id the record's type id, for messages
   * @throws BpfEventsException naming the offset and the limit
   */
  void check(long offset, int id) {
    if (offset >= length) {
      throw outside(offset, id);
    }
    if (offset > 0 && data[base + (int) offset - 1] != 0) {
      // a name inside another: decoded once per offset, such names could add up to far
      // more than the section; libbpf, pahole and clang write each string once, whole
      throw Problem.BAD_BTF_NAME_INSIDE_NAME
          .with("source", source)
          .with("value", offset)
          .with("expected", "names that start after a NUL (each string once, whole, as"
              + " libbpf, pahole and clang write them)")
          .with("id", id)
          .build();
    }
    int start = base + (int) offset;
    int limit = Math.min(base + length, start + KSYM_NAME_LEN);
    boolean ascii = true;
    for (int i = start; i < limit; i++) {
      if (data[i] == 0) {
        if (!ascii) {
          utf8(start, i, offset, id);
        }
        return;
      }
      ascii &= data[i] > 0;
    }
    throw Problem.BAD_BTF_NAME_TOO_LONG
        .with("source", source)
        .with("value", offset)
        .with("expected", "names of at most " + (KSYM_NAME_LEN - 1) + " bytes (KSYM_NAME_LEN "
            + KSYM_NAME_LEN + " with the NUL, as the kernel's BTF checker allows)")
        .with("id", id)
        .build();
  }

  /** A name that is not ASCII must be UTF-8, so that it reads and is looked up as text. */
  private void utf8(int start, int end, long offset, int id) {
    try {
      StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
          .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(data, start, end - start));
    } catch (java.nio.charset.CharacterCodingException e) {
      throw Problem.BAD_BTF_NAME_NOT_UTF8
          .with("source", source)
          .with("value", offset)
          .with("expected", "names in UTF-8")
          .with("id", id)
          .build();
    }
  }

  private BpfEventsException outside(long offset, int id) {
    return (id > 0 ? Problem.BAD_BTF_TYPE_NAME_OFFSET_OUTSIDE : Problem.BAD_BTF_NAME_OFFSET)
        .with("source", source)
        .with("value", offset)
        .with("expected", "an offset below " + length)
        .with("id", id)
        .build();
  }

  /**
   * The name at an offset of a table that was read, decoded once per offset: every
   * record that names the same offset gets the same String.
   *
   * @param offset a {@code name_off}
   * @return the name up to its NUL
   * @throws BpfEventsException if the offset lies outside the section
   */
  public String at(long offset) {
    if (writing) {
      throw new IllegalStateException("names of a table being written are not looked up");
    }
    if (offset < 0 || offset >= length) {
      throw outside(offset, 0);
    }
    if (offset == 0) {
      return "";
    }
    String known = names.get((int) offset);
    if (known != null) {
      return known;
    }
    int start = base + (int) offset;
    int end = start;
    while (data[end] != 0) {
      end++;
    }
    String name = new String(data, start, end - start, StandardCharsets.UTF_8);
    // names that overlap (offsets into the middle of a name) could make the decoded names
    // far longer than the section: past one section's worth, names are no longer kept
    if (cached.addAndGet(end - start + 1) <= (long) length + CACHE_SLACK) {
      String raced = names.putIfAbsent((int) offset, name);
      return raced != null ? raced : name;
    }
    return name;
  }

  /** Bytes of names kept beyond the section's own length. */
  private static final int CACHE_SLACK = 1 << 16;

  /** Whether the name at a (checked) offset is these UTF-8 bytes, decoding nothing. */
  boolean is(int offset, byte[] name) {
    int at = base + offset;
    if (name.length >= length - offset) {
      return false;
    }
    for (int k = 0; k < name.length; k++) {
      if (data[at + k] != name[k]) {
        return false;
      }
    }
    return data[at + name.length] == 0;
  }

  /** The byte at an offset of a table that was read. */
  byte byteAt(int offset) {
    return data[base + offset];
  }

  /** A hash of the name at a (checked) offset, the same as {@link #hash(byte[], int)}'s. */
  int hashAt(int offset, int seed) {
    int h = seed;
    for (int at = base + offset; data[at] != 0; at++) {
      h = (h ^ (data[at] & 0xff)) * 0x01000193;
    }
    return h;
  }

  /** A hash of a name's UTF-8 bytes. */
  static int hash(byte[] name, int seed) {
    int h = seed;
    for (byte c : name) {
      h = (h ^ (c & 0xff)) * 0x01000193;
    }
    return h;
  }
}
