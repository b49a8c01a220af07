(ns ^:kernel clj-ebpf.dsl.structs-emit-test
  "emit-event in the kernel: a socket filter made of the fragment alone (and a program
  with a failure label, linked) passes the verifier; run by BPF_PROG_TEST_RUN in this
  thread, the records read through RingBufferConsumer hold this thread's ids and name, its
  process's parent and increasing times. For generated events and any choice of fields
  given constants, the record holds exactly what encode-event gives for those values and
  zero everywhere else. Bad requests are ex-infos with the core's data."
  (:require [clojure.test :refer [deftest is testing]]
            [clojure.test.check :as tc]
            [clojure.test.check.generators :as gen]
            [clojure.test.check.properties :as prop]
            [clj-ebpf.dsl.structs-codec-test :refer [gen-fields]]
            [clj-ebpf.dsl.structs-layout-test :refer [gen-event]]
            [clj-ebpf.dsl.structs :as s :refer [defevent emit-event]]
            [clj-ebpf.dsl.structs.emit :as emit])
  (:import (java.lang ProcessHandle)
           (io.github.bpfevents.check Bpf RingBuf)
           (io.github.bpfevents.codec RingBufferConsumer RingBufferConsumer$RecordHandler)
           (java.nio ByteBuffer)
           (java.nio.file Files Path)))

(set! *warn-on-reflection* true)

(defevent Exec
  [:ts :u64] [:pid :u32] [:tgid :u32] [:ppid :u32] [:konst :u16] [:pad :u8 2]
  [:comm :char 16])

(def ^:private exit-0 [{:opcode 0xb7 :dst 0 :src 0 :offset 0 :imm 0}
                       {:opcode 0x95 :dst 0 :src 0 :offset 0 :imm 0}])

(defn- gettid ^long []
  (let [f (com.sun.jna.Function/getFunction "c" "gettid")]
    (long (.invokeInt f (object-array 0)))))

(deftest records-hold-the-kernels-values
  (Bpf/requirePermitted)
  (with-open [ring (RingBuf/create 65536)]
    (let [frag (emit-event Exec {:program-type :socket-filter :map (.fd ring)
                                 :fields {:ts :ktime-ns :pid :pid :tgid :tgid :comm :comm
                                          :ppid [:task_struct :real_parent :tgid]
                                          :konst {:imm 7}}})
          prog (Bpf/load Bpf/PROG_TYPE_SOCKET_FILTER (s/assemble [frag exit-0]) 0)
          seen (promise)]
      (is (= [:r0 :r1 :r2 :r3 :r4 :r5 :r6] (:clobbers (meta frag))))
      (try
        (doto (Thread. (fn []
                         (let [tid (gettid)
                               comm (.strip (Files/readString
                                             (Path/of "/proc/thread-self/comm"
                                                      (make-array String 0))))]
                           (dotimes [_ 3] (Bpf/testRun prog))
                           (deliver seen {:tid tid :comm comm})))
                       "emit-clj")
          (.start) (.join))
        (finally (Bpf/close prog)))
      (let [records (atom [])
            c (RingBufferConsumer. (.consumer ring) (.producer ring) (.pageSize ring) (.size ring))
            handler (reify RingBufferConsumer$RecordHandler
                      (onRecord [_ buf offset length]
                        (let [b (byte-array length)]
                          (.get (.duplicate ^ByteBuffer buf) offset b 0 length)
                          (swap! records conj (s/decode-event Exec b)))))
            {:keys [tid comm]} @seen
            ^ProcessHandle me (ProcessHandle/current)]
        (is (= 3 (.poll c handler)))
        (is (apply < (map :ts @records)) "ktime increases")
        (doseq [r @records]
          (is (= tid (:pid r)))
          (is (= (.pid me) (:tgid r)))
          (is (= (.pid ^ProcessHandle (.get (.parent me))) (:ppid r)) "real_parent->tgid")
          (is (= comm (:comm r)))
          (is (= 7 (:konst r)))
          (is (= [0 0] (:pad r))))))))

