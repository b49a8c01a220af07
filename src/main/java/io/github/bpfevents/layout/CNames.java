package io.github.bpfevents.layout;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Problem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How event and field names become C identifiers:
 *
 * <ol>
 *   <li>a hyphen becomes an underscore ({@code src-port -> src_port});
 *   <li>an uppercase letter that starts a new word (after a lowercase letter or digit, or
 *       an uppercase letter followed by a lowercase one) gets an underscore before it;
 *   <li>everything is lowercased ({@code ConnectionEvent -> connection_event},
 *       {@code HTTPRequest -> http_request}).
 * </ol>
 *
 * <p>The result must be a C identifier ({@code [A-Za-z_][A-Za-z0-9_]*}) that a header
 * can use: not a C keyword, not a name C reserves for the compiler and its library (one
 * that begins with two underscores, or an underscore and a capital: {@code __int128},
 * {@code __func__}, {@code _Float128}), and not a macro that GNU C predefines on the
 * targets here ({@code linux}, {@code unix}: gcc and clang, on x86-64 and for
 * {@code -target bpf}). Otherwise the conversion is an error naming the name, so that every
 * header the library writes compiles.
 */
public final class CNames {
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Set<String> KEYWORDS = Set.of(
      "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else",
      "enum", "extern", "float", "for", "goto", "if", "inline", "int", "long", "register",
      "restrict", "return", "short", "signed", "sizeof", "static", "struct", "switch",
      "typedef", "union", "unsigned", "void", "volatile", "while", "_Alignas", "_Alignof",
      "_Atomic", "_Bool", "_Complex", "_Generic", "_Imaginary", "_Noreturn", "_Static_assert",
      "_Thread_local", "alignas", "alignof", "bool", "constexpr", "false", "nullptr",
      "static_assert", "thread_local", "true", "typeof", "typeof_unqual", "asm",
      "__attribute__", "__typeof__", "__asm__", "__inline__", "__volatile__");
  /** Object-like macros GNU C predefines without an underscore (gcc -dM -E, clang -dM -E). */
  private static final Set<String> PREDEFINED = Set.of("linux", "unix");

  private CNames() {}

  /**
   * The C identifier for a name, by the rule above.
   *
   * @param name an event or field name
   * @param what what the name is, for the message: {@code "event"}, {@code "field"}
   * @return the identifier
   * @throws BpfEventsException if the result is not a C identifier or is a keyword
   */
  public static String identifier(String name, String what) {
    String c = convert(name);
    if (!IDENTIFIER.matcher(c).matches()) {
      throw (what.equals("event") ? Problem.BAD_C_NAME_EVENT_NOT_IDENTIFIER
          : Problem.BAD_C_NAME_FIELD_NOT_IDENTIFIER)
          .with(what.equals("event") ? "event" : "field", name)
          .with("value", c)
          .with("c-name", c)
          .with("expected", "letters, digits, - and _, not starting with a digit")
          .with("what", what)
          .build();
    }
    String why = unusable(c);
    if (why != null) {
      throw (what.equals("event") ? Problem.BAD_C_NAME_EVENT_UNUSABLE
          : Problem.BAD_C_NAME_FIELD_UNUSABLE)
          .with(what.equals("event") ? "event" : "field", name)
          .with("value", c)
          .with("c-name", c)
          .with("expected", expectedInstead(why))
          .with("what", what)
          .with("why", why)
          .build();
    }
    return c;
  }

  /**
   * The identifier for a name where C text is not written but C types are named: BTF. The
   * same conversion and the same refusal of what is no identifier or a C keyword, but the
   * names the compiler reserves and the predefined macros are allowed, as the kernel's own
   * types use them ({@code __kernel_timespec}).
   *
   * @param name an event or field name
   * @param what {@code "event"} or {@code "field"}, for the message
   * @return the identifier
   * @throws BpfEventsException if the result is not a C identifier or is a keyword
   */
  public static String typeIdentifier(String name, String what) {
    String c = convert(name);
    if (IDENTIFIER.matcher(c).matches() && !KEYWORDS.contains(c)) {
      return c;
    }
    return identifier(name, what);
  }

  /**
   * The C names of an event's fields, in declaration order, as a header declares them
   * ({@link #identifier}); two fields that become one name are an error.
   *
   * @param e the event
   * @return the names
   * @throws BpfEventsException naming the field that cannot be a member, or the two that
   *     clash ({@code c-name-clash})
   */
  public static List<String> fieldIdentifiers(EventLayout e) {
    return fields(e, true);
  }

