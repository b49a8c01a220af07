(ns ^:kernel clj-ebpf.dsl.structs-interop-kernel-test
  "A whole program of clj-ebpf's instructions with the library's stores in it, assembled
  by the library, runs in the kernel and leaves the record the stores promise."
  (:require [clojure.test :refer [deftest is]]
            [bpf-events.clj-ebpf :refer [mov-imm mov-reg add-imm stw call jeq-imm exit-insn
                                          ld-map-fd]]
            [bpf-events.examples :refer [ConnectionEvent]]
            [clj-ebpf.dsl.structs :as s])
  (:import (io.github.bpfevents.check Bpf)))

(set! *warn-on-reflection* true)

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

