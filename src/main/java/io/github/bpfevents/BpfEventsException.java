package io.github.bpfevents;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one exception type of bpf-events: thrown for every bad input, at the call that
 * received it, before anything is built.
 *
 * <p>The message names the offending value and says what was expected. {@link #data()}
 * carries the same facts for programs, in a fixed vocabulary of keys:
 *
 * <ul>
 *   <li>{@code "problem"}: what kind of mistake it is, such as {@code "unknown-type"} or
 *       {@code "offset-out-of-range"} (always present);
 *   <li>{@code "field"}, {@code "type"}, {@code "register"}: names (Strings) of the field,
 *       type or register involved;
 *   <li>{@code "value"}: the offending value as it was given;
 *   <li>{@code "expected"}: a description of what would have been accepted;
 *   <li>{@code "accepted"}: where the choices are names, the list of them (type names,
 *       field names);
 *   <li>other keys as the problem needs ({@code "index"}, {@code "offset"}, ...).
 * </ul>
 *
 * <p>The Clojure namespace {@code clj-ebpf.dsl.structs} turns this exception into an
 * {@code ex-info} whose data holds the same entries under keyword keys.
 */
public final class BpfEventsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The kind of mistake. */
  private final String problem;
  /** The facts of the error. */
  private final Map<String, Object> data;

  private BpfEventsException(String message, String problem, Map<String, Object> data) {
    super(message);
    this.problem = problem;
    this.data = data;
  }

  /**
   * Starts an exception for the given kind of problem.
   *
   * @param problem the kind of mistake, a short lower-case name such as {@code "unknown-type"}
   * @return a builder collecting the data entries
   */
  public static Builder of(String problem) {
    return new Builder(problem);
  }

  /**
   * The kind of mistake, for example {@code "unknown-type"}.
   *
   * @return the problem name, never null
   */
  public String problem() {
    return problem;
  }

  /**
   * The facts of the error: the problem and, as it applies, the field, type, register,
   * offending value and what was expected. Keys keep the order they were added in.
   *
   * @return an unmodifiable map, never empty
   */
  public Map<String, Object> data() {
    return data;
  }

  /**
   * The same error seen from a wider context: the data gains one entry (placed after
   * {@code "problem"}) and the message a prefix. The original becomes the cause.
   *
   * @param key the entry's name, for example {@code "field"}
   * @param value the entry's value
   * @param context the message prefix, for example {@code "field pid"}
   * @return the new exception
   */
  public BpfEventsException within(String key, Object value, String context) {
    LinkedHashMap<String, Object> d = new LinkedHashMap<>();
    d.put("problem", problem);
    d.put(key, value);
    for (Map.Entry<String, Object> e : data.entrySet()) {
      d.putIfAbsent(e.getKey(), e.getValue());
    }
    BpfEventsException wider = new BpfEventsException(
        context + ": " + getMessage(), problem, Collections.unmodifiableMap(d));
    wider.initCause(this);
    return wider;
  }

  /** Collects the entries of a {@link BpfEventsException} before it is thrown. */
  public static final class Builder {
    private final String problem;
    private final LinkedHashMap<String, Object> data = new LinkedHashMap<>();

    private Builder(String problem) {
      this.problem = problem;
      data.put("problem", problem);
    }

    /**
     * Adds one data entry; a null value is recorded as null (it is the offending value).
     *
     * @param key the entry's name
     * @param value the entry's value
     * @return this builder
     */
    public Builder with(String key, Object value) {
      data.put(key, value);
      return this;
    }

    /**
     * Finishes the exception.
     *
     * @param message the human-readable message: names the value and what was expected
     * @return the exception, to be thrown by the caller
     */
    public BpfEventsException message(String message) {
      return new BpfEventsException(
          message, problem, Collections.unmodifiableMap(new LinkedHashMap<>(data)));
    }
  }
}
