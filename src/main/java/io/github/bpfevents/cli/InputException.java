package io.github.bpfevents.cli;

/**
 * Bad input to the command-line tool: an event file that cannot be read or does not
 * declare valid events, a data file that does not hold whole records, an event name that
 * the file does not declare. The tool prints it as {@code FILE:LINE: message} when it knows
 * the line, else as {@code bpf-events: message}, and exits with status 1.
 */
final class InputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The file's name as the user gave it, or null. */
  private final String source;
  /** The line, counting from 1, or 0 when the error has no line. */
  private final int line;

  /**
   * An error at a line of a file.
   *
   * @param source the file's name as the user gave it
   * @param line the line, counting from 1
   * @param message what is wrong and what was expected
   */
  public InputException(String source, int line, String message) {
    super(message);
    this.source = source;
    this.line = line;
  }

  /**
   * An error with no line.
   *
   * @param message what is wrong and what was expected, naming the file where it matters
   */
  public InputException(String message) {
    this(null, 0, message);
  }

  /**
   * The file the error is in.
   *
   * @return its name as the user gave it, or null when the error has no line
   */
  public String source() {
    return source;
  }

  /**
   * The line the error is on.
   *
   * @return the line, counting from 1, or 0 when there is none
   */
  public int line() {
    return line;
  }

  /**
   * The error as the tool prints it.
   *
   * @return {@code FILE:LINE: message}, or {@code bpf-events: message} without a line
   */
  public String render() {
    return source != null && line > 0
        ? source + ":" + line + ": " + getMessage()
        : "bpf-events: " + getMessage();
  }
}
