(ns bpf-events.clj-ebpf
  "clj-ebpf's instructions as its documentation describes them, for the tests that mix
  them with the library's: a record of :opcode :dst :src :offset :imm holding an
  unchecked byte opcode (0xb7 is -73), byte registers, a short offset and an int imm,
  encoded as the opcode byte, dst | src << 4, then the offset and the imm little-endian.
  Written to that description, nothing more.")

(set! *warn-on-reflection* true)

(defrecord CljEbpfInstruction [opcode dst src offset imm])

(def registers
  {:r0 0 :r1 1 :r2 2 :r3 3 :r4 4 :r5 5 :r6 6 :r7 7 :r8 8 :r9 9 :r10 10 :fp 10})

(defn insn
  "An instruction as clj-ebpf makes one: every field an unchecked narrow integer."
  [opcode dst src offset imm]
  (->CljEbpfInstruction (unchecked-byte opcode)
                        (unchecked-byte (get registers dst dst))
                        (unchecked-byte (get registers src src))
                        (unchecked-short offset)
                        (unchecked-int imm)))

(defn mov-imm [dst imm] (insn 0xb7 dst 0 0 imm))            ; ALU64 MOV K
(defn mov-reg [dst src] (insn 0xbf dst src 0 0))            ; ALU64 MOV X
(defn add-imm [dst imm] (insn 0x07 dst 0 0 imm))            ; ALU64 ADD K
(defn stw [dst off imm] (insn 0x62 dst 0 off imm))          ; ST MEM W
(defn call [helper] (insn 0x85 0 0 0 helper))
(defn jeq-imm [dst imm off] (insn 0x15 dst 0 off imm))      ; JMP JEQ K
(defn exit-insn [] (insn 0x95 0 0 0 0))
(defn ld-map-fd
  "The two slots of lddw with src 1 (BPF_PSEUDO_MAP_FD), as a vector."
  [dst fd]
  [(insn 0x18 dst 1 0 fd) (insn 0 0 0 0 0)])

(defn instruction->bytes
  "The 8 bytes of an instruction by clj-ebpf's documented encoding."
  [{:keys [opcode dst src offset imm]}]
  (let [b (byte-array 8)]
    (aset-byte b 0 (unchecked-byte opcode))
    (aset-byte b 1 (unchecked-byte (bit-or (bit-and dst 0xf) (bit-shift-left (bit-and src 0xf) 4))))
    (aset-byte b 2 (unchecked-byte (bit-and offset 0xff)))
    (aset-byte b 3 (unchecked-byte (bit-and (bit-shift-right offset 8) 0xff)))
    (doseq [k (range 4)]
      (aset-byte b (+ 4 k) (unchecked-byte (bit-and (bit-shift-right imm (* 8 k)) 0xff))))
    b))

(defn encode-all [insns]
  (vec (mapcat (comp seq instruction->bytes) (flatten (map #(if (map? %) [%] %) insns)))))

