package io.github.bpfevents.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.asm.AsmPrinter;
import io.github.bpfevents.asm.Insn;
import io.github.bpfevents.asm.Program;
import io.github.bpfevents.asm.Register;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.FieldSpec;
import io.github.bpfevents.layout.FieldType;
import io.github.bpfevents.layout.LayoutEngine;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the emitter emits and what it refuses, without the kernel. */
class EventEmitterTest {
  private static final EventLayout EV = LayoutEngine.layout("Ev", List.of(
      FieldSpec.of("ts", FieldType.U64),
      FieldSpec.of("pid", FieldType.U32),
      FieldSpec.of("small", FieldType.U32),
      FieldSpec.of("comm", FieldType.CHAR, 16),
      FieldSpec.of("flag", FieldType.U8),
      FieldSpec.of("tail", FieldType.U8, 7)));

  private static EventEmitter.Builder ev() {
    return EventEmitter.builder(EV).programType(ProgramType.KPROBE).ringBuffer(MapRef.fd(5));
  }

  private static BpfEventsException refused(String problem, Runnable r) {
    BpfEventsException e = assertThrows(BpfEventsException.class, r::run);
    assertEquals(problem, e.problem(), e.getMessage());
    return e;
  }

  @Test
  void reserveFillSubmitInOrder() {
    Fragment f = ev().field("ts", FieldSource.helper(HelperValue.KTIME_NS))
        .field("pid", FieldSource.helper(HelperValue.TGID))
        .field("flag", FieldSource.imm(1))
        .wakeup(Wakeup.NO_WAKEUP)
        .build();
    assertEquals(List.of(
        "ld_pseudo\tr1, 1, 5",
        "r2 = 40",
        "r3 = 0",
        "call 131",
        "if r0 == 0 goto +17",       // past the submit
        "r6 = r0",
        "*(u32 *)(r6 + 12) = 0",   // small
        "*(u64 *)(r6 + 16) = 0",   // comm, tail: the fewest aligned stores
        "*(u64 *)(r6 + 24) = 0",
        "*(u8 *)(r6 + 33) = 0",
        "*(u16 *)(r6 + 34) = 0",
        "*(u32 *)(r6 + 36) = 0",
        "*(u8 *)(r6 + 32) = 1",
        "call 5",
        "*(u64 *)(r6 + 0) = r0",
        "call 14",
        "r1 = r0",
        "r1 >>= 32",
        "*(u32 *)(r6 + 8) = r1",
        "r1 = r6",
        "r2 = 1",
        "call 132"), AsmPrinter.printAll(f.insns()));
    assertEquals(Register.R6, f.record());
    assertEquals(Set.of(Register.R0, Register.R1, Register.R2, Register.R3, Register.R4,
        Register.R5, Register.R6), f.clobbers());
    assertEquals(f.clobbers(), f.uses());
  }

  @Test
  void aPlaceholderIsRelocatedAndAFailureLabelLinksOutside() {
    Fragment f = EventEmitter.builder(EV).programType(ProgramType.KPROBE)
        .ringBuffer(MapRef.placeholder("events")).onFailure("out")
        .field("pid", FieldSource.reg(Register.R7)).build();
    assertEquals(List.of(new Fragment.Relocation("events", 0)), f.relocations());
    refused("unknown-label", f::insns);
    List<Program.Item> p = new java.util.ArrayList<>(f.items());
    p.add(Program.label("out"));
    List<Insn> linked = Program.link(p);
    assertEquals("if r0 == 0 goto +" + (linked.size() - 6), AsmPrinter.print(linked.get(5)));
  }

  @Test
  void theStackVariantsNeedNoRecordRegister() {
    Fragment f = ev().delivery(Delivery.RING_OUTPUT)
        .field("ts", FieldSource.helper(HelperValue.KTIME_NS)).build();
    assertNull(f.record());
    assertTrue(f.uses().contains(Register.R10));
    assertEquals("*(u64 *)(r10 - 40) = r0", AsmPrinter.printAll(f.insns()).get(5));
  }

