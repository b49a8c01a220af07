package io.github.bpfevents.cli;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.btf.BtfWriter;
import io.github.bpfevents.layout.EventLayout;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/** {@code btf [FILE] [NAME...] -o OUT}: the BTF of events. */
final class BtfCommand extends Command {
  @Override
  String name() {
    return "btf";
  }

  @Override
  String arguments() {
    return "[FILE] [NAME...] -o OUT";
  }

  @Override
  String summary() {
    return "the BTF of the events, for the kernel, bpftool and pahole";
  }

  @Override
  String description() {
    return """
        Writes the BTF (the kernel's type format, raw: what BPF_BTF_LOAD takes) of every
        event of FILE, or of the NAMEd ones, with the events they nest: one struct per
        event, named as in the C header, its members at their offsets. Read it with
        `bpftool btf dump file OUT format c` or `pahole -F btf OUT`. The output is binary,
        so OUT is required; `-o -` writes it to stdout.
        """;
  }

  @Override
  Map<String, Boolean> options() {
    return Map.of("--output", true);
  }

  @Override
  Map<String, String> aliases() {
    return Map.of("-o", "--output");
  }

  @Override
  String optionHelp() {
    return "  -o, --output OUT    write the BTF to OUT (- for stdout); required\n";
  }

  @Override
  void run(Args args, InputStream in, PrintStream out) {
    String output = args.value("--output", null);
    if (output == null) {
      throw new UsageException(name(), "btf writes binary BTF; expected -o OUT (or -o - for"
          + " stdout)");
    }
    Source source = source(args);
    List<EventLayout> events = source.file().select(source.rest());
    byte[] blob;
    try {
      blob = BtfWriter.write(events);
    } catch (BpfEventsException e) {
      throw inputError(source.file(), e);
    }
    writeOutput(output, blob, out);
  }
}
