package io.github.bpfevents.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfevents.asm.Insn;
import io.github.bpfevents.asm.Register;
import io.github.bpfevents.check.Bpf;
import io.github.bpfevents.check.Kernel;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.Field;
import io.github.bpfevents.layout.FieldSpec;
import io.github.bpfevents.layout.FieldType;
import io.github.bpfevents.layout.LayoutEngine;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The project's stores in the running kernel. For hundreds of generated events, a program
 * finds an array-map value (the record, pre-filled with 0xa5), loads known constants into
 * registers, runs the project's stores (zero-event, store-field, store-imm, zero-field,
 * store-fields) and exits; it must pass the verifier, and after BPF_PROG_TEST_RUN the map
 * value must hold exactly the bytes the API promises. The expectation is written here from
 * the field offsets and the values, not from the instructions.
 */
@Tag("kernel")
class KernelStoresTest {
  private static final int EVENTS = 300;
  private static final byte FILL = (byte) 0xa5;

  static EventLayout randomEvent(Random rnd, int n) {
    // the types one BPF store writes (stores refuse the 128-bit ones)
    FieldType[] types = java.util.Arrays.stream(FieldType.values()).filter(t -> t.size() <= 8)
        .toArray(FieldType[]::new);
    List<FieldSpec> specs = new ArrayList<>();
    int fields = 1 + rnd.nextInt(12);
    for (int i = 0; i < fields; i++) {
      FieldType t = types[rnd.nextInt(types.length)];
      int count = rnd.nextInt(4) == 0 ? 2 + rnd.nextInt(15) : 1;
      specs.add(FieldSpec.of("f" + i, t, count));
    }
    return LayoutEngine.layout("Event" + n, specs);
  }

  /** One program's stores and the bytes they must leave. */
  static final class Case {
    final List<Insn> stores = new ArrayList<>();
    final byte[] expected;

    Case(int size) {
      expected = new byte[size];
      Arrays.fill(expected, FILL);
    }

    void put(int offset, int width, long value) {
      for (int k = 0; k < width; k++) {
        expected[offset + k] = (byte) (value >>> (8 * k));
      }
    }

    /** An immediate: in network byte order on a big-endian field. */
    void putImm(Field f, long value) {
      int w = f.elementSize();
      if (!f.type().bigEndian()) {
        put(f.offset(), w, value);
        return;
      }
      for (int k = 0; k < w; k++) {
        expected[f.offset() + k] = (byte) (value >>> (8 * (w - 1 - k)));
      }
    }

    void zero(int from, int to) {
      Arrays.fill(expected, from, to, (byte) 0);
    }
  }

  static long randomImmediate(Random rnd, Field f) {
    if (f.type().bigEndian() && f.elementSize() == 8) {
      // only values whose swapped form fits the sign-extended 32-bit immediate
      return Long.reverseBytes(rnd.nextInt());
    }
    return randomImmediate(rnd, f.elementSize());
  }

  static long randomImmediate(Random rnd, int width) {
    if (width == 8) {
      return rnd.nextInt();
    }
    long min = -(1L << (8 * width - 1));
    long max = (1L << (8 * width)) - 1;
    long[] edges = {min, -1, 0, 1, max, -min - 1};
    return rnd.nextBoolean() ? edges[rnd.nextInt(edges.length)]
        : min + (long) (rnd.nextDouble() * (max - min + 1));
  }

  static Case randomCase(Random rnd, EventLayout ev, Register eventReg, long[] regs) {
    Case c = new Case(ev.size());
    if (rnd.nextInt(4) != 0) {
      c.stores.addAll(EventStores.zeroEvent(eventReg, ev));
      c.zero(0, ev.size());
    }
    Map<String, StoreValue> batch = new LinkedHashMap<>();
    List<Field> shuffled = new ArrayList<>(ev.fields());
    java.util.Collections.shuffle(shuffled, rnd);
    List<Field> batchFields = new ArrayList<>();
    for (Field f : shuffled) {
      int w = f.elementSize();
      Register src = randomSource(rnd, eventReg);
      switch (rnd.nextInt(5)) {
        case 0:
          c.stores.add(EventStores.storeField(eventReg, ev, f.name(), src));
          c.put(f.offset(), w, regs[src.number()]);
          break;
        case 1: {
          long imm = randomImmediate(rnd, f);
          c.stores.add(EventStores.storeImm(eventReg, ev, f.name(), imm));
          c.putImm(f, imm);
          break;
        }
        case 2:
          c.stores.addAll(EventStores.zeroField(eventReg, ev, f.name()));
          c.zero(f.offset(), f.end());
          break;
        case 3:
          batch.put(f.name(), rnd.nextBoolean() ? StoreValue.reg(src)
              : StoreValue.imm(randomImmediate(rnd, f)));
          batchFields.add(f);
          break;
        default:
          break;
      }
    }
    // store-fields stores come after the others; fields are distinct, so order between
    // the groups does not change the expected bytes
    c.stores.addAll(EventStores.storeFields(eventReg, ev, batch));
    for (Field f : batchFields) {
      StoreValue v = batch.get(f.name());
      if (v.isRegister()) {
        c.put(f.offset(), f.elementSize(), regs[v.register().number()]);
      } else {
        c.putImm(f, v.imm());
      }
    }
    return c;
  }

  static Register randomSource(Random rnd, Register eventReg) {
    while (true) {
      Register r = Register.of(rnd.nextInt(10));
      if (r != eventReg) {
        return r;
      }
    }
  }

  @Test
  void storesLeaveTheExpectedBytesInTheKernel() {
    Bpf.requirePermitted();
    Random rnd = new Random(7_2026_11_26L);
    int programs = 0;
    int stores = 0;
    for (int n = 0; n < EVENTS; n++) {
      EventLayout ev = randomEvent(rnd, n);
      Register eventReg = Register.of(rnd.nextInt(10));
      long[] regs = new long[10];
      for (int r = 0; r < 10; r++) {
        regs[r] = rnd.nextLong();
      }
      Case c = randomCase(rnd, ev, eventReg, regs);
      byte[] got = Kernel.run(ev.size(), FILL, eventReg, regs, c.stores, 0);
      assertArrayEquals(c.expected, got, () -> ev + "\nstores: " + c.stores);
      programs++;
      stores += c.stores.size();
    }
    assertEquals(EVENTS, programs);
    assertTrue(stores > EVENTS, "the programs stored something: " + stores);
    System.out.println("[kernel] " + programs + " programs with " + stores
        + " of the project's stores passed the verifier and left the expected bytes");
  }
}
