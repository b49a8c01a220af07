package io.github.bpfevents.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfevents.asm.Insn;
import io.github.bpfevents.asm.Register;
import io.github.bpfevents.check.Bpf;
import io.github.bpfevents.check.Kernel;
import io.github.bpfevents.check.RandomEvents;
import io.github.bpfevents.layout.Packing;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.FieldRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Layouts under the kernel verifier's strict alignment ({@code BPF_F_STRICT_ALIGNMENT}):
 * in natural layouts every store the project builds passes and leaves the expected bytes;
 * in packed layouts a store is rejected exactly when event-misaligned-fields lists its
 * field.
 */
@Tag("kernel")
class StrictAlignmentKernelTest {
  private static final int NATURAL_EVENTS = 150;
  private static final int PACKED_EVENTS = 60;
  private static final int EACCES = 13;

  @Test
  void naturalLayoutsPassStrictAlignmentWithTheExpectedBytes() {
    Bpf.requirePermitted();
    Random rnd = new Random(11_2026_11_26L);
    int programs = 0;
    for (int n = 0; n < NATURAL_EVENTS; n++) {
      EventLayout ev = RandomEvents.event(rnd, "Nat" + n, 2, Packing.NATURAL,
          Packing.NATURAL);
      assertEquals(List.of(), ev.misalignedFields(), "a natural layout is aligned");
      Register eventReg = Register.of(rnd.nextInt(10));
      long[] regs = new long[10];
      for (int r = 0; r < 10; r++) {
        regs[r] = rnd.nextLong();
      }
      List<Insn> stores = new ArrayList<>(EventStores.zeroEvent(eventReg, ev));
      byte[] expected = new byte[ev.size()];
      for (FieldRef leaf : RandomEvents.leaves(ev)) {
        Register src = KernelStoresTest.randomSource(rnd, eventReg);
        stores.add(EventStores.storeField(eventReg, ev, leaf.path(), src));
        for (int k = 0; k < leaf.elementSize(); k++) {
          expected[leaf.offset() + k] = (byte) (regs[src.number()] >>> (8 * k));
        }
      }
      byte[] got = Kernel.run(ev.size(), (byte) 0x3c, eventReg, regs, stores,
          Bpf.F_STRICT_ALIGNMENT);
      assertArrayEquals(expected, got, ev::toString);
      programs++;
    }
    System.out.println("[kernel] " + programs + " natural layouts passed the verifier under"
        + " strict alignment and left the expected bytes");
  }

  @Test
  void packedStoresAreRejectedExactlyWhenTheLintListsThem() {
    Bpf.requirePermitted();
    Random rnd = new Random(12_2026_11_26L);
    int programs = 0;
    int rejected = 0;
    long[] regs = new long[10];
    for (int n = 0; n < PACKED_EVENTS; n++) {
      EventLayout ev = RandomEvents.event(rnd, "Packed" + n, 2, Packing.PACKED);
      Set<String> listed = new TreeSet<>();
      for (FieldRef r : ev.misalignedFields()) {
        listed.add(r.pathText());
      }
      Set<String> refused = new TreeSet<>();
      for (FieldRef leaf : RandomEvents.leaves(ev)) {
        List<Insn> store = List.of(EventStores.storeField(Register.R6, ev, leaf.path(),
            Register.R1));
        try {
          Kernel.run(ev.size(), (byte) 0, Register.R6, regs, store, Bpf.F_STRICT_ALIGNMENT);
        } catch (Bpf.BpfError e) {
          assertEquals(EACCES, e.errno, e.getMessage());
          assertTrue(e.getMessage().contains("misaligned"), e.getMessage());
          refused.add(leaf.pathText());
        }
        programs++;
      }
      assertEquals(listed, refused, () -> "lint vs verifier for " + ev);
      rejected += refused.size();
    }
    assertTrue(rejected > 0 && rejected < programs, "both outcomes occur: " + rejected);
    System.out.println("[kernel] " + programs + " single stores into packed layouts under"
        + " strict alignment: " + rejected + " rejected, each exactly where the lint said");
  }
}
