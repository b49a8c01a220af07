package io.github.bpfevents.emit;

import io.github.bpfevents.asm.Insn;
import io.github.bpfevents.asm.Instructions;
import io.github.bpfevents.asm.Program;
import io.github.bpfevents.asm.Register;
import io.github.bpfevents.btf.Btf;
import io.github.bpfevents.btf.BtfReader;
import io.github.bpfevents.check.Tools;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.FieldSpec;
import io.github.bpfevents.layout.FieldType;
import io.github.bpfevents.layout.LayoutEngine;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the emitter tests share: an event with a field for every source, and the programs around fragments. */
final class Emits {
  /** The value the programs put in r7 before the fragment. */
  static final long R7 = 0x0123456789abcdefL;

  static final EventLayout EXEC = LayoutEngine.layout("Exec", List.of(
      FieldSpec.of("ts", FieldType.U64),
      FieldSpec.of("boot", FieldType.U64),
      FieldSpec.of("pid_tgid", FieldType.U64),
      FieldSpec.of("uid_gid", FieldType.U64),
      FieldSpec.of("cgroup", FieldType.U64),
      FieldSpec.of("reg", FieldType.U64),
      FieldSpec.of("wide_pid", FieldType.U64),
      FieldSpec.of("pid", FieldType.U32),
      FieldSpec.of("tgid", FieldType.U32),
      FieldSpec.of("uid", FieldType.U32),
      FieldSpec.of("gid", FieldType.U32),
      FieldSpec.of("cpu", FieldType.U32),
      FieldSpec.of("ppid", FieldType.U32),
      FieldSpec.of("read_tgid", FieldType.U32),
      FieldSpec.of("ptr_ppid", FieldType.U32),
      FieldSpec.of("comm", FieldType.CHAR, 16),
      FieldSpec.of("parent_comm", FieldType.CHAR, 16),
      FieldSpec.of("read_comm", FieldType.CHAR, 16),
      FieldSpec.of("konst", FieldType.U16),
      FieldSpec.of("pad", FieldType.U8, 3)));

  private static Btf vmlinux;

  private Emits() {}

  static Btf vmlinux() {
    if (vmlinux == null) {
      if (!Files.isReadable(EventEmitter.VMLINUX)) {
        Tools.unavailable(EventEmitter.VMLINUX + " is not readable");
      }
      vmlinux = BtfReader.read(EventEmitter.VMLINUX);
    }
    return vmlinux;
  }

  /** Every source, by field; the pointer sources read the current task from r8. */
  static Map<String, FieldSource> sources() {
    KernelTypes.Resolved tgid = KernelTypes.resolve(vmlinux(), List.of("task_struct", "tgid"));
    KernelTypes.Resolved comm = KernelTypes.resolve(vmlinux(), List.of("task_struct", "comm"));
    Map<String, FieldSource> m = new LinkedHashMap<>();
    m.put("ts", FieldSource.helper(HelperValue.KTIME_NS));
    m.put("boot", FieldSource.helper(HelperValue.KTIME_BOOT_NS));
    m.put("pid_tgid", FieldSource.helper(HelperValue.PID_TGID));
    m.put("uid_gid", FieldSource.helper(HelperValue.UID_GID));
    m.put("cgroup", FieldSource.helper(HelperValue.CGROUP_ID));
    m.put("reg", FieldSource.reg(Register.R7));
    m.put("pid", FieldSource.helper(HelperValue.PID));
    m.put("tgid", FieldSource.helper(HelperValue.TGID));
    m.put("uid", FieldSource.helper(HelperValue.UID));
    m.put("gid", FieldSource.helper(HelperValue.GID));
    m.put("cpu", FieldSource.helper(HelperValue.CPU));
    m.put("ppid", FieldSource.path("task_struct", "real_parent", "tgid"));
    m.put("read_tgid", FieldSource.kernelRead(Register.R8, tgid.offset()));
    m.put("ptr_ppid", FieldSource.pathFrom(Register.R8, "task_struct", "real_parent", "tgid"));
    m.put("comm", FieldSource.helper(HelperValue.COMM));
    m.put("parent_comm", FieldSource.path("task_struct", "real_parent", "comm"));
    m.put("read_comm", FieldSource.kernelString(Register.R8, comm.offset()));
    m.put("konst", FieldSource.imm(0xbeef));
    m.put("wide_pid", FieldSource.helper(HelperValue.PID));
    return m;
  }

  /** A builder for the event with the given sources. */
  static EventEmitter.Builder emitter(ProgramType type, Delivery delivery, int mapFd,
      Map<String, FieldSource> sources) {
    EventEmitter.Builder b = EventEmitter.builder(EXEC).programType(type).btf(vmlinux());
    if (delivery == Delivery.PERF_OUTPUT) {
      b.perfOutput(MapRef.fd(mapFd), Register.R9);
    } else {
      b.ringBuffer(MapRef.fd(mapFd)).delivery(delivery);
    }
    b.live(Register.R7, Register.R8, Register.R9);
    sources.forEach(b::field);
    return b;
  }

  /**
   * The program: r9 = the context, r8 = the current task, r7 = {@link #R7}; the fragment;
   * return 0, or 1 from the label "failed".
   */
  static List<Insn> program(Fragment f) {
    return program(f.items());
  }

  /** The program around instructions of a fragment, as {@link #program(Fragment)}. */
  static List<Insn> program(List<?> fragment) {
    List<Program.Item> p = new ArrayList<>();
    p.add(Program.insn(Instructions.mov(Register.R9, Register.R1)));
    p.add(Program.insn(Instructions.call(35)));
    p.add(Program.insn(Instructions.mov(Register.R8, Register.R0)));
    p.addAll(Program.insns(Instructions.lddw(Register.R7, R7)));
    for (Object o : fragment) {
      p.add(o instanceof Insn i ? Program.insn(i) : (Program.Item) o);
    }
    p.add(Program.insn(Instructions.movImm(Register.R0, 0)));
    p.add(Program.insn(Instructions.exit()));
    if (fragment.stream().anyMatch(i -> i instanceof Program.Jump j
        && j.target().equals("failed"))) {
      p.add(Program.label("failed"));
      p.add(Program.insn(Instructions.movImm(Register.R0, 1)));
      p.add(Program.insn(Instructions.exit()));
    }
    return Program.link(p);
  }
}
