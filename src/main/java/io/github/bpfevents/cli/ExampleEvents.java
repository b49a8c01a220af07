package io.github.bpfevents.cli;

import io.github.bpfevents.definition.EventFileReader;
import io.github.bpfevents.definition.EventFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The built-in example event file, shipped in the jar: {@code ConnectionEvent} (packed, 44
 * bytes, as in the README) and the natural-layout {@code FlowEvent} with its nested
 * {@code Endpoint}. The commands use it when no event file is given.
 */
final class ExampleEvents {
  /** The name the example goes by in messages. */
  static final String SOURCE = "(built-in example)";

  private static final String RESOURCE = "example-events.clj";

  private ExampleEvents() {}

  /**
   * The example file's text, as {@code bpf-events example} prints it.
   *
   * @return the text
   */
  static String text() {
    return new String(bytes(), StandardCharsets.UTF_8);
  }

  /**
   * The example's events.
   *
   * @return the events, read by {@link EventFileReader} like any file
   */
  static EventFile events() {
    return EventFileReader.read(SOURCE, bytes());
  }

  private static byte[] bytes() {
    try (InputStream in = ExampleEvents.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("resource " + RESOURCE + " is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
