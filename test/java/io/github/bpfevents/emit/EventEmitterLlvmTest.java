package io.github.bpfevents.emit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.github.bpfevents.asm.AsmPrinter;
import io.github.bpfevents.asm.InsnEncoder;
import io.github.bpfevents.check.LlvmMc;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * LLVM's assembler ({@code llvm-mc-19}) turns the text of every fragment (every source
 * alone and all together, every way out, every wake-up policy, a failure label and a
 * submit condition) back into the fragment's bytes.
 */
@Tag("llvm")
class EventEmitterLlvmTest {
  @Test
  void everyFragmentsTextAssemblesBackToItsBytes() {
    Map<String, FieldSource> all = Emits.sources();
    List<Map<String, FieldSource>> requests = new ArrayList<>();
    all.forEach((k, v) -> requests.add(Map.of(k, v)));
    requests.add(all);
    List<Fragment> fragments = new ArrayList<>();
    for (Delivery d : Delivery.values()) {
      for (Wakeup w : Wakeup.values()) {
        for (Map<String, FieldSource> r : requests) {
          fragments.add(Emits.emitter(ProgramType.KPROBE, d, 7, r).wakeup(w).build());
        }
      }
    }
    fragments.add(Emits.emitter(ProgramType.KPROBE, Delivery.RESERVE, 7, all)
        .submitIf(io.github.bpfevents.asm.JumpOp.JSET, io.github.bpfevents.asm.Register.R8, 3)
        .build());
    LlvmMc llvm = LlvmMc.require();
    List<String> lines = new ArrayList<>();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (Fragment f : fragments) {
      lines.addAll(AsmPrinter.printAll(f.insns()));
      bytes.writeBytes(InsnEncoder.encode(f.insns()));
    }
    ByteArrayOutputStream back = new ByteArrayOutputStream();
    for (LlvmMc.Assembled a : llvm.assemble(lines)) {
      back.writeBytes(a.bytes);
    }
    assertArrayEquals(bytes.toByteArray(), back.toByteArray(),
        "llvm-mc-19 assembles the " + lines.size() + " lines to the fragments' bytes");
    System.out.printf("[llvm] %d emitter fragments, %d lines, assemble back to their bytes%n",
        fragments.size(), lines.size());
  }
}
