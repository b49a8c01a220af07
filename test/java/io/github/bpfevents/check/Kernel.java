package io.github.bpfevents.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.bpfevents.asm.Insn;
import io.github.bpfevents.asm.InsnEncoder;
import io.github.bpfevents.asm.Register;
import java.util.Arrays;
import java.util.List;

/** Runs the project's stores in the kernel over an array-map value and reads it back. */
public final class Kernel {
  private Kernel() {}

  /**
   * Loads a program around {@code stores} (see {@link Programs#aroundMapValue}), runs it
   * once over a map value of {@code size} bytes pre-filled with {@code fill}, and returns
   * the value afterwards. A verifier rejection throws {@link Bpf.BpfError} with the log.
   *
   * @param size the record's size
   * @param fill the byte the value holds before the program runs
   * @param eventReg the register that holds the record's address
   * @param regs constants for r0..r9
   * @param stores the project's stores
   * @param progFlags PROG_LOAD flags, such as {@link Bpf#F_STRICT_ALIGNMENT}
   * @return the value's bytes after the run
   */
  public static byte[] run(int size, byte fill, Register eventReg, long[] regs,
      List<Insn> stores, int progFlags) {
    int map = Bpf.createArrayMap(size);
    try {
      byte[] initial = new byte[size];
      Arrays.fill(initial, fill);
      Bpf.update(map, initial);
      byte[] code = InsnEncoder.encode(Programs.aroundMapValue(map, eventReg, regs, stores));
      int prog = Bpf.load(Bpf.PROG_TYPE_SOCKET_FILTER, code, progFlags);
      try {
        assertEquals(0, Bpf.testRun(prog), "the program's return value");
      } finally {
        Bpf.close(prog);
      }
      return Bpf.lookup(map, size);
    } finally {
      Bpf.close(map);
    }
  }
}
