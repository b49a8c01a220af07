package io.github.bpfevents.cli;

import io.github.bpfevents.definition.EventFileReader;
import io.github.bpfevents.definition.EventFile;
import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Notation;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One subcommand of the tool: its name, help, options and what it does. The commands that
 * read events take an optional FILE first; see {@link #source}.
 */
abstract class Command {
  /** The paragraph on FILE that every command reading events shows in its help. */
  static final String FILE_HELP = """
      FILE holds defevent forms, read as data and never run. Without FILE, the command
      uses the built-in example (`bpf-events example` prints it): FILE counts as left out
      when there are no arguments, with --example, or when the first argument is not an
      existing file but names an event of the example (ConnectionEvent, Endpoint,
      FlowEvent).
      """;

  /**
   * The command's name.
   *
   * @return for example {@code "describe"}
   */
  abstract String name();

  /**
   * The command's arguments, for the usage line.
   *
   * @return for example {@code "[FILE] [NAME...]"}
   */
  abstract String arguments();

  /**
   * What the command does, in one line for the tool's help.
   *
   * @return the summary
   */
  abstract String summary();

  /**
   * What the command does, its arguments and options, for {@code COMMAND --help}; the
   * usage line and the common options are added around it.
   *
   * @return the text, ending in a newline
   */
  abstract String description();

  /**
   * Whether the command reads an event file (and so takes FILE and {@code --example}).
   *
   * @return true unless overridden
   */
  boolean readsEvents() {
    return true;
  }

  /**
   * The command's own options, long name to whether it takes a value.
   *
   * @return none unless overridden
   */
  Map<String, Boolean> options() {
    return Map.of();
  }

  /**
   * The command's short options, to the long name each stands for.
   *
   * @return none unless overridden
   */
  Map<String, String> aliases() {
    return Map.of();
  }

  /**
   * The lines on the command's own options for its help, each ending in a newline.
   *
   * @return none unless overridden
   */
  String optionHelp() {
    return "";
  }

  /**
   * Does the work.
   *
   * @param args the parsed arguments
   * @param in standard input
   * @param out standard output
   * @throws InputException for bad input
   * @throws UsageException for arguments that do not fit the command
   */
  abstract void run(Args args, InputStream in, PrintStream out);

  /**
   * The usage line.
   *
   * @return {@code usage: bpf-events NAME ARGUMENTS}
   */
  final String usage() {
    return "usage: bpf-events " + name() + " " + arguments();
  }

  /**
   * The text of {@code COMMAND --help}.
   *
   * @return the text, ending in a newline
   */
  final String help() {
    StringBuilder b = new StringBuilder(usage()).append("\n\n").append(description());
    if (readsEvents()) {
      b.append('\n').append(FILE_HELP);
    }
    b.append("\noptions:\n").append(optionHelp());
    if (readsEvents()) {
      b.append("  --example           use the built-in example, even if a file has the name\n");
    }
    b.append("  -h, --help          this text\n");
    return b.toString();
  }

  /**
   * Parses the arguments and runs the command, or prints its help.
   *
   * @param raw the arguments after the command's name
   * @param in standard input
   * @param out standard output
   */
  final void execute(List<String> raw, InputStream in, PrintStream out) {
    Map<String, Boolean> spec = new LinkedHashMap<>(options());
    spec.put("--help", false);
    if (readsEvents()) {
      spec.put("--example", false);
    }
    Map<String, String> aliases = new LinkedHashMap<>(aliases());
    aliases.put("-h", "--help");
    Args args = Args.parse(name(), raw, spec, aliases);
    if (args.has("--help")) {
      out.print(help());
      return;
    }
    run(args, in, out);
  }

  /** The event file a command works on, and the positional arguments after FILE. */
  record Source(EventFile file, List<String> rest) {}

  /**
   * The event file of a command line: the built-in example when {@code --example} is
   * given, when there are no positional arguments, or when the first is not an existing
   * file but names an event of the example; else the file the first argument names.
   *
   * @param args the parsed arguments
   * @return the events and the arguments after FILE
   * @throws InputException if FILE cannot be read or is not a valid event file
   */
  static Source source(Args args) {
    List<String> pos = args.positionals();
    if (args.has("--example") || pos.isEmpty()) {
      return new Source(ExampleEvents.events(), pos);
    }
    String first = pos.get(0);
    Path path;
    try {
      path = Paths.get(first);
    } catch (InvalidPathException e) {
      path = null;
    }
    if (path == null || !Files.exists(path)) {
      EventFile example = ExampleEvents.events();
      if (example.names().contains(first)) {
        return new Source(example, pos);
      }
      throw new InputException("cannot read " + first + ": no such file; expected an event"
          + " file, or the name of an event of the built-in example " + example.names());
    }
    return new Source(EventFileReader.read(path), pos.subList(1, pos.size()));
  }

  /**
   * A core error met while working on an event of a file, as bad input: at the line of
   * the field's spec or the event's {@code defevent} when the error names them.
   *
   * @param file the event file
   * @param e the core's error
   * @return the error to throw
   */
  static InputException inputError(EventFile file, BpfEventsException e) {
    Object event = e.data().get("event");
    Object field = e.data().get("field");
    String message = e.message(Notation.EDN);
    if (event instanceof String name && file.names().contains(name)) {
      int line = field instanceof String f ? file.fieldLine(name, f) : 0;
      return new InputException(file.source(), line > 0 ? line : file.line(name), message);
    }
    if (event == null && field instanceof String f) {
      for (String name : file.names()) {
        int line = file.fieldLine(name, f);
        if (line > 0) {
          return new InputException(file.source(), line, "event " + name + ": " + message);
        }
      }
    }
    return new InputException(message);
  }

  /**
   * Writes a command's text to the file OUT of {@code -o OUT}, or to {@code out} when
   * there is no OUT or it is {@code -}.
   *
   * @param output OUT, or null
   * @param text what the command made
   * @param out standard output
   * @throws InputException if the file cannot be written
   */
  static void writeOutput(String output, String text, PrintStream out) {
    if (output == null || output.equals("-")) {
      out.print(text);
    } else {
      writeFile(output, text.getBytes(StandardCharsets.UTF_8));
    }
  }

  /**
   * Writes a command's bytes as {@link #writeOutput(String, String, PrintStream)} writes
   * text.
   *
   * @param output OUT, or null
   * @param bytes what the command made
   * @param out standard output
   * @throws InputException if the file cannot be written
   */
  static void writeOutput(String output, byte[] bytes, PrintStream out) {
    if (output == null || output.equals("-")) {
      out.write(bytes, 0, bytes.length);
    } else {
      writeFile(output, bytes);
    }
  }

  private static void writeFile(String output, byte[] bytes) {
    try {
      Files.write(Paths.get(output), bytes);
    } catch (IOException e) {
      throw new InputException("cannot write " + output + ": " + reason(e));
    } catch (InvalidPathException e) {
      throw new InputException("cannot write " + output + ": " + e.getReason());
    }
  }

  /**
   * Why a file operation failed, in words.
   *
   * @param e the failure
   * @return for example {@code "no such file or directory"}, {@code "permission denied"}
   */
  static String reason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    return String.valueOf(e.getMessage());
  }
}
