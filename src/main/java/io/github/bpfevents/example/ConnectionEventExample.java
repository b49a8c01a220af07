package io.github.bpfevents.example;

import io.github.bpfevents.asm.AsmPrinter;
import io.github.bpfevents.asm.Insn;
import io.github.bpfevents.asm.InsnEncoder;
import io.github.bpfevents.asm.Register;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.Field;
import io.github.bpfevents.layout.FieldSpec;
import io.github.bpfevents.layout.FieldType;
import io.github.bpfevents.layout.LayoutEngine;
import io.github.bpfevents.store.EventStores;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The built-in example: lays out {@code ConnectionEvent} and prints its fields, then the
 * stores that zero it and fill each field from a register, as assembler text and bytes.
 *
 * <p>Run with {@code java -jar target/bpf-events-VERSION.jar}.
 */
public final class ConnectionEventExample {
  private ConnectionEventExample() {}

  /**
   * The example event of the documentation: 44 bytes, {@code pid} at 8.
   *
   * @return its layout
   */
  public static EventLayout connectionEvent() {
    return LayoutEngine.layout("ConnectionEvent", List.of(
        FieldSpec.of("timestamp", FieldType.U64),
        FieldSpec.of("pid", FieldType.U32),
        FieldSpec.of("saddr", FieldType.U32),
        FieldSpec.of("daddr", FieldType.U32),
        FieldSpec.of("sport", FieldType.U16),
        FieldSpec.of("dport", FieldType.U16),
        FieldSpec.of("protocol", FieldType.U8),
        FieldSpec.of("direction", FieldType.U8),
        FieldSpec.of("padding", FieldType.U8, 2),
        FieldSpec.of("comm", FieldType.CHAR, 16)));
  }

  /**
   * Prints the example.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    print(connectionEvent(), System.out);
  }

  /**
   * Prints an event's layout, then its stores: zero the record from {@code r6}, then store
   * {@code r7} into each field.
   *
   * @param event the layout
   * @param out where to print
   */
  public static void print(EventLayout event, PrintStream out) {
    out.printf("event %s: %d bytes%n", event.name(), event.size());
    out.printf("  %-12s %-6s %5s %6s %6s%n", "field", "type", "count", "offset", "size");
    for (Field f : event.fields()) {
      out.printf("  %-12s %-6s %5d %6d %6d%n",
          f.name(), f.type().typeName(), f.count(), f.offset(), f.size());
    }
    out.println();
    out.println("zero the record at r6:");
    printInsns(EventStores.zeroEvent(Register.R6, event), out);
    out.println();
    out.println("store r7 into each field:");
    List<Insn> stores = new ArrayList<>();
    for (Field f : event.fields()) {
      stores.add(EventStores.storeField(Register.R6, event, f.name(), Register.R7));
    }
    printInsns(stores, out);
  }

  private static void printInsns(List<Insn> insns, PrintStream out) {
    byte[] bytes = InsnEncoder.encode(insns);
    for (int i = 0; i < insns.size(); i++) {
      StringBuilder hex = new StringBuilder();
      for (int k = 0; k < InsnEncoder.SLOT; k++) {
        hex.append(String.format("%02x ", bytes[i * InsnEncoder.SLOT + k] & 0xff));
      }
      out.printf("  %s  %s%n", hex, AsmPrinter.print(insns.get(i)));
    }
  }
}
