package io.github.bpfevents.cli;

import io.github.bpfevents.btf.Btf;
import io.github.bpfevents.btf.BtfChecker;
import io.github.bpfevents.btf.BtfMismatch;
import io.github.bpfevents.btf.BtfReader;
import io.github.bpfevents.definition.EventFile;
import io.github.bpfevents.definition.EventFileReader;
import io.github.bpfevents.layout.EventLayout;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/** {@code check FILE OBJECT [NAME...]}: events against the BTF of a compiled object. */
final class CheckCommand extends Command {
  @Override
  String name() {
    return "check";
  }

  @Override
  String arguments() {
    return "FILE OBJECT [NAME...]";
  }

  @Override
  String summary() {
    return "check the events against the BTF of a compiled object (or vmlinux)";
  }

  @Override
  String description() {
    return """
        Compares every event of FILE, or the NAMEd ones, with the struct of its C name in
        the BTF of OBJECT: an object compiled with `clang -g -target bpf -c` (its .BTF
        section), or raw BTF such as /sys/kernel/btf/vmlinux. Field by field: offsets,
        sizes, element counts, signedness, byte order (__be16, __be32, __be64), nested
        events, the total size. Prints one line per event that agrees, and one per
        mismatch; exits 1 when there is any mismatch or a struct is missing.
        """;
  }

  @Override
  boolean readsEvents() {
    return false;
  }

  @Override
  void run(Args args, InputStream in, PrintStream out) {
    List<String> pos = args.positionals();
    if (pos.size() < 2) {
      throw new UsageException(name(), "check takes an event FILE and an OBJECT; got "
          + (pos.isEmpty() ? "nothing" : String.join(" ", pos)));
    }
    EventFile file = EventFileReader.read(path(pos.get(0)));
    Btf btf = BtfReader.read(path(pos.get(1)));
    List<EventLayout> events = file.select(pos.subList(2, pos.size()));
    int mismatches = 0;
    for (EventLayout e : events) {
      List<BtfMismatch> found = BtfChecker.check(e, btf);
      if (found.isEmpty()) {
        out.println(e.name() + ": agrees with " + pos.get(1));
      }
      for (BtfMismatch m : found) {
        out.println(e.name() + ": " + m.text());
      }
      mismatches += found.size();
    }
    if (mismatches > 0) {
      throw new InputException(mismatches + (mismatches == 1 ? " mismatch" : " mismatches")
          + " between " + pos.get(0) + " and " + pos.get(1) + "; expected none");
    }
  }

  /**
   * A path argument.
   *
   * @param arg the argument
   * @return the path
   * @throws InputException if it is no path
   */
  static Path path(String arg) {
    try {
      return Paths.get(arg);
    } catch (InvalidPathException e) {
      throw new InputException("cannot read " + arg + ": " + e.getReason());
    }
  }
}
