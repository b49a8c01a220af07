package io.github.bpfevents.store;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Problem;
import io.github.bpfevents.asm.Insn;
import io.github.bpfevents.asm.Register;
import io.github.bpfevents.asm.Size;
import io.github.bpfevents.asm.Store;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.FieldRef;
import io.github.bpfevents.layout.FieldType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
    return storeField(eventReg, event, Collections.singletonList(field), valueReg);
  }

  /**
   * {@code stx} at a path: {@code ["src", "port"]}, {@code ["hops", 2, "ttl"]},
   * {@code ["comm", 3]} (see {@link EventLayout#resolve}). The register is stored as it
   * is: for a big-endian field, the program must have swapped it already.
   *
   * @param eventReg the register holding the record's address
   * @param event the layout
   * @param path the field's path
   * @param valueReg the register holding the value
   * @return the store
   * @throws BpfEventsException if the path does not name a scalar, or as
   *     {@link #storeField(Register, EventLayout, String, Register)}
   */
  public static Insn storeField(Register eventReg, EventLayout event, List<?> path,
      Register valueReg) {
    FieldRef f = scalar(event, path);
    try {
      return Store.stx(width(f.type()), eventReg, f.offset(), valueReg);
    } catch (BpfEventsException e) {
      throw e.within("field", fieldKey(f), "field {field}");
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
    return storeImm(eventReg, event, Collections.singletonList(field), imm);
  }

  /**
   * {@code st} at a path (see {@link EventLayout#resolve}). On a big-endian field
   * ({@code be16/be32/be64}) the value is the number as the user reads it (port 80), and
   * the immediate is byte-swapped so that memory holds it in network order. A
   * {@code be64} value can be stored this way only when its swapped form fits the
   * sign-extended 32-bit immediate; otherwise load it into a register.
   *
   * @param eventReg the register holding the record's address
   * @param event the layout
   * @param path the field's path
   * @param imm the value
   * @return the store
   * @throws BpfEventsException if the path does not name a scalar, or as
   *     {@link #storeImm(Register, EventLayout, String, long)}
   */
  public static Insn storeImm(Register eventReg, EventLayout event, List<?> path, long imm) {
    return storeImm(eventReg, event, path, StoreValue.imm(imm));
  }

  /** The st of an immediate value spec, its errors naming the immediate as written. */
  static Insn storeImm(Register eventReg, EventLayout event, List<?> path, StoreValue v) {
    FieldRef f = scalar(event, path);
    try {
      FieldType t = f.type();
      return Store.st(width(t), eventReg, f.offset(),
          t.bigEndian() ? networkOrder(t, v.imm(), v.written()) : v.imm(), v.written());
    } catch (BpfEventsException e) {
      throw e.within("field", fieldKey(f), "field {field}");
    }
  }

  /**
   * The stores that write a register's value into a field, a bitfield included: for a
   * field that is no bitfield the one {@link #storeField(Register, EventLayout, List,
   * Register) stx}; for a bitfield the stores that change only its bits, through a scratch
   * register (see {@link BitfieldStores}): one store where the unit around its bits holds
   * nothing else, else two atomic operations on the aligned 32-bit word (clear its bits,
   * set the value's), the value shifted and masked in the scratch register.
   *
   * <pre>{@code
   * EventStores.storeBits(Register.R6, flow, List.of("syn"), Register.R7, Register.R1)
   * // w1 = 0xfffffffd; lock *(u32 *)(r6 + 36) &= w1; r1 = r7; r1 <<= 1; w1 &= 2;
   * // lock *(u32 *)(r6 + 36) |= w1
   * }</pre>
   *
   * @param eventReg the register holding the record's address (8-byte aligned)
   * @param event the layout
   * @param path the field's path
   * @param valueReg the register holding the value; unchanged
   * @param scratch a register the stores may use; its value is lost
   * @return the stores
   * @throws BpfEventsException if the path names no scalar, the scratch register is the
   *     record's, the value's or r10, an offset does not fit, or the aligned word around
   *     a bitfield's bits reaches past the record
   */
  public static List<Insn> storeBits(Register eventReg, EventLayout event, List<?> path,
      Register valueReg, Register scratch) {
    notNull(event, "event");
    FieldRef f = event.resolve(path);
    if (!f.isBitfield()) {
      return List.of(storeField(eventReg, event, path, valueReg));
    }
    refuseWide(f);
    if (eventReg == null || valueReg == null) {
      throw Problem.BAD_REGISTER_FIELD_NULL
          .with("field", fieldKey(f))
          .with("register", null)
          .with("expected", "a register")
          .build();
    }
    try {
      return BitfieldStores.storeReg(eventReg, event, f.path(), f, valueReg, scratch);
    } catch (BpfEventsException e) {
      throw e.data().containsKey("field") ? e : e.within("field", fieldKey(f), "field {field}");
    }
  }

  /**
   * The stores that write an immediate into a field, a bitfield included: for a field
   * that is no bitfield the one {@link #storeImm(Register, EventLayout, List, long) st};
   * for a bitfield one {@code st} per unit around its bits that holds nothing else, else
   * a read-modify-write through the scratch register (load, clear its bits, set the
   * value's, store).
   *
   * <pre>{@code
   * EventStores.storeBitsImm(Register.R6, flow, List.of("syn"), 1, Register.R1)
   * // w1 = *(u8 *)(r6 + 36); w1 &= -3; w1 |= 2; *(u8 *)(r6 + 36) = w1
   * }</pre>
   *
   * @param eventReg the register holding the record's address (8-byte aligned)
   * @param event the layout
   * @param path the field's path
   * @param imm the value: for a bitfield of w bits, -2^(w-1) to 2^w-1
   * @param scratch a register the stores may use (its value is lost); may be null when
   *     no read-modify-write is needed
   * @return the stores
   * @throws BpfEventsException if the path names no scalar, the value does not fit, the
   *     scratch register is the record's or r10, or an offset does not fit
   */
  public static List<Insn> storeBitsImm(Register eventReg, EventLayout event, List<?> path,
      long imm, Register scratch) {
    return storeBitsImm(eventReg, event, path, StoreValue.imm(imm), scratch);
  }

  /** The stores of an immediate value spec into a field, its errors naming it as written. */
  static List<Insn> storeBitsImm(Register eventReg, EventLayout event, List<?> path,
      StoreValue v, Register scratch) {
    notNull(event, "event");
    FieldRef f = event.resolve(path);
    if (!f.isBitfield()) {
      return List.of(storeImm(eventReg, event, path, v));
    }
    refuseWide(f);
    if (eventReg == null) {
      throw Problem.BAD_REGISTER_RECORD_NULL
          .with("field", fieldKey(f))
          .with("register", null)
          .with("expected", "a register")
          .build();
    }
    try {
      return BitfieldStores.storeImm(eventReg, event, f.path(), f, v.imm(), v.written(),
          scratch);
    } catch (BpfEventsException e) {
      throw e.data().containsKey("field") ? e : e.within("field", fieldKey(f), "field {field}");
    }
  }

  /**
   * The immediate whose little-endian store leaves {@code value} in network byte order.
   */
  private static long networkOrder(FieldType t, long value, Object written) {
    Size size = width(t);
    int bits = 8 * size.bytes();
    long min = size == Size.DW ? Long.MIN_VALUE : -(1L << (bits - 1));
    long max = size == Size.DW ? Long.MAX_VALUE : (1L << bits) - 1;
    if (value < min || value > max) {
      Store.st(size, Register.R0, 0, value, written); // throws the range error of the width
    }
    switch (size) {
      case H:
        return Short.toUnsignedInt(Short.reverseBytes((short) value));
      case W:
        return Integer.reverseBytes((int) value);
      default: {
        long swapped = Long.reverseBytes(value);
        if (swapped < Integer.MIN_VALUE || swapped > Integer.MAX_VALUE) {
          throw Problem.IMMEDIATE_OUT_OF_RANGE_STORED_NETWORK_ORDER
              .with("value", written)
              .with("width", 8)
              .with("expected", "a value whose byte-swapped form fits 32 signed bits")
              .with("swapped", swapped)
              .build();
        }
        return swapped;
      }
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
    return zeroField(eventReg, event, Collections.singletonList(field));
  }

  /**
   * Zero over whatever a path names (a field, an element, a nested event), as
   * {@link #zeroField(Register, EventLayout, String)}; a bitfield whose bits fill the units
   * they lie in gets one store per unit, one that shares its bytes with other bits is
   * refused (it takes {@link #storeBitsImm} with 0 and a scratch register).
   *
   * @param eventReg the register holding the record's address
   * @param event the layout
   * @param path the path
   * @return the stores, in ascending offset order
   * @throws BpfEventsException if the path names nothing or lies beyond offset 32767
   */
  public static List<Insn> zeroField(Register eventReg, EventLayout event, List<?> path) {
    notNull(event, "event");
    FieldRef f = event.resolve(path);
    if (f.isBitfield() && eventReg != null) {
      return zeroBits(eventReg, event, f);
    }
    refuseBitfield(f);
    try {
      return zeroRange(eventReg, f.offset(), f.offset() + f.size());
    } catch (BpfEventsException e) {
      throw e.within("field", fieldKey(f), "field {field}");
    }
  }

  /**
   * Zero over a bitfield whose bits fill the units they lie in (a {@code __u8 x:8} at a
   * byte, a 16-bit one over two bytes): one store per unit, changing no other field's bit.
   * A bitfield that shares a unit with other bits takes a read-modify-write through a
   * scratch register, which zeroing names none of: refused, naming the stores that do it.
   */
  private static List<Insn> zeroBits(Register eventReg, EventLayout event, FieldRef f) {
    try {
      return BitfieldStores.storeImm(eventReg, event, f.path(), f, 0, 0L, null);
    } catch (BpfEventsException e) {
      if (!"bad-register".equals(e.problem())) {
        throw e.data().containsKey("field") ? e : e.within("field", fieldKey(f),
            "field {field}");
      }
      throw Problem.UNSUPPORTED_MEMBER_FIELD_BITFIELD_SHARES
          .with("field", fieldKey(f))
          .with("path", f.path())
          .with("value", "zeroing")
          .with("expected", "store-event-bits with {:imm 0} and a scratch register"
              + " (EventStores.storeBitsImm(reg, event, path, 0, scratch)), which change only"
              + " its bits")
          .build();
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
      throw e.within("event", event.name(), "event {event}");
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
    if (values == null) {
      return storeFieldsAt(eventReg, event, null);
    }
    Map<List<?>, StoreValue> byPath = new LinkedHashMap<>();
    for (Map.Entry<String, StoreValue> e : values.entrySet()) {
      byPath.put(Collections.singletonList(e.getKey()), e.getValue());
    }
    return storeFieldsAt(eventReg, event, byPath);
  }

  /**
   * One store per entry of {@code values}, keyed by path (see {@link EventLayout#resolve}),
   * emitted in layout order (ascending offset) whatever the map's order.
   *
   * @param eventReg the register holding the record's address
   * @param event the layout
   * @param values path to what to store there
   * @return the stores, in layout order
   * @throws BpfEventsException if a path names no scalar, a value is null or does not fit,
   *     or two paths name the same bytes ({@code comm} and {@code comm[0]})
   */
  public static List<Insn> storeFieldsAt(Register eventReg, EventLayout event,
      Map<? extends List<?>, StoreValue> values) {
    notNull(event, "event");
    if (values == null) {
      throw Problem.BAD_VALUE_SPEC_VALUES
          .with("value", null)
          .with("expected", "a map of field to value spec")
          .build();
    }
    List<FieldRef> refs = new ArrayList<>();
    List<StoreValue> specs = new ArrayList<>();
    Map<List<Object>, List<?>> given = new HashMap<>();
    for (Map.Entry<? extends List<?>, StoreValue> e : values.entrySet()) {
      FieldRef f = scalar(event, e.getKey());
      List<?> before = given.put(f.path(), e.getKey());
      if (before != null) {
        throw Problem.DUPLICATE_FIELD_GIVEN_TWICE
            .with("field", fieldKey(f))
            .with("path", f.path())
            .with("value", List.of(before, e.getKey()))
            .with("expected", "one value per field")
            .build();
      }
      if (e.getValue() == null) {
        throw Problem.BAD_VALUE_SPEC_NULL
            .with("field", fieldKey(f))
            .with("value", null)
            .with("expected", "a register or an immediate")
            .build();
      }
      refs.add(f);
      specs.add(e.getValue());
    }
    Integer[] order = new Integer[refs.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingInt(i -> refs.get(i).offset()));
    for (int k = 1; k < order.length; k++) {
      FieldRef a = refs.get(order[k - 1]);
      FieldRef b = refs.get(order[k]);
      if (b.offset() < a.offset() + a.type().size()) {
        throw Problem.DUPLICATE_FIELD_OVERLAPS_ALSO_GIVEN
            .with("field", fieldKey(b))
            .with("path", b.path())
            .with("at", a.path())
            .with("expected", "one value per byte of the record")
            .build();
      }
    }
    List<Insn> out = new ArrayList<>(order.length);
    for (int i : order) {
      StoreValue v = specs.get(i);
      List<Object> path = refs.get(i).path();
      out.add(v.isRegister()
          ? storeField(eventReg, event, path, v.register())
          : storeImm(eventReg, event, path, v));
    }
    return Collections.unmodifiableList(out);
  }

  /** The store that moves one element of the type: its size as an instruction width. */
  private static Size width(FieldType t) {
    return Size.ofBytes(t.size());
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

  /** The "field" entry of an error: the name for a top-level field, else the path. */
  private static Object fieldKey(FieldRef f) {
    return f.path().size() == 1 ? f.path().get(0) : f.path();
  }

  private static FieldRef scalar(EventLayout event, List<?> path) {
    notNull(event, "event");
    FieldRef f = event.resolve(path);
    refuseBitfield(f);
    if (f.isNested()) {
      throw Problem.NOT_A_SCALAR_NAMED_EVENT
          .with("field", fieldKey(f))
          .with("path", f.path())
          .with("event", f.nested().name())
          .with("expected", "a path to one of its fields {accepted}")
          .with("accepted", f.nested().fieldNames())
          .build();
    }
    if (f.type().size() > 8) {
      throw Problem.UNSUPPORTED_MEMBER_FIELD_BYTES_ONE
          .with("field", fieldKey(f))
          .with("path", f.path())
          .with("type", f.type())
          .with("value", "stores")
          .with("expected", "a field of at most 8 bytes (the widest BPF store); write its"
              + " two 64-bit halves with 8-byte stores at offset " + f.offset() + " (low)"
              + " and " + ((long) f.offset() + 8) + " (high), or zero it (zero-event-field)")
          .build();
    }
    if (f.count() == 0) {
      throw Problem.UNSUPPORTED_MEMBER_FIELD_ARRAY_ELEMENTS
          .with("field", fieldKey(f))
          .with("path", f.path())
          .with("value", "stores")
          .with("expected", "a field with an element in the record (a flexible array"
              + " member's elements lie past its end, a zero-length array has none)")
          .build();
    }
    return f;
  }

  /** A register or an immediate holds 64 bits: a wider bitfield (of i128, u128) none. */
  private static void refuseWide(FieldRef f) {
    if (f.bits() > 64) {
      throw Problem.UNSUPPORTED_MEMBER_BITFIELD_BITS_WIDE
          .with("field", fieldKey(f))
          .with("path", f.path())
          .with("type", f.type())
          .with("value", f.bits())
          .with("expected", "a bitfield of at most 64 bits, what a register or an immediate"
              + " holds (zero-event-field zeroes a wider one where its bits fill their"
              + " units)")
          .build();
    }
  }

  /** A byte store into a bitfield would change the bits around it. */
  private static void refuseBitfield(FieldRef f) {
    if (f.isBitfield()) {
      throw Problem.UNSUPPORTED_MEMBER_FIELD_BITFIELD_ONE
          .with("field", fieldKey(f))
          .with("path", f.path())
          .with("value", "stores")
          .with("expected", "stores through a scratch register that change only its bits"
              + " (store-event-bits; EventStores.storeBits, storeBitsImm)")
          .build();
    }
  }

  private static void notNull(EventLayout event, String what) {
    if (event == null) {
      throw Problem.NOT_AN_EVENT_LAYOUT
          .with("value", null)
          .with("expected", "an event layout")
          .with("what", what)
          .build();
    }
  }
}
