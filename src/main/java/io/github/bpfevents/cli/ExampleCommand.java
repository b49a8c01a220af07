package io.github.bpfevents.cli;

import java.io.InputStream;
import java.io.PrintStream;

/** {@code example}: prints the built-in example event file. */
final class ExampleCommand extends Command {
  @Override
  String name() {
    return "example";
  }

  @Override
  String arguments() {
    return "";
  }

  @Override
  String summary() {
    return "print the built-in example event file (a start for your own)";
  }

  @Override
  String description() {
    return """
        Prints the event file that the other commands use when no FILE is given:
        ConnectionEvent (packed, 44 bytes) and FlowEvent (natural alignment) with its
        nested Endpoint. `bpf-events example > events.clj` starts a file of your own.
        """;
  }

  @Override
  boolean readsEvents() {
    return false;
  }

  @Override
  void run(Args args, InputStream in, PrintStream out) {
    if (!args.positionals().isEmpty()) {
      throw new UsageException(name(), "example takes no arguments; got "
          + String.join(" ", args.positionals()));
    }
    out.print(ExampleEvents.text());
  }
}
