package io.github.bpfevents.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.bpfevents.asm.Insn;
import io.github.bpfevents.asm.Register;
import io.github.bpfevents.cheader.CHeader;
import io.github.bpfevents.check.Bpf;
import io.github.bpfevents.check.Kernel;
import io.github.bpfevents.check.RandomCTypes;
import io.github.bpfevents.check.Tools;
import io.github.bpfevents.layout.CNames;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.FieldRef;
import io.github.bpfevents.layout.FieldType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bitfield and union stores in the running kernel, against C. For 300 generated
 * definitions of the C type model, a program stores random registers and immediates into
 * bitfields (every width, signed and unsigned, packed and natural, across word
 * boundaries) and into union members, through a scratch register, over a map value
 * pre-filled with 0xa5; it must pass the verifier, and after BPF_PROG_TEST_RUN the value
 * must hold exactly the bytes that gcc's code leaves when it makes the same assignments
 * through the struct's members on a buffer of 0xa5. Programs of bitfield stores only are
 * loaded with {@code BPF_F_STRICT_ALIGNMENT}: every access they make is aligned.
 */
@Tag("kernel")
class KernelBitfieldStoresTest {
  private static final int EVENTS = 300;
  private static final int BATCH = 100;
  private static final byte FILL = (byte) 0xa5;

  @TempDir Path dir;

  /** One assignment: a path, its C text, and the value (a register's or an immediate). */
  private record Assign(FieldRef ref, String cPath, long value, Register reg) {}

  @Test
  void bitfieldAndUnionStoresLeaveTheBytesCLeaves() throws IOException {
    Bpf.requirePermitted();
    Path gcc = Tools.find("gcc");
    if (gcc == null) {
      Tools.unavailable("gcc not found (apt-get install gcc)");
    }
    RandomCTypes gen = new RandomCTypes(new Random(17_2026_12_05L));
    Random rnd = new Random(5);
    int programs = 0;
    int stores = 0;
    int bitfields = 0;
    int atomics = 0;
    int fallbacks = 0;
    int strict = 0;
    for (int b = 0; b < EVENTS / BATCH; b++) {
      List<EventLayout> events = new ArrayList<>();
      Map<String, List<Assign>> assigns = new LinkedHashMap<>();
      Map<String, Register[]> regsOf = new LinkedHashMap<>();
      Map<String, long[]> valuesOf = new LinkedHashMap<>();
      while (events.size() < BATCH) {
        EventLayout ev = gen.event("ks" + b + "_" + events.size(), 1);
        if (ev.size() == 0 || ev.size() > 4096) {
          continue;
        }
        Register eventReg = Register.of(1 + rnd.nextInt(9));
        Register scratch;
        do {
          scratch = Register.of(rnd.nextInt(10));
        } while (scratch == eventReg);
        long[] regs = new long[10];
        for (int r = 0; r < 10; r++) {
          regs[r] = rnd.nextLong();
        }
        List<Assign> list = new ArrayList<>();
        for (RandomCTypes.Place p : RandomCTypes.places(ev)) {
          FieldRef r = p.ref();
          boolean scalar = !r.isNested() && r.count() == 1 && r.type() != FieldType.CHAR
              && r.type().size() <= 8; // no one store writes a 128-bit field
          if (!scalar || rnd.nextInt(3) == 0) {
            continue;
          }
          if (r.isBitfield() && rnd.nextBoolean()) {
            int w = r.bits();
            long v = w == 64 ? rnd.nextLong()
                : (r.type().signed() ? -(1L << (w - 1)) : 0) + (rnd.nextLong() >>> 1) % (1L << w);
            list.add(new Assign(r, p.cPath(), v, null));
          } else {
            Register src;
            do {
              src = Register.of(rnd.nextInt(10));
            } while (src == eventReg || src == scratch);
            list.add(new Assign(r, p.cPath(), regs[src.number()], src));
          }
        }
        events.add(ev);
        assigns.put(ev.name(), list);
        regsOf.put(ev.name(), new Register[] {eventReg, scratch});
        valuesOf.put(ev.name(), regs);
      }
      Map<String, String> cBytes = cBytes(b, events, assigns, gcc);
      for (EventLayout ev : events) {
        Register eventReg = regsOf.get(ev.name())[0];
        Register scratch = regsOf.get(ev.name())[1];
        List<Insn> program = new ArrayList<>();
        for (Assign a : assigns.get(ev.name())) {
          List<Insn> s;
          try {
            s = a.reg() == null
                ? EventStores.storeBitsImm(eventReg, ev, a.ref().path(), a.value(), scratch)
                : EventStores.storeBits(eventReg, ev, a.ref().path(), a.reg(), scratch);
          } catch (io.github.bpfevents.BpfEventsException e) {
            // the aligned word around the bits passes the record's end: the same bits as
            // an immediate
            assertEquals("unsupported-member", e.problem(), e.getMessage());
            int w = a.ref().bits();
            long bits = w == 64 ? a.value() : a.value() & ((1L << w) - 1);
            if (a.ref().type().signed() && w < 64 && (bits >>> (w - 1)) != 0) {
              bits |= -1L << w;
            }
            s = EventStores.storeBitsImm(eventReg, ev, a.ref().path(), bits, scratch);
            fallbacks++;
          }
          program.addAll(s);
          if (a.ref().isBitfield()) {
            bitfields++;
          }
          for (Insn i : s) {
            if ((i.opcode() & 0xe0) == 0xc0) {
              atomics++;
            }
          }
        }
        // a program of bitfield stores only is aligned by construction: the verifier
        // checks it under strict alignment
        boolean onlyBits = assigns.get(ev.name()).stream().allMatch(a -> a.ref().isBitfield());
        if (onlyBits && !program.isEmpty()) {
          strict++;
        }
        byte[] got;
        try {
          got = Kernel.run(ev.size(), FILL, eventReg, valuesOf.get(ev.name()), program,
              onlyBits ? Bpf.F_STRICT_ALIGNMENT : 0);
        } catch (RuntimeException e) {
          throw new AssertionError(ev.name() + ": " + program + "\n"
              + CHeader.emit(List.of(ev)), e);
        }
        String expected = cBytes.get(CNames.identifier(ev.name(), "event"));
        if (!expected.equals(HexFormat.of().formatHex(got))) {
          fail(ev.name() + ": the kernel left " + HexFormat.of().formatHex(got) + ", C "
              + expected + "\nstores: " + program + "\n" + CHeader.emit(List.of(ev)));
        }
        programs++;
        stores += program.size();
      }
    }
    assertEquals(EVENTS, programs);
    assertTrue(bitfields > 300 && atomics > 100 && strict > 20, bitfields + " bitfields, "
        + atomics + " atomics, " + strict + " under strict alignment");
    System.out.println("[kernel] " + programs + " programs of bitfield and union stores ("
        + bitfields + " bitfields, " + stores + " instructions, " + atomics + " atomic)"
        + " passed the verifier (" + strict + " of bitfield stores only under strict"
        + " alignment) and left the bytes gcc's code leaves (" + fallbacks
        + " register stores refused, their word past the record's end, and stored as"
        + " immediates)");
  }

