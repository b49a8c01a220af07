(ns clj-ebpf.dsl.structs-emit-inputs-test
  "emit-event and link given junk in every argument, every option and every part of a
  source: each call ends with a fragment or with the library's ex-info, never another
  exception."
  (:require [clojure.test :refer [deftest is]]
            [clojure.test.check.clojure-test :refer [defspec]]
            [clojure.test.check.generators :as gen]
            [clojure.test.check.properties :as prop]
            [clj-ebpf.dsl.structs :as s]
            [clj-ebpf.dsl.structs.emit :as emit]
            [clj-ebpf.dsl.structs-props-test :refer [gen-junk]]))

(set! *warn-on-reflection* true)

(def ^:private example
  (s/make-event-def 'Example [[:ts :u64] [:pid :u32] [:comm :char 16] [:b :u8 4]]))

(def ^:private base {:program-type :kprobe :map 5 :fields {:ts :ktime-ns}})

(defn- library-error-or-ok? [f]
  (try (f) true
       (catch clojure.lang.ExceptionInfo e (keyword? (:problem (ex-data e))))))

(defspec every-bad-request-gets-the-librarys-error 150
  (prop/for-all [junk gen-junk]
    (every? library-error-or-ok?
            (concat
             [#(s/emit-event junk base)
              #(s/emit-event example junk)
              #(s/emit-event example (assoc base junk 1))
              #(s/emit-event example (assoc base :fields {junk :pid}))
              #(s/emit-event example (assoc base :fields {:pid junk}))
              #(s/emit-event example (assoc base :fields {:pid {:reg junk}}))
              #(s/emit-event example (assoc base :fields {:pid {:imm junk}}))
              #(s/emit-event example (assoc base :fields {:b {:probe-read junk}}))
              #(s/emit-event example (assoc base :fields {:b {:probe-read :r7 :offset junk}}))
              #(s/emit-event example (assoc base :fields {:pid {:path junk}}))
              #(s/emit-event example (assoc base :fields {:pid {:path [:task_struct :tgid]
                                                                 :from junk}}))
              #(s/emit-event example (assoc base :fields {:pid [:task_struct junk]}))
              #(emit/link junk)
              #(emit/link [junk])
              #(emit/link [(assoc (first (s/emit-event example base)) :goto junk)])]
             (for [k [:program-type :map :delivery :context-reg :record-reg :live
                      :on-failure :wakeup :btf :stack-top :fields :submit-if]]
               #(s/emit-event example (assoc base k junk)))))))

(deftest an-index-past-a-long-is-the-librarys-error
  ;; a field path's index beyond a long reaches the core as written, which refuses it,
  ;; as the queries do; it was once narrowed with `long` and threw out of range
  (doseq [field [[9223372036854775808N] [:b 9223372036854775808N] [:b -9223372036854775809N]]]
    (let [e (try (s/emit-event example (assoc base :fields {field :pid})) nil
                 (catch clojure.lang.ExceptionInfo e e))]
      (is (some? e) (pr-str field))
      (is (keyword? (:problem (ex-data e))) (pr-str field)))))

(defn- refusal [f]
  (try (f) nil (catch clojure.lang.ExceptionInfo e [(ex-message e) (ex-data e)])))

(deftest refusals-name-the-value-as-written
  (let [[msg data] (refusal #(s/emit-event example (assoc base :nope 1)))]
    (is (= (str "emit-event option :nope is not accepted; expected one of [:btf :context-reg"
                " :delivery :fields :live :map :on-failure :program-type :record-reg"
                " :stack-top :submit-if :wakeup]")
           msg))
    (is (= {:problem :bad-option :key :nope :value :nope} (select-keys data [:problem :key :value])))
    (is (some #{:wakeup} (:accepted data))))
  (let [[msg data] (refusal #(s/emit-event example (assoc base :fields {:pid {:reg :r77}})))]
    (is (= :unknown-register (:problem data)))
    (is (= [:pid :r77] [(:field data) (:register data)]))
    (is (.startsWith ^String msg "field :pid: unknown register :r77;") msg))
  (let [[msg data] (refusal #(s/emit-event example (assoc base :fields {:pid {:imm 1000000000000000000000000000000N}})))]
    (is (= :immediate-out-of-range (:problem data)))
    (is (= 1000000000000000000000000000000N (:value data)))
    (is (.contains ^String msg "immediate 1000000000000000000000000000000 is not a 64-bit") msg))
  (is (= [:bad-option :program-type :kprobes]
         ((juxt :problem :key :value)
          (second (refusal #(s/emit-event example (assoc base :program-type :kprobes)))))))
  (is (= [:unknown-source :b :nope]
         ((juxt :problem :field :value)
          (second (refusal #(s/emit-event example (assoc base :fields {:b :nope}))))))
      "a name the sources do not have")
  (is (= [:unknown-label :x [:y]]
         ((juxt :problem :value :accepted)
          (second (refusal #(emit/link [(assoc (first (s/emit-event example base)) :goto :x)
                                        {:label :y}])))))))

(deftest registers-are-keywords-or-clj-ebpfs-integers
  (is (= (s/emit-event example (assoc base :record-reg :r7 :fields {:pid {:reg :r8}}))
         (s/emit-event example (assoc base :record-reg 7 :fields {:pid {:reg 8}})))))

(deftest link-resolves-the-goto-and-keeps-the-rest
  (let [frag (s/emit-event example (assoc base :on-failure :full))
        exit {:opcode 0x95 :dst 0 :src 0 :offset 0 :imm 0}
        linked (emit/link [frag [exit] {:label :full} exit])
        at (count (take-while (complement :goto) frag))]
    (is (= (+ 2 (count frag)) (count linked)))
    (is (not-any? :goto linked))
    (is (= (- (count frag) at) (:offset (nth linked at))) "past the fragment's rest and exit")
    (is (identical? exit (peek linked)) "other items as they are")))
