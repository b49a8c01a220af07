package io.github.bpfevents.emit;

import io.github.bpfevents.asm.Insn;
import io.github.bpfevents.asm.Program;
import io.github.bpfevents.asm.Register;
import java.util.List;
import java.util.Set;

/**
 * The instructions that send one event, and what they do to the registers.
 *
 * @param items the instructions, with the jump to a failure label the caller names left
 *     for {@link Program#link} (when the failure ends the fragment, every jump is inside)
 * @param uses every register the fragment reads or writes
 * @param clobbers the registers whose values the fragment changes: r0 to r5 (helper calls),
 *     and the record's register
 * @param record the register holding the reserved record after the reservation, or null
 *     when the record is built on the stack
 * @param relocations where a loader patches each map placeholder
 */
public record Fragment(List<Program.Item> items, Set<Register> uses, Set<Register> clobbers,
    Register record, List<Relocation> relocations) {

  /**
   * A map placeholder: the first slot of the {@code lddw} at {@code slot} takes the
   * descriptor of the map called {@code name} in its immediate.
   *
   * @param name the placeholder's name
   * @param slot the instruction's position in {@link #insns()}
   */
  public record Relocation(String name, int slot) {}

  /**
   * The fragment's instructions, every jump resolved.
   *
   * @return the instructions
   * @throws io.github.bpfevents.BpfEventsException {@code unknown-label} when the fragment
   *     jumps to a label outside it: link it into the program with {@link Program#link}
   */
  public List<Insn> insns() {
    return Program.link(items);
  }
}