  private Map<String, String> cBytes(int b, List<EventLayout> events,
      Map<String, List<Assign>> assigns, Path gcc) throws IOException {
    int max = 1;
    for (EventLayout e : events) {
      max = Math.max(max, e.size());
    }
    Path header = dir.resolve("ks" + b + ".h");
    Files.writeString(header, CHeader.emit(events, "KS_" + b + "_H"));
    StringBuilder c = new StringBuilder("#include <stdio.h>\n#include <string.h>\n#include \""
        + header.getFileName() + "\"\nstatic unsigned char buf[" + max
        + "] __attribute__((aligned(64)));\nint main(void) {\n");
    for (EventLayout e : events) {
      String s = CNames.identifier(e.name(), "event");
      String type = e.kind().kindName() + " " + s;
      c.append("  memset(buf, 0xa5, sizeof buf);\n");
      for (Assign a : assigns.get(e.name())) {
        c.append("  ((").append(type).append(" *) buf)->").append(a.cPath())
            .append(" = (unsigned long long) ").append(Long.toUnsignedString(a.value()))
            .append("ULL;\n");
      }
      c.append("  printf(\"").append(s).append(" \");\n");
      c.append("  for (unsigned long i = 0; i < sizeof(").append(type)
          .append("); i++) printf(\"%02x\", buf[i]);\n  printf(\"\\n\");\n");
    }
    c.append("  return 0;\n}\n");
    Path src = dir.resolve("ks" + b + ".c");
    Files.writeString(src, c.toString());
    Path exe = dir.resolve("ks" + b);
    Tools.Result cc = Tools.run(new byte[0], List.of(gcc.toString(), "-std=gnu11", "-O0", "-w",
        "-fno-strict-aliasing", "-o", exe.toString(), src.toString()));
    assertEquals(0, cc.exit, cc.err);
    Tools.Result ran = Tools.run(new byte[0], List.of(exe.toString()));
    assertEquals(0, ran.exit, ran.err);
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : ran.out.split("\n")) {
      int sp = line.indexOf(' ');
      out.put(line.substring(0, sp), line.substring(sp + 1));
    }
    return out;
  }
}
