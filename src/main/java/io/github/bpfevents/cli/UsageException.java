package io.github.bpfevents.cli;

/**
 * A command line the tool does not understand: an unknown command or option, a missing or
 * extra argument, a bad option value. The tool prints the message and the command's
 * synopsis on stderr and exits with status 2.
 */
final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The command whose synopsis to print, or null for the tool's. */
  private final String command;

  /**
   * A usage error.
   *
   * @param command the command being run, or null
   * @param message what is wrong and what was expected
   */
  UsageException(String command, String message) {
    super(message);
    this.command = command;
  }

  /**
   * The command the error is about.
   *
   * @return its name, or null for the tool as a whole
   */
  String command() {
    return command;
  }
}