  @Test
  void aSixteenByteFieldTakesNoOneStore() {
    EventLayout wide = LayoutEngine.layout("Wide", List.of(
        FieldSpec.of("sum", FieldType.U128), FieldSpec.of("pid", FieldType.U32)));
    for (FieldSource s : List.of(FieldSource.helper(HelperValue.KTIME_NS),
        FieldSource.reg(Register.R7), FieldSource.imm(1))) {
      BpfEventsException e = refused("unsupported-member", () -> EventEmitter.builder(wide)
          .programType(ProgramType.KPROBE).ringBuffer(MapRef.fd(5)).field("sum", s).build());
      assertEquals("sum", e.data().get("field"));
      assertTrue(e.getMessage().startsWith("field sum is u128 (16 bytes)"), e.getMessage());
    }
  }

  @Test
  void aFieldTooSmallForItsSource() {
    BpfEventsException e = refused("field-too-small",
        () -> ev().field("small", FieldSource.helper(HelperValue.KTIME_NS)).build());
    assertEquals("field small has 4 bytes, too few for ktime-ns (bpf_ktime_get_ns#5);"
        + " expected 8 bytes or more", e.getMessage());
    refused("field-too-small",
        () -> ev().field("tail", FieldSource.helper(HelperValue.COMM)).build());
    refused("field-too-small",
        () -> ev().field("flag", FieldSource.helper(HelperValue.PID)).build());
  }

