package io.github.bpfevents;

import io.github.bpfevents.codec.DataModel;
import io.github.bpfevents.layout.EventLayout;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * How the core reads the values of the language that calls it, and makes values of it:
 * the one boundary between the core and a host such as the Clojure namespace
 * {@code clj-ebpf.dsl.structs}, which implements it once.
 *
 * <p>The core takes a host's arguments as they were written (a keyword {@code :pid}, a
 * vector {@code [:src :port]}, an integer of any size, an endless lazy sequence) and asks
 * this interface what they are. Everything the core decides (a limit, a check, a
 * message) it decides itself; the host only answers what a value is:
 *
 * <ul>
 *   <li>{@link #kind}: which of a few shapes a value has;
 *   <li>{@link #text}: the name a keyword or symbol stands for, or a string's text;
 *   <li>{@link #integer}: an integer of any size, as written;
 *   <li>{@link #items} and {@link #entries}: a bounded look at a sequence or a map, so that
 *       an endless sequence is never walked to its end;
 *   <li>{@link #event}: the layout a host's event definition already holds;
 *   <li>{@link #show}: how a value is shown in a message.
 * </ul>
 *
 * <p>As a {@link DataModel} it also makes the host's values from the core's results
 * (keys, maps, lists); {@link #keyword} and {@link #symbol} make names.
 *
 * <p>{@link #JAVA} reads plain Java values: Strings as names, {@code Long}, {@code
 * Integer}, {@code Short}, {@code Byte} and {@link BigInteger} as integers, {@link List}
 * as vectors, {@link Map} as maps.
 */
public interface HostValues extends DataModel {

  /** The shapes a host value has, as far as the core needs to tell them apart. */
  enum Kind {
    /** A keyword such as {@code :pid} (a name written as a name). */
    KEYWORD,
    /** A symbol such as {@code ConnectionEvent}. */
    SYMBOL,
    /** A string. */
    STRING,
    /** An integer of any size. */
    INTEGER,
    /** {@code true} or {@code false}. */
    BOOLEAN,
    /** The absent value ({@code nil}, {@code null}). */
    NIL,
    /** An indexed sequence written in brackets: a vector, a Java {@link List}. */
    VECTOR,
    /** Any other ordered sequence: a list, a lazy or endless sequence. */
    SEQUENCE,
    /** A map. */
    MAP,
    /** An event definition of the host that holds its layout (see {@link #event}). */
    EVENT,
    /** Anything else: a set, a float, a function, an object. */
    OTHER
  }

  /**
   * What shape x has.
   *
   * @param x any host value, null included
   * @return its kind, never null
   */
  Kind kind(Object x);

  /**
   * The name a keyword or symbol stands for (its namespace kept: {@code "ns/name"}), or a
   * string's text.
   *
   * @param x any host value
   * @return the text, or null when x is no keyword, symbol or string
   */
  String text(Object x);

  /**
   * x as an integer: a {@link Long} when a long holds it, else a {@link BigInteger}.
   *
   * @param x any host value
   * @return the integer, or null when x is no integer
   */
  Number integer(Object x);

  /**
   * The first items of a sequential value ({@link Kind#VECTOR} or {@link Kind#SEQUENCE}),
   * in order: at most {@code limit}, and no item past that is ever realized. A caller that
   * must know whether there are more asks for one more than it accepts.
   *
   * @param x a sequential value
   * @param limit the most items to read, at least 0
   * @return the items, or null when x is not sequential
   */
  List<Object> items(Object x, int limit);

  /**
   * The first entries of a map, in the map's order, at most {@code limit}.
   *
   * @param x a map
   * @param limit the most entries to read, at least 0
   * @return the entries, or null when x is no map
   */
  List<Map.Entry<Object, Object>> entries(Object x, int limit);

  /**
   * The value of a map under the key that names {@code key} (a keyword in Clojure).
   *
   * @param map a map
   * @param key the key's name
   * @return the value, or null when map is no map or has no such key
   */
  Object get(Object map, String key);

  /**
   * Whether a map has the key that names {@code key}.
   *
   * @param map a map
   * @param key the key's name
   * @return true when map is a map holding the key
   */
  boolean has(Object map, String key);

  /**
   * The layout that a host's event definition holds ({@link Kind#EVENT}): one it was made
   * with and that still describes it.
   *
   * @param x any host value
   * @return the layout, or null when x holds none
   */
  EventLayout event(Object x);

  /**
   * The host's keyword for a name ({@code :pid} for {@code "pid"}).
   *
   * @param name the name
   * @return the keyword
   */
  Object keyword(String name);

  /**
   * The host's symbol for a name ({@code ConnectionEvent}).
   *
   * @param name the name
   * @return the symbol
   */
  Object symbol(String name);

  /**
   * The host's list of items as a form in parentheses reads (a Clojure list): what
   * {@code (defevent ...)} forms are made of. A host without one gives its vector.
   *
   * @param items the items, in order
   * @return the list
   */
  default Object sequence(Object[] items) {
    return list(items);
  }

  /**
   * A map for looking values up by key, whose order does not matter (Clojure makes a hash
   * map of a large one, as {@code (into {} ...)} does). A host without one gives
   * {@link #map}.
   *
   * @param keysAndValues keys and values alternating
   * @return the map
   */
  default Object lookup(Object[] keysAndValues) {
    return map(keysAndValues);
  }

  /**
   * Whether x is a value of at most {@code budget} items and entries in all, nested at
   * most {@code depth} deep, every sequence of it ending within the budget: one that can be
   * walked whole. Reads no item past the budget, so an endless sequence answers false.
   *
   * @param x any host value
   * @param depth the most levels of collections
   * @param budget the most items and entries, at every level together
   * @return true when x can be walked whole
   */
  default boolean bounded(Object x, int depth, int budget) {
    int[] left = {budget};
    java.util.ArrayDeque<Object[]> todo = new java.util.ArrayDeque<>();
    todo.push(new Object[] {x, 0});
    while (!todo.isEmpty()) {
      Object[] next = todo.pop();
      Object v = next[0];
      int level = (Integer) next[1];
      Kind k = kind(v);
      if (k != Kind.VECTOR && k != Kind.SEQUENCE && k != Kind.MAP) {
        continue;
      } else if (level >= depth) {
        return false;
      }
      List<?> items = k == Kind.MAP ? entries(v, left[0] + 1) : items(v, left[0] + 1);
      left[0] -= items.size();
      if (left[0] < 0) {
        return false;
      }
      for (Object item : items) {
        if (item instanceof Map.Entry<?, ?> e && k == Kind.MAP) {
          todo.push(new Object[] {e.getKey(), level + 1});
          todo.push(new Object[] {e.getValue(), level + 1});
        } else {
          todo.push(new Object[] {item, level + 1});
        }
      }
    }
    return true;
  }

  /**
   * How x is shown in a message: as the host writes it, bounded in length and depth.
   *
   * @param x any host value
   * @return the text
   */
  default String show(Object x) {
    return BpfEventsException.show("value", x, Notation.EDN);
  }

  /**
   * The first {@code limit} items of an {@link Iterable}, none past them realized.
   *
   * @param items the items
   * @param limit the most to take
   * @return a list of at most limit items
   */
  static List<Object> take(Iterable<?> items, int limit) {
    List<Object> out = new ArrayList<>(Math.min(Math.max(limit, 0), 64));
    Iterator<?> it = items.iterator();
    while (out.size() < limit && it.hasNext()) {
      out.add(it.next());
    }
    return out;
  }

  /** Plain Java values: Strings as names, Java integers, Lists and Maps. */
  HostValues JAVA = new HostValues() {
    @Override
    public Kind kind(Object x) {
      if (x == null) {
        return Kind.NIL;
      } else if (x instanceof String) {
        return Kind.STRING;
      } else if (x instanceof Long || x instanceof Integer || x instanceof Short
          || x instanceof Byte || x instanceof BigInteger) {
        return Kind.INTEGER;
      } else if (x instanceof Boolean) {
        return Kind.BOOLEAN;
      } else if (x instanceof List) {
        return Kind.VECTOR;
      } else if (x instanceof Map) {
        return Kind.MAP;
      } else if (x instanceof EventLayout) {
        return Kind.EVENT;
      }
      return Kind.OTHER;
    }

    @Override
    public String text(Object x) {
      return x instanceof String s ? s : null;
    }

    @Override
    public Number integer(Object x) {
      if (x instanceof BigInteger b) {
        return b.bitLength() < 64 ? (Number) b.longValue() : b;
      } else if (x instanceof Long || x instanceof Integer || x instanceof Short
          || x instanceof Byte) {
        return ((Number) x).longValue();
      }
      return null;
    }

    @Override
    public List<Object> items(Object x, int limit) {
      return x instanceof List<?> l ? take(l, limit) : null;
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<Map.Entry<Object, Object>> entries(Object x, int limit) {
      if (!(x instanceof Map<?, ?> m)) {
        return null;
      }
      List<Map.Entry<Object, Object>> out = new ArrayList<>();
      Iterator<? extends Map.Entry<?, ?>> it = m.entrySet().iterator();
      while (out.size() < limit && it.hasNext()) {
        out.add((Map.Entry<Object, Object>) it.next());
      }
      return out;
    }

    @Override
    public Object get(Object map, String key) {
      return map instanceof Map<?, ?> m ? m.get(key) : null;
    }

    @Override
    public boolean has(Object map, String key) {
      return map instanceof Map<?, ?> m && m.containsKey(key);
    }

    @Override
    public EventLayout event(Object x) {
      return x instanceof EventLayout l ? l : null;
    }

    @Override
    public Object keyword(String name) {
      return name;
    }

    @Override
    public Object symbol(String name) {
      return name;
    }

    @Override
    public Object key(String fieldName) {
      return DataModel.JAVA.key(fieldName);
    }

    @Override
    public String name(Object key) {
      return DataModel.JAVA.name(key);
    }

    @Override
    public Object map(Object[] keysAndValues) {
      return DataModel.JAVA.map(keysAndValues);
    }

    @Override
    public Object list(Object[] items) {
      return DataModel.JAVA.list(items);
    }
  };
}
