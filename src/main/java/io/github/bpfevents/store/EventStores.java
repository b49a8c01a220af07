package io.github.bpfevents.store;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.asm.Insn;
import io.github.bpfevents.asm.Register;
import io.github.bpfevents.asm.Size;
import io.github.bpfevents.asm.Store;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.Field;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The stores that fill an event record: a register holds the record's address, each
 * store writes at {@code register + field offset}.
 *
 * <pre>{@code
 * EventStores.storeField(Register.R6, conn, "pid", Register.R7)   // *(u32 *)(r6 + 8) = r7
 * EventStores.storeImm(Register.R6, conn, "protocol", 6)          // *(u8 *)(r6 + 24) = 6
 * EventStores.zeroEvent(Register.R6, conn)                        // 6 stores over 44 bytes
 * }</pre>
 *
 * <p>Array fields: {@link #storeField} and {@link #storeImm} write element 0 at the element
 * width; {@link #zeroField} zeroes the whole field.
 */
public final class EventStores {
  private static final Size[] WIDEST_FIRST = {Size.DW, Size.W, Size.H, Size.B};

  private EventStores() {}

  /**
   * {@code stx} of the field's element width: stores the low bytes of {@code valueReg}.
   *
   * @param eventReg the register holding the record's address
   * @param event the layout
   * @param field the field's name
   * @param valueReg the register holding the value
   * @return the store
   * @throws BpfEventsException if the field does not exist, its offset does not fit 16
   *     signed bits, or a register is null
   */
  public static Insn storeField(Register eventReg, EventLayout event, String field,
      Register valueReg) {
    Field f = field(event, field);
    try {
      return Store.stx(f.type().storeSize(), eventReg, f.offset(), valueReg);
    } catch (BpfEventsException e) {
      throw e.within("field", f.name(), "field " + f.name());
    }
  }

  /**
   * {@code st} of the field's element width. For widths under 8 bytes any integer from
   * -2^(8w-1) to 2^(8w)-1 is accepted; for 8-byte fields -2^31 to 2^31-1 (the immediate is
   * sign-extended), see {@link Store#st}.
   *
   * @param eventReg the register holding the record's address
   * @param event the layout
   * @param field the field's name
   * @param imm the value
   * @return the store
   * @throws BpfEventsException if the field does not exist, the value does not fit, or
   *     the offset does not fit 16 signed bits
   */
  public static Insn storeImm(Register eventReg, EventLayout event, String field, long imm) {
    Field f = field(event, field);
    try {
      return Store.st(f.type().storeSize(), eventReg, f.offset(), imm);
    } catch (BpfEventsException e) {
      throw e.within("field", f.name(), "field " + f.name());
    }
  }

  /**
   * Stores zero over the whole field (every element of an array), with the fewest stores
   * that are each naturally aligned relative to the start of the record.
   *
   * @param eventReg the register holding the record's address
   * @param event the layout
   * @param field the field's name
   * @return the stores, in ascending offset order
   * @throws BpfEventsException if the field does not exist or lies beyond offset 32767
   */
  public static List<Insn> zeroField(Register eventReg, EventLayout event, String field) {
    Field f = field(event, field);
    try {
      return zeroRange(eventReg, f.offset(), f.end());
    } catch (BpfEventsException e) {
      throw e.within("field", f.name(), "field " + f.name());
    }
  }

  /**
   * The fewest stores that zero the whole record: 8-byte stores, then at most one each of
   * 4, 2 and 1 bytes, every one naturally aligned when the record is 8-byte aligned (as
   * ring-buffer and map memory is). Memory from {@code bpf_ringbuf_reserve} is not zeroed;
   * this keeps padding and unwritten fields from carrying stale kernel bytes to userspace.
   *
   * @param eventReg the register holding the record's address
   * @param event the layout
   * @return {@code size / 8 + bitCount(size % 8)} stores in ascending offset order
   * @throws BpfEventsException if the record reaches beyond offset 32767
   */
  public static List<Insn> zeroEvent(Register eventReg, EventLayout event) {
    notNull(event, "event");
    try {
      return zeroRange(eventReg, 0, event.size());
    } catch (BpfEventsException e) {
      throw e.within("event", event.name(), "event " + event.name());
    }
  }

  /**
   * One store per entry of {@code values}, emitted in layout order whatever the map's order.
   *
   * @param eventReg the register holding the record's address
   * @param event the layout
   * @param values field name to what to store there
   * @return the stores, in layout order
   * @throws BpfEventsException if a field does not exist, a value is null or does not fit
   */
  public static List<Insn> storeFields(Register eventReg, EventLayout event,
      Map<String, StoreValue> values) {
    notNull(event, "event");
    if (values == null) {
      throw BpfEventsException.of("bad-value-spec")
          .with("value", null)
          .with("expected", "a map of field name to value spec")
          .message("field values are null; expected a map of field name to value spec");
    }
    for (Map.Entry<String, StoreValue> e : values.entrySet()) {
      field(event, e.getKey());
      if (e.getValue() == null) {
        throw BpfEventsException.of("bad-value-spec")
            .with("field", e.getKey())
            .with("value", null)
            .with("expected", "a register or an immediate")
            .message("field " + e.getKey() + " has a null value spec;"
                + " expected a register or an immediate");
      }
    }
    List<Insn> out = new ArrayList<>(values.size());
    for (Field f : event.fields()) {
      StoreValue v = values.get(f.name());
      if (v != null) {
        out.add(v.isRegister()
            ? storeField(eventReg, event, f.name(), v.register())
            : storeImm(eventReg, event, f.name(), v.imm()));
      }
    }
    return Collections.unmodifiableList(out);
  }

  private static List<Insn> zeroRange(Register eventReg, int start, int end) {
    List<Insn> out = new ArrayList<>();
    int at = start;
    while (at < end) {
      for (Size s : WIDEST_FIRST) {
        if (at % s.bytes() == 0 && at + s.bytes() <= end) {
          out.add(Store.st(s, eventReg, at, 0));
          at += s.bytes();
          break;
        }
      }
    }
    return Collections.unmodifiableList(out);
  }

  private static Field field(EventLayout event, String field) {
    notNull(event, "event");
    return event.field(field);
  }

  private static void notNull(EventLayout event, String what) {
    if (event == null) {
      throw BpfEventsException.of("not-an-event")
          .with("value", null)
          .with("expected", "an event layout")
          .message(what + " is null; expected an event layout");
    }
  }
}