  @Test
  void anUnknownSourceOrField() {
    refused("unknown-source", () -> ev().field("pid", null));
    refused("unknown-source", () -> ev().field("pid", FieldSource.helper(null)).build());
    refused("unknown-field", () -> ev().field("nope", FieldSource.imm(1)).build());
    refused("duplicate-field", () -> ev().field(List.of("comm"),
        FieldSource.kernelString(Register.R7, 0))
        .field(List.of("comm", 3), FieldSource.imm(1)).build());
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> ev().field((List<?>) null, FieldSource.imm(1)).build());
    assertTrue(e.getMessage() != null && !e.problem().isEmpty(), e.getMessage());
    // a null path given twice is the same bad input, not a NullPointerException
    assertEquals(e.problem(), assertThrows(BpfEventsException.class,
        () -> ev().field((List<?>) null, FieldSource.imm(1))
            .field((List<?>) null, FieldSource.imm(2)).build()).problem());
  }

  @Test
  void collidingRegisters() {
    BpfEventsException e = refused("register-collision",
        () -> ev().field("pid", FieldSource.reg(Register.R6)).build());
    assertEquals("register r6 cannot hold the value of field pid: it already holds the record;"
        + " the fragment keeps its values in r6 to r9 across helper calls; expected a"
        + " callee-saved register the fragment leaves alone: r7, r8, r9", e.getMessage());
    refused("register-collision", () -> ev().field("pid", FieldSource.reg(Register.R2)).build());
    refused("register-collision", () -> ev().live(Register.R1).build());
    refused("register-collision", () -> ev().live(Register.R6).build());
    refused("register-collision", () -> ev().recordRegister(Register.R0).build());
    refused("register-collision", () -> ev().perfOutput(MapRef.fd(3), Register.R7)
        .field("pid", FieldSource.kernelRead(Register.R7, 0)).recordRegister(Register.R7)
        .field("ts", FieldSource.reg(Register.R10)).build());
    // two fields may read the same register
    ev().field("pid", FieldSource.reg(Register.R7)).field("small", FieldSource.reg(Register.R7))
        .live(Register.R7).build();
  }

  @Test
  void helpersTheTypeRefuses() {
    BpfEventsException e = refused("helper-not-allowed", () -> ev()
        .programType(ProgramType.FLOW_DISSECTOR).perfOutput(MapRef.fd(3), Register.R9).build());
    assertEquals("flow-dissector programs cannot use bpf_perf_event_output#25 (the verifier:"
        + " \"program of this type cannot use helper bpf_perf_event_output#25\"); it is allowed"
        + " in [socket-filter, kprobe, sched-cls, tracepoint, xdp, raw-tracepoint, syscall]",
        e.getMessage());
    refused("helper-not-allowed", () -> ev().programType(ProgramType.SYSCALL)
        .perfOutput(MapRef.fd(3), Register.R9).build());
    refused("missing-argument", () -> EventEmitter.builder(EV).ringBuffer(MapRef.fd(1)).build());
    refused("missing-argument", () -> ev().perfOutput(MapRef.fd(3), null).build());
  }

  @Test
  void badMapsAndStacks() {
    refused("bad-map", () -> MapRef.fd(-1));
    refused("bad-map", () -> MapRef.placeholder(""));
    refused("bad-stack", () -> ev().stackTop(4));
    EventLayout big = LayoutEngine.layout("Big", List.of(FieldSpec.of("b", FieldType.U8, 600)));
    refused("stack-too-small", () -> EventEmitter.builder(big).programType(ProgramType.KPROBE)
        .ringBuffer(MapRef.fd(1)).delivery(Delivery.RING_OUTPUT).build());
    EventLayout packed = LayoutEngine.layout("P", List.of(FieldSpec.of("a", FieldType.U8),
        FieldSpec.of("b", FieldType.U64)));
    refused("misaligned-field", () -> EventEmitter.builder(packed)
        .programType(ProgramType.KPROBE).ringBuffer(MapRef.fd(1)).delivery(Delivery.RING_OUTPUT)
        .field("b", FieldSource.helper(HelperValue.KTIME_NS)).build());
  }

  @Test
  void twoFragmentsLinkIntoOneProgramAndSubmitIfDiscards() {
    Fragment a = ev().field("flag", FieldSource.imm(1))
        .submitIf(io.github.bpfevents.asm.JumpOp.JSET, Register.R8, 3).build();
    Fragment b = ev().field("flag", FieldSource.imm(2)).build();
    List<Program.Item> p = new java.util.ArrayList<>(a.items());
    p.addAll(b.items());
    List<String> text = AsmPrinter.printAll(Program.link(p));
    assertTrue(text.contains("if r8 & 3 goto +4"), text.toString());
    assertTrue(text.contains("call 133"), text.toString());
    refused("register-collision", () -> ev().submitIf(io.github.bpfevents.asm.JumpOp.JEQ,
        Register.R6, 0).build());
    refused("bad-option", () -> ev().delivery(Delivery.RING_OUTPUT)
        .submitIf(io.github.bpfevents.asm.JumpOp.JEQ, Register.R8, 0).build());
  }

  @Test
  void boundsNearTheLimits() {
    EventLayout huge = LayoutEngine.layout("Huge", List.of(
        FieldSpec.of("b", FieldType.U8, Integer.MAX_VALUE / 2)));
    refused("event-too-large", () -> EventEmitter.builder(huge)
        .programType(ProgramType.KPROBE).ringBuffer(MapRef.fd(1)).build());
    refused("offset-out-of-range", () -> ev().field("pid",
        FieldSource.kernelRead(Register.R7, 1L << 40)).build());
    String[] deep = new String[70];
    java.util.Arrays.fill(deep, "real_parent");
    deep[0] = "task_struct";
    refused("bad-kernel-path", () -> ev().field("pid", FieldSource.path(deep)).build());
  }

  @Test
  void nullsAreErrorsNotCrashes() {
    refused("missing-argument", () -> FieldSource.pathFrom(null, "task_struct", "pid"));
    refused("bad-kernel-path", () -> FieldSource.path((String[]) null));
    refused("bad-kernel-path", () -> FieldSource.path("task_struct", null));
    refused("bad-kernel-path", () -> FieldSource.path("task_struct"));
    refused("bad-path", () -> ev().field(java.util.Arrays.asList("pid", null),
        FieldSource.imm(1)).build());
    refused("missing-argument", () -> ev().field("pid", FieldSource.reg(null)).build());
    refused("missing-argument", () -> ev().field("pid", FieldSource.kernelRead(null, 0)).build());
    refused("not-an-event", () -> EventEmitter.builder(null));
    refused("missing-argument", () -> ev().live((Register[]) null));
    refused("missing-argument", () -> ev().recordRegister(null).build());
    refused("missing-argument", () -> ev().wakeup(null).build());
    refused("missing-argument", () -> ev().delivery(null).build());
  }
}
