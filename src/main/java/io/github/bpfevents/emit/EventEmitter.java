package io.github.bpfevents.emit;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Problem;
import io.github.bpfevents.asm.AluOp;
import io.github.bpfevents.asm.Insn;
import io.github.bpfevents.asm.Instructions;
import io.github.bpfevents.asm.JumpOp;
import io.github.bpfevents.asm.Program;
import io.github.bpfevents.asm.Register;
import io.github.bpfevents.asm.Size;
import io.github.bpfevents.asm.Store;
import io.github.bpfevents.btf.Btf;
import io.github.bpfevents.btf.BtfReader;
import io.github.bpfevents.emit.ProgramType.Helpers;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.FieldRef;
import io.github.bpfevents.store.EventStores;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Builds the fragment of BPF instructions that sends one event: reserve the record in a
 * ring buffer (or build it on the stack), check the reservation, zero what no source
 * fills, fill every field from where its value is, and submit.
 *
 * <pre>{@code
 * Fragment f = EventEmitter.builder(exec)
 *     .programType(ProgramType.KPROBE)
 *     .ringBuffer(MapRef.fd(ringFd))
 *     .field("ts", FieldSource.helper(HelperValue.KTIME_NS))
 *     .field("pid", FieldSource.helper(HelperValue.TGID))
 *     .field("comm", FieldSource.helper(HelperValue.COMM))
 *     .field("ppid", FieldSource.path("task_struct", "real_parent", "tgid"))
 *     .build();
 * List<Insn> insns = f.insns();   // lddw r1, call 131, if r0 == 0 goto ..., stores, calls, call 132
 * }</pre>
 *
 * <p>Registers: every helper call clobbers r0 to r5, so the fragment keeps the record in a
 * callee-saved register (r6 unless {@link Builder#recordRegister} says otherwise) and takes
 * register sources, pointers and the context only from r6 to r9; it writes no other
 * register. Registers the caller declares {@linkplain Builder#live live} must not be among
 * those it clobbers.
 *
 * <p>Stack: a path through a pointer uses 8 bytes at {@code fp - top - 8} for the pointer
 * read; {@link Delivery#RING_OUTPUT} and {@link Delivery#PERF_OUTPUT} build the record
 * below that ({@code top} is {@link Builder#stackTop}, 0 by default).
 *
 * <p>Every request the verifier would refuse for a reason known here is refused when the
 * fragment is built, with a {@link BpfEventsException}: an unknown field, a source a field
 * is too small for, two sources on the same bytes, a helper the program type does not
 * allow, a register that a helper call would clobber or that another role holds, a kernel
 * path through a member that does not exist.
 */
public final class EventEmitter {
  /** The kernel's own BTF, read once when a path first needs it. */
  public static final Path VMLINUX = Path.of("/sys/kernel/btf/vmlinux");
  private static final int STACK_LIMIT = 512;
  /** The largest record whose every byte a store can reach: offsets are signed 16 bits. */
  private static final int MAX_RECORD = Short.MAX_VALUE + 1;
  private static final java.util.concurrent.atomic.AtomicLong BUILDS =
      new java.util.concurrent.atomic.AtomicLong();
  private static volatile Btf vmlinux;

  private EventEmitter() {}

  /**
   * Starts a fragment for an event.
   *
   * @param event the event's layout
   * @return the builder
   */
  public static Builder builder(EventLayout event) {
    if (event == null) {
      throw Problem.NOT_AN_EVENT
          .with("value", null)
          .with("expected", "an event layout")
          .build();
    }
    return new Builder(event);
  }

  /** Collects what the fragment does; {@link #build()} checks it all and emits. */
  public static final class Builder {
    private final EventLayout event;
    private final Map<List<?>, FieldSource> fields = new LinkedHashMap<>();
    private ProgramType type;
    private MapRef map;
    private Delivery delivery = Delivery.RESERVE;
    private Register record = Register.R6;
    private Register context;
    private final Set<Register> live = EnumSet.noneOf(Register.class);
    private String failure;
    private Wakeup wakeup = Wakeup.ADAPTIVE;
    private Supplier<Btf> btf = EventEmitter::vmlinux;
    private int stackTop;
    private JumpOp submitOp;
    private Register submitReg;
    private int submitImm;

    private Builder(EventLayout event) {
      this.event = event;
    }

    /**
     * The type of the program the fragment goes into: it decides which helpers are allowed.
     *
     * @param type the type
     * @return this builder
     */
    public Builder programType(ProgramType type) {
      this.type = type;
      return this;
    }

    /**
     * The ring buffer ({@code BPF_MAP_TYPE_RINGBUF}), or for {@link Delivery#PERF_OUTPUT}
     * the perf event array.
     *
     * @param map its descriptor or a placeholder
     * @return this builder
     */
    public Builder ringBuffer(MapRef map) {
      this.map = map;
      return this;
    }

    /**
     * How the record is sent; {@link Delivery#RESERVE} by default.
     *
     * @param delivery the way
     * @return this builder
     */
    public Builder delivery(Delivery delivery) {
      this.delivery = delivery;
      return this;
    }

    /**
     * Sends through a perf event array: the record is built on the stack and given to
     * {@code bpf_perf_event_output} with the program's context, which the caller keeps in
     * a callee-saved register.
     *
     * @param perfEventArray the {@code BPF_MAP_TYPE_PERF_EVENT_ARRAY}
     * @param context the register holding the program's context (r6 to r9)
     * @return this builder
     */
    public Builder perfOutput(MapRef perfEventArray, Register context) {
      this.map = perfEventArray;
      this.delivery = Delivery.PERF_OUTPUT;
      this.context = context;
      return this;
    }

    /**
     * The register that holds the reserved record (r6 to r9); r6 by default.
     *
     * @param register the register
     * @return this builder
     */
    public Builder recordRegister(Register register) {
      this.record = register;
      return this;
    }

    /**
     * Registers whose values the caller needs after the fragment; they must be ones the
     * fragment does not clobber.
     *
     * @param registers the registers
     * @return this builder
     */
    public Builder live(Register... registers) {
      notNull(registers, "live register list");
      for (Register r : registers) {
        live.add(notNull(r, "live register"));
      }
      return this;
    }

    /**
     * Where a failed reservation (the ring is full) or a failed output jumps: a label of the
     * caller's program. By default the fragment ends (the rest of it is skipped).
     *
     * @param label the label, linked with {@link Program#link}
     * @return this builder
     */
    public Builder onFailure(String label) {
      this.failure = label;
      return this;
    }

    /**
     * The wake-up policy of the submit or output; {@link Wakeup#ADAPTIVE} by default.
     *
     * @param wakeup the policy
     * @return this builder
     */
    public Builder wakeup(Wakeup wakeup) {
      this.wakeup = wakeup;
      return this;
    }

    /**
     * Submits the reserved record only when {@code if reg op imm} holds, and discards it
     * ({@code bpf_ringbuf_discard}, with the same wake-up policy) otherwise:
     * {@code submitIf(JumpOp.JSET, Register.R8, 3)} submits when {@code r8 & 3} is not zero.
     * Only for {@link Delivery#RESERVE}.
     *
     * @param op a conditional jump
     * @param reg a callee-saved register (r6 to r9) other than the record's
     * @param imm the immediate compared
     * @return this builder
     */
    public Builder submitIf(JumpOp op, Register reg, int imm) {
      if (op == null || !op.isConditional()) {
        throw Problem.BAD_OPERATION_SUBMIT_CONDITION_COMPARISON
            .with("value", op == null ? null : op.name())
            .with("expected", "a conditional jump: JEQ, JNE, JSET, ...")
            .build();
      }
      this.submitOp = op;
      this.submitReg = notNull(reg, "condition register");
      this.submitImm = imm;
      return this;
    }

    /**
     * The BTF that kernel paths are resolved in; the running kernel's
     * ({@link EventEmitter#VMLINUX}) by default.
     *
     * @param btf the type table
     * @return this builder
     */
    public Builder btf(Btf btf) {
      notNull(btf, "BTF");
      this.btf = () -> btf;
      return this;
    }

    /**
     * The stack bytes above {@code fp - top} belong to the caller; the fragment uses the
     * stack below.
     *
     * @param top 0 or more, a multiple of 8
     * @return this builder
     */
    public Builder stackTop(int top) {
      if (top < 0 || top % 8 != 0 || top > STACK_LIMIT) {
        throw Problem.BAD_STACK
            .with("value", top)
            .with("expected", "a multiple of 8 from 0 to " + STACK_LIMIT)
            .build();
      }
      this.stackTop = top;
      return this;
    }

    /**
     * A field and where its value comes from.
     *
     * @param field the field's name
     * @param source the value's source
     * @return this builder
     */
    public Builder field(String field, FieldSource source) {
      return field(Collections.singletonList(field), source);
    }

    /**
     * A field by path ({@code ["src", "port"]}, see {@link EventLayout#resolve}) and
     * where its value comes from.
     *
     * @param path the field's path
     * @param source the value's source
     * @return this builder
     */
    public Builder field(List<?> path, FieldSource source) {
      if (source == null) {
        throw Problem.UNKNOWN_SOURCE
            .with("field", path == null ? null : path.size() == 1 ? path.get(0) : path)
            .with("value", null)
            .with("expected", "a FieldSource")
            .build();
      }
      if (path == null) {
        event.resolve(null); // refuses it: unknown-field, as build() would
      }
      if (fields.put(Collections.unmodifiableList(new ArrayList<>(path)), source) != null) {
        throw Problem.DUPLICATE_FIELD_GIVEN_TWICE
            .with("field", path.size() == 1 ? path.get(0) : path)
            .with("value", path)
            .with("expected", "one source per field")
            .build();
      }
      return this;
    }

    /**
     * Checks the request and emits the fragment.
     *
     * @return the fragment
     * @throws BpfEventsException for every request the verifier would refuse, as the class
     *     comment lists
     */
    public Fragment build() {
      return new Emission(this).emit();
    }
  }

  private static Btf vmlinux() {
    Btf b = vmlinux;
    if (b == null) {
      b = BtfReader.read(VMLINUX);
      vmlinux = b;
    }
    return b;
  }

  /** One field placed: where it is and what fills it. */
  private record Placed(List<?> path, FieldRef ref, FieldSource source, int filled,
      KernelTypes.Resolved kernel) {}

  /** The work of one build. */
  private static final class Emission {
    private final Builder b;
    private final List<Program.Item> out = new ArrayList<>();
    private final List<Fragment.Relocation> relocations = new ArrayList<>();
    private final Set<Register> uses = EnumSet.noneOf(Register.class);
    private final boolean onStack;
    private Register base;
    private int baseOffset;
    private int scratch;
    private int slots;
    private final String end;
    private boolean endUsed;

    Emission(Builder b) {
      this.b = b;
      this.onStack = b.delivery != Delivery.RESERVE;
      long n = BUILDS.incrementAndGet();
      this.end = "emit." + n + ".end";
    }

    Fragment emit() {
      check();
      List<Placed> placed = place();
      registers(placed);
      helpers(placed);
      stack(placed);
      for (Register r : List.of(Register.R0, Register.R1, Register.R2, Register.R3,
          Register.R4, Register.R5)) {
        uses.add(r);
      }
      Set<Register> clobbers = EnumSet.of(Register.R0, Register.R1, Register.R2, Register.R3,
          Register.R4, Register.R5);
      if (!onStack) {
        clobbers.add(b.record);
        uses.add(b.record);
        reserve();
      }
      fill(placed);
      send();
      if (endUsed) {
        out.add(Program.label(end));
      }
      Fragment f = new Fragment(Collections.unmodifiableList(out),
          Collections.unmodifiableSet(EnumSet.copyOf(uses)),
          Collections.unmodifiableSet(clobbers), onStack ? null : b.record,
          Collections.unmodifiableList(relocations));
      if (b.failure == null) {
        f.insns(); // every jump is inside: links now, so the offsets are checked here
      } else {
        List<Program.Item> check = new ArrayList<>(out);
        check.add(Program.label(b.failure));
        Program.link(check);
      }
      return f;
    }

    private void check() {
      if (b.type == null) {
        throw Problem.MISSING_ARGUMENT_PROGRAM_TYPE_GIVEN
            .with("key", "program type")
            .with("value", null)
            .with("expected", "one of {accepted}")
            .with("accepted", ProgramType.names())
            .build();
      }
      if (b.map == null) {
        throw Problem.MISSING_ARGUMENT_MAP_GIVEN
            .with("key", "map")
            .with("value", null)
            .with("expected", "a map's file descriptor or a placeholder")
            .build();
      }
      notNull(b.delivery, "delivery");
      notNull(b.wakeup, "wakeup");
      if (b.event.size() <= 0) {
        throw Problem.EMPTY_EVENT
            .with("event", b.event.name())
            .with("value", b.event.size())
            .with("expected", "an event of at least one byte")
            .build();
      }
      if (b.event.size() > MAX_RECORD) {
        throw Problem.EVENT_TOO_LARGE
            .with("event", b.event.name())
            .with("value", b.event.size())
            .with("expected", "at most " + MAX_RECORD + " bytes, the reach of a store's"
                + " signed 16-bit offset")
            .build();
      }
      if (b.delivery == Delivery.PERF_OUTPUT && b.type.sleepable()) {
        throw Problem.HELPER_NOT_ALLOWED_SLEEPABLE
            .with("program", b.type.text())
            .with("value", Helpers.name(Helpers.PERF_EVENT_OUTPUT))
            .with("expected", "a program type that is not sleepable")
            .build();
      }
    }

    private List<Placed> place() {
      List<Placed> placed = new ArrayList<>();
      BitSet taken = new BitSet();
      for (Map.Entry<List<?>, FieldSource> e : b.fields.entrySet()) {
        List<?> path = e.getKey();
        FieldRef f = b.event.resolve(path);
        FieldSource s = e.getValue();
        int filled = f.size();
        KernelTypes.Resolved kernel = null;
        if (s instanceof FieldSource.FromHelper h) {
          filled = helperField(f, h.value());
        } else if (s instanceof FieldSource.KernelPath p) {
          List<String> steps = p.path();
          if (p.pointer() == null && !steps.isEmpty() && !"task_struct".equals(steps.get(0))) {
            throw Problem.BAD_KERNEL_PATH_FIELD_STARTS_CURRENT
                .with("field", key(f))
                .with("value", steps)
                .with("path", steps)
                .with("expected", "a path starting at task_struct, or a pointer register to"
                    + " start from")
                .build();
          }
          try {
            kernel = KernelTypes.resolve(b.btf.get(), steps);
          } catch (BpfEventsException x) {
            throw x.within("field", key(f), "field {field}");
          }
          if (kernel.size() > f.size()) {
            throw tooSmall(f, kernel.size(), kernel.type() + " at the end of kernel path "
                + steps);
          }
          filled = (int) kernel.size();
        } else if (s instanceof FieldSource.KernelRead r) {
          checkOffset(f, r.offset());
        } else if (s instanceof FieldSource.FromRegister || s instanceof FieldSource.Immediate) {
          if (f.isNested() || f.count() != 1) {
            throw Problem.NOT_A_SCALAR
                .with("field", key(f))
                .with("value", f.pathText())
                .with("expected", "a scalar field for a register or an immediate")
                .build();
          }
          refuseWide(f);
          filled = f.type().size();
        }
        boolean stored = s instanceof FieldSource.FromRegister || s instanceof FieldSource.Immediate
            || (s instanceof FieldSource.FromHelper h && h.value() != HelperValue.COMM);
        if (onStack && stored && f.offset() % f.type().size() != 0) {
          throw Problem.MISALIGNED_FIELD
              .with("field", key(f))
              .with("value", f.offset())
              .with("expected", "an offset that is a multiple of " + f.type().size())
              .build();
        }
        int from = f.offset();
        int next = taken.nextSetBit(from);
        if (next >= 0 && next < from + f.size()) {
          Placed other = null;
          for (Placed p : placed) {
            if (p.ref().offset() < from + f.size() && from < p.ref().offset() + p.ref().size()) {
              other = p;
            }
          }
          throw Problem.DUPLICATE_FIELD_OVERLAPS_SOURCE_TOO
              .with("field", key(f))
              .with("value", List.of(other == null ? List.of() : other.path(), path))
              .with("expected", "one source for each byte")
              .with("other-field", String.valueOf(other == null ? "another field"
                  : other.ref().pathText()))
              .build();
        }
        taken.set(from, from + f.size());
        placed.add(new Placed(path, f, s, filled, kernel));
      }
      placed.sort((x, y) -> Integer.compare(x.ref().offset(), y.ref().offset()));
      return placed;
    }

    private int helperField(FieldRef f, HelperValue v) {
      if (v == null) {
        throw Problem.UNKNOWN_SOURCE_HELPER_VALUE
            .with("field", key(f))
            .with("value", null)
            .with("expected", "a HelperValue")
            .build();
      }
      if (v == HelperValue.COMM) {
        if (f.isNested() || f.elementSize() != 1 || f.size() < v.bytes()) {
          throw tooSmall(f, v.bytes(), "the task's name (" + v.helperName()
              + " writes up to 16 bytes, NUL included, into an array of 1-byte elements)");
        }
        return f.size();
      }
      if (f.isNested() || f.count() != 1 || f.type().size() < v.bytes()) {
        throw tooSmall(f, v.bytes(), v.text() + " (" + v.helperName() + ")");
      }
      refuseWide(f);
      if (f.type().bigEndian()) {
        throw Problem.FIELD_TOO_SMALL_BIG_ENDIAN
            .with("field", key(f))
            .with("type", f.type().typeName())
            .with("value", v.text())
            .with("expected", "a little-endian integer field")
            .with("helper", v.helperName())
            .build();
      }
      return f.type().size();
    }

    /** A 16-byte integer field, which no one store of a register or immediate fills. */
    private void refuseWide(FieldRef f) {
      if (f.type().size() > 8) {
        throw Problem.UNSUPPORTED_MEMBER_FIELD_BYTES_ONE
            .with("field", key(f))
            .with("path", f.path())
            .with("type", f.type())
            .with("value", "a register, an immediate or a helper's result")
            .with("expected", "a field of at most 8 bytes (the widest BPF store); fill its two"
                + " 64-bit halves from a kernel read, or leave it zero")
            .build();
      }
    }

    private BpfEventsException tooSmall(FieldRef f, long need, String what) {
      return Problem.FIELD_TOO_SMALL_BYTES_FEW
          .with("field", key(f))
          .with("value", f.size())
          .with("need", need)
          .with("expected", need + " bytes or more")
          .with("what", what)
          .build();
    }

    private void checkOffset(FieldRef f, long offset) {
      if (offset < Integer.MIN_VALUE || offset > Integer.MAX_VALUE) {
        throw Problem.OFFSET_OUT_OF_RANGE_FIELD_KERNEL_READ
            .with("field", key(f))
            .with("value", offset)
            .with("expected", "a signed 32-bit offset")
            .build();
      }
    }

    private void registers(List<Placed> placed) {
      Map<Register, String> roles = new LinkedHashMap<>();
      if (!onStack) {
        role(roles, b.record, "the record");
      }
      if (b.delivery == Delivery.PERF_OUTPUT) {
        if (b.context == null) {
          throw Problem.MISSING_ARGUMENT_PERF_OUTPUT_NEEDS
              .with("key", "context register")
              .with("value", null)
              .with("expected", "r6 to r9, holding the program's context")
              .build();
        }
        role(roles, b.context, "the context");
      }
      for (Placed p : placed) {
        Register r = p.source() instanceof FieldSource.FromRegister fr ? fr.register()
            : p.source() instanceof FieldSource.KernelRead kr ? kr.pointer()
            : p.source() instanceof FieldSource.KernelPath kp ? kp.pointer() : null;
        boolean needed = p.source() instanceof FieldSource.FromRegister
            || p.source() instanceof FieldSource.KernelRead;
        if (r == null && needed) {
          throw Problem.MISSING_ARGUMENT_SOURCE_REGISTER
              .with("field", key(p.ref()))
              .with("key", "register")
              .with("value", null)
              .with("expected", "a register r6 to r9")
              .build();
        }
        if (r != null) {
          String role = "the value of field " + p.ref().pathText();
          String held = roles.get(r);
          if (held != null && held.startsWith("the value of field")) {
            continue; // two fields may read one register
          }
          role(roles, r, role);
        }
      }
      if (b.submitOp != null) {
        if (onStack) {
          throw Problem.BAD_OPTION_SUBMIT_CONDITION_NEEDS
              .with("key", "submit condition")
              .with("value", b.delivery.name())
              .with("expected", "delivery RESERVE")
              .build();
        }
        String held = roles.get(b.submitReg);
        if (held == null || !held.startsWith("the value of field")) {
          role(roles, b.submitReg, "the submit condition");
        }
      }
      for (Register r : b.live) {
        if (r.number() <= 5) {
          throw collision(r, "a live value of the caller",
              "the helper calls clobber r0 to r5", roles);
        }
        if (!onStack && r == b.record) {
          throw collision(r, "a live value of the caller", "it would hold the record", roles);
        }
      }
      uses.addAll(roles.keySet());
    }

    private void role(Map<Register, String> roles, Register r, String role) {
      notNull(r, "register for " + role);
      if (r == Register.R10 || r.number() <= 5) {
        throw collision(r, role, r == Register.R10 ? "r10 is the read-only frame pointer"
            : "the helper calls clobber r0 to r5", roles);
      }
      String held = roles.get(r);
      if (held != null) {
        throw collision(r, role, "it already holds " + held, roles);
      }
      roles.put(r, role);
    }

    private BpfEventsException collision(Register r, String role, String why,
        Map<Register, String> roles) {
      List<String> free = new ArrayList<>();
      for (Register c : List.of(Register.R6, Register.R7, Register.R8, Register.R9)) {
        if (!roles.containsKey(c) && !(!onStack && c == b.record)) {
          free.add(c.asmName());
        }
      }
      return Problem.REGISTER_COLLISION
          .with("register", r.asmName())
          .with("value", r.asmName())
          .with("expected", "a callee-saved register the fragment leaves alone: " + (free.isEmpty()
              ? "none is left (the fragment needs one of r6 to r9 for each role)"
              : String.join(", ", free)))
          .with("role", role)
          .with("why", why)
          .build();
    }

    private void helpers(List<Placed> placed) {
      List<Integer> used = new ArrayList<>();
      switch (b.delivery) {
        case RESERVE -> {
          used.add(Helpers.RINGBUF_RESERVE);
          used.add(Helpers.RINGBUF_SUBMIT);
          if (b.submitOp != null) {
            used.add(Helpers.RINGBUF_DISCARD);
          }
        }
        case RING_OUTPUT -> used.add(Helpers.RINGBUF_OUTPUT);
        case PERF_OUTPUT -> used.add(Helpers.PERF_EVENT_OUTPUT);
        default -> throw new AssertionError(b.delivery);
      }
      for (Placed p : placed) {
        if (p.source() instanceof FieldSource.FromHelper h) {
          used.add(h.value().helper());
        } else if (p.source() instanceof FieldSource.KernelRead r) {
          used.add(r.string() ? Helpers.PROBE_READ_KERNEL_STR : Helpers.PROBE_READ_KERNEL);
        } else if (p.source() instanceof FieldSource.KernelPath k) {
          if (k.pointer() == null) {
            used.add(Helpers.GET_CURRENT_TASK);
          }
          used.add(Helpers.PROBE_READ_KERNEL);
        }
      }
      for (int h : used) {
        if (!b.type.allows(h)) {
          throw Problem.HELPER_NOT_ALLOWED
              .with("program", b.type.text())
              .with("value", Helpers.name(h))
              .with("expected", "one of {accepted}")
              .with("accepted", ProgramType.allowing(h))
              .with("helper", Helpers.name(h))
              .build();
        }
      }
    }

    private void stack(List<Placed> placed) {
      boolean hop = false;
      for (Placed p : placed) {
        hop |= p.kernel() != null && !p.kernel().hops().isEmpty();
      }
      int need = b.stackTop + (hop ? 8 : 0)
          + (onStack ? (b.event.size() + 7) & ~7 : 0);
      if (need > STACK_LIMIT) {
        throw Problem.STACK_TOO_SMALL
            .with("event", b.event.name())
            .with("value", need)
            .with("expected", "at most " + STACK_LIMIT + " bytes of stack")
            .build();
      }
      scratch = -(b.stackTop + 8);
      if (onStack) {
        base = Register.R10;
        baseOffset = -need;
      } else {
        base = b.record;
        baseOffset = 0;
      }
      if (hop || onStack) {
        uses.add(Register.R10);
      }
    }

    private void reserve() {
      loadMap(Register.R1);
      add(Instructions.movImm(Register.R2, b.event.size()));
      add(Instructions.movImm(Register.R3, 0));
      add(Instructions.call(Helpers.RINGBUF_RESERVE));
      out.add(Program.jump(JumpOp.JEQ, Register.R0, 0, failLabel()));
      slots++;
      add(Instructions.mov(b.record, Register.R0));
    }

    private String failLabel() {
      if (b.failure == null) {
        endUsed = true;
        return end;
      }
      return b.failure;
    }

    private void loadMap(Register dst) {
      MapRef m = b.map;
      if (m.placeholder() != null) {
        relocations.add(new Fragment.Relocation(m.placeholder(), slots));
      }
      for (Insn i : Instructions.lddwMapFd(dst, m.placeholder() != null ? 0 : m.fd())) {
        add(i);
      }
    }

    private void add(Insn i) {
      out.add(Program.insn(i));
      slots++;
    }

    private void fill(List<Placed> placed) {
      BitSet filled = new BitSet();
      for (Placed p : placed) {
        if (!(p.source() instanceof FieldSource.KernelRead kr && kr.string())) {
          filled.set(p.ref().offset(), p.ref().offset() + p.filled());
        }
      }
      zero(filled);
      for (Placed p : placed) {
        if (p.source() instanceof FieldSource.Immediate im) {
          add(shift(EventStores.storeImm(Register.R0, b.event, p.path(), im.value())));
        } else if (p.source() instanceof FieldSource.FromRegister r) {
          add(shift(EventStores.storeField(Register.R0, b.event, p.path(), r.register())));
        }
      }
      // one call per helper, whatever the number of fields it fills
      List<Integer> done = new ArrayList<>();
      for (Placed p : placed) {
        if (p.source() instanceof FieldSource.FromHelper h && !done.contains(h.value().helper())
            && h.value() != HelperValue.COMM) {
          int helper = h.value().helper();
          done.add(helper);
          add(Instructions.call(helper));
          for (Placed q : placed) {
            if (q.source() instanceof FieldSource.FromHelper g && g.value().helper() == helper) {
              storeResult(q, g.value());
            }
          }
        }
      }
      for (Placed p : placed) {
        if (p.source() instanceof FieldSource.FromHelper h && h.value() == HelperValue.COMM) {
          address(Register.R1, p.ref().offset());
          add(Instructions.movImm(Register.R2, p.ref().size()));
          add(Instructions.call(Helpers.GET_CURRENT_COMM));
        } else if (p.source() instanceof FieldSource.KernelRead r) {
          address(Register.R1, p.ref().offset());
          add(Instructions.movImm(Register.R2, p.ref().size()));
          add(Instructions.mov(Register.R3, r.pointer()));
          addOffset(Register.R3, r.offset());
          add(Instructions.call(r.string() ? Helpers.PROBE_READ_KERNEL_STR
              : Helpers.PROBE_READ_KERNEL));
        } else if (p.source() instanceof FieldSource.KernelPath k) {
          path(p, k);
        }
      }
    }

    private void path(Placed p, FieldSource.KernelPath k) {
      KernelTypes.Resolved res = p.kernel();
      Register from;
      if (k.pointer() == null) {
        add(Instructions.call(Helpers.GET_CURRENT_TASK));
        from = Register.R0;
      } else {
        from = k.pointer();
      }
      for (long hop : res.hops()) {
        add(Instructions.mov(Register.R3, from));
        addOffset(Register.R3, hop);
        add(Instructions.mov(Register.R1, Register.R10));
        add(Instructions.aluImm(AluOp.ADD, Register.R1, scratch));
        add(Instructions.movImm(Register.R2, 8));
        add(Instructions.call(Helpers.PROBE_READ_KERNEL));
        add(Instructions.ldx(Size.DW, Register.R3, Register.R10, scratch));
        from = Register.R3;
      }
      if (from != Register.R3) {
        add(Instructions.mov(Register.R3, from));
      }
      addOffset(Register.R3, res.offset());
      address(Register.R1, p.ref().offset());
      add(Instructions.movImm(Register.R2, (int) res.size()));
      add(Instructions.call(Helpers.PROBE_READ_KERNEL));
    }

    private void addOffset(Register r, long offset) {
      if (offset != 0) {
        if (offset < Integer.MIN_VALUE || offset > Integer.MAX_VALUE) {
          throw Problem.OFFSET_OUT_OF_RANGE_KERNEL_FIT_IMMEDIATE
              .with("value", offset)
              .with("expected", "a signed 32-bit offset")
              .build();
        }
        add(Instructions.aluImm(AluOp.ADD, r, (int) offset));
      }
    }

    /** r = the address of the record's byte at offset. */
    private void address(Register r, int offset) {
      add(Instructions.mov(r, base));
      if (baseOffset + offset != 0) {
        add(Instructions.aluImm(AluOp.ADD, r, baseOffset + offset));
      }
    }

    private void storeResult(Placed q, HelperValue v) {
      int width = q.ref().type().size();
      Size size = Size.ofBytes(width);
      int at = baseOffset + q.ref().offset();
      switch (v.part()) {
        case WHOLE -> add(Store.stx(size, base, at, Register.R0));
        case LOW -> {
          if (width == 4) {
            add(Store.stx(size, base, at, Register.R0));
          } else {
            add(Instructions.mov32(Register.R1, Register.R0));
            add(Store.stx(size, base, at, Register.R1));
          }
        }
        case HIGH -> {
          add(Instructions.mov(Register.R1, Register.R0));
          add(Instructions.aluImm(AluOp.RSH, Register.R1, 32));
          add(Store.stx(size, base, at, Register.R1));
        }
        default -> throw new AssertionError(v);
      }
    }

    /** A store built against r0 at the field's offset, moved to the record's base. */
    private Insn shift(Insn i) {
      return Insn.of(i.opcode(), base.number(), i.src(), i.offset() + baseOffset, i.imm());
    }

    /** The fewest naturally aligned stores of zero over the bytes nothing fills. */
    private void zero(BitSet filled) {
      int size = b.event.size();
      int at = filled.nextClearBit(0);
      while (at < size) {
        int end = Math.min(size, filled.nextSetBit(at) < 0 ? size : filled.nextSetBit(at));
        while (at < end) {
          int w = 8;
          while (w > 1 && (at % w != 0 || at + w > end)) {
            w >>= 1;
          }
          add(Store.st(Size.ofBytes(w), base, baseOffset + at, 0));
          at += w;
        }
        at = filled.nextClearBit(end);
      }
    }

    private void send() {
      int flags = b.wakeup.flags();
      switch (b.delivery) {
        case RESERVE -> {
          if (b.submitOp != null) {
            String submit = end + ".submit";
            out.add(Program.jump(b.submitOp, b.submitReg, b.submitImm, submit));
            slots++;
            add(Instructions.mov(Register.R1, b.record));
            add(Instructions.movImm(Register.R2, flags));
            add(Instructions.call(Helpers.RINGBUF_DISCARD));
            out.add(Program.jump(end));
            slots++;
            endUsed = true;
            out.add(Program.label(submit));
          }
          add(Instructions.mov(Register.R1, b.record));
          add(Instructions.movImm(Register.R2, flags));
          add(Instructions.call(Helpers.RINGBUF_SUBMIT));
        }
        case RING_OUTPUT -> {
          loadMap(Register.R1);
          address(Register.R2, 0);
          add(Instructions.movImm(Register.R3, b.event.size()));
          add(Instructions.movImm(Register.R4, flags));
          add(Instructions.call(Helpers.RINGBUF_OUTPUT));
          failed();
        }
        case PERF_OUTPUT -> {
          add(Instructions.mov(Register.R1, b.context));
          loadMap(Register.R2);
          add(Instructions.movImm32(Register.R3, -1)); // BPF_F_CURRENT_CPU
          address(Register.R4, 0);
          add(Instructions.movImm(Register.R5, b.event.size()));
          add(Instructions.call(Helpers.PERF_EVENT_OUTPUT));
          failed();
        }
        default -> throw new AssertionError(b.delivery);
      }
    }

    private void failed() {
      if (b.failure != null) {
        out.add(Program.jump(JumpOp.JNE, Register.R0, 0, b.failure));
        slots++;
      }
    }

    private static Object key(FieldRef f) {
      List<Object> p = f.path();
      return p.size() == 1 ? p.get(0) : p;
    }
  }

  private static <T> T notNull(T o, String what) {
    if (o == null) {
      throw Problem.MISSING_ARGUMENT_NULL
          .with("key", what)
          .with("value", null)
          .with("expected", "a " + what)
          .with("what", what)
          .build();
    }
    return o;
  }

}
