(ns ^:kernel clj-ebpf.dsl.structs-kernel-test
  "The Clojure API's stores in the running kernel: for generated definitions and values,
  the instructions from zero-event, zero-event-field and store-event-fields, assembled with
  assemble, pass the verifier and leave exactly the promised bytes in a map value."
  (:require [clojure.test :refer [deftest is]]
            [clojure.test.check :as tc]
            [clojure.test.check.generators :as gen]
            [clojure.test.check.properties :as prop]
            [clj-ebpf.dsl.structs :as s]
            [clj-ebpf.dsl.structs-props-test :refer [gen-def memory-bytes]])
  (:import (io.github.bpfevents.asm InsnEncoder Register)
           (io.github.bpfevents.check Bpf Kernel)))

(set! *warn-on-reflection* true)

(def ^:private fill (unchecked-byte 0x5a))

(defn- imm-range [t]
  (let [w (s/type-sizes t)]
    (if (= 8 w)
      [Integer/MIN_VALUE Integer/MAX_VALUE]
      [(- (bit-shift-left 1 (dec (* 8 w)))) (dec (bit-shift-left 1 (* 8 w)))])))

(defn- gen-imm [t]
  (let [[lo hi] (imm-range t)]
    (if (= :be64 t)
      (gen/fmap #(Long/reverseBytes %) (gen/large-integer* {:min lo :max hi}))
      (gen/one-of [(gen/large-integer* {:min lo :max hi}) (gen/elements [lo -1 0 hi])]))))

(defn- gen-action [event-reg field]
  (let [others (remove #{event-reg} (range 10))]
    (gen/one-of [(gen/return nil)
                 (gen/return :zero)
                 (gen/fmap (fn [r] {:reg (keyword (str "r" r))}) (gen/elements others))
                 (gen/fmap (fn [v] {:imm v}) (gen-imm (:type field)))])))

(def gen-case
  (gen/let [d gen-def
            event-reg (gen/choose 0 9)
            regs (gen/vector gen/large-integer 10)
            zero-first? gen/boolean
            actions (apply gen/tuple (map #(gen-action event-reg %) (:fields d)))]
    {:def d :event-reg event-reg :regs regs :zero-first? zero-first?
     :actions (zipmap (map :name (:fields d)) actions)}))

(defn- stores [{:keys [def event-reg zero-first? actions]}]
  (let [r (keyword (str "r" event-reg))]
    (concat (when zero-first? (s/zero-event r def))
            (mapcat (fn [[n a]] (when (= :zero a)
                                      (let [z (s/zero-event-field r def n)] (if (map? z) [z] z)))) actions)
            (s/store-event-fields r def (into {} (filter (comp map? val)) actions)))))

(defn- expected
  "The record's bytes as the API promises them, from field offsets and values alone."
  [{:keys [def regs zero-first? actions]}]
  (let [b (byte-array (:size def) (if zero-first? (byte 0) fill))]
    (doseq [{:keys [name type offset size]} (:fields def)
            :let [a (actions name)
                  bytes (cond (:reg a) (memory-bytes :u64 (regs (parse-long (subs (clojure.core/name (:reg a)) 1))))
                              (:imm a) (memory-bytes type (:imm a)))]]
      (cond
        (= :zero a) (java.util.Arrays/fill b (int offset) (int (+ offset size)) (byte 0))
        bytes (doseq [[k v] (map-indexed vector (take (s/type-sizes type) bytes))]
                (aset-byte b (+ offset k) (unchecked-byte v)))))
    (vec b)))

(defn- run-in-kernel [{:keys [def event-reg regs] :as c}]
  (let [code (s/assemble (vec (stores c)))
        insns (mapv #(InsnEncoder/decode code (int (* 8 %))) (range (quot (alength code) 8)))]
    (vec (Kernel/run (int (:size def)) fill (Register/of (int event-reg))
                     (long-array regs) insns (int 0)))))

(deftest clojure-api-stores-in-the-kernel
  (Bpf/requirePermitted)
  (let [trials 150
        result (tc/quick-check trials (prop/for-all [c gen-case]
                                        (= (expected c) (run-in-kernel c)))
                               :seed 20261126)]
    (is (:pass? result) (pr-str (select-keys result [:shrunk :fail])))
    (when (:pass? result)
      (println "[kernel]" (:num-tests result)
               "programs from the Clojure API passed the verifier and left the expected bytes"))))
