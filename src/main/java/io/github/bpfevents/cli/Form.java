package io.github.bpfevents.cli;

import java.util.List;

/**
 * One datum read from an event file, with the line it starts on. Forms are plain data:
 * nothing read from a file is ever evaluated.
 *
 * <p>The kinds are the ones an event file needs: lists {@code (...)}, vectors
 * {@code [...]}, maps <code>{...}</code>, keywords, symbols, 64-bit integers and strings.
 */
sealed interface Form {
  /**
   * The line the form starts on, counting from 1.
   *
   * @return the line
   */
  int line();

  /**
   * A short description of the form for messages: its text, shortened when long.
   *
   * @return for example {@code :u32}, {@code (do ...)}, {@code [:pid :u32]}
   */
  String show();

  /** A list, {@code (a b c)}. */
  record ListForm(int line, List<Form> items) implements Form {
    @Override
    public String show() {
      return Form.showSeq("(", items, ")");
    }
  }

  /** A vector, {@code [a b c]}. */
  record VectorForm(int line, List<Form> items) implements Form {
    @Override
    public String show() {
      return Form.showSeq("[", items, "]");
    }
  }

  /** A map; {@code items} alternate key, value, in the order written. */
  record MapForm(int line, List<Form> items) implements Form {
    @Override
    public String show() {
      return Form.showSeq("{", items, "}");
    }
  }

  /** A keyword, {@code :name}; {@code name} is the text after the colon. */
  record KeywordForm(int line, String name) implements Form {
    @Override
    public String show() {
      return Form.shorten(":" + name);
    }
  }

  /** A symbol, {@code Name} or {@code ns/name}. */
  record SymbolForm(int line, String name) implements Form {
    @Override
    public String show() {
      return Form.shorten(name);
    }
  }

  /** An integer that fits 64 signed bits. */
  record IntegerForm(int line, long value) implements Form {
    @Override
    public String show() {
      return Long.toString(value);
    }
  }

  /** A string literal, its escapes resolved. */
  record StringForm(int line, String value) implements Form {
    @Override
    public String show() {
      return Form.shorten(Form.quote(value));
    }
  }

  /** Longest text {@link #show} gives before it shortens. */
  int SHOW_MAX = 40;

  private static String shorten(String text) {
    return text.length() <= SHOW_MAX ? text : text.substring(0, SHOW_MAX - 3) + "...";
  }

  private static String showSeq(String open, List<Form> items, String close) {
    StringBuilder b = new StringBuilder(open);
    for (Form f : items) {
      if (b.length() > open.length()) {
        b.append(' ');
      }
      b.append(f.show());
      if (b.length() > SHOW_MAX) {
        return b.substring(0, SHOW_MAX - 3) + "..." + close;
      }
    }
    return b.append(close).toString();
  }

  /**
   * A string as a literal: in double quotes, with {@code "} and {@code \} escaped and
   * control characters written as escapes.
   *
   * @param s the string
   * @return the literal
   */
  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        case '\r' -> b.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
