package io.github.bpfevents.asm;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.HostValues;
import io.github.bpfevents.HostValues.Kind;
import io.github.bpfevents.Problem;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

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
          throw Problem.JUMP_TOO_FAR
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

  /**
   * A program as a host language writes it, every {@code goto} resolved: items are
   * instructions, labels (a map {@code {label name}} without {@code opcode}) and sequences
   * of them (spliced in place); an instruction that also carries {@code goto name} (the
   * jump {@code emit-event} leaves for a label outside its fragment) gets the offset to the
   * label and loses the key. Every other item is kept as it is.
   *
   * <pre>{@code
   * // [jump :goto :full, exit, {:label :full}, exit] -> [jump +1, exit, exit]
   * Object linked = Program.link(items, hostValues, (insn, label) -> record(insn));
   * }</pre>
   *
   * <p>Labels are keywords or strings. Reading is bounded as {@link InsnReader#flatten}'s:
   * at most {@link InsnEncoder#MAX_INSNS} items and sequences, nested at most {@link
   * InsnReader#MAX_NESTING} deep.
   *
   * @param items the host's sequence
   * @param hv how to read it and make the result
   * @param record the host's instruction for a resolved jump (given a null label)
   * @return the host's list of instructions
   * @throws BpfEventsException {@code not-a-sequence}, {@code bad-label} for a label that is
   *     no keyword, {@code duplicate-label}, {@code unknown-label} (listing the labels),
   *     {@code not-an-instruction} for a {@code goto} on something else, {@code
   *     offset-out-of-range}, {@code too-many-instructions}, {@code too-deeply-nested}
   */
  public static Object link(Object items, HostValues hv, BiFunction<Insn, Object, Object> record) {
    List<Object> flat = flatten(items, hv);
    Map<String, Integer> at = new LinkedHashMap<>();
    List<Object> written = new ArrayList<>();
    int slot = 0;
    for (Object x : flat) {
      if (isLabel(x, hv)) {
        Object l = hv.get(x, "label");
        if (at.put(labelName(l, hv), slot) != null) {
          throw Problem.DUPLICATE_LABEL
              .with("value", l)
              .with("expected", "each label once")
              .build();
        }
        written.add(l);
      } else {
        slot++;
      }
    }
    List<Object> out = new ArrayList<>(slot);
    for (Object x : flat) {
      if (isLabel(x, hv)) {
        continue;
      }
      if (hv.kind(x) == Kind.MAP && hv.has(x, "goto")) {
        Object l = hv.get(x, "goto");
        Integer target = at.get(labelName(l, hv));
        if (target == null) {
          throw Problem.UNKNOWN_LABEL
              .with("value", l)
              .with("expected", "one of {accepted}")
              .with("accepted", written)
              .build();
        }
        long off = (long) target - (out.size() + 1);
        if (off < Short.MIN_VALUE || off > Short.MAX_VALUE) {
          throw Problem.JUMP_TOO_FAR_SHOWN
              .with("value", off)
              .with("expected", "-32768 to 32767")
              .with("show", hv.show(l))
              .build();
        }
        Insn i = InsnReader.read(x, hv, out.size());
        out.add(record.apply(Insn.of(i.opcode(), i.dst(), i.src(), off, i.imm()), null));
      } else {
        out.add(x);
      }
    }
    return hv.list(out.toArray());
  }

  private static boolean isLabel(Object x, HostValues hv) {
    return hv.kind(x) == Kind.MAP && hv.has(x, "label") && !hv.has(x, "opcode");
  }

  /** A label's name, a keyword and a string of the same text kept apart. */
  private static String labelName(Object l, HostValues hv) {
    Kind k = hv.kind(l);
    if (k == Kind.KEYWORD || k == Kind.STRING) {
      return (k == Kind.KEYWORD ? ":" : "\"") + hv.text(l);
    }
    throw Problem.BAD_LABEL_KEYWORD
        .with("value", l)
        .with("expected", "a keyword")
        .build();
  }

  /** The items, nested sequences spliced, bounded in count and depth. */
  private static List<Object> flatten(Object items, HostValues hv) {
    if (!InsnReader.sequential(items, hv)) {
      throw Problem.NOT_A_LINKABLE_PROGRAM
          .with("value", items)
          .with("expected", "a vector of instructions and {:label name} maps")
          .build();
    }
    List<Object> out = new ArrayList<>();
    InsnReader.splice(items, hv, true, out::add);
    return out;
  }
}
