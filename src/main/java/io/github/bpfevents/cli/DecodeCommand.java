package io.github.bpfevents.cli;

import io.github.bpfevents.codec.EventDecoder;
import io.github.bpfevents.layout.EventLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

/**
 * {@code decode [FILE] NAME [DATA]}: the records of a raw dump, one line each, as EDN or
 * JSON.
 */
final class DecodeCommand extends Command {
  @Override
  String name() {
    return "decode";
  }

  @Override
  String arguments() {
    return "[FILE] NAME [DATA] [--format edn|json]";
  }

  @Override
  String summary() {
    return "decode a dump of back-to-back records, one line per record";
  }

  @Override
  String description() {
    return """
        Reads DATA (stdin when DATA is left out or is -), a raw dump of back-to-back
        records of event NAME of FILE, and prints each record on one line: a map from
        field name to value in declaration order. Integers are numbers (unsigned types
        unsigned, be16/be32/be64 read in network order), char arrays strings up to the
        first NUL, other arrays vectors, nested events maps. Records are printed as they
        are read. A partial record at the end is an error naming its byte offset,
        reported after the whole records.
        """;
  }

  @Override
  Map<String, Boolean> options() {
    return Map.of("--format", true);
  }

  @Override
  String optionHelp() {
    return "  --format edn|json   edn: {:pid 42, :comm \"curl\"} (the default; integers of 2^63\n"
        + "                      and above end in N); json: {\"pid\":42,\"comm\":\"curl\"}\n";
  }

  @Override
  void run(Args args, InputStream stdin, PrintStream out) {
    String formatName = args.value("--format", "edn");
    RecordFormat format = RecordFormat.named(formatName);
    if (format == null) {
      throw new UsageException(name(), "option --format " + formatName
          + " is not known; expected edn or json");
    }
    Source source = source(args);
    if (source.rest().isEmpty() || source.rest().size() > 2) {
      throw new UsageException(name(), "decode takes an event NAME and at most one DATA"
          + " file after FILE; got " + source.rest().size() + " ("
          + String.join(" ", source.rest()) + ")");
    }
    EventLayout event = source.file().event(source.rest().get(0));
    String data = source.rest().size() == 2 ? source.rest().get(1) : "-";
    if (data.equals("-")) {
      decode(event, format, stdin, "stdin", out);
      return;
    }
    Path path;
    try {
      path = Paths.get(data);
    } catch (InvalidPathException e) {
      throw new InputException("cannot read " + data + ": " + e.getReason());
    }
    if (Files.isDirectory(path)) {
      throw new InputException("cannot read " + data + ": it is a directory; expected a"
          + " file of " + event.name() + " records");
    }
    if (Files.exists(path) && !Files.isRegularFile(path)) {
      // opening a pipe with no writer would wait for one for ever
      throw new InputException("cannot read " + data + ": it is not a regular file (a pipe"
          + " or a device); expected a file of " + event.name() + " records, or - to read"
          + " a stream from stdin");
    }
    try (InputStream in = Files.newInputStream(path)) {
      decode(event, format, in, data, out);
    } catch (IOException e) {
      throw new InputException("cannot read " + data + ": " + reason(e));
    }
  }

  /**
   * Decodes records from a stream until it ends, printing each as soon as it is whole.
   *
   * @throws InputException for a partial record at the end, or when reading fails
   */
  private static void decode(EventLayout event, RecordFormat format, InputStream in,
      String name, PrintStream out) {
    int size = event.size();
    byte[] record = new byte[size];
    ByteBuffer buf = ByteBuffer.wrap(record);
    long offset = 0;
    while (true) {
      int n;
      try {
        n = in.readNBytes(record, 0, size);
      } catch (IOException e) {
        out.flush();
        throw new InputException("cannot read " + name + " at byte offset " + offset + ": "
            + reason(e));
      }
      if (n == 0) {
        return;
      }
      if (n < size) {
        out.flush();
        throw new InputException(name + ": partial " + event.name() + " record at byte offset "
            + offset + ": " + n + " of " + size + " bytes; expected whole records of " + size
            + " bytes (the data holds " + (offset + n) + " bytes)");
      }
      Map<String, Object> values = EventDecoder.decode(event, buf, 0);
      out.println(format.line(values));
      offset += size;
      // show each record while the input waits (a live pipe); stop when the reader of
      // the output went away (a closed pipe)
      if ((idle(in) || offset / size % 1024 == 0) && out.checkError()) {
        return;
      }
    }
  }

  /** Whether reading on would wait for more input (or the input has ended). */
  private static boolean idle(InputStream in) {
    try {
      return in.available() == 0;
    } catch (IOException e) {
      return true;
    }
  }
}
