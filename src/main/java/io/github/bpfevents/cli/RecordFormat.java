package io.github.bpfevents.cli;

import io.github.bpfevents.definition.Form;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * How {@code decode} prints a record: one line of EDN or JSON for the map that
 * {@link io.github.bpfevents.codec.EventDecoder} gives, keys in declaration order.
 *
 * <pre>
 * edn:  {:pid 42, :comm "curl", :ts 18446744073709551615N, :src {:port 443}, :pad [0 0]}
 * json: {"pid":42,"comm":"curl","ts":18446744073709551615,"src":{"port":443},"pad":[0,0]}
 * </pre>
 */
enum RecordFormat {
  /** Clojure's extensible data notation: keyword keys, BigIntegers with an {@code N}. */
  EDN("edn") {
    @Override
    void write(Object value, StringBuilder b) {
      if (value instanceof Map<?, ?> m) {
        b.append('{');
        String sep = "";
        for (Map.Entry<?, ?> e : m.entrySet()) {
          b.append(sep).append(':').append(e.getKey()).append(' ');
          write(e.getValue(), b);
          sep = ", ";
        }
        b.append('}');
      } else if (value instanceof List<?> l) {
        b.append('[');
        String sep = "";
        for (Object o : l) {
          b.append(sep);
          write(o, b);
          sep = " ";
        }
        b.append(']');
      } else if (value instanceof BigInteger n) {
        b.append(n).append('N');
      } else {
        scalar(value, b);
      }
    }
  },

  /** JSON: string keys, every integer a plain number. */
  JSON("json") {
    @Override
    void write(Object value, StringBuilder b) {
      if (value instanceof Map<?, ?> m) {
        b.append('{');
        String sep = "";
        for (Map.Entry<?, ?> e : m.entrySet()) {
          b.append(sep);
          string(String.valueOf(e.getKey()), b);
          b.append(':');
          write(e.getValue(), b);
          sep = ",";
        }
        b.append('}');
      } else if (value instanceof List<?> l) {
        b.append('[');
        String sep = "";
        for (Object o : l) {
          b.append(sep);
          write(o, b);
          sep = ",";
        }
        b.append(']');
      } else {
        scalar(value, b);
      }
    }
  };

  private final String optionName;

  RecordFormat(String optionName) {
    this.optionName = optionName;
  }

  /**
   * The format's name, as {@code --format} takes it.
   *
   * @return {@code "edn"} or {@code "json"}
   */
  String optionName() {
    return optionName;
  }

  /**
   * The format of the given name.
   *
   * @param name {@code "edn"} or {@code "json"}
   * @return the format, or null for any other name
   */
  static RecordFormat named(String name) {
    for (RecordFormat f : values()) {
      if (f.optionName.equals(name)) {
        return f;
      }
    }
    return null;
  }

  /**
   * A decoded record as one line, without the line break.
   *
   * @param record field name to value, as the decoder gives it
   * @return the text
   */
  String line(Map<String, Object> record) {
    StringBuilder b = new StringBuilder();
    write(record, b);
    return b.toString();
  }

  /**
   * Appends a value: a Map, List, Long, BigInteger or String.
   *
   * @param value the value
   * @param b where to append
   */
  abstract void write(Object value, StringBuilder b);

  /** Numbers as decimal digits, strings quoted: the same in EDN and JSON. */
  private static void scalar(Object value, StringBuilder b) {
    if (value instanceof String s) {
      string(s, b);
    } else if (value instanceof Long || value instanceof BigInteger) {
      b.append(value);
    } else {
      throw new IllegalArgumentException("not a decoded value: " + value);
    }
  }

  /**
   * A string literal valid in both JSON and EDN: {@code "} and {@code \} escaped, control
   * characters as {@code \n \t \r} or {@code \}{@code u00XX}, everything else as it is
   * (the same literal as {@link io.github.bpfevents.Notation#quote}).
   */
  private static void string(String s, StringBuilder b) {
    b.append(io.github.bpfevents.Notation.quote(s));
  }
}
