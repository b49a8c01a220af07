package io.github.bpfevents.definition;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Notation;
import org.junit.jupiter.api.function.Executable;

/**
 * An error of an event file as the command-line tool shows it: the file, the line (0 for
 * none) and the message in EDN notation, from the library's exception.
 */
final class FileError {
  private final BpfEventsException e;

  private FileError(BpfEventsException e) {
    this.e = e;
  }

  /** The error the code throws; fails the test if it throws none or another kind. */
  static FileError thrownBy(Executable code) {
    return new FileError(assertThrows(BpfEventsException.class, code));
  }

  int line() {
    return (Integer) e.data().get("line");
  }

  String source() {
    return (String) e.data().get("source");
  }

  String getMessage() {
    return e.message(Notation.EDN);
  }

  String render() {
    return (source() != null && line() > 0 ? source() + ":" + line() : "bpf-events") + ": "
        + getMessage();
  }
}