(deftest a-failure-label-links-and-loads
  (Bpf/requirePermitted)
  (with-open [ring (RingBuf/create 4096)]
    (let [prog (emit/link [(emit-event Exec {:program-type :socket-filter :map (.fd ring)
                                             :on-failure :full :fields {:ts :ktime-ns}})
                           exit-0
                           {:label :full}
                           {:opcode 0xb7 :dst 0 :src 0 :offset 0 :imm 1}
                           (second exit-0)])
          fd (Bpf/load Bpf/PROG_TYPE_SOCKET_FILTER (s/assemble prog) 0)]
      (try
        (let [runs (repeatedly 200 #(Bpf/testRun fd))]
          (is (= #{0 1} (set runs)) "the full ring takes the label"))
        (finally (Bpf/close fd))))))

(deftest bad-requests
  (testing "a field too small for its source"
    (let [e (is (thrown? clojure.lang.ExceptionInfo
                         (emit-event Exec {:program-type :kprobe :map 5
                                           :fields {:pid :ktime-ns}})))]
      (is (= :field-too-small (:problem (ex-data e))))
      (is (= "field :pid has 4 bytes, too few for ktime-ns (bpf_ktime_get_ns#5); expected 8 bytes or more"
             (ex-message e)))))
  (testing "an unknown source"
    (is (= :unknown-source
           (:problem (ex-data (is (thrown? clojure.lang.ExceptionInfo
                                           (emit-event Exec {:program-type :kprobe :map 5
                                                             :fields {:pid :nope}}))))))))
  (testing "a path through a missing member names the struct and lists its members"
    (let [e (is (thrown? clojure.lang.ExceptionInfo
                         (emit-event Exec {:program-type :kprobe :map 5
                                           :fields {:ppid [:task_struct :real_parent :nope]}})))]
      (is (= :unknown-member (:problem (ex-data e))))
      (is (= "struct task_struct" (:struct (ex-data e))))
      (is (some #{:tgid} (:accepted (ex-data e))))))
  (testing "a helper the program type refuses"
    (let [e (is (thrown? clojure.lang.ExceptionInfo
                         (emit-event Exec {:program-type :flow-dissector :map 5
                                           :delivery :perf-output :context-reg :r9})))]
      (is (= :helper-not-allowed (:problem (ex-data e))))
      (is (some #{:kprobe} (:accepted (ex-data e))))))
  (testing "colliding registers"
    (is (= :register-collision
           (:problem (ex-data (is (thrown? clojure.lang.ExceptionInfo
                                           (emit-event Exec {:program-type :kprobe :map 5
                                                             :live [:r6]}))))))))
  (testing "options"
    (is (= :bad-option
           (:problem (ex-data (is (thrown? clojure.lang.ExceptionInfo
                                           (emit-event Exec {:program-type :kprobe :map 5
                                                             :nope 1}))))))))
  (testing "an unknown label"
    (is (= :unknown-label
           (:problem (ex-data (is (thrown? clojure.lang.ExceptionInfo
                                           (emit/link [{:opcode 0x05 :dst 0 :src 0 :offset 0
                                                        :imm 0 :goto :x}])))))))))

(def ^:private imm-types #{:u8 :i8 :u16 :i16 :u32 :i32 :u64 :i64 :be16 :be32 :char})

(defn- fits-imm? [t v]
  (or (not (#{:u64 :i64} t)) (<= Integer/MIN_VALUE v Integer/MAX_VALUE)))

(defn- dirty-program
  "Reserves size bytes, fills them with 0xff, submits."
  [map-fd size]
  (let [body (concat [{:opcode 0xbf :dst 6 :src 0 :offset 0 :imm 0}]
                     (for [i (range size)] {:opcode 0x72 :dst 6 :src 0 :offset i :imm 0xff})
                     [{:opcode 0xbf :dst 1 :src 6 :offset 0 :imm 0}
                      {:opcode 0xb7 :dst 2 :src 0 :offset 0 :imm 0}
                      {:opcode 0x85 :dst 0 :src 0 :offset 0 :imm 132}])]
    (concat [{:opcode 0x18 :dst 1 :src 1 :offset 0 :imm map-fd} {:opcode 0 :dst 0 :src 0 :offset 0 :imm 0}
             {:opcode 0xb7 :dst 2 :src 0 :offset 0 :imm size}
             {:opcode 0xb7 :dst 3 :src 0 :offset 0 :imm 0}
             {:opcode 0x85 :dst 0 :src 0 :offset 0 :imm 131}
             {:opcode 0x15 :dst 0 :src 0 :offset (count body) :imm 0}]
            body exit-0)))

(defn- record-of
  "The record the fragment leaves in a ring buffer of one page whose every byte a lap of
  0xff-filled records has dirtied first (reserved memory is not zeroed), as bytes."
  [d opts]
  (with-open [ring (RingBuf/create 4096)]
    (let [c (RingBufferConsumer. (.consumer ring) (.producer ring) (.pageSize ring) (.size ring))
          out (atom [])
          keep (reify RingBufferConsumer$RecordHandler
                 (onRecord [_ buf offset length]
                   (let [b (byte-array length)]
                     (.get (.duplicate ^ByteBuffer buf) (int offset) b)
                     (swap! out conj (vec b)))))
          dirty (Bpf/load Bpf/PROG_TYPE_SOCKET_FILTER
                          (s/assemble (dirty-program (.fd ring) (:size d))) 0)
          frag (emit-event d (assoc opts :program-type :socket-filter :map (.fd ring)))
          fd (Bpf/load Bpf/PROG_TYPE_SOCKET_FILTER (s/assemble [frag exit-0]) 0)]
      (try
        (while (< (.producerPosition c) (.size ring))
          (Bpf/testRun dirty)
          (.poll c (reify RingBufferConsumer$RecordHandler (onRecord [_ _ _ _]))))
        (Bpf/testRun fd)
        (finally (Bpf/close fd) (Bpf/close dirty)))
      (.poll c keep)
      @out)))

(deftest constants-land-and-the-rest-is-zero
  (Bpf/requirePermitted)
  (let [gen-case (gen/let [d (gen/such-that #(<= 1 (:size %) 256) (gen-event 1) 100)
                           m (gen-fields d)
                           pick (gen/vector gen/boolean (count (:fields d)))
                           stack? gen/boolean]
                   [d m pick stack?])
        result
        (tc/quick-check
         40
         (prop/for-all [[d m pick stack?] gen-case]
           (let [chosen (into {} (keep (fn [[{:keys [name type count]} p]]
                                         (let [v (get m name)]
                                           (when (and p (= 1 count) (imm-types type)
                                                      (integer? v) (fits-imm? type v))
                                             [name v]))))
                              (map vector (:fields d) pick))
                 aligned? (every? (fn [{:keys [name offset type]}]
                                    (zero? (rem offset (s/type-sizes type))))
                                  (filter #(chosen (:name %)) (:fields d)))
                 zeros (s/decode-event d (byte-array (:size d)))
                 want (vec (s/encode-event d (merge zeros chosen)))
                 opts (cond-> {:fields (update-vals chosen (fn [v] {:imm v}))}
                        (and stack? aligned?) (assoc :delivery :ring-output))]
             (= [want] (record-of d opts))))
         :seed 19)]
    (is (:pass? result) (pr-str (select-keys result [:shrunk :fail])))))
