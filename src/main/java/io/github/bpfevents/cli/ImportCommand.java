package io.github.bpfevents.cli;

import io.github.bpfevents.btf.Btf;
import io.github.bpfevents.btf.BtfImporter;
import io.github.bpfevents.btf.BtfReader;
import io.github.bpfevents.definition.DefinitionWriter;
import io.github.bpfevents.layout.EventLayout;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/** {@code import OBJECT STRUCT...}: structs of BTF as an event file. */
final class ImportCommand extends Command {
  @Override
  String name() {
    return "import";
  }

  @Override
  String arguments() {
    return "OBJECT STRUCT... [-o OUT]";
  }

  @Override
  String summary() {
    return "an event file declaring structs of an object's BTF (or vmlinux's)";
  }

  @Override
  String description() {
    return """
        Prints an event file that declares each STRUCT of the BTF of OBJECT (an object
        compiled with `clang -g -target bpf -c`, or raw BTF such as
        /sys/kernel/btf/vmlinux), and the structs they nest, nested ones first, each with
        the {:align ...} its offsets need. The other commands read it as FILE. A member
        an event cannot express (a bitfield, a union, a pointer to a struct, a flexible
        array) is an error naming the struct and the member.
        """;
  }

  @Override
  boolean readsEvents() {
    return false;
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
    return "  -o, --output OUT    write the event file to OUT instead of stdout (-)\n";
  }

  @Override
  void run(Args args, InputStream in, PrintStream out) {
    List<String> pos = args.positionals();
    if (pos.size() < 2) {
      throw new UsageException(name(), "import takes an OBJECT and at least one STRUCT; got "
          + (pos.isEmpty() ? "nothing" : String.join(" ", pos)));
    }
    List<String> structs = pos.subList(1, pos.size());
    List<EventLayout> events = imported(pos.get(0), structs);
    String text = DefinitionWriter.eventFile(events, "Imported from the BTF of " + pos.get(0)
        + " by bpf-events import: " + String.join(" ", structs));
    writeOutput(args.value("--output", null), text, out);
  }

  /**
   * The events of the structs of a file's BTF. The table is let go when they are made:
   * the text written of them, and the reading back that checks it, have the heap to
   * themselves.
   */
  private static List<EventLayout> imported(String file, List<String> structs) {
    Btf btf = BtfReader.read(CheckCommand.path(file));
    return BtfImporter.events(btf, structs);
  }
}
