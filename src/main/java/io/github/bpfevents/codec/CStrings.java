package io.github.bpfevents.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** C strings in records: a {@code char} array read as text. */
final class CStrings {
  private CStrings() {}

  /**
   * The bytes from {@code at} up to the first NUL or {@code count} bytes, decoded as UTF-8
   * with invalid sequences replaced by U+FFFD.
   *
   * @param b the buffer
   * @param at the absolute index of the first byte
   * @param count the array's length
   * @return the string
   */
  static String read(ByteBuffer b, int at, int count) {
    int n = 0;
    while (n < count && b.get(at + n) != 0) {
      n++;
    }
    byte[] bytes = new byte[n];
    b.get(at, bytes, 0, n);
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
