package io.github.bpfevents.definition;

import io.github.bpfevents.Notation;
import io.github.bpfevents.Shown;
import io.github.bpfevents.layout.EventLayout;
import java.util.List;

/**
 * One datum of a definition, as the user wrote it: read from an event file (with the line
 * it starts on), or given by a Clojure caller (line 0). Forms are plain data: nothing is
 * ever evaluated.
 *
 * <p>The kinds are the ones a definition needs: lists {@code (...)}, vectors
 * {@code [...]}, maps <code>{...}</code>, keywords, symbols, 64-bit integers and strings;
 * an event definition handed over as a value ({@link EventForm}); and any other value,
 * which only ever appears in an error ({@link OtherForm}). A form shows itself in messages
 * as it was written, shortened when long.
 */
public sealed interface Form extends Shown {
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

  /**
   * A list, {@code (a b c)}.
   *
   * @param line the line it starts on, 0 when not read from a file
   * @param items its elements
   */
  record ListForm(int line, List<Form> items) implements Form {
    @Override
    public String show() {
      return Form.showSeq("(", items, ")");
    }
  }

  /**
   * A vector, {@code [a b c]}.
   *
   * @param line the line it starts on, 0 when not read from a file
   * @param items its elements
   */
  record VectorForm(int line, List<Form> items) implements Form {
    @Override
    public String show() {
      return Form.showSeq("[", items, "]");
    }
  }

  /**
   * A map.
   *
   * @param line the line it starts on, 0 when not read from a file
   * @param items keys and values alternating, in the order written
   */
  record MapForm(int line, List<Form> items) implements Form {
    @Override
    public String show() {
      return Form.showSeq("{", items, "}");
    }
  }

  /**
   * A keyword, {@code :name}.
   *
   * @param line the line, 0 when not read from a file
   * @param name the text after the colon ({@code ns/name} keeps its namespace)
   */
  record KeywordForm(int line, String name) implements Form {
    @Override
    public String show() {
      return Form.shorten(":" + name);
    }
  }

  /**
   * A symbol, {@code Name} or {@code ns/name}.
   *
   * @param line the line, 0 when not read from a file
   * @param name the symbol's text
   */
  record SymbolForm(int line, String name) implements Form {
    @Override
    public String show() {
      return Form.shorten(name);
    }
  }

  /**
   * An integer that fits 64 signed bits.
   *
   * @param line the line, 0 when not read from a file
   * @param value the integer
   */
  record IntegerForm(int line, long value) implements Form {
    @Override
    public String show() {
      return Long.toString(value);
    }
  }

  /**
   * An integer beyond 64 signed bits, as a host hands it over (an enumerator of an unsigned
   * 64-bit or 128-bit field, say); only enumerators and messages take it.
   *
   * @param line the line, 0 when not read from a file
   * @param value the integer
   */
  record BigIntegerForm(int line, java.math.BigInteger value) implements Form {
    @Override
    public String show() {
      return value.toString();
    }
  }

  /**
   * A string literal, its escapes resolved.
   *
   * @param line the line, 0 when not read from a file
   * @param value the string
   */
  record StringForm(int line, String value) implements Form {
    @Override
    public String show() {
      return Form.shorten(Notation.quote(value));
    }
  }

  /**
   * An event definition given as a value, where a type belongs: a nested event.
   *
   * @param line the line, 0 when not read from a file
   * @param event the event's layout
   */
  record EventForm(int line, EventLayout event) implements Form {
    @Override
    public String show() {
      return Form.shorten(event.name());
    }
  }

  /**
   * A value of any other kind (nil, a boolean, a decimal, an integer beyond 64 bits, a
   * sequence cut short), shown by the text its giver made of it.
   *
   * @param line the line, 0 when not read from a file
   * @param text how the value is written, already short
   */
  record OtherForm(int line, String text) implements Form {
    @Override
    public String show() {
      return Form.shorten(text);
    }
  }

  /**
   * The form as messages show it: as written, shortened when long.
   *
   * @param notation unused: a form reads as it was written
   * @return the text
   */
  @Override
  default String shown(Notation notation) {
    return show();
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
}