  /**
   * The C names of an event's fields as BTF names its members ({@link #typeIdentifier}),
   * checked as {@link #fieldIdentifiers}.
   *
   * @param e the event
   * @return the names
   * @throws BpfEventsException as {@link #fieldIdentifiers}
   */
  public static List<String> fieldTypeIdentifiers(EventLayout e) {
    return fields(e, false);
  }

  private static List<String> fields(EventLayout e, boolean header) {
    List<String> out = new ArrayList<>(e.fields().size());
    Map<String, String> seen = new HashMap<>();
    for (Field f : e.fields()) {
      if (f.name() == null) {
        if (f.isAnonymous()) {
          // the anonymous member's fields are this struct's members in C
          for (String n : f.nested().fieldNames()) {
            String c = header ? identifier(n, "field") : typeIdentifier(n, "field");
            String other = seen.put(c, n);
            if (other != null) {
              throw clash(e, n, other, c);
            }
          }
        }
        out.add(null);
        continue;
      }
      String c = header ? identifier(f.name(), "field") : typeIdentifier(f.name(), "field");
      String other = seen.put(c, f.name());
      if (other != null) {
        throw Problem.C_NAME_CLASH_FIELDS_BOTH_BECOME
            .with("event", e.name())
            .with("field", f.name())
            .with("member", other)
            .with("value", c)
            .with("expected", "field names that stay distinct in C")
            .build();
      }
      out.add(c);
    }
    return out;
  }

  private static BpfEventsException clash(EventLayout e, String field, String other,
      String c) {
    return Problem.C_NAME_CLASH_FIELDS_BOTH_BECOME
        .with("event", e.name())
        .with("field", field)
        .with("member", other)
        .with("value", c)
        .with("expected", "field names that stay distinct in C")
        .build();
  }

  /**
   * The error for two different events whose names become one C struct name (in a header
   * or in BTF).
   *
   * @param before the event that has the name already
   * @param e the event that comes to the same name
   * @param c the struct name
   * @return the exception ({@code c-name-clash}), to be thrown by the caller
   */
  public static BpfEventsException structClash(EventLayout before, EventLayout e, String c) {
    return Problem.C_NAME_CLASH_EVENTS_BOTH_BECOME
        .with("event", e.name())
        .with("other", before.name())
        .with("value", c)
        .with("expected", "distinct C struct names for distinct events")
        .build();
  }

  /**
   * Why an identifier cannot stand in a header, or null when it can.
   *
   * @param c a C identifier
   * @return {@code "a keyword"}, {@code "a name C reserves for the compiler"},
   *     {@code "a macro GNU C predefines"}, or null
   */
  public static String unusable(String c) {
    if (KEYWORDS.contains(c)) {
      return "a keyword";
    }
    if (c.startsWith("__") || (c.length() > 1 && c.charAt(0) == '_'
        && Character.isUpperCase(c.charAt(1)))) {
      return "a name C reserves for the compiler";
    }
    if (PREDEFINED.contains(c)) {
      return "a macro GNU C predefines";
    }
    return null;
  }

  /**
   * What a name must be instead, for the reason {@link #unusable} gave.
   *
   * @param why the reason
   * @return the expectation, for a message
   */
  public static String expectedInstead(String why) {
    switch (why) {
      case "a keyword":
        return "a name that is not a C keyword";
      case "a macro GNU C predefines":
        return "a name that is not a predefined macro (linux, unix)";
      default:
        return "a name that does not begin with __, or with _ and a capital";
    }
  }

  /**
   * The conversion alone, never failing: for reports of names that may not be valid C.
   *
   * @param name any name
   * @return the converted text
   */
  public static String convert(String name) {
    if (name == null) {
      throw Problem.BAD_C_NAME_NULL
          .with("value", null)
          .with("expected", "a name")
          .build();
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < name.length(); i++) {
      char ch = name.charAt(i);
      if (ch == '-') {
        b.append('_');
        continue;
      }
      if (Character.isUpperCase(ch) && i > 0) {
        char prev = name.charAt(i - 1);
        boolean nextLower = i + 1 < name.length() && Character.isLowerCase(name.charAt(i + 1));
        if (Character.isLowerCase(prev) || Character.isDigit(prev)
            || (Character.isUpperCase(prev) && nextLower)) {
          b.append('_');
        }
      }
      b.append(Character.toLowerCase(ch));
    }
    return b.toString();
  }
}
