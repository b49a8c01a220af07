(ns clj-ebpf.dsl.structs-interop-test
  "Programs that mix clj-ebpf's instructions with the library's stores. clj-ebpf builds an
  instruction as a record of :opcode :dst :src :offset :imm holding an unchecked byte
  opcode (0xb7 is -73), byte registers, a short offset and an int imm, and encodes it as
  its documentation says: the opcode byte, dst | src << 4, then the offset and the imm
  little-endian; bpf-events.clj-ebpf builds and encodes them to that description, nothing
  more. The library assembles and prints such programs, and its own instructions encode
  the same under that encoding (structs-interop-kernel-test runs a whole mixed program in
  the kernel)."
  (:require [clojure.java.shell :as sh]
            [clojure.string :as str]
            [clojure.test :refer [deftest is testing]]
            [clojure.test.check :as tc]
            [clojure.test.check.generators :as gen]
            [clojure.test.check.properties :as prop]
            [bpf-events.examples :refer [ConnectionEvent]]
            [bpf-events.clj-ebpf :refer [registers mov-imm exit-insn ld-map-fd encode-all]]
            [clj-ebpf.dsl.structs :as s]))

(set! *warn-on-reflection* true)

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
                      :zero (let [z (s/zero-event-field reg ConnectionEvent field)]
                              (if (map? z) [z] z))))
        result (tc/quick-check 500 (prop/for-all [stores gen-store]
                                     (= (encode-all stores) (vec (s/assemble stores))))
                               :seed 20261201)]
    (is (:pass? result) (pr-str (:shrunk result)))))

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
