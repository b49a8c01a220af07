package io.github.bpfevents;

import java.lang.reflect.Array;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;

/**
 * Bounded text of the values a message quotes. Whatever a caller hands over (a list of a
 * million elements, a lazy sequence without end, a map that holds itself), the text stays
 * short and is made in bounded time: collections show their first {@link #ITEMS}
 * elements, nesting deeper than {@link #DEPTH} shows as {@code ...}, strings are cut at
 * {@link #CHARS} characters, and objects of unknown classes show their class only.
 */
final class Excerpt {
  /** Elements of a collection shown before {@code ...}. */
  static final int ITEMS = 24;
  /** Levels of nested collections shown. */
  static final int DEPTH = 3;
  /** Characters of a string shown before {@code ...}. */
  static final int CHARS = 64;
  /** Characters of one excerpt, nested collections and all, before the rest is cut. */
  static final int BUDGET = 400;

  /**
   * Classes outside the JDK whose text is the value as it is written: a Clojure keyword
   * {@code :pid} or symbol {@code pid} handed to the core as an opaque value.
   */
  private static final java.util.Set<String> PRINTED_AS_WRITTEN =
      java.util.Set.of("clojure.lang.Keyword", "clojure.lang.Symbol");

  private Excerpt() {}

  /** A value: strings quoted, collections bounded. */
  static String value(Object v, Notation n) {
    StringBuilder b = new StringBuilder();
    value(b, v, n, 0);
    return b.toString();
  }

  /** A name: a keyword in EDN ({@code :pid}), the plain name in Java. */
  static String name(Object v, Notation n) {
    if (v instanceof String s) {
      return n == Notation.EDN ? ":" + cut(s) : cut(s);
    }
    return value(v, n);
  }

  /** A path of names and indices: {@code [:hops 2 :ttl]} or {@code hops[2].ttl}. */
  static String path(Object v, Notation n) {
    if (!(v instanceof List<?> steps)) {
      return name(v, n);
    }
    StringBuilder b = new StringBuilder(n == Notation.EDN ? "[" : "");
    int i = 0;
    for (Object step : steps) {
      if (i == ITEMS) {
        b.append(n == Notation.EDN ? " ..." : "...");
        break;
      }
      if (n == Notation.EDN) {
        b.append(i == 0 ? "" : " ").append(step instanceof String ? name(step, n) : value(step, n));
      } else if (step instanceof String s) {
        b.append(i == 0 ? "" : ".").append(cut(s));
      } else {
        b.append('[').append(value(step, n)).append(']');
      }
      i++;
    }
    return b.append(n == Notation.EDN ? "]" : "").toString();
  }

  /** A list of names: {@code [:a :b]} or {@code [a, b]}. */
  static String names(Object v, Notation n) {
    if (!(v instanceof Iterable<?> items)) {
      return name(v, n);
    }
    StringBuilder b = new StringBuilder("[");
    int i = 0;
    for (Object x : items) {
      if (i == ITEMS) {
        b.append(n == Notation.EDN ? " ..." : ", ...");
        break;
      }
      b.append(i == 0 ? "" : n == Notation.EDN ? " " : ", ").append(name(x, n));
      i++;
    }
    return b.append(']').toString();
  }

  private static String cut(String s) {
    return s.length() <= CHARS ? s : s.substring(0, CHARS) + "...";
  }

  private static void value(StringBuilder b, Object v, Notation n, int depth) {
    if (v == null) {
      b.append(n == Notation.EDN ? "nil" : "null");
    } else if (v instanceof Shown s) {
      b.append(s.shown(n));
    } else if (v instanceof CharSequence s) {
      b.append(Notation.quote(cut(s.toString())));
    } else if (v instanceof Number || v instanceof Boolean || v instanceof Enum<?>) {
      b.append(v);
    } else if (v instanceof Character c) {
      b.append(n == Notation.EDN ? "\\" + c : "'" + c + "'");
    } else if (depth >= DEPTH && (v instanceof Iterable<?> || v instanceof Map<?, ?>
        || v.getClass().isArray())) {
      b.append("...");
    } else if (v instanceof Map<?, ?> m) {
      b.append('{');
      int i = 0;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (i == ITEMS || b.length() > BUDGET) {
          b.append(n == Notation.EDN ? " ..." : ", ...");
          break;
        }
        b.append(i == 0 ? "" : n == Notation.EDN ? ", " : ", ");
        value(b, e.getKey(), n, depth + 1);
        b.append(n == Notation.EDN ? " " : "=");
        value(b, e.getValue(), n, depth + 1);
        i++;
      }
      b.append('}');
    } else if (v instanceof Iterable<?> items) {
      // in EDN a sequence that is not indexed (a Clojure seq or list) reads as a list
      boolean list = n == Notation.EDN && v instanceof List<?> && !(v instanceof RandomAccess);
      boolean set = n == Notation.EDN && v instanceof java.util.Set<?>;
      b.append(set ? "#{" : list ? "(" : "[");
      Iterator<?> it = items.iterator();
      for (int i = 0; it.hasNext(); i++) {
        if (i == ITEMS || b.length() > BUDGET) {
          b.append(n == Notation.EDN ? " ..." : ", ...");
          break;
        }
        b.append(i == 0 ? "" : n == Notation.EDN ? " " : ", ");
        value(b, it.next(), n, depth + 1);
      }
      b.append(set ? '}' : list ? ')' : ']');
    } else if (v.getClass().isArray()) {
      int len = Array.getLength(v);
      b.append('[');
      for (int i = 0; i < len; i++) {
        if (i == ITEMS || b.length() > BUDGET) {
          b.append(n == Notation.EDN ? " ..." : ", ...");
          break;
        }
        b.append(i == 0 ? "" : n == Notation.EDN ? " " : ", ");
        value(b, Array.get(v, i), n, depth + 1);
      }
      b.append(']');
    } else if (v.getClass().getName().startsWith("java.") || PRINTED_AS_WRITTEN.contains(
        v.getClass().getName())) {
      b.append(cut(v.toString()));
    } else {
      b.append("#object[").append(v.getClass().getName()).append(']');
    }
  }
}
