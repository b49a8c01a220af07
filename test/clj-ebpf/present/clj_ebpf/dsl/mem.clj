(ns clj-ebpf.dsl.mem
  "Test stand-in in the shape of clj-ebpf's namespace of the same name (see
  test/clj-ebpf/README.md): its register and immediate stores."
  (:require [clj-ebpf.dsl.instructions :as insn]))

(def ^:private widths {:b 0x10 :h 0x08 :w 0x00 :dw 0x18})

(defn stx
  "*(size *)(dst + offset) = src: class STX (3), mode MEM (0x60)."
  [size dst offset src]
  (insn/make-instruction (bit-or 0x03 (widths size) 0x60) dst src offset 0))

(defn st
  "*(size *)(dst + offset) = imm: class ST (2), mode MEM (0x60)."
  [size dst offset imm]
  (insn/make-instruction (bit-or 0x02 (widths size) 0x60) dst 0 offset imm))
