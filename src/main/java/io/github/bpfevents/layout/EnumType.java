package io.github.bpfevents.layout;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Problem;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A C enumeration: named constants of an integer type, whose width and signedness the
 * type gives. A field holds one through {@link FieldSpec#withEnum}; its values are the
 * field's integers, decoded to the enumerator's name where one names the value.
 *
 * <pre>{@code
 * EnumType kind = EnumType.of("flow_kind", FieldType.U8,
 *     Map.of("open", BigInteger.ONE, "close", BigInteger.TWO));
 * kind.nameOf(2);   // "close"
 * }</pre>
 *
 * <p>Every value must fit the type ({@code u8}: 0 to 255); names are non-empty and
 * unique. Two enumerators may share a value, as in C; {@link #nameOf} then gives the first.
 */
public final class EnumType {
  private final String name;
  private final FieldType type;
  private final Map<String, BigInteger> values;
  private final Map<Long, String> byBits;

  private EnumType(String name, FieldType type, Map<String, BigInteger> values) {
    this.name = name;
    this.type = type;
    this.values = Collections.unmodifiableMap(values);
    Map<Long, String> m = new HashMap<>();
    for (Map.Entry<String, BigInteger> e : values.entrySet()) {
      m.putIfAbsent(e.getValue().longValue(), e.getKey());
    }
    this.byBits = m;
  }

  /**
   * An enumeration.
   *
   * @param name its C name, or null to name it after the field that holds it
   * @param type the integer type of its values: one of u8, i8, u16, i16, u32, i32, u64,
   *     i64
   * @param values the enumerators, name to value, in the order they are to be written
   * @return the enumeration
   * @throws BpfEventsException ({@code bad-enum}) if the type is not one of those, there
   *     are no values, a name is empty, or a value is null or does not fit the type
   */
  public static EnumType of(String name, FieldType type, Map<String, BigInteger> values) {
    if (type == null || type.bigEndian() || type == FieldType.CHAR || type == FieldType.PTR
        || type.size() > 8) {
      throw (name == null ? Problem.BAD_ENUM_TYPE_UNNAMED : Problem.BAD_ENUM_TYPE)
          .with("enum", name)
          .with("value", type)
          .with("expected", "an integer type: one of {accepted}")
          .with("accepted", List.of("u8", "i8", "u16", "i16", "u32", "i32", "u64", "i64"))
          .build();
    }
    if (name != null && name.isEmpty()) {
      throw Problem.BAD_ENUM_NAME_EMPTY
          .with("enum", name)
          .with("value", name)
          .with("expected", "a non-empty name, or none")
          .build();
    }
    if (values == null || values.isEmpty()) {
      throw Problem.BAD_ENUM_ENUMERATORS
          .with("enum", name)
          .with("value", values)
          .with("expected", "at least one enumerator")
          .build();
    }
    Map<String, BigInteger> copy = new LinkedHashMap<>();
    for (Map.Entry<String, BigInteger> e : values.entrySet()) {
      String k = e.getKey();
      BigInteger v = e.getValue();
      if (k == null || k.isEmpty()) {
        throw Problem.BAD_ENUM_ENUMERATOR_NAME
            .with("enum", name)
            .with("value", k)
            .with("expected", "a non-empty enumerator name")
            .build();
      }
      if (v == null || !type.fits(v)) {
        throw (name == null ? Problem.BAD_ENUMERATOR_VALUE
            : Problem.BAD_ENUMERATOR_VALUE_NAMED_ENUM)
            .with("enum", name)
            .with("enumerator", k)
            .with("value", v)
            .with("type", type)
            .with("expected", "an integer from " + type.min() + " to " + type.max())
            .build();
      }
      copy.put(k, v);
    }
    return new EnumType(name, type, copy);
  }

  /** @return the C name, or null when it is named after its field */
  public String name() {
    return name;
  }

  /** @return the integer type of its values: their width and signedness */
  public FieldType type() {
    return type;
  }

  /** @return the enumerators, name to value, in declaration order; unmodifiable */
  public Map<String, BigInteger> values() {
    return values;
  }

  /** @return the enumerator names, in declaration order */
  public List<String> names() {
    return new ArrayList<>(values.keySet());
  }

  /**
   * The enumerator that names a value, given as the bits a reader gives (a u64 above
   * 2^63 as its negative long): no allocation.
   *
   * @param bits the value
   * @return the first enumerator of that value, or null when none names it
   */
  public String nameOf(long bits) {
    return byBits.get(bits);
  }

  /**
   * Whether every value fits a bitfield of that width, read with the type's signedness.
   *
   * @param bits the width, 1 to 64
   * @return the first enumerator that does not fit, or null when all do
   */
  String firstNotFitting(int bits) {
    BigInteger lo = type.signed() ? BigInteger.ONE.shiftLeft(bits - 1).negate()
        : BigInteger.ZERO;
    BigInteger hi = (type.signed() ? BigInteger.ONE.shiftLeft(bits - 1)
        : BigInteger.ONE.shiftLeft(bits)).subtract(BigInteger.ONE);
    for (Map.Entry<String, BigInteger> e : values.entrySet()) {
      if (e.getValue().compareTo(lo) < 0 || e.getValue().compareTo(hi) > 0) {
        return e.getKey();
      }
    }
    return null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EnumType e && java.util.Objects.equals(name, e.name) && type == e.type
        && values.equals(e.values) && new ArrayList<>(values.keySet())
            .equals(new ArrayList<>(e.values.keySet()));
  }

  @Override
  public int hashCode() {
    return (java.util.Objects.hashCode(name) * 31 + type.hashCode()) * 31 + values.hashCode();
  }

  @Override
  public String toString() {
    return "enum " + (name == null ? "" : name + " ") + type.typeName() + " " + values;
  }
}
