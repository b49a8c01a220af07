package io.github.bpfevents.codec;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How records look as data, for the decoder ({@link EventDecoder}) and the encoder
 * ({@link EventEncoder}): what a field's key is, and how a record (a map in declaration
 * order) and an array (a list) are made. {@link #JAVA} gives String keys, unmodifiable
 * {@link LinkedHashMap}s and Lists; the Clojure namespace supplies keywords, persistent
 * array maps and vectors, so that a record is decoded straight into Clojure data.
 *
 * <p>Scalars are the same in every model: {@link Long}, or {@link java.math.BigInteger}
 * for an unsigned 64-bit value at or above 2^63; {@link String} for a {@code char} array.
 */
public interface DataModel {
  /**
   * The key of a field in this model's maps. Called when a decoder is built, once per
   * field.
   *
   * @param fieldName the field's name
   * @return the key, such as the String itself or a keyword
   */
  Object key(String fieldName);

  /**
   * The field name a key stands for: the inverse of {@link #key}.
   *
   * @param key a key of a map handed to the encoder
   * @return the field's name, or null when the key is not one of this model's keys
   */
  String name(Object key);

  /**
   * A record or nested event as a map.
   *
   * @param keysAndValues keys and values alternating, in declaration order; the array is
   *     fresh and the model may keep it
   * @return the map
   */
  Object map(Object[] keysAndValues);

  /**
   * An array field's elements as a list.
   *
   * @param items the elements in order; fresh, the model may keep it
   * @return the list
   */
  Object list(Object[] items);

  /** String keys, unmodifiable LinkedHashMaps in declaration order, unmodifiable Lists. */
  DataModel JAVA = new DataModel() {
    @Override
    public Object key(String fieldName) {
      return fieldName;
    }

    @Override
    public String name(Object key) {
      return key instanceof String s ? s : null;
    }

    @Override
    public Object map(Object[] keysAndValues) {
      Map<Object, Object> m = new LinkedHashMap<>();
      for (int i = 0; i < keysAndValues.length; i += 2) {
        m.put(keysAndValues[i], keysAndValues[i + 1]);
      }
      return Collections.unmodifiableMap(m);
    }

    @Override
    public Object list(Object[] items) {
      return Collections.unmodifiableList(Arrays.asList(items));
    }
  };

  /**
   * The Java model's map, typed.
   *
   * @param record a value the {@link #JAVA} model made with {@link #map}
   * @return the map
   */
  @SuppressWarnings("unchecked")
  static Map<String, Object> asMap(Object record) {
    return (Map<String, Object>) record;
  }

  /**
   * The Java model's list, typed.
   *
   * @param array a value the {@link #JAVA} model made with {@link #list}
   * @return the list
   */
  @SuppressWarnings("unchecked")
  static List<Object> asList(Object array) {
    return (List<Object>) array;
  }
}
