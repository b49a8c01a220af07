package io.github.bpfevents.asm;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Problem;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Instructions with named places: jumps name a label, and {@link #link} computes their
 * offsets once every instruction is in place, so no offset is ever counted by hand.
 *
 * <pre>{@code
 * List<Insn> p = Program.link(List.of(
 *     Program.insn(Instructions.call(131)),
 *     Program.jump(JumpOp.JEQ, Register.R0, 0, "out"),   // if r0 == 0 goto +1
 *     Program.insn(Instructions.mov(Register.R6, Register.R0)),
 *     Program.label("out"),
 *     Program.insn(Instructions.exit())));
 * }</pre>
 */
public final class Program {
  private Program() {}

  /** One element of a program before it is linked. */
  public sealed interface Item permits Slot, Label, Jump {}

  /**
   * An instruction slot as it is (the two slots of {@code lddw} are two items).
   *
   * @param insn the instruction
   */
  public record Slot(Insn insn) implements Item {
    /**
     * A slot, checked.
     *
     * @param insn the instruction, not null
     */
    public Slot {
      if (insn == null) {
        throw Problem.NOT_AN_INSTRUCTION_PROGRAM_SLOT
            .with("value", null)
            .with("expected", "an instruction")
            .build();
      }
    }
  }

  /**
   * A named place: the slot after it.
   *
   * @param name the label's name
   */
  public record Label(String name) implements Item {}

  /**
   * A jump to a label: {@code goto label} when {@code op} is {@link JumpOp#JA}, else
   * {@code if reg op imm goto label} (64-bit comparison).
   *
   * @param op JA or a conditional jump
   * @param reg the register compared (ignored for JA)
   * @param imm the immediate compared (ignored for JA)
   * @param target the label's name
   */
  public record Jump(JumpOp op, Register reg, int imm, String target) implements Item {}

  /**
   * An instruction as an item.
   *
   * @param insn the instruction
   * @return the item
   */
  public static Item insn(Insn insn) {
    return new Slot(insn);
  }

  /**
   * Instructions as items, in order.
   *
   * @param insns the instructions
   * @return the items
   */
  public static List<Item> insns(List<Insn> insns) {
    List<Item> out = new ArrayList<>(insns.size());
    for (Insn i : insns) {
      out.add(new Slot(i));
    }
    return out;
  }

  /**
   * A label.
   *
   * @param name its name
   * @return the item
   */
  public static Item label(String name) {
    return new Label(name);
  }

  /**
   * A conditional jump to a label.
   *
   * @param op the comparison
   * @param reg the register compared
   * @param imm the immediate
   * @param target the label
   * @return the item
   */
  public static Item jump(JumpOp op, Register reg, int imm, String target) {
    return new Jump(op, reg, imm, target);
  }

  /**
   * {@code goto label}.
   *
   * @param target the label
   * @return the item
   */
  public static Item jump(String target) {
    return new Jump(JumpOp.JA, Register.R0, 0, target);
  }

  /**
   * The labels a list of items defines.
   *
   * @param items the items
   * @return the names, in order
   */
  public static List<String> labels(List<Item> items) {
    List<String> out = new ArrayList<>();
    for (Item i : items) {
      if (i instanceof Label l) {
        out.add(l.name());
      }
    }
    return out;
  }

  /**
   * The instructions, every jump's offset computed from the position of its label.
   *
   * @param items instructions, labels and jumps
   * @return the instructions
   * @throws BpfEventsException {@code unknown-label} for a jump to a label the items do not
   *     define, {@code duplicate-label} for a label defined twice, {@code
   *     offset-out-of-range} for a jump farther than 32767 slots
   */
  public static List<Insn> link(List<Item> items) {
    Map<String, Integer> at = new HashMap<>();
    int pos = 0;
    for (Item i : items) {
      if (i instanceof Label l) {
        if (at.put(l.name(), pos) != null) {
          throw Problem.DUPLICATE_LABEL
              .with("value", l.name())
              .with("expected", "each label once")
              .build();
        }
      } else {
        pos++;
      }
    }
    List<Insn> out = new ArrayList<>(pos);
    for (Item i : items) {
      if (i instanceof Slot s) {
        out.add(s.insn());
      } else if (i instanceof Jump j) {
        Integer target = at.get(j.target());
        if (target == null) {
          throw Problem.UNKNOWN_LABEL
              .with("value", j.target())
              .with("expected", "one of {accepted}")
              .with("accepted", labels(items))
              .build();
        }
        long off = (long) target - (out.size() + 1);
        if (off < Short.MIN_VALUE || off > Short.MAX_VALUE) {
          throw Problem.OFFSET_OUT_OF_RANGE_JUMP_LABEL_SLOTS
              .with("value", off)
              .with("expected", "-32768 to 32767")
              .with("label", j.target())
              .build();
        }
        out.add(j.op() == JumpOp.JA ? Instructions.ja((int) off)
            : Instructions.jumpImm(j.op(), j.reg(), j.imm(), (int) off));
      }
    }
    return Collections.unmodifiableList(out);
  }
}
