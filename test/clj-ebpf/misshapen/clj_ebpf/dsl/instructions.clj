(ns clj-ebpf.dsl.instructions
  "Test stand-in of a clj-ebpf.dsl.instructions whose Instruction is not clj-ebpf's shape
  (see test/clj-ebpf/README.md).")

(defrecord Instruction [code regs])
