package io.github.bpfevents.asm;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.HostValues;
import io.github.bpfevents.Problem;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/**
 * Instructions as a host language writes them: a map of the five integer keys {@code
 * :opcode :dst :src :offset :imm} (this library's records, clj-ebpf's, or a plain map),
 * and programs as sequences of them, nested sequences spliced in place (a two-slot
 * {@code lddw} given as a vector of two instructions, a vector of stores).
 *
 * <p>Each field is taken as the bits of its width, whether written signed or unsigned
 * (see {@link Insn#ofBits}): clj-ebpf's unchecked byte opcode {@code -73} is {@code 0xb7}.
 *
 * <pre>{@code
 * List<Insn> program = InsnReader.flatten(List.of(storeMap, List.of(lddw0, lddw1)), HostValues.JAVA);
 * }</pre>
 *
 * <p>Reading is bounded: at most {@link InsnEncoder#MAX_INSNS} instructions and as many
 * empty sequences, nested at most {@link #MAX_NESTING} deep, so an endless sequence (of
 * instructions or of empty vectors) or a deeply nested one is an error, never a hang or a
 * stack overflow.
 */
public final class InsnReader {
  /** How deep sequences of instructions may nest inside one another. */
  public static final int MAX_NESTING = 64;

  /** The five keys of an instruction, in encoding order. */
  private static final List<String> KEYS = List.of("opcode", "dst", "src", "offset", "imm");

  private static final String EXPECTED = "an instruction: a map of integer :opcode :dst :src :offset :imm";

  private InsnReader() {}

  /**
   * The instruction a host value writes.
   *
   * @param x a map with the five integer keys
   * @param hv how to read it
   * @param index the position of x in its program, for messages
   * @return the instruction
   * @throws BpfEventsException {@code "not-an-instruction"} naming the position ({@code
   *     "index"}) and, when a field does not fit, the field ({@code "key"})
   */
  public static Insn read(Object x, HostValues hv, long index) {
    if (hv.kind(x) != HostValues.Kind.MAP && hv.kind(x) != HostValues.Kind.EVENT) {
      throw notAnInstruction(x, index);
    }
    long[] f = new long[5];
    boolean integers = true;
    for (int i = 0; i < 5; i++) {
      Number n = hv.integer(hv.get(x, KEYS.get(i)));
      if (n == null) {
        throw notAnInstruction(x, index);
      } else if (n instanceof Long l) {
        f[i] = l;
      } else {
        integers = false;
      }
    }
    if (!integers) {
      throw Problem.NOT_AN_INSTRUCTION_ELEMENT_FIELDS_FIT
          .with("index", index)
          .with("value", x)
          .with("expected", EXPECTED)
          .build();
    }
    try {
      return Insn.ofBits(f[0], f[1], f[2], f[3], f[4]);
    } catch (BpfEventsException e) {
      throw Problem.NOT_AN_INSTRUCTION_ELEMENT_OUT_RANGE
          .with("index", index)
          .with("value", x)
          .with("key", e.data().get("key"))
          .with("bits", e.data().get("value"))
          .with("expected", e.data().get("expected"))
          .build();
    }
  }

  private static BpfEventsException notAnInstruction(Object x, long index) {
    return Problem.NOT_AN_INSTRUCTION_MAP
        .with("index", index)
        .with("value", x)
        .with("expected", EXPECTED)
        .build();
  }

  /**
   * The instructions of a program written as a host sequence, nested sequences spliced in
   * order.
   *
   * @param insns a sequence of instructions and sequences of them
   * @param hv how to read it
   * @return the instructions, in order
   * @throws BpfEventsException {@code "not-a-sequence"} when insns is not sequential,
   *     {@code "not-an-instruction"} for an element that is none, {@code
   *     "too-many-instructions"} beyond {@link InsnEncoder#MAX_INSNS} instructions (or as
   *     many empty sequences), {@code "too-deeply-nested"} beyond {@link #MAX_NESTING}
   */
  public static List<Insn> flatten(Object insns, HostValues hv) {
    if (!sequential(insns, hv)) {
      throw Problem.NOT_A_PROGRAM
          .with("value", insns)
          .with("expected", "a sequential collection of instructions")
          .build();
    }
    List<Insn> out = new ArrayList<>();
    splice(insns, hv, false, x -> out.add(read(x, hv, out.size())));
    return out;
  }

  /**
   * Walks the items of a host sequence, nested sequences spliced in order, handing each
   * item that is no sequence to {@code leaf}. Bounded against {@link InsnEncoder#MAX_INSNS}:
   * with {@code everyItem}, every item seen, sequences included, counts; without, the
   * leaves count, and the empty sequences apart. Nesting is bounded by {@link #MAX_NESTING}.
   * The walk keeps its own stack and reads no item past what the bounds allow.
   */
  static void splice(Object items, HostValues hv, boolean everyItem, Consumer<Object> leaf) {
    int limit = InsnEncoder.MAX_INSNS;
    ArrayDeque<Iterator<Object>> stack = new ArrayDeque<>();
    stack.push(hv.items(items, limit + 1).iterator());
    long leaves = 0;
    long empties = 0;
    long seen = 0;
    while (!stack.isEmpty()) {
      Iterator<Object> it = stack.peek();
      if (!it.hasNext()) {
        stack.pop();
        continue;
      }
      Object x = it.next();
      if (everyItem && ++seen > limit) {
        throw Problem.TOO_MANY_INSTRUCTIONS_MORE_LABELS_SEQUENCES
            .with("value", limit)
            .with("expected", "at most " + limit + " instructions")
            .build();
      }
      if (!sequential(x, hv)) {
        if (!everyItem && leaves == limit) {
          throw tooMany("instructions", limit);
        }
        leaf.accept(x);
        leaves++;
        continue;
      }
      if (stack.size() > MAX_NESTING) {
        throw Problem.TOO_DEEPLY_NESTED
            .with("value", stack.size() + 1)
            .with("expected", "at most " + MAX_NESTING + " levels of nesting")
            .build();
      }
      List<Object> next = hv.items(x, (int) (limit - (everyItem ? seen : leaves) + 1));
      if (!next.isEmpty()) {
        stack.push(next.iterator());
      } else if (!everyItem) {
        if (empties == limit) {
          throw tooMany("empty sequences among the instructions", limit);
        }
        empties++;
      }
    }
  }

  static boolean sequential(Object x, HostValues hv) {
    HostValues.Kind k = hv.kind(x);
    return k == HostValues.Kind.VECTOR || k == HostValues.Kind.SEQUENCE;
  }

  private static BpfEventsException tooMany(String what, int limit) {
    return Problem.TOO_MANY_INSTRUCTIONS_MORE
        .with("value", limit)
        .with("expected", "at most " + limit + " instructions")
        .with("what", what)
        .build();
  }
}
