package io.github.bpfevents;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The catalog of every problem the core reports: one entry per kind of message, each with
 * the problem's code, its message template and the data keys its errors carry.
 *
 * <p>The code is what {@link BpfEventsException#problem()} returns, what a Clojure caller
 * finds under {@code :problem} and what the command line prints: a short kebab-case name
 * such as {@code "unknown-field"}. Several entries share a code when the same kind of
 * mistake is reported in different words (a field missing from an event, and a field
 * missing along a path). The template is the message with {@code {key}} places filled from
 * the data (see {@link BpfEventsException}); the keys are all the data an error of the entry
 * may hold besides {@code "problem"}: every place of the template, and the facts only
 * programs read.
 *
 * <p>An error is raised from its entry:
 *
 * <pre>{@code
 * throw Problem.NO_FIELDS
 *     .with("event", name)
 *     .with("expected", "at least one field")
 *     .build();
 * }</pre>
 *
 * <p>and a caller tells errors apart by their entry or code, never by their message:
 * {@code e.entry().orElse(null) == Problem.UNKNOWN_FIELD}, or
 * {@code Problem.UNKNOWN_FIELD.code().equals(e.problem())} for every wording of the code.
 */
public enum Problem {
;

  /** A place in a template, {@code {field}}, or an escaped brace, <code>{{</code>. */
  private static final Pattern PLACE = Pattern.compile("\\{\\{|\\{([a-z][a-z0-9-]*)\\}");

  /** The kind of mistake, shared by the entries that report it. */
  private final String code;
  /** The message with {@code {key}} places. */
  private final String template;
  /** The data keys an error of this entry may hold, besides {@code "problem"}. */
  private final List<String> keys;

  Problem(String code, String template, String... keys) {
    this.code = code;
    this.template = template;
    this.keys = List.of(keys);
  }

  /**
   * The problem's code, for example {@code "unknown-field"}.
   *
   * @return the code, as {@link BpfEventsException#problem()} gives it
   */
  public String code() {
    return code;
  }

  /**
   * The message template, with {@code {key}} places filled from the data.
   *
   * @return the template
   */
  public String template() {
    return template;
  }

  /**
   * The data keys an error of this entry may hold, besides {@code "problem"}, in the order
   * its sites add them.
   *
   * @return an unmodifiable list
   */
  public List<String> keys() {
    return keys;
  }

  /**
   * The keys the template shows, in the order it shows them first.
   *
   * @return an unmodifiable list
   */
  public List<String> places() {
    List<String> out = new ArrayList<>();
    Matcher m = PLACE.matcher(template);
    while (m.find()) {
      if (m.group(1) != null && !out.contains(m.group(1))) {
        out.add(m.group(1));
      }
    }
    return Collections.unmodifiableList(out);
  }

  /**
   * Starts an error of this entry with its first data entry:
   * {@code Problem.NO_FIELDS.with("event", name)}.
   *
   * @param key the entry's name, one of {@link #keys()}
   * @param value the entry's value
   * @return the builder; {@link BpfEventsException.Builder#build()} finishes it
   */
  public BpfEventsException.Builder with(String key, Object value) {
    return BpfEventsException.of(this).with(key, value);
  }

  /**
   * An error of this entry with no data but its code.
   *
   * @return the exception, to be thrown by the caller
   */
  public BpfEventsException build() {
    return BpfEventsException.of(this).build();
  }

  /**
   * Whether data with these keys suits this entry: it holds every place of the template
   * and only keys the entry declares. Errors are checked when they are built with
   * assertions enabled.
   *
   * @param present the data's keys, {@code "problem"} among them
   * @return true
   * @throws AssertionError naming the missing or undeclared keys otherwise
   */
  boolean check(Set<String> present) {
    List<String> missing = new ArrayList<>();
    for (String place : places()) {
      if (!present.contains(place)) {
        missing.add(place);
      }
    }
    List<String> undeclared = new ArrayList<>();
    for (String key : present) {
      if (!key.equals("problem") && !keys.contains(key)) {
        undeclared.add(key);
      }
    }
    if (!missing.isEmpty() || !undeclared.isEmpty()) {
      throw new AssertionError("Problem." + name() + ": the data lacks " + missing
          + " and holds undeclared " + undeclared);
    }
    return true;
  }
}
