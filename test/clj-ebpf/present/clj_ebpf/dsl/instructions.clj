(ns clj-ebpf.dsl.instructions
  "Test stand-in in the shape of clj-ebpf's namespace of the same name (see
  test/clj-ebpf/README.md).")

(def registers
  {:r0 0 :r1 1 :r2 2 :r3 3 :r4 4 :r5 5 :r6 6 :r7 7 :r8 8 :r9 9 :r10 10 :fp 10})

(defn reg->num [r] (if (keyword? r) (get registers r) r))

;; clj-ebpf hints the fields ^byte ^byte ^byte ^short ^int; a record keeps such fields as
;; Objects, so the values are what make-instruction boxes: Byte, Byte, Byte, Short, Integer.
(defrecord Instruction [^byte opcode ^byte dst ^byte src ^short offset ^int imm])

(defn make-instruction [opcode dst src offset imm]
  (->Instruction (unchecked-byte opcode)
                 (unchecked-byte (reg->num dst))
                 (unchecked-byte (reg->num src))
                 (unchecked-short offset)
                 (unchecked-int imm)))

(defn valid-instruction? [insn]
  (let [reg? #(let [n (reg->num %)] (and (integer? n) (<= 0 n 10)))]
    (and (instance? Instruction insn)
         (integer? (:opcode insn))
         (reg? (:dst insn))
         (reg? (:src insn))
         (integer? (:offset insn)) (<= -32768 (:offset insn) 32767)
         (integer? (:imm insn)) (<= Integer/MIN_VALUE (:imm insn) Integer/MAX_VALUE))))
