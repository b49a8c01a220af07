(ns clj-ebpf.dsl.structs-interop-test
  "Programs that mix clj-ebpf's instructions with the library's stores. clj-ebpf builds an
  instruction as a record of :opcode :dst :src :offset :imm holding an unchecked byte
  opcode (0xb7 is -73), byte registers, a short offset and an int imm, and encodes it as
  its documentation says: the opcode byte, dst | src << 4, then the offset and the imm
  little-endian. The instruction builder and the encoder below are written to that
  description, nothing more. The library assembles and prints such programs, its own
  instructions encode the same under that encoding, and a whole mixed program runs in
  the kernel."
  (:require [clojure.java.shell :as sh]
            [clojure.string :as str]
            [clojure.test :refer [deftest is testing]]
            [clojure.test.check :as tc]
            [clojure.test.check.generators :as gen]
            [clojure.test.check.properties :as prop]
            [bpf-events.examples :refer [ConnectionEvent]]
            [clj-ebpf.dsl.structs :as s])
  (:import (io.github.bpfevents.check Bpf)))

(set! *warn-on-reflection* true)

;; ---------------------------------------------------------------------------
;; clj-ebpf's instructions, as its documentation describes them

(defrecord CljEbpfInstruction [opcode dst src offset imm])

(def ^:private registers
  {:r0 0 :r1 1 :r2 2 :r3 3 :r4 4 :r5 5 :r6 6 :r7 7 :r8 8 :r9 9 :r10 10 :fp 10})

(defn- insn
  "An instruction as clj-ebpf makes one: every field an unchecked narrow integer."
  [opcode dst src offset imm]
  (->CljEbpfInstruction (unchecked-byte opcode)
                        (unchecked-byte (get registers dst dst))
                        (unchecked-byte (get registers src src))
                        (unchecked-short offset)
                        (unchecked-int imm)))

(defn- mov-imm [dst imm] (insn 0xb7 dst 0 0 imm))            ; ALU64 MOV K
(defn- mov-reg [dst src] (insn 0xbf dst src 0 0))            ; ALU64 MOV X
(defn- add-imm [dst imm] (insn 0x07 dst 0 0 imm))            ; ALU64 ADD K
(defn- stw [dst off imm] (insn 0x62 dst 0 off imm))          ; ST MEM W
(defn- call [helper] (insn 0x85 0 0 0 helper))
(defn- jeq-imm [dst imm off] (insn 0x15 dst 0 off imm))      ; JMP JEQ K
(defn- exit-insn [] (insn 0x95 0 0 0 0))
(defn- ld-map-fd
  "The two slots of lddw with src 1 (BPF_PSEUDO_MAP_FD), as a vector."
  [dst fd]
  [(insn 0x18 dst 1 0 fd) (insn 0 0 0 0 0)])

