package io.github.bpfevents;

/**
 * How a message shows the names and values it quotes.
 *
 * <ul>
 *   <li>{@link #JAVA}: names as they are ({@code field pid}, {@code type u99},
 *       {@code register r11}), paths as {@code hops[2].ttl}, lists as {@code [a, b]};
 *       what {@link BpfEventsException#getMessage()} gives.
 *   <li>{@link #EDN}: as a Clojure user writes them: names as keywords ({@code :pid},
 *       {@code :u99}, {@code :r11}), paths as vectors ({@code [:hops 2 :ttl]}), strings in
 *       double quotes; what the Clojure namespace and the command-line tool show.
 * </ul>
 */
public enum Notation {
  /** Plain names, for Java callers. */
  JAVA,
  /** Keywords and EDN data, for Clojure users and event files. */
  EDN;

  /**
   * A string as a literal, the same in both notations: in double quotes, with {@code "}
   * and {@code \} escaped and control characters written as escapes.
   *
   * @param s the string
   * @return the literal
   */
  public static String quote(String s) {
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
