package io.github.bpfevents.cli;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Notation;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The command-line tool {@code bpf-events}: reads the {@code defevent} forms of an event
 * file as data and prints an event's layout report, its BPF stores, the C header, or the
 * decoded records of a dump. Run {@code bpf-events --help} for the commands.
 *
 * <pre>
 * bpf-events describe events.clj ConnectionEvent
 * bpf-events stores events.clj ConnectionEvent --event-reg r6 --value-reg r7
 * bpf-events c-header events.clj -o events.h
 * bpf-events decode events.clj ConnectionEvent dump.bin --format json
 * </pre>
 *
 * <p>Exit status: 0 on success, 1 for bad input (printed as {@code FILE:LINE: message}, or
 * {@code bpf-events: message} when there is no line), 2 for a command line the tool does
 * not understand, 3 for an internal error (a bug, printed with its stack trace).
 */
public final class Main {
  /** Exit status of a run that did its work. */
  public static final int OK = 0;
  /** Exit status for bad input: an event file, a data file or an event name. */
  public static final int BAD_INPUT = 1;
  /** Exit status for a command line the tool does not understand. */
  public static final int USAGE = 2;
  /** Exit status for an internal error, a bug of the tool. */
  public static final int INTERNAL = 3;

  private static final List<Command> COMMANDS = List.of(new DemoCommand(),
      new DescribeCommand(), new StoresCommand(), new CHeaderCommand(), new DecodeCommand(),
      new BtfCommand(), new CheckCommand(), new ImportCommand(), new ExampleCommand());

  private Main() {}

  /**
   * Runs the tool on the process's standard streams and exits with its status.
   *
   * @param args the command line
   */
  public static void main(String[] args) {
    PrintStream out = new PrintStream(
        new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
        false, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true,
        StandardCharsets.UTF_8);
    int status = run(args, System.in, out, err);
    out.flush();
    err.flush();
    System.exit(status);
  }

  /**
   * Runs the tool.
   *
   * @param args the command line
   * @param in standard input
   * @param out standard output
   * @param err standard error
   * @return the exit status: {@link #OK}, {@link #BAD_INPUT}, {@link #USAGE} or
   *     {@link #INTERNAL}
   */
  public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
    Command command = null;
    try {
      if (args.length == 0) {
        out.print(usage());
        return OK;
      }
      String first = args[0];
      List<String> rest = Arrays.asList(args).subList(1, args.length);
      if (first.equals("--help") || first.equals("-h")) {
        out.print(usage());
        return OK;
      }
      if (first.equals("--version")) {
        out.println("bpf-events " + version());
        return OK;
      }
      if (first.equals("help")) {
        if (rest.isEmpty()) {
          out.print(usage());
        } else {
          out.print(command(rest.get(0)).help());
        }
        return OK;
      }
      if (first.startsWith("-")) {
        throw new UsageException(null, "unknown option " + first + "; expected a command "
            + commandNames() + ", --help or --version");
      }
      command = command(first);
      command.execute(rest, in, out);
      out.flush();
      return OK;
    } catch (UsageException e) {
      out.flush();
      err.println("bpf-events: " + e.getMessage());
      Command about = e.command() == null ? null : find(e.command());
      err.println(about == null ? "usage: bpf-events COMMAND [ARGS...]" : about.usage());
      err.println("Run 'bpf-events " + (about == null ? "" : about.name() + " ")
          + "--help' for more.");
      return USAGE;
    } catch (InputException e) {
      out.flush();
      err.println(e.render());
      return BAD_INPUT;
    } catch (BpfEventsException e) {
      out.flush();
      err.println(render(e));
      return BAD_INPUT;
    } catch (RuntimeException | Error e) {
      out.flush();
      err.println("bpf-events: internal error, please report it: " + e);
      e.printStackTrace(err);
      return INTERNAL;
    }
  }

  /**
   * A library error as the tool prints it: {@code FILE:LINE: message} for an error in an
   * event file (its values as the file writes them), else {@code bpf-events: message}.
   *
   * @param e the error
   * @return the line to print
   */
  static String render(BpfEventsException e) {
    Object source = e.data().get("source");
    Object line = e.data().get("line");
    if (source instanceof String s && line instanceof Integer n && n > 0) {
      return s + ":" + n + ": " + e.message(Notation.EDN);
    }
    return "bpf-events: " + (source != null ? e.message(Notation.EDN) : e.getMessage());
  }

  /**
   * The tool's version: the jar manifest's {@code Implementation-Version}.
   *
   * @return the version, or {@code "dev"} when not run from the jar
   */
  public static String version() {
    String v = Main.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  private static Command find(String name) {
    for (Command c : COMMANDS) {
      if (c.name().equals(name)) {
        return c;
      }
    }
    return null;
  }

  private static Command command(String name) {
    Command c = find(name);
    if (c == null) {
      throw new UsageException(null, "unknown command " + name + "; expected one of "
          + commandNames());
    }
    return c;
  }

  private static List<String> commandNames() {
    List<String> names = new ArrayList<>();
    for (Command c : COMMANDS) {
      names.add(c.name());
    }
    return names;
  }

  /**
   * The tool's help text.
   *
   * @return the text, ending in a newline
   */
  static String usage() {
    StringBuilder b = new StringBuilder();
    b.append("usage: bpf-events COMMAND [ARGS...]\n\n");
    b.append("""
        Reads BPF event definitions, the defevent forms of a Clojure file, as data
        (nothing in the file is run) and prints what they give: each event's layout,
        the BPF stores that fill it, the C header, or the records of a dump, decoded.

        commands:
        """);
    for (Command c : COMMANDS) {
      String synopsis = c.name() + (c.arguments().isEmpty() ? "" : " " + c.arguments());
      b.append(String.format("  %s%n      %s%n", synopsis, c.summary()));
    }
    b.append('\n').append(Command.FILE_HELP);
    b.append("""

        options:
          -h, --help     this text; `bpf-events COMMAND --help` for a command
          --version      print the version

        examples:
          bpf-events describe                      the example's events
          bpf-events stores ConnectionEvent        the example's stores for ConnectionEvent
          bpf-events c-header events.clj -o events.h
          bpf-events decode events.clj ConnectionEvent dump.bin --format json

        exit status: 0 done; 1 bad input (FILE:LINE: message, or bpf-events: message);
        2 a command line the tool does not understand.
        """);
    return b.toString();
  }
}