(defn- instruction->bytes
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

(defn- encode-all [insns]
  (vec (mapcat (comp seq instruction->bytes) (flatten (map #(if (map? %) [%] %) insns)))))

;; ---------------------------------------------------------------------------

(deftest clj-ebpf-instructions-assemble-and-print
  (is (= -73 (:opcode (mov-imm :r0 0))) "the opcode is an unchecked byte")
  (is (= -107 (:opcode (exit-insn))))
  (let [program [(mov-imm :r0 0)
                 (s/store-event-field :r6 ConnectionEvent :pid :r7)
                 (ld-map-fd :r1 5)
                 (s/zero-event-field :r6 ConnectionEvent :padding)
                 (exit-insn)]]
    (is (= (encode-all program) (vec (s/assemble program)))
        "the library assembles clj-ebpf's records, and lddw's two slots, as clj-ebpf encodes them")
    (is (= ["r0 = 0" "*(u32 *)(r6 + 8) = r7" "ld_pseudo\tr1, 1, 5" "*(u16 *)(r6 + 26) = 0" "exit"]
           (s/insn->asm program))
        "one line per instruction, the two-slot lddw as one")
    (is (= "r0 = 0" (s/insn->asm (mov-imm :r0 0))))
    (is (= "*(u32 *)(r6 + 8) = w7"
           (s/insn->asm (s/store-event-field :r6 ConnectionEvent :pid :r7) {:dialect :alu32})))))

(deftest the-librarys-instructions-encode-as-clj-ebpf-encodes
  (let [fields (s/event-fields ConnectionEvent)
        gen-store (gen/let [field (gen/elements fields)
                            reg (gen/elements (keys registers))
                            value (gen/elements (remove #{:r10 :fp} (keys registers)))
                            imm (gen/choose -128 255)
                            kind (gen/elements [:stx :st :zero])]
                    (case kind
                      :stx [(s/store-event-field reg ConnectionEvent field value)]
                      :st [(s/store-event-imm reg ConnectionEvent field imm)]
                      :zero (s/zero-event-field reg ConnectionEvent field)))
        result (tc/quick-check 500 (prop/for-all [stores gen-store]
                                     (= (encode-all stores) (vec (s/assemble stores))))
                               :seed 20261201)]
    (is (:pass? result) (pr-str (:shrunk result)))))

(deftest a-mixed-program-runs-in-the-kernel
  (Bpf/requirePermitted)
  (let [size (s/event-size ConnectionEvent)
        map-fd (Bpf/createArrayMap (int size))]
    (try
      (Bpf/update map-fd (byte-array size (unchecked-byte 0x5a)))
      (let [body [(mov-reg :r6 :r0)
                  (s/zero-event :r6 ConnectionEvent)         ; 6 stores
                  (mov-imm :r7 4242)
                  (s/store-event-fields :r6 ConnectionEvent
                                        {:pid {:reg :r7} :sport {:imm 443} :protocol {:imm 6}
                                         [:comm 0] {:imm 99} [:comm 1] {:imm 117}
                                         [:comm 2] {:imm 114} [:comm 3] {:imm 108}})
                  (s/store-event-imm :r6 ConnectionEvent [:comm 4] 108)]
            program [(stw :r10 -4 0)                         ; key 0 on the stack
                     (mov-reg :r2 :r10)
                     (add-imm :r2 -4)
                     (ld-map-fd :r1 map-fd)
                     (call 1)                                ; bpf_map_lookup_elem
                     (jeq-imm :r0 0 (count (flatten body)))  ; NULL: on to r0 = 0, exit
                     body
                     (mov-imm :r0 0)
                     (exit-insn)]
            code (s/assemble program)
            prog (Bpf/load Bpf/PROG_TYPE_SOCKET_FILTER code 0)]
        (try
          (is (= 0 (Bpf/testRun prog)))
          (finally (Bpf/close prog)))
        (is (= {:timestamp 0 :pid 4242 :saddr 0 :daddr 0 :sport 443 :dport 0 :protocol 6
                :direction 0 :padding [0 0] :comm "curll"}
               (s/decode-event ConnectionEvent (Bpf/lookup map-fd (int size)))))
        (println "[kernel] a program of" (/ (alength ^bytes code) 8)
                 "instructions, clj-ebpf's records and the library's stores mixed, ran"))
      (finally (Bpf/close map-fd)))))

(deftest an-uncaught-error-at-the-repl-shows-the-librarys-message
  (testing "clojure.main reports the root cause of an uncaught error: the ex-info itself"
    (let [java (str (System/getProperty "java.home") "/bin/java")
          r (sh/sh java "-cp" (System/getProperty "java.class.path") "clojure.main" "-e"
                   (str "(require '[clj-ebpf.dsl.structs :as s])"
                        "(s/event-field-offset (s/make-event-def 'E [[:a :u8] [:b :u32]]) :nope)"))]
      (is (= 1 (:exit r)))
      (is (str/includes? (:err r) "event E has no field :nope; expected one of [:a :b]")
          (:err r))
      (is (str/includes? (:err r) "(ExceptionInfo)") (:err r))
      (is (not (str/includes? (:err r) "BpfEventsException")) (:err r)))))
