package io.github.bpfevents.definition;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Notation;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the text of an event file as data: a restricted s-expression reader that knows
 * lists, vectors, maps, keywords, symbols, decimal and {@code 0x} hex integers (64-bit),
 * strings, {@code ;} comments, and commas as whitespace. Nothing is evaluated and nothing
 * is looked up: the reader only builds {@link Form}s.
 *
 * <p>Everything else is an error naming its line: any {@code #} dispatch ({@code #=(...)},
 * {@code #_}, {@code #{...}}, tagged literals), quoting and syntax-quoting, metadata,
 * character literals, ratios, decimals and integers beyond 64 bits, nesting deeper than
 * {@link #MAX_DEPTH} levels, and bytes that are not UTF-8.
 */
public final class FormReader {
  /** The deepest nesting of lists, vectors and maps accepted; a top-level list is level 1. */
  public static final int MAX_DEPTH = 64;

  private static final String SYMBOL_PUNCTUATION = "*+!-_'?<>=/.$&%|";
  private static final String EXPECTED_FORM =
      "a list, vector, map, keyword, symbol, integer or string";

  private final String source;
  private final String text;
  private int pos;
  private int line = 1;

  private FormReader(String source, String text) {
    this.source = source;
    this.text = text;
    if (text.startsWith("\uFEFF")) {
      pos = 1; // a byte-order mark is not part of the text
    }
  }

  /**
   * Reads every top-level form of a file's bytes.
   *
   * @param source the file's name, for messages
   * @param bytes the file's contents, UTF-8
   * @return the forms, in the order written
   * @throws BpfEventsException naming the line of the first thing that is not accepted
   */
  public static List<Form> read(String source, byte[] bytes) {
    return new FormReader(source, decode(source, bytes)).readAll();
  }

  /**
   * Reads every top-level form of a text.
   *
   * @param source the text's name, for messages
   * @param text the text
   * @return the forms, in the order written
   * @throws BpfEventsException naming the line of the first thing that is not accepted
   */
  public static List<Form> read(String source, String text) {
    return new FormReader(source, text).readAll();
  }

  /** Strict UTF-8: a malformed or unmappable sequence is an error naming its line. */
  private static String decode(String source, byte[] bytes) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    // UTF-8 never gives more chars than bytes, so the output cannot overflow
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      int at = in.position();
      int line = 1;
      for (int i = 0; i < at; i++) {
        if (bytes[i] == '\n') {
          line++;
        }
      }
      StringBuilder hex = new StringBuilder();
      for (int i = at; i < Math.min(bytes.length, at + result.length()); i++) {
        hex.append(hex.length() == 0 ? "" : " ").append(String.format("0x%02x", bytes[i] & 0xff));
      }
      throw EventFileReader.error(source, line, "invalid UTF-8 at byte offset " + at + " ("
          + hex + "); expected a UTF-8 text file of defevent forms");
    }
    out.flip();
    return out.toString();
  }

  private List<Form> readAll() {
    List<Form> forms = new ArrayList<>();
    while (skipSpace()) {
      forms.add(readForm(0));
    }
    return forms;
  }

  /** Skips whitespace, commas and comments; false at the end of the text. */
  private boolean skipSpace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c == '\n') {
        line++;
        pos++;
      } else if (c == ',' || Character.isWhitespace(c)) {
        pos++;
      } else if (c == ';') {
        while (pos < text.length() && text.charAt(pos) != '\n') {
          pos++;
        }
      } else {
        return true;
      }
    }
    return false;
  }

  private BpfEventsException error(int at, String message) {
    return EventFileReader.error(source, at, message);
  }

  /** Reads one form at {@code pos}, which holds a non-space character. */
  private Form readForm(int depth) {
    char c = text.charAt(pos);
    switch (c) {
      case '(':
      case '[':
      case '{':
        return readSeq(c, depth + 1);
      case ')':
      case ']':
      case '}':
        throw error(line, "unmatched " + c + "; expected " + EXPECTED_FORM
            + ", or the end of the file");
      case '"':
        return readString();
      case '#':
        throw error(line, "reader dispatch " + snippet() + " is not accepted: an event file is"
            + " read as plain data, so no # form (#=, #_, #{}, #\"\", tagged literals) is read;"
            + " expected " + EXPECTED_FORM);
      case '\'':
      case '`':
      case '~':
      case '@':
      case '^':
      case '\\':
        throw error(line, "reader macro " + snippet() + " is not accepted: an event file is"
            + " read as plain data (no quoting, metadata or character literals); expected "
            + EXPECTED_FORM);
      default:
        return readAtom();
    }
  }

  /** The text from {@code pos}, up to the end of the line or 20 characters. */
  private String snippet() {
    int end = pos;
    while (end < text.length() && end - pos < 20 && text.charAt(end) != '\n') {
      end++;
    }
    return text.substring(pos, end) + (end - pos == 20 ? "..." : "");
  }

  private Form readSeq(char open, int depth) {
    int startLine = line;
    if (depth > MAX_DEPTH) {
      throw error(startLine, "nesting deeper than " + MAX_DEPTH + " levels of ( [ {;"
          + " expected at most " + MAX_DEPTH + " (an event file needs 3)");
    }
    char close = open == '(' ? ')' : open == '[' ? ']' : '}';
    pos++;
    List<Form> items = new ArrayList<>();
    while (true) {
      if (!skipSpace()) {
        throw error(startLine, open + " opened here is never closed; expected " + close
            + " before the end of the file");
      }
      char c = text.charAt(pos);
      if (c == close) {
        pos++;
        break;
      }
      if (c == ')' || c == ']' || c == '}') {
        throw error(line, "unmatched " + c + "; expected " + close + " to close the " + open
            + " opened at line " + startLine);
      }
      items.add(readForm(depth));
    }
    if (open == '(') {
      return new Form.ListForm(startLine, List.copyOf(items));
    }
    if (open == '[') {
      return new Form.VectorForm(startLine, List.copyOf(items));
    }
    if (items.size() % 2 != 0) {
      throw error(startLine, "map " + new Form.MapForm(startLine, items).show() + " has "
          + items.size() + " forms; expected key-value pairs (an even number)");
    }
    Map<String, Form> keys = new HashMap<>();
    for (int i = 0; i < items.size(); i += 2) {
      Form key = items.get(i);
      Form first = keys.putIfAbsent(canonical(key), key);
      if (first != null) {
        throw error(key.line(), "map key " + key.show() + " appears twice (first at line "
            + first.line() + "); expected distinct keys");
      }
    }
    return new Form.MapForm(startLine, List.copyOf(items));
  }

  /** A form's text with the lines left out, to compare map keys. */
  private static String canonical(Form f) {
    if (f instanceof Form.ListForm l) {
      return seq("(", l.items(), ")");
    }
    if (f instanceof Form.VectorForm v) {
      return seq("[", v.items(), "]");
    }
    if (f instanceof Form.MapForm m) {
      return seq("{", m.items(), "}");
    }
    if (f instanceof Form.StringForm s) {
      return Notation.quote(s.value());
    }
    if (f instanceof Form.KeywordForm k) {
      return ":" + k.name();
    }
    if (f instanceof Form.SymbolForm s) {
      return s.name();
    }
    return f.show();
  }

  private static String seq(String open, List<Form> items, String close) {
    StringBuilder b = new StringBuilder(open);
    for (Form f : items) {
      b.append(canonical(f)).append(' ');
    }
    return b.append(close).toString();
  }

  private Form readString() {
    int startLine = line;
    pos++;
    StringBuilder b = new StringBuilder();
    while (true) {
      if (pos >= text.length()) {
        throw error(startLine, "string opened here is never closed; expected \" before the"
            + " end of the file");
      }
      char c = text.charAt(pos++);
      if (c == '"') {
        return new Form.StringForm(startLine, b.toString());
      }
      if (c == '\n') {
        line++;
        b.append(c);
      } else if (c == '\\') {
        b.append(escape());
      } else {
        b.append(c);
      }
    }
  }

  /** The character of the escape after a backslash, which is consumed. */
  private char escape() {
    String expected = "; expected one of \\\" \\\\ \\n \\t \\r \\b \\f \\uXXXX";
    if (pos >= text.length()) {
      throw error(line, "string ends in a lone \\" + expected);
    }
    char c = text.charAt(pos++);
    switch (c) {
      case '"':
        return '"';
      case '\\':
        return '\\';
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'u': {
        if (pos + 4 <= text.length()) {
          String hex = text.substring(pos, pos + 4);
          if (hex.chars().allMatch(h -> Character.digit(h, 16) >= 0)) {
            pos += 4;
            return (char) Integer.parseInt(hex, 16);
          }
        }
        throw error(line, "escape \\u in a string is not followed by 4 hex digits" + expected);
      }
      default:
        throw error(line, "unknown escape \\" + (c == '\n' ? "(newline)" : String.valueOf(c))
            + " in a string" + expected);
    }
  }

  private static boolean isDelimiter(char c) {
    return Character.isWhitespace(c) || ",()[]{}\";".indexOf(c) >= 0;
  }

  private Form readAtom() {
    int start = pos;
    while (pos < text.length() && !isDelimiter(text.charAt(pos))) {
      pos++;
    }
    String token = text.substring(start, pos);
    char first = token.charAt(0);
    if (Character.isDigit(first) || ((first == '+' || first == '-') && token.length() > 1
        && Character.isDigit(token.charAt(1)))) {
      return new Form.IntegerForm(line, integer(token));
    }
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (!Character.isLetterOrDigit(c) && SYMBOL_PUNCTUATION.indexOf(c) < 0
          && !(c == ':' && i == 0)) {
        throw error(line, "character " + describe(c, token) + " in " + shorten(token)
            + " is not accepted; expected a keyword or symbol of letters, digits and "
            + SYMBOL_PUNCTUATION);
      }
    }
    if (first == ':') {
      String name = token.substring(1);
      if (name.isEmpty() || name.startsWith("/") || name.endsWith("/")
          || name.indexOf('/') != name.lastIndexOf('/')) {
        throw error(line, "keyword " + shorten(token) + " is not a keyword; expected a colon"
            + " and a name, such as :pid");
      }
      return new Form.KeywordForm(line, name);
    }
    if (!token.equals("/") && (token.startsWith("/") || token.endsWith("/")
        || token.indexOf('/') != token.lastIndexOf('/'))) {
      throw error(line, "symbol " + shorten(token) + " is not a symbol; expected a name or"
          + " namespace/name");
    }
    return new Form.SymbolForm(line, token);
  }

  private static String describe(char c, String token) {
    if (c == ':' && token.startsWith("::")) {
      return "':' (auto-resolved keywords are not read)";
    }
    return Character.isISOControl(c) || Character.isSpaceChar(c)
        ? String.format("U+%04X", (int) c)
        : "'" + c + "'";
  }

  private static String shorten(String token) {
    return token.length() <= Form.SHOW_MAX ? token
        : token.substring(0, Form.SHOW_MAX - 3) + "... (" + token.length() + " characters)";
  }

  /** A decimal or 0x hex integer token that must fit a long. */
  private long integer(String token) {
    int i = 0;
    boolean negative = false;
    if (token.charAt(0) == '+' || token.charAt(0) == '-') {
      negative = token.charAt(0) == '-';
      i = 1;
    }
    int radix = 10;
    if (token.regionMatches(true, i, "0x", 0, 2)) {
      radix = 16;
      i += 2;
    }
    String digits = token.substring(i);
    String expected = "; expected a decimal integer such as 42 or a hex one such as 0x2a";
    if (digits.isEmpty()) {
      throw error(line, "integer " + shorten(token) + " has no digits" + expected);
    }
    for (int k = 0; k < digits.length(); k++) {
      if (Character.digit(digits.charAt(k), radix) < 0
          || digits.charAt(k) > 0x7f) {
        throw error(line, shorten(token) + " is not an integer" + expected);
      }
    }
    if (radix == 10 && digits.length() > 1 && digits.charAt(0) == '0') {
      throw error(line, "integer " + shorten(token) + " has a leading zero (Clojure reads it"
          + " as octal)" + expected);
    }
    int nonZero = 0;
    while (nonZero < digits.length() - 1 && digits.charAt(nonZero) == '0') {
      nonZero++;
    }
    String significant = digits.substring(nonZero);
    if (significant.length() <= 20) {
      BigInteger v = new BigInteger(significant, radix);
      if (negative) {
        v = v.negate();
      }
      if (v.bitLength() <= 63) {
        return v.longValue();
      }
    }
    throw error(line, "integer " + shorten(token) + " does not fit 64 signed bits; expected "
        + Long.MIN_VALUE + " to " + Long.MAX_VALUE);
  }
}
