{bpf/insn clj-ebpf.dsl.structs/read-insn}
