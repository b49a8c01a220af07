package io.github.bpfevents.cli;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.cheader.CHeader;
import io.github.bpfevents.layout.EventLayout;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/** {@code c-header [FILE] [NAME...]}: the C header of events. */
final class CHeaderCommand extends Command {
  @Override
  String name() {
    return "c-header";
  }

  @Override
  String arguments() {
    return "[FILE] [NAME...] [-o OUT] [--guard NAME]";
  }

  @Override
  String summary() {
    return "the C header of the events";
  }

  @Override
  String description() {
    return """
        Writes the C header of every event of FILE, or of the NAMEd ones (with the events
        they nest): an include guard, <linux/types.h> types, one struct per event (nested
        ones first), __attribute__((packed)) where the layout needs it, and a
        _Static_assert on each struct's size, alignment and member offsets.
        """;
  }

  @Override
  Map<String, Boolean> options() {
    return Map.of("--output", true, "--guard", true);
  }

  @Override
  Map<String, String> aliases() {
    return Map.of("-o", "--output");
  }

  @Override
  String optionHelp() {
    return "  -o, --output OUT    write the header to OUT instead of stdout (-)\n"
        + "  --guard NAME        the include guard (default BPF_EVENTS_<FIRST EVENT>_H)\n";
  }

  @Override
  void run(Args args, InputStream in, PrintStream out) {
    Source source = source(args);
    List<EventLayout> events = source.file().select(source.rest());
    String header;
    try {
      header = CHeader.emit(events, args.value("--guard", null));
    } catch (BpfEventsException e) {
      if (e.problem().equals("bad-option")) {
        throw new UsageException(name(), "option --guard: " + e.getMessage());
      }
      throw inputError(source.file(), e);
    }
    writeOutput(args.value("--output", null), header, out);
  }
}
