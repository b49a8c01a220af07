package io.github.bpfevents.cli;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.asm.Insn;
import io.github.bpfevents.asm.Register;
import io.github.bpfevents.cheader.CHeader;
import io.github.bpfevents.codec.EventDecoder;
import io.github.bpfevents.codec.EventEncoder;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.Field;
import io.github.bpfevents.report.LayoutReport;
import io.github.bpfevents.report.PaholeText;
import io.github.bpfevents.store.EventStores;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code demo}: the whole job on one event (NAME; else the built-in example's
 * ConnectionEvent, or a file's last event, the one its others build up to): its layout,
 * the C header for the BPF side, the stores that fill a record, and a record written with
 * sample values and read back.
 */
final class DemoCommand extends Command {
  @Override
  String name() {
    return "demo";
  }

  @Override
  String arguments() {
    return "[FILE] [NAME]";
  }

  @Override
  String summary() {
    return "the whole job on one event: layout, C header, stores, a record read back";
  }

  @Override
  String description() {
    return """
        Shows what one declaration gives, on the event NAME (when no NAME is given,
        ConnectionEvent of the built-in example, or the last event of FILE): the layout,
        in the style of pahole; the C header for the BPF program; the stores that zero a
        record at r6 and fill each field from r7; and a record written with sample values
        (each scalar its field's number, text its field's name), its bytes, and the same
        record decoded.
        """;
  }

  @Override
  void run(Args args, InputStream in, PrintStream out) {
    Source source = source(args);
    if (source.rest().size() > 1) {
      throw new UsageException(name(), "demo takes at most one event NAME after FILE; got "
          + source.rest().size() + " (" + String.join(" ", source.rest()) + ")");
    }
    List<String> names = source.file().names();
    String name = !source.rest().isEmpty() ? source.rest().get(0)
        : ExampleEvents.SOURCE.equals(source.file().source()) ? "ConnectionEvent"
        : names.get(names.size() - 1);
    EventLayout event = source.file().event(name);
    try {
      out.println("== the layout of " + event.name() + " (bpf-events describe)");
      out.print(PaholeText.render(LayoutReport.of(event)));
      out.println();
      out.println("== the C header for the BPF program (bpf-events c-header)");
      out.print(CHeader.emit(List.of(event)));
      out.println();
      out.println("== the stores that fill a record at r6 from r7 (bpf-events stores)");
      List<Insn> fill = new ArrayList<>(EventStores.zeroEvent(Register.R6, event));
      for (List<Object> path : StoresCommand.leaves(event)) {
        fill.add(EventStores.storeField(Register.R6, event, path, Register.R7));
      }
      StoresCommand.print(fill, out);
      out.println();
      Map<String, Object> sample = sample(event);
      byte[] record = EventEncoder.encode(event, sample);
      out.println("== a record of sample values, " + record.length + " bytes");
      for (int i = 0; i < record.length; i += 16) {
        StringBuilder line = new StringBuilder("  ");
        for (int k = i; k < Math.min(record.length, i + 16); k++) {
          line.append(String.format("%02x ", record[k] & 0xff));
        }
        out.println(line.toString().stripTrailing());
      }
      out.println();
      out.println("== the record decoded (bpf-events decode)");
      out.println(RecordFormat.EDN.line(EventDecoder.decode(event, ByteBuffer.wrap(record), 0)));
    } catch (BpfEventsException e) {
      throw inputError(source.file(), e);
    }
  }

  /** Sample values: each scalar its field's number (1, 2, ...), text its field's name. */
  private static Map<String, Object> sample(EventLayout event) {
    Map<String, Object> m = new LinkedHashMap<>();
    int i = 0;
    for (Field f : event.fields()) {
      i++;
      Object one;
      if (f.isNested()) {
        one = sample(f.nested());
      } else if (f.type().text()) {
        m.put(f.name(), f.name().length() <= f.count() ? f.name()
            : f.name().substring(0, f.count()));
        continue;
      } else {
        one = (long) i;
      }
      if (f.count() == 1) {
        m.put(f.name(), one);
      } else {
        List<Object> items = new ArrayList<>();
        for (int k = 0; k < f.count(); k++) {
          items.add(one);
        }
        m.put(f.name(), items);
      }
    }
    return m;
  }
}
