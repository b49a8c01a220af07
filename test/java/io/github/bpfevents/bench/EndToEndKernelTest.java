package io.github.bpfevents.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfevents.asm.Insn;
import io.github.bpfevents.asm.InsnEncoder;
import io.github.bpfevents.asm.Instructions;
import io.github.bpfevents.asm.Register;
import io.github.bpfevents.check.Bpf;
import io.github.bpfevents.check.RingBuf;
import io.github.bpfevents.codec.RingBufferConsumer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The end-to-end benchmark's producer ({@link EndToEnd#program}) in the running kernel:
 * for each wake-up policy the verifier accepts it, every record holds what the benchmark
 * reads ({@code seq} 1, 2, 3, ..., {@code pid} its low 32 bits, {@code ts} from the
 * clock, every other byte zero), a refused reservation takes no number and is counted, and
 * the submits carry the policy's flags.
 */
@Tag("kernel")
class EndToEndKernelTest {
  private static final int RING = 1 << 16;
  private static final int SUBMIT = 132;

  @ParameterizedTest
  @ValueSource(strings = {"adaptive", "noWakeup", "force4", "force1"})
  void everyRecordAsTheBenchmarkReadsItAndRefusalsCounted(String policy) {
    Bpf.requirePermitted();
    int fits = RING / EndToEnd.RECORD;
    try (RingBuf ring = RingBuf.create(RING)) {
      int counters = Bpf.createArrayMap(16);
      int prog = -1;
      try {
        prog = Bpf.load(Bpf.PROG_TYPE_SOCKET_FILTER,
            InsnEncoder.encode(EndToEnd.program(ring.fd, counters, policy)), 0);
        RingBufferConsumer c =
            new RingBufferConsumer(ring.consumer, ring.producer, ring.pageSize, RING);
        long before = System.nanoTime();
        Bpf.testRun(prog, fits / 2);
        long after = System.nanoTime();
        List<Long> seen = new ArrayList<>();
        long[] lastTs = {0};
        c.poll((buf, off, len) -> {
          assertEquals(EndToEnd.EVENT.size(), len);
          long seq = buf.getLong(off);
          long ts = buf.getLong(off + 8);
          assertEquals((int) seq, buf.getInt(off + 16), "pid is the number's low 32 bits");
          assertTrue(ts >= before && ts <= after && ts >= lastTs[0],
              "ts " + ts + " from the clock, in order");
          lastTs[0] = ts;
          for (int i = 20; i < len; i++) {
            assertEquals(0, buf.get(off + i), "record " + seq + ": byte " + i);
          }
          seen.add(seq);
        });
        assertEquals(fits / 2, seen.size());
        for (int i = 0; i < seen.size(); i++) {
          assertEquals(i + 1, seen.get(i));
        }
        assertEquals(fits / 2, counter(counters, 0));
        assertEquals(0, counter(counters, 8));
        // nothing consumed now: the ring fills and the rest are refused, taking no number
        Bpf.testRun(prog, 2 * fits);
        long reserved = counter(counters, 0);
        long refused = counter(counters, 8);
        assertTrue(refused > 0, "refused " + refused);
        assertEquals(fits / 2 + 2L * fits, reserved + refused);
        long[] next = {fits / 2 + 1};
        int got = c.poll((buf, off, len) -> assertEquals(next[0]++, buf.getLong(off)));
        assertEquals(reserved - fits / 2, got);
      } finally {
        if (prog >= 0) {
          Bpf.close(prog);
        }
        Bpf.close(counters);
      }
    }
  }

  @Test
  void theSubmitsCarryThePolicysFlags() {
    assertEquals(List.of(0), submitFlags(EndToEnd.program(3, 4, "adaptive")));
    assertEquals(List.of(1), submitFlags(EndToEnd.program(3, 4, "noWakeup")));
    List<Insn> force = EndToEnd.program(3, 4, "force64");
    // BPF_RB_FORCE_WAKEUP when the number is a multiple of 64, BPF_RB_NO_WAKEUP otherwise
    assertEquals(List.of(2, 1), submitFlags(force));
    Insn jset = force.stream().filter(i -> i.opcode() == 0x45).findFirst().orElseThrow();
    assertEquals(Register.R8.number(), jset.dst());
    assertEquals(63, jset.imm());
    assertThrows(IllegalArgumentException.class, () -> EndToEnd.program(3, 4, "force6"));
    assertThrows(IllegalArgumentException.class, () -> EndToEnd.program(3, 4, "sometimes"));
  }

  /** The flags each ringbuf_submit is called with (the last r2 = imm before it). */
  private static List<Integer> submitFlags(List<Insn> p) {
    List<Integer> flags = new ArrayList<>();
    for (int k = 0; k < p.size(); k++) {
      if (p.get(k).equals(Instructions.call(SUBMIT))) {
        for (int j = k - 1; j >= 0; j--) {
          Insn i = p.get(j);
          if (i.opcode() == 0xb7 && i.dst() == Register.R2.number()) {
            flags.add(i.imm());
            break;
          }
        }
      }
    }
    return flags;
  }

  private static long counter(int map, int at) {
    return ByteBuffer.wrap(Bpf.lookup(map, 16)).order(ByteOrder.nativeOrder()).getLong(at);
  }
}
