package io.github.bpfevents.cli;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.asm.AsmPrinter;
import io.github.bpfevents.asm.Insn;
import io.github.bpfevents.asm.InsnEncoder;
import io.github.bpfevents.asm.Register;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.Field;
import io.github.bpfevents.store.EventStores;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code stores [FILE] NAME}: the stores that zero an event's record and fill each of its
 * fields, as bytes and assembler text.
 */
final class StoresCommand extends Command {
  @Override
  String name() {
    return "stores";
  }

  @Override
  String arguments() {
    return "[FILE] NAME [--event-reg rN] [--value-reg rN]";
  }

  @Override
  String summary() {
    return "the stores that zero the record and fill each field";
  }

  @Override
  String description() {
    return """
        Prints the BPF stores for event NAME of FILE: first the fewest stores that zero
        the whole record at the event register (r6), then one store of the value
        register (r7) into each field, in layout order. A nested event is filled field
        by field (every scalar down its path, each element of an array of events); a
        scalar array gets one store of its element 0. Each line is the instruction's 8
        bytes, as BPF_PROG_LOAD takes them, and its assembler text as LLVM and the
        verifier print it.
        """;
  }

  @Override
  Map<String, Boolean> options() {
    return Map.of("--event-reg", true, "--value-reg", true);
  }

  @Override
  String optionHelp() {
    return "  --event-reg rN      the register holding the record's address (default r6)\n"
        + "  --value-reg rN      the register stored into each field (default r7)\n";
  }

  @Override
  void run(Args args, InputStream in, PrintStream out) {
    Register eventReg = register(args, "--event-reg", "r6");
    Register valueReg = register(args, "--value-reg", "r7");
    Source source = source(args);
    if (source.rest().size() != 1) {
      throw new UsageException(name(), "stores takes one event NAME after FILE; got "
          + source.rest().size() + " (" + String.join(" ", source.rest()) + ")");
    }
    EventLayout event = source.file().event(source.rest().get(0));
    List<Insn> zero;
    List<Insn> fill = new ArrayList<>();
    try {
      zero = EventStores.zeroEvent(eventReg, event);
      for (List<Object> path : leaves(event)) {
        fill.add(EventStores.storeField(eventReg, event, path, valueReg));
      }
    } catch (BpfEventsException e) {
      throw inputError(source.file(), e);
    }
    out.println("zero the record at " + eventReg.asmName() + ":");
    print(zero, out);
    out.println();
    out.println("store " + valueReg.asmName() + " into each field:");
    print(fill, out);
  }

  private Register register(Args args, String option, String otherwise) {
    String name = args.value(option, otherwise);
    try {
      return Register.named(name);
    } catch (BpfEventsException e) {
      throw new UsageException(name(), "option " + option + ": " + e.getMessage());
    }
  }

  /**
   * The path of every scalar field: a top-level scalar (or scalar array) by its name, a
   * nested event's fields below it, every element of an array of events.
   *
   * @param event the event
   * @return the paths, in layout order: {@code [pid]}, {@code [src, port]},
   *     {@code [hops, 1, ttl]}
   */
  static List<List<Object>> leaves(EventLayout event) {
    List<List<Object>> out = new ArrayList<>();
    leaves(event, List.of(), out);
    return out;
  }

  private static void leaves(EventLayout event, List<Object> prefix, List<List<Object>> out) {
    for (Field f : event.fields()) {
      List<Object> path = new ArrayList<>(prefix);
      path.add(f.name());
      if (!f.isNested()) {
        out.add(path);
      } else if (f.count() == 1) {
        leaves(f.nested(), path, out);
      } else {
        for (int k = 0; k < f.count(); k++) {
          List<Object> element = new ArrayList<>(path);
          element.add(k);
          leaves(f.nested(), element, out);
        }
      }
    }
  }

  /**
   * Prints each instruction on a line: its 8 bytes in hex, then its assembler text.
   *
   * @param insns the instructions
   * @param out where to print
   */
  static void print(List<Insn> insns, PrintStream out) {
    byte[] bytes = InsnEncoder.encode(insns);
    for (int i = 0; i < insns.size(); i++) {
      StringBuilder line = new StringBuilder("  ");
      for (int k = 0; k < InsnEncoder.SLOT; k++) {
        line.append(String.format("%02x ", bytes[i * InsnEncoder.SLOT + k] & 0xff));
      }
      line.append("  ").append(AsmPrinter.print(insns.get(i)));
      out.println(line);
    }
  }
}
