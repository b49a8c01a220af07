package io.github.bpfevents.cli;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.report.LayoutReport;
import io.github.bpfevents.report.PaholeText;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;

/** {@code describe [FILE] [NAME...]}: the pahole-style layout report of events. */
final class DescribeCommand extends Command {
  @Override
  String name() {
    return "describe";
  }

  @Override
  String arguments() {
    return "[FILE] [NAME...]";
  }

  @Override
  String summary() {
    return "the layout of each event, in the style of pahole";
  }

  @Override
  String description() {
    return """
        Prints the layout of each event of FILE, or of the NAMEd ones in the order given,
        in the style of pahole: each member's offset and size, holes, padding, cache
        lines, misaligned members, and for a packed event what a plain C struct of the
        same fields would give. Reports are separated by a blank line.
        """;
  }

  @Override
  void run(Args args, InputStream in, PrintStream out) {
    Source source = source(args);
    List<EventLayout> events = source.file().select(source.rest());
    for (int i = 0; i < events.size(); i++) {
      if (i > 0) {
        out.println();
      }
      try {
        out.print(PaholeText.render(LayoutReport.of(events.get(i))));
      } catch (BpfEventsException e) {
        throw inputError(source.file(), e);
      }
    }
  }
}
