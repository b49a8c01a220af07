(ns ^:kernel clj-ebpf.dsl.structs-ringbuf-test
  "End to end through the kernel's ring buffer: a program assembled from the project's
  instructions reserves a record, zeroes it with zero-event, writes every field with the
  project's stores, submits it (and discards a second one); BPF_PROG_TEST_RUN runs it
  several times; the ring buffer is mapped with JNA and consumed with the library's
  RingBufferConsumer; every record must decode to the values written, byte for byte what
  encode-event gives for them, the discarded ones skipped, and the consumer position must
  end at the producer position."
  (:require [clojure.test :refer [deftest is]]
            [clojure.test.check :as tc]
            [clojure.test.check.generators :as gen]
            [clojure.test.check.properties :as prop]
            [clj-ebpf.dsl.structs :as s]
            [clj-ebpf.dsl.structs-codec-test :refer [gen-fields]]
            [clj-ebpf.dsl.structs-layout-test :refer [gen-event]])
  (:import (io.github.bpfevents.check Bpf RingBuf)
           (io.github.bpfevents.codec RingBufferConsumer RingBufferConsumer$RecordHandler)
           (java.nio ByteBuffer)))

(set! *warn-on-reflection* true)

(def ^:private ring-size (* 64 1024))
(def ^:private runs 3)

(defn- insn [opcode dst src offset imm] {:opcode opcode :dst dst :src src :offset offset :imm imm})

(defn- lddw
  "dst = imm64 (two slots), the test's own encoding from RFC 9669."
  [dst v]
  (let [v (long v)]
    [(insn 0x18 dst 0 0 (unchecked-int v)) (insn 0 0 0 0 (unchecked-int (bit-shift-right v 32)))]))

(defn- bits
  "The 64-bit register whose low bytes, stored little-endian, put value v of type t in
  memory (byte-swapped for :be*)."
  [t v]
  (let [w (s/type-sizes t)
        le (.longValue (biginteger v))]
    (if (#{:be16 :be32 :be64} t)
      (unsigned-bit-shift-right (Long/reverseBytes le) (- 64 (* 8 w)))
      le)))

(defn- leaf-stores
  "Stores that write value v at path: char arrays byte by byte with st, integers from r1
  loaded with lddw, nested maps and vectors element by element."
  [def path t c v]
  (cond
    (map? t) (if (= 1 c)
               (mapcat (fn [{:keys [name type count]}]
                         (leaf-stores def (conj path name) type count (get v name)))
                       (:fields t))
               (mapcat (fn [i] (leaf-stores def (conj path i) t 1 (nth v i))) (range c)))
    (= :char t) (map-indexed (fn [i b] (s/store-event-imm :r6 def (if (= 1 c) path (conj path i)) b))
                             (.getBytes ^String v "UTF-8"))
    (> c 1) (mapcat (fn [i] (leaf-stores def (conj path i) t 1 (nth v i))) (range c))
    :else (concat (lddw 1 (bits t v)) [(s/store-event-field :r6 def path :r1)])))

(defn- record-block
  "Reserve a record, zero it, write m with the project's stores, submit (helper 132) or
  discard (133)."
  [def map-fd m helper]
  (let [body (concat [(insn 0xbf 6 0 0 0)] ; r6 = r0
                     (s/zero-event :r6 def)
                     (mapcat (fn [{:keys [name type count]}]
                               (leaf-stores def [name] type count (get m name)))
                             (:fields def))
                     [(insn 0xbf 1 6 0 0) (insn 0xb7 2 0 0 0) (insn 0x85 0 0 0 helper)])]
    (concat [(insn 0x18 1 1 0 map-fd) (insn 0 0 0 0 0)   ; r1 = map fd
             (insn 0xb7 2 0 0 (:size def))               ; r2 = size
             (insn 0xb7 3 0 0 0)                         ; r3 = 0
             (insn 0x85 0 0 0 131)                       ; ringbuf_reserve
             (insn 0x15 0 0 (count body) 0)]             ; if r0 == 0 skip the block
            body)))

(defn- run-case
  "Runs the program for def and m; returns what the consumer saw."
  [def m]
  (with-open [rb (RingBuf/create ring-size)]
    (let [prog (vec (concat (record-block def (.fd rb) m 132)
                            (record-block def (.fd rb) (zipmap (keys m) (vals m)) 133)
                            [(insn 0xb7 0 0 0 0) (insn 0x95 0 0 0 0)]))
          fd (Bpf/load Bpf/PROG_TYPE_SOCKET_FILTER (s/assemble prog) 0)
          decode (s/event-decoder def)
          seen (atom [])]
      (try
        (dotimes [_ runs] (Bpf/testRun fd))
        (finally (Bpf/close fd)))
      (let [consumer (RingBufferConsumer. (.consumer rb) (.producer rb) (.pageSize rb) (.size rb))
            n (.poll consumer (reify RingBufferConsumer$RecordHandler
                                (onRecord [_ buf offset length]
                                  (let [raw (byte-array length)]
                                    (.get (.duplicate ^ByteBuffer buf) (int offset) raw)
                                    (swap! seen conj {:length length
                                                      :value (decode buf offset)
                                                      :raw (vec raw)})))))]
        {:delivered n
         :seen @seen
         :consumer (.consumerPosition consumer)
         :producer (.producerPosition consumer)}))))

(deftest kernel-ring-buffer-end-to-end
  (Bpf/requirePermitted)
  (let [gen-case (gen/bind (gen/such-that #(<= (:size %) 2048) (gen-event 2) 100)
                           (fn [d] (gen/tuple (gen/return d) (gen-fields d))))
        trials 40
        result (tc/quick-check
                trials
                (prop/for-all [[d m] gen-case]
                  (let [{:keys [delivered seen consumer producer]} (run-case d m)
                        record-bytes (* 8 (quot (+ (:size d) 8 7) 8))]
                    (and (= runs delivered (count seen))
                         (every? #(= m (:value %)) seen)
                         (every? #(= (:size d) (:length %)) seen)
                         (every? #(= (vec (s/encode-event d m)) (:raw %)) seen)
                         (= consumer producer (* 2 runs record-bytes)))))
                :seed 5)]
    (is (:pass? result) (pr-str (select-keys result [:shrunk :fail])))
    (when (:pass? result)
      (println "[kernel] ring buffer:" (:num-tests result) "generated events,"
               (* runs (:num-tests result)) "records decoded through RingBufferConsumer,"
               (* runs (:num-tests result)) "discarded ones skipped"))))
