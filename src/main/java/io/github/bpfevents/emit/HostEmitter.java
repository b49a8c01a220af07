package io.github.bpfevents.emit;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.HostValues;
import io.github.bpfevents.HostValues.Kind;
import io.github.bpfevents.Problem;
import io.github.bpfevents.asm.Insn;
import io.github.bpfevents.asm.JumpOp;
import io.github.bpfevents.asm.Program;
import io.github.bpfevents.asm.Register;
import io.github.bpfevents.btf.Btf;
import io.github.bpfevents.btf.BtfReader;
import io.github.bpfevents.layout.EventLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * {@link EventEmitter} as a host language writes its request: one map of options, read
 * through {@link HostValues}, and the fragment given back as the host's data. This is
 * {@code emit-event} of the Clojure namespace {@code clj-ebpf.dsl.structs}, whole: the
 * namespace passes the user's values through as they were written, and everything about
 * them (which keys, which names, which integers fit) is decided here.
 *
 * <pre>{@code
 * Map<String, Object> opts = Map.of(
 *     "program-type", "kprobe",
 *     "map", 5,
 *     "fields", Map.of("ts", "ktime-ns", "pid", "pid"));
 * HostEmitter.Result r = HostEmitter.fragment(opts, layout, HostValues.JAVA, HostEmitter::insn);
 * r.insns();   // the instructions, made by the function given
 * r.meta();    // {uses=[r0, ...], clobbers=[...], record-reg=r6, relocations=[]}
 * }</pre>
 *
 * <p>The options, by name (keywords in Clojure):
 *
 * <ul>
 *   <li>{@code program-type} a name of {@link ProgramType#names()};
 *   <li>{@code map} a file descriptor (an integer, 0 or more) or a placeholder's name;
 *   <li>{@code fields} a map of field (a name, or a path of names and indices) to source:
 *       a helper's name ({@link HelperValue#text()}), {@code {reg r}}, {@code {imm v}},
 *       {@code {probe-read r offset n}}, {@code {probe-read-str r offset n}}, a kernel path
 *       (a vector of a struct name and member names), {@code {path [...] from r}};
 *   <li>{@code delivery} {@code reserve}, {@code ring-output}, {@code perf-output};
 *       {@code context-reg} a register (the perf output's context);
 *   <li>{@code record-reg}, {@code live} (a sequence of registers), {@code on-failure} (a
 *       label), {@code wakeup} ({@code adaptive}, {@code no-wakeup}, {@code force-wakeup}),
 *       {@code submit-if} ({@code [op reg imm]}), {@code btf} (a BTF file's path, read once
 *       per path), {@code stack-top} (an integer).
 * </ul>
 *
 * <p>Registers are names ({@code :r6}, {@code :fp}) or the integers 0 to 10, as {@link
 * Register#read} takes them. An absent option and one given as nil are the same.
 */
public final class HostEmitter {
  /** The options, sorted by name. */
  private static final List<String> OPTIONS = List.of("btf", "context-reg", "delivery",
      "fields", "live", "map", "on-failure", "program-type", "record-reg", "stack-top",
      "submit-if", "wakeup");

  /** The most fields a request may name: a field per byte of the largest record. */
  private static final int MAX_FIELDS = Short.MAX_VALUE + 1;

  /** The most steps of a field's path or a kernel path. */
  private static final int MAX_STEPS = 64;

  /** BTF files read, by the path as written: each is read once (the first few kept). */
  private static final Map<String, Btf> BTF = new ConcurrentHashMap<>();

  /** How many BTF files are kept once read. */
  private static final int BTF_KEPT = 16;

  private HostEmitter() {}

  /**
   * The fragment as host data.
   *
   * @param insns the instructions, a host list; a jump to the caller's failure label carries
   *     the label under {@code goto}, its offset 0 until {@link Program#link(Object,
   *     HostValues, BiFunction)} resolves it
   * @param meta a host map: {@code uses} and {@code clobbers} (the registers' names, sorted),
   *     {@code record-reg} (a name, or nil on the stack) and {@code relocations} (a list of
   *     maps of {@code name} and {@code slot})
   */
  public record Result(Object insns, Object meta) {}

  /**
   * The helper sources: each source's name (a host keyword) to a map of {@code helper} (the
   * helper's name and number) and {@code bytes} (the fewest bytes of a field that takes
   * the value), sorted by name.
   *
   * @param hv how to make the host's values
   * @return the host map
   */
  public static Object sources(HostValues hv) {
    TreeMap<String, HelperValue> sorted = new TreeMap<>();
    for (HelperValue v : HelperValue.values()) {
      sorted.put(v.text(), v);
    }
    List<Object> kvs = new ArrayList<>();
    for (HelperValue v : sorted.values()) {
      kvs.add(hv.keyword(v.text()));
      kvs.add(hv.map(new Object[] {hv.keyword("helper"), v.helperName(),
          hv.keyword("bytes"), (long) v.bytes()}));
    }
    return hv.map(kvs.toArray());
  }

  /**
   * The instruction as plain data, for hosts without a record of their own: a map of the
   * five fields, and {@code goto} when label is not null.
   *
   * @param insn the instruction
   * @param label the label a jump goes to, or null
   * @return a {@code Map<String, Object>}
   */
  public static Object insn(Insn insn, Object label) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("opcode", (long) insn.opcode());
    m.put("dst", (long) insn.dst());
    m.put("src", (long) insn.src());
    m.put("offset", (long) insn.offset());
    m.put("imm", (long) insn.imm());
    if (label != null) {
      m.put("goto", label);
    }
    return java.util.Collections.unmodifiableMap(m);
  }

  /**
   * The instructions that send one event of {@code event}, as {@code opts} asks.
   *
   * @param opts the host's map of options
   * @param event the event's layout
   * @param hv how to read the options and make the result
   * @param record the host's instruction for an instruction and the label its jump goes to
   *     (null but for the jump to the caller's failure label, whose label is a host keyword)
   * @return the instructions and what they do to the registers
   * @throws BpfEventsException {@code bad-option} for a value that is no map, an unknown
   *     option or an unknown name of a choice, {@code bad-map}, {@code bad-label}, {@code
   *     bad-btf-source}, {@code bad-stack}, {@code unknown-register}, {@code unknown-field},
   *     {@code unknown-source}, {@code bad-kernel-path}, {@code offset-out-of-range},
   *     {@code immediate-out-of-range}, and whatever {@link EventEmitter.Builder#build()}
   *     refuses
   */
  public static Result fragment(Object opts, EventLayout event, HostValues hv,
      BiFunction<Insn, Object, Object> record) {
    if (hv.kind(opts) != Kind.MAP) {
      throw Problem.BAD_OPTION_EMIT_EVENT_OPTIONS
          .with("value", opts)
          .with("expected", "a map of options")
          .build();
    }
    for (Map.Entry<Object, Object> e : hv.entries(opts, OPTIONS.size() + 1)) {
      Object k = e.getKey();
      if (!isName(k, hv) || !OPTIONS.contains(hv.text(k))) {
        boolean name = isName(k, hv);
        throw (name ? Problem.EMIT_OPTION_REFUSED
            : Problem.UNKNOWN_EMIT_OPTION)
            .with("key", name ? hv.text(k) : k)
            .with("value", k)
            .with("expected", "one of {accepted}")
            .with("accepted", OPTIONS)
            .build();
      }
    }
    EventEmitter.Builder b = EventEmitter.builder(event);
    Object v = hv.get(opts, "program-type");
    if (v != null) {
      b.programType(ProgramType.named(choice("program-type", v, ProgramType.names(), hv)));
    }
    if (hv.has(opts, "map")) {
      b.ringBuffer(mapRef(hv.get(opts, "map"), hv));
    }
    if ((v = hv.get(opts, "delivery")) != null) {
      b.delivery(Delivery.valueOf(enumName(choice("delivery", v, names(Delivery.values()),
          hv))));
    }
    if (hv.has(opts, "context-reg")) {
      b.perfOutput(mapRef(hv.get(opts, "map"), hv),
          register(hv.get(opts, "context-reg"), hv, "key", "context-reg", "emit-event {key}"));
    }
    if ((v = hv.get(opts, "record-reg")) != null) {
      b.recordRegister(register(v, hv, "key", "record-reg", "emit-event {key}"));
    }
    if ((v = hv.get(opts, "live")) != null) {
      b.live(live(v, hv));
    }
    if ((v = hv.get(opts, "on-failure")) != null) {
      b.onFailure(label(v, hv));
    }
    if ((v = hv.get(opts, "wakeup")) != null) {
      b.wakeup(Wakeup.valueOf(enumName(choice("wakeup", v, names(Wakeup.values()), hv))));
    }
    if ((v = hv.get(opts, "submit-if")) != null) {
      submitIf(b, v, hv);
    }
    if ((v = hv.get(opts, "btf")) != null) {
      b.btf(btf(v, hv));
    }
    if ((v = hv.get(opts, "stack-top")) != null) {
      stackTop(b, v, hv);
    }
    Object fields = hv.get(opts, "fields");
    if (fields != null) {
      if (hv.kind(fields) != Kind.MAP) {
        throw Problem.BAD_OPTION_EMIT_EVENT_MAP
            .with("key", "fields")
            .with("value", fields)
            .with("expected", "a map of field to source")
            .build();
      }
      List<Map.Entry<Object, Object>> entries = hv.entries(fields, MAX_FIELDS + 1);
      if (entries.size() > MAX_FIELDS) {
        throw Problem.BAD_OPTION_EMIT_EVENT_NAMES
            .with("key", "fields")
            .with("value", fields)
            .with("expected", "at most " + MAX_FIELDS + " fields, one per byte of the largest"
                + " record")
            .build();
      }
      for (Map.Entry<Object, Object> e : entries) {
        List<Object> path = fieldPath(e.getKey(), hv);
        b.field(path, source(path.size() == 1 ? path.get(0) : path, e.getValue(), hv));
      }
    }
    return result(b.build(), hv, record);
  }

  /**
   * Whether x is a name as the host writes names: a keyword, or a string where the host's
   * keywords are strings ({@link HostValues#JAVA}).
   */
  private static boolean isName(Object x, HostValues hv) {
    Kind k = hv.kind(x);
    return k == Kind.KEYWORD || (k == Kind.STRING && hv.kind(hv.keyword("name")) == Kind.STRING);
  }

  private static <E extends Enum<E>> List<String> names(E[] values) {
    List<String> out = new ArrayList<>();
    for (E e : values) {
      out.add(e.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }
    return out;
  }

  private static String enumName(String name) {
    return name.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  /** The name among accepted that the keyword v names. */
  private static String choice(String key, Object v, List<String> accepted, HostValues hv) {
    if (isName(v, hv) && accepted.contains(hv.text(v))) {
      return hv.text(v);
    }
    throw Problem.EMIT_CHOICE_REFUSED
        .with("key", key)
        .with("value", v)
        .with("expected", "one of {accepted}")
        .with("accepted", accepted)
        .build();
  }

  private static MapRef mapRef(Object m, HostValues hv) {
    Kind k = hv.kind(m);
    if (k == Kind.INTEGER) {
      Number n = hv.integer(m);
      if (n instanceof Long l && l >= 0 && l <= Integer.MAX_VALUE) {
        return MapRef.fd((int) (long) l);
      }
    } else if ((k == Kind.KEYWORD || k == Kind.STRING) && !hv.text(m).isEmpty()) {
      return MapRef.placeholder(hv.text(m));
    }
    throw Problem.BAD_MAP_EMIT_EVENT
        .with("key", "map")
        .with("value", m)
        .with("expected", "a file descriptor, or a placeholder's name (a keyword)")
        .build();
  }

  /** The register x names; a refusal says where it was written. */
  private static Register register(Object x, HostValues hv, String key, Object at,
      String context) {
    try {
      return Register.read(x, hv);
    } catch (BpfEventsException e) {
      throw e.within(key, at, context);
    }
  }

  private static Register[] live(Object v, HostValues hv) {
    List<Object> regs = hv.items(v, Register.values().length + 1);
    if (regs == null || regs.size() > Register.values().length) {
      throw Problem.BAD_EMIT_OPTION
          .with("key", "live")
          .with("value", v)
          .with("expected", "a vector of registers")
          .build();
    }
    Register[] out = new Register[regs.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = register(regs.get(i), hv, "key", "live", "emit-event {key}");
    }
    return out;
  }

  private static String label(Object l, HostValues hv) {
    Kind k = hv.kind(l);
    if (k == Kind.KEYWORD || (k == Kind.STRING && !hv.text(l).isEmpty())) {
      return hv.text(l);
    }
    throw Problem.BAD_LABEL_EMIT_EVENT
        .with("key", "on-failure")
        .with("value", l)
        .with("expected", "a keyword")
        .build();
  }

  private static void submitIf(EventEmitter.Builder b, Object s, HostValues hv) {
    List<Object> parts = hv.kind(s) == Kind.VECTOR ? hv.items(s, 4) : null;
    Number imm = parts != null && parts.size() == 3 ? hv.integer(parts.get(2)) : null;
    if (!(imm instanceof Long l) || l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
      throw Problem.BAD_SUBMIT_IF
          .with("key", "submit-if")
          .with("value", s)
          .with("expected", "[op reg imm]")
          .build();
    }
    List<String> ops = new ArrayList<>();
    for (JumpOp op : JumpOp.values()) {
      if (op.isConditional()) {
        ops.add(op.name().toLowerCase(Locale.ROOT));
      }
    }
    JumpOp op = JumpOp.valueOf(choice("submit-if", parts.get(0), ops, hv)
        .toUpperCase(Locale.ROOT));
    b.submitIf(op, register(parts.get(1), hv, "key", "submit-if", "emit-event {key}"),
        (int) (long) l);
  }

  private static Btf btf(Object source, HostValues hv) {
    if (hv.kind(source) != Kind.STRING) {
      throw Problem.BAD_BTF_SOURCE_EMIT_EVENT
          .with("key", "btf")
          .with("value", source)
          .with("expected", "a path (a string)")
          .build();
    }
    String path = hv.text(source);
    Btf b = BTF.get(path);
    if (b == null) {
      b = BtfReader.read(Path.of(path));
      if (BTF.size() < BTF_KEPT) {
        BTF.putIfAbsent(path, b);
      }
    }
    return b;
  }

  private static void stackTop(EventEmitter.Builder b, Object top, HostValues hv) {
    Number n = hv.integer(top);
    if (n == null) {
      throw Problem.BAD_STACK_EMIT_EVENT_INTEGER
          .with("key", "stack-top")
          .with("value", top)
          .with("expected", "a multiple of 8 from 0 to 512")
          .build();
    }
    long t = n instanceof Long l ? l : ((java.math.BigInteger) n).signum() * 4096L;
    try {
      b.stackTop((int) Math.max(-1, Math.min(t, 4096)));
    } catch (BpfEventsException e) {
      throw e.replacing("value", top);
    }
  }

  /** A field's name or path as the core's path: names as Strings, indices as integers. */
  private static List<Object> fieldPath(Object field, HostValues hv) {
    Kind k = hv.kind(field);
    if (isName(field, hv)) {
      return List.of(hv.text(field));
    }
    List<Object> steps = k == Kind.VECTOR ? hv.items(field, MAX_STEPS + 1) : null;
    List<Object> out = new ArrayList<>();
    if (steps != null && !steps.isEmpty() && steps.size() <= MAX_STEPS) {
      for (Object s : steps) {
        if (isName(s, hv)) {
          out.add(hv.text(s));
        } else if (hv.kind(s) == Kind.INTEGER) {
          out.add(hv.integer(s));
        } else {
          break;
        }
      }
      if (out.size() == steps.size()) {
        return out;
      }
    }
    throw Problem.NOT_A_FIELD_NAME
        .with("field", field)
        .with("value", field)
        .with("expected", "a keyword, or a path such as [:src :port] or [:hops 2 :ttl]")
        .build();
  }

  /** What the sources are, for messages. */
  private static final String SOURCES = "a helper source {accepted}, {:reg r}, {:imm v},"
      + " {:probe-read r :offset n}, {:probe-read-str r :offset n}, a kernel path"
      + " [:task_struct ...], or {:path [...] :from r}";

  /** The source s of the field (a name, or a path), as written. */
  private static FieldSource source(Object field, Object s, HostValues hv) {
    Kind k = hv.kind(s);
    if (isName(s, hv)) {
      String name = hv.text(s);
      for (HelperValue v : HelperValue.values()) {
        if (v.text().equals(name)) {
          return FieldSource.helper(v);
        }
      }
      throw unknownSource(field, s);
    } else if (k == Kind.VECTOR) {
      return FieldSource.path(kernelPath(field, s, hv).toArray(new String[0]));
    } else if (k != Kind.MAP) {
      throw unknownSource(field, s);
    }
    Set<String> keys = new HashSet<>();
    for (Map.Entry<Object, Object> e : hv.entries(s, 3)) {
      if (!isName(e.getKey(), hv)) {
        throw unknownSource(field, s);
      }
      keys.add(hv.text(e.getKey()));
    }
    if (keys.equals(Set.of("reg"))) {
      return FieldSource.reg(register(hv.get(s, "reg"), hv, "field", field, "field {field}"));
    } else if (keys.equals(Set.of("imm"))) {
      Object v = hv.get(s, "imm");
      if (hv.integer(v) instanceof Long l) {
        return FieldSource.imm(l);
      }
      throw Problem.IMMEDIATE_OUT_OF_RANGE_FIELD_BIT_INTEGER
          .with("field", field)
          .with("value", v)
          .with("expected", "an integer")
          .build();
    }
    for (String read : List.of("probe-read", "probe-read-str")) {
      if (keys.equals(Set.of(read)) || keys.equals(Set.of(read, "offset"))) {
        Register r = register(hv.get(s, read), hv, "field", field, "field {field}");
        long offset = hv.has(s, "offset") ? offset(field, hv.get(s, "offset"), hv) : 0;
        return read.equals("probe-read") ? FieldSource.kernelRead(r, offset)
            : FieldSource.kernelString(r, offset);
      }
    }
    if (keys.equals(Set.of("path")) || keys.equals(Set.of("path", "from"))) {
      String[] steps = kernelPath(field, hv.get(s, "path"), hv).toArray(new String[0]);
      return keys.contains("from")
          ? FieldSource.pathFrom(register(hv.get(s, "from"), hv, "field", field,
              "field {field}"), steps)
          : FieldSource.path(steps);
    }
    throw unknownSource(field, s);
  }

  private static BpfEventsException unknownSource(Object field, Object s) {
    List<String> accepted = new ArrayList<>();
    for (HelperValue v : HelperValue.values()) {
      accepted.add(v.text());
    }
    java.util.Collections.sort(accepted);
    return Problem.UNKNOWN_SOURCE_SHAPE
        .with("field", field)
        .with("value", s)
        .with("expected", SOURCES)
        .with("accepted", accepted)
        .build();
  }

  private static List<String> kernelPath(Object field, Object path, HostValues hv) {
    List<Object> steps = hv.kind(path) == Kind.VECTOR ? hv.items(path, MAX_STEPS + 1) : null;
    List<String> out = new ArrayList<>();
    if (steps != null && steps.size() >= 2 && steps.size() <= MAX_STEPS) {
      for (Object s : steps) {
        Kind k = hv.kind(s);
        if (k != Kind.KEYWORD && k != Kind.STRING && k != Kind.SYMBOL) {
          break;
        }
        String t = hv.text(s);
        int slash = k == Kind.STRING ? -1 : t.lastIndexOf('/');
        out.add(slash < 0 ? t : t.substring(slash + 1));
      }
      if (out.size() == steps.size()) {
        return out;
      }
    }
    throw Problem.BAD_KERNEL_PATH_FIELD
        .with("field", field)
        .with("value", path)
        .with("expected", "a vector of a struct name, then member names (keywords)")
        .build();
  }

  private static long offset(Object field, Object v, HostValues hv) {
    if (hv.integer(v) instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
      return l;
    }
    throw Problem.OFFSET_OUT_OF_RANGE_FIELD_SIGNED_BIT
        .with("field", field)
        .with("value", v)
        .with("expected", "a signed 32-bit integer")
        .with("min-value", Integer.MIN_VALUE)
        .with("max-value", Integer.MAX_VALUE)
        .build();
  }

  /** The fragment as host data. */
  private static Result result(Fragment f, HostValues hv,
      BiFunction<Insn, Object, Object> record) {
    List<Program.Item> items = f.items();
    Set<String> inner = new HashSet<>(Program.labels(items));
    String outside = null;
    for (Program.Item i : items) {
      if (i instanceof Program.Jump j && !inner.contains(j.target())) {
        outside = j.target();
      }
    }
    List<Program.Item> linkable = new ArrayList<>(items);
    if (outside != null) {
      linkable.add(Program.label(outside));
    }
    List<Insn> linked = Program.link(linkable);
    List<Object> out = new ArrayList<>(linked.size());
    int slot = 0;
    for (Program.Item i : items) {
      if (i instanceof Program.Label) {
        continue;
      }
      Insn insn = linked.get(slot++);
      if (i instanceof Program.Jump j && j.target().equals(outside)) {
        out.add(record.apply(Insn.of(insn.opcode(), insn.dst(), insn.src(), 0, insn.imm()),
            hv.keyword(outside)));
      } else {
        out.add(record.apply(insn, null));
      }
    }
    List<Object> relocations = new ArrayList<>();
    for (Fragment.Relocation r : f.relocations()) {
      relocations.add(hv.map(new Object[] {hv.keyword("name"), hv.keyword(r.name()),
          hv.keyword("slot"), (long) r.slot()}));
    }
    Object meta = hv.map(new Object[] {
        hv.keyword("uses"), registers(f.uses(), hv),
        hv.keyword("clobbers"), registers(f.clobbers(), hv),
        hv.keyword("record-reg"), f.record() == null ? null : hv.keyword(f.record().asmName()),
        hv.keyword("relocations"), hv.list(relocations.toArray())});
    return new Result(hv.list(out.toArray()), meta);
  }

  private static Object registers(Set<Register> regs, HostValues hv) {
    List<Object> out = new ArrayList<>();
    for (Register r : Register.values()) {
      if (regs.contains(r)) {
        out.add(hv.keyword(r.asmName()));
      }
    }
    return hv.list(out.toArray());
  }
}
