package io.github.bpfevents.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.HostValues;
import io.github.bpfevents.asm.AsmPrinter;
import io.github.bpfevents.asm.Insn;
import io.github.bpfevents.asm.InsnReader;
import io.github.bpfevents.asm.JumpOp;
import io.github.bpfevents.asm.Program;
import io.github.bpfevents.asm.Register;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.FieldSpec;
import io.github.bpfevents.layout.FieldType;
import io.github.bpfevents.layout.LayoutEngine;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * emit-event's option map read through {@link HostValues#JAVA} (names as Strings): each
 * option asks the builder for what the Java API asks it, the results are host data, and
 * every mistake is the library's error naming the value as written.
 */
class HostEmitterTest {
  private static final EventLayout EV = LayoutEngine.layout("Ev", List.of(
      FieldSpec.of("ts", FieldType.U64),
      FieldSpec.of("pid", FieldType.U32),
      FieldSpec.of("small", FieldType.U32),
      FieldSpec.of("comm", FieldType.CHAR, 16),
      FieldSpec.of("flag", FieldType.U8),
      FieldSpec.of("tail", FieldType.U8, 7)));

  private static final HostValues HV = HostValues.JAVA;

  /** opts over the base request: kprobe, map 5. */
  private static Map<String, Object> opts(Object... kvs) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("program-type", "kprobe");
    m.put("map", 5);
    for (int i = 0; i < kvs.length; i += 2) {
      m.put((String) kvs[i], kvs[i + 1]);
    }
    return m;
  }

  private static Map<Object, Object> ordered(Object... kvs) {
    Map<Object, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kvs.length; i += 2) {
      m.put(kvs[i], kvs[i + 1]);
    }
    return m;
  }

  private static HostEmitter.Result emit(Object opts) {
    return HostEmitter.fragment(opts, EV, HV, HostEmitter::insn);
  }

  /** The host instructions read back as core instructions. */
  private static List<Insn> insns(HostEmitter.Result r) {
    return InsnReader.flatten(r.insns(), HV);
  }

  private static BpfEventsException refused(String problem, Object opts) {
    BpfEventsException e = assertThrows(BpfEventsException.class, () -> emit(opts));
    assertEquals(problem, e.problem(), e.getMessage());
    return e;
  }

  private static EventEmitter.Builder ev() {
    return EventEmitter.builder(EV).programType(ProgramType.KPROBE).ringBuffer(MapRef.fd(5));
  }

  @Test
  void eachOptionAsksTheBuilderForWhatTheJavaApiAsks() {
    HostEmitter.Result r = emit(opts(
        "fields", ordered("ts", "ktime-ns", "pid", "tgid", "flag", Map.of("imm", 1)),
        "wakeup", "no-wakeup", "record-reg", "r7", "live", List.of("r8", 9)));
    Fragment f = ev().field("ts", FieldSource.helper(HelperValue.KTIME_NS))
        .field("pid", FieldSource.helper(HelperValue.TGID))
        .field("flag", FieldSource.imm(1))
        .wakeup(Wakeup.NO_WAKEUP).recordRegister(Register.R7).live(Register.R8, Register.R9)
        .build();
    assertEquals(AsmPrinter.printAll(f.insns()), AsmPrinter.printAll(insns(r)));
    assertTrue(AsmPrinter.printAll(insns(r)).contains("r2 = 1"), "the no-wakeup flag");
    assertEquals(Map.of("uses", List.of("r0", "r1", "r2", "r3", "r4", "r5", "r7"),
        "clobbers", List.of("r0", "r1", "r2", "r3", "r4", "r5", "r7"),
        "record-reg", "r7", "relocations", List.of()), r.meta());
  }

  @Test
  void everySourceShapeIsTheBuildersSource() {
    EventLayout e = LayoutEngine.layout("All", List.of(
        FieldSpec.of("a", FieldType.U64), FieldSpec.of("b", FieldType.U64),
        FieldSpec.of("c", FieldType.U64), FieldSpec.of("d", FieldType.CHAR, 8),
        FieldSpec.of("e", FieldType.U32, 2)));
    Map<Object, Object> fields = new LinkedHashMap<>();
    fields.put("a", Map.of("reg", 7));
    fields.put("b", Map.of("imm", new BigInteger("-5")));
    fields.put("c", Map.of("probe-read", "r8", "offset", 16));
    fields.put("d", Map.of("probe-read-str", "r9"));
    fields.put(List.of("e", 1), Map.of("imm", (short) 3));
    Object opts = opts("fields", fields, "delivery", "ring-output", "stack-top", 16);
    List<Insn> host = InsnReader.flatten(
        HostEmitter.fragment(opts, e, HV, HostEmitter::insn).insns(), HV);
    Fragment f = EventEmitter.builder(e).programType(ProgramType.KPROBE)
        .ringBuffer(MapRef.fd(5)).delivery(Delivery.RING_OUTPUT).stackTop(16)
        .field("a", FieldSource.reg(Register.R7))
        .field("b", FieldSource.imm(-5))
        .field("c", FieldSource.kernelRead(Register.R8, 16))
        .field("d", FieldSource.kernelString(Register.R9, 0))
        .field(List.of("e", 1L), FieldSource.imm(3))
        .build();
    assertEquals(AsmPrinter.printAll(f.insns()), AsmPrinter.printAll(host));
    assertTrue(AsmPrinter.printAll(host).contains("call 115"), "bpf_probe_read_kernel_str");
  }

  @Test
  void aPlaceholderAndAFailureLabelAreHostData() {
    HostEmitter.Result r = emit(opts("map", "events", "on-failure", "full",
        "submit-if", List.of("jset", "r8", 3), "fields", Map.of("ts", "ktime-ns")));
    List<?> insns = (List<?>) r.insns();
    List<Object> gotos = new ArrayList<>();
    for (Object i : insns) {
      if (((Map<?, ?>) i).containsKey("goto")) {
        gotos.add(i);
      }
    }
    // the jump taken when the ring is full leaves the fragment: offset 0 until linked
    assertEquals(1, gotos.size());
    assertEquals("full", ((Map<?, ?>) gotos.get(0)).get("goto"));
    assertEquals(0L, ((Map<?, ?>) gotos.get(0)).get("offset"));
    assertEquals(List.of(Map.of("name", "events", "slot", 0L)),
        ((Map<?, ?>) r.meta()).get("relocations"));
    // linked beside the label, the jump goes to it: the slots between are the fragment's rest
    List<Object> program = new ArrayList<>(insns);
    program.add(Map.of("label", "full"));
    program.add(HostEmitter.insn(io.github.bpfevents.asm.Instructions.exit(), null));
    List<Insn> linked = InsnReader.flatten(Program.link(program, HV, HostEmitter::insn), HV);
    int at = insns.indexOf(gotos.get(0));
    assertEquals(insns.size() - at - 1, linked.get(at).offset());
    assertEquals(insns.size() + 1, linked.size());
  }

  @Test
  void optionsAreRefusedNamingTheValueAsWritten() {
    assertEquals("emit-event option nope is not accepted; expected one of [btf, context-reg,"
        + " delivery, fields, live, map, on-failure, program-type, record-reg, stack-top,"
        + " submit-if, wakeup]", refused("bad-option", opts("nope", 1)).getMessage());
    refused("bad-option", List.of());
    assertEquals("program-type",
        refused("bad-option", opts("program-type", "kprobes")).data().get("key"));
    refused("bad-option", opts("delivery", "fast"));
    refused("bad-option", opts("wakeup", 1));
    refused("bad-option", opts("live", "r7"));
    refused("bad-option", opts("live", List.of(6, 7, 8, 9, 6, 7, 8, 9, 6, 7, 8, 9)));
    refused("bad-option", opts("submit-if", List.of("jset", "r8")));
    refused("bad-option", opts("submit-if", List.of("ja", "r8", 3)));
    refused("bad-option", opts("submit-if", List.of("jset", "r8", 1L << 31)));
    refused("bad-option", opts("fields", List.of()));
    refused("bad-map", opts("map", -1));
    refused("bad-map", opts("map", 1L << 31));
    refused("bad-map", opts("map", ""));
    refused("bad-label", opts("on-failure", 3));
    refused("bad-btf-source", opts("btf", 3));
    BpfEventsException top = refused("bad-stack", opts("stack-top",
        BigInteger.ONE.shiftLeft(80)));
    assertEquals(BigInteger.ONE.shiftLeft(80), top.data().get("value"));
    refused("bad-stack", opts("stack-top", 12));
    refused("bad-stack", opts("stack-top", "8"));
    BpfEventsException reg = refused("unknown-register", opts("record-reg", 11));
    assertEquals("record-reg", reg.data().get("key"));
    assertEquals(11, reg.data().get("register"));
  }

  @Test
  void sourcesAreRefusedNamingTheField() {
    BpfEventsException e = refused("unknown-source", opts("fields", Map.of("pid", "pid2")));
    assertEquals("pid", e.data().get("field"));
    assertTrue(((List<?>) e.data().get("accepted")).contains("ktime-ns"));
    refused("unknown-source", opts("fields", Map.of("pid", Map.of("reg", "r7", "imm", 1))));
    refused("unknown-source", opts("fields", Map.of("pid", Map.of())));
    refused("unknown-source", opts("fields", Map.of("pid", 7)));
    assertEquals("pid", refused("unknown-register",
        opts("fields", Map.of("pid", Map.of("reg", "r77")))).data().get("field"));
    refused("immediate-out-of-range",
        opts("fields", Map.of("pid", Map.of("imm", BigInteger.ONE.shiftLeft(64)))));
    refused("offset-out-of-range",
        opts("fields", Map.of("pid", Map.of("probe-read", "r7", "offset", 1L << 31))));
    refused("bad-kernel-path", opts("fields", Map.of("pid", List.of("task_struct"))));
    refused("bad-kernel-path", opts("fields", Map.of("pid", List.of("task_struct", 1))));
    refused("bad-kernel-path", opts("fields", Map.of("pid", Map.of("path", "task_struct"))));
    refused("unknown-field", opts("fields", Map.of(List.of(), "pid")));
    refused("unknown-field", opts("fields", Map.of(3, "pid")));
    // what the builder refuses comes through as it is
    assertEquals("field pid has 4 bytes, too few for ktime-ns (bpf_ktime_get_ns#5); expected 8"
        + " bytes or more",
        refused("field-too-small", opts("fields", Map.of("pid", "ktime-ns"))).getMessage());
  }

  @Test
  void theSourcesAreEveryHelperValueSorted() {
    Map<?, ?> sources = (Map<?, ?>) HostEmitter.sources(HV);
    assertEquals(HelperValue.values().length, sources.size());
    assertEquals(Map.of("helper", "bpf_ktime_get_ns#5", "bytes", 8L), sources.get("ktime-ns"));
    List<String> keys = new ArrayList<>();
    for (Object k : sources.keySet()) {
      keys.add((String) k);
    }
    List<String> sorted = new ArrayList<>(keys);
    java.util.Collections.sort(sorted);
    assertEquals(sorted, keys);
  }

  @Test
  void anEndlessOrHugeRequestIsReadBoundedly() {
    Map<Object, Object> many = new HashMap<>();
    for (int i = 0; i < 40000; i++) {
      many.put("k" + i, 1);
    }
    refused("bad-option", many);
    Map<Object, Object> fields = new HashMap<>();
    for (int i = 0; i < 40000; i++) {
      fields.put(List.of("tail", i), Map.of("imm", 0));
    }
    refused("bad-option", opts("fields", fields));
    assertNull(((Map<?, ?>) emit(opts("delivery", "perf-output", "context-reg", 9))
        .meta()).get("record-reg"));
  }

  @Test
  void linkSplicesResolvesAndRefuses() {
    Object jump = HostEmitter.insn(io.github.bpfevents.asm.Instructions.jumpImm(
        JumpOp.JEQ, Register.R0, 0, 0), "out");
    Object exit = HostEmitter.insn(io.github.bpfevents.asm.Instructions.exit(), null);
    List<?> linked = (List<?>) Program.link(
        List.of(List.of(jump, List.of(exit, List.of())), Map.of("label", "out"), exit),
        HV, HostEmitter::insn);
    assertEquals(List.of("if r0 == 0 goto +1", "exit", "exit"),
        AsmPrinter.printAll(InsnReader.flatten(linked, HV)));
    assertTrue(linked.get(1) == exit, "other items are kept as they are");
    BpfEventsException unknown = assertThrows(BpfEventsException.class,
        () -> Program.link(List.of(jump, Map.of("label", "in")), HV, HostEmitter::insn));
    assertEquals("unknown-label", unknown.problem());
    assertEquals(List.of("in"), unknown.data().get("accepted"));
    assertEquals("duplicate-label", assertThrows(BpfEventsException.class, () -> Program.link(
        List.of(Map.of("label", "a"), Map.of("label", "a")), HV, HostEmitter::insn)).problem());
    assertEquals("bad-label", assertThrows(BpfEventsException.class, () -> Program.link(
        List.of(Map.of("label", 1)), HV, HostEmitter::insn)).problem());
    assertEquals("not-a-sequence", assertThrows(BpfEventsException.class,
        () -> Program.link(Map.of(), HV, HostEmitter::insn)).problem());
    Object deep = List.of();
    for (int i = 0; i < 70; i++) {
      deep = List.of(deep);
    }
    Object tooDeep = deep;
    assertEquals("too-deeply-nested", assertThrows(BpfEventsException.class,
        () -> Program.link(tooDeep, HV, HostEmitter::insn)).problem());
    List<Object> far = new ArrayList<>();
    far.add(HostEmitter.insn(io.github.bpfevents.asm.Instructions.ja(0), "end"));
    for (int i = 0; i < 40000; i++) {
      far.add(exit);
    }
    far.add(Map.of("label", "end"));
    assertEquals("offset-out-of-range", assertThrows(BpfEventsException.class,
        () -> Program.link(far, HV, HostEmitter::insn)).problem());
  }
}
