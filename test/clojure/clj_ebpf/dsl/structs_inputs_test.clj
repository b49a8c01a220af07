(ns clj-ebpf.dsl.structs-inputs-test
  "Values a Clojure user hands over in every shape the API's types allow: hand-made
  definitions, unsigned 64-bit immediates, indices beyond a long, Java arrays and sets as
  array values, keys that are not names, instructions with keys of their own. Each is
  either taken as a careful reader of the docstrings expects, or refused with a message
  that names it as written."
  (:require [clojure.test :refer [deftest is testing]]
            [bpf-events.examples :refer [ConnectionEvent]]
            [clj-ebpf.dsl.structs :as s]
            [clj-ebpf.dsl.structs-test :refer [thrown-data]]))

(set! *warn-on-reflection* true)

(def ^:private msg :clj-ebpf.dsl.structs-test/message)

(deftest hand-made-definitions-with-spec-vectors
  (let [inner {:name 'Inner :fields [[:x :u8] [:y :u16]]}
        outer {:name 'Outer :fields [[:a :u8 2] [:in inner]]}]
    (is (= [{:name :a :type :u8 :count 2 :size 2 :offset 0}
            {:name :in :type inner :count 1 :size 3 :offset 2}]
           (s/event-field-maps outer))
        "the types come from the specs as written")
    (is (= :u16 (s/event-field-type outer [:in :y])))
    (is (= inner (s/event-field-type outer :in)))
    (is (= :u8 (s/event-field-type outer [:a 1])))))

(deftest definitions-are-editable-collections
  (let [t (transient ConnectionEvent)]
    (is (= 'ConnectionEvent (get t :name)))
    (is (= (into {} ConnectionEvent) (persistent! t))))
  (is (= 99 (:x (persistent! (assoc! (transient ConnectionEvent) :x 99)))))
  (testing "an edit through a transient keeps the definition and its layout, as assoc does"
    (let [d (into ConnectionEvent {:doc "x" :a 1 :b 2 :c 3 :d 4 :e 5 :f 6 :g 7})]
      (is (instance? clj_ebpf.dsl.structs.impl.EventDef d))
      (is (= "x" (:doc d)))
      (is (= 44 (s/event-size d))))
    (is (not (instance? clj_ebpf.dsl.structs.impl.EventDef
                        (into ConnectionEvent {:fields [[:a :u8]]})))
        "an edit of :fields gives a plain map, laid out again")
    (is (= 1 (s/event-size (into ConnectionEvent {:fields [[:a :u8]]}))))))

(deftest messages-show-clojure-values-as-written
  (let [d (thrown-data (s/encode-event ConnectionEvent {:pid :x}))]
    (is (= :bad-value (:problem d)))
    (is (re-find #"value :x does not fit" (msg d)) (msg d)))
  (let [d (thrown-data (s/encode-event ConnectionEvent {:pid 'sym}))]
    (is (re-find #"value sym does not fit" (msg d)) (msg d))))

(deftest keys-that-are-not-field-names
  (let [d (thrown-data (s/encode-event ConnectionEvent {"pid" 1}))]
    (is (= :unknown-field (:problem d)))
    (is (= "pid" (:value d)) "the key as written, a string")
    (is (re-find #"^key \"pid\" of a record of ConnectionEvent is not a field name" (msg d))
        (msg d))
    (is (not (contains? d :field))))
  (let [d (thrown-data (s/encode-event ConnectionEvent {:nope 1}))]
    (is (= :nope (:field d)))
    (is (re-find #"has no field :nope" (msg d)))))

(deftest indices-beyond-a-long
  (let [big 99999999999999999999N
        d (thrown-data (s/event-field-offset ConnectionEvent [:comm big]))]
    (is (= :index-out-of-range (:problem d)))
    (is (re-find #"index 99999999999999999999 is outside \[:comm\]" (msg d)) (msg d))
    (is (= [:comm big] (:path d))))
  (is (= :index-out-of-range
         (:problem (thrown-data (s/event-field-offset ConnectionEvent [:comm -99999999999999999999N])))))
  (is (= 31 (s/event-field-offset ConnectionEvent [:comm 3N]))))

(deftest defevent-shape-and-values
  (testing "a name with a namespace"
    (let [d (thrown-data (s/make-event-def 'a/E [[:x :u8]]))]
      (is (= :bad-event-name (:problem d)))
      (is (= 'a/E (:value d)))
      (is (re-find #"event name a/E has a namespace" (msg d)) (msg d)))
    (is (= '/ (:name (s/make-event-def '/ [[:x :u8]]))) "the symbol / has no namespace"))
  (testing "a count beyond the limit says the limit"
    (let [d (thrown-data (s/make-event-def 'E [[:x :u8 4294967296]]))]
      (is (= :bad-count (:problem d)))
      (is (re-find #"expected an integer from 1 to 2147483647" (msg d)) (msg d)))))

(deftest unsigned-64-bit-immediates
  (testing "2^64-1 in a u64 field is the st of -1, the same 64 bits"
    (let [i (s/store-event-imm :r6 ConnectionEvent :timestamp 0xffffffffffffffff)]
      (is (= -1 (:imm i)))
      (is (= "*(u64 *)(r6 + 0) = -1" (s/insn->asm i)))
      (is (= [i] (s/store-event-fields :r6 ConnectionEvent
                                       {:timestamp {:imm 18446744073709551615N}})))))
  (testing "a :be64 value whose swapped form fits"
    (let [e (s/make-event-def 'B [[:x :be64]])]
      (is (= -128 (:imm (s/store-event-imm :r6 e :x 0x80ffffffffffffff))))
      (is (= (vec (s/encode-event e {:x 0x80ffffffffffffff}))
             [-128 -1 -1 -1 -1 -1 -1 -1])
          "the record the st of -128 leaves: 0x80 then seven 0xff")))
  (testing "values that do not fit keep their text in the message"
    (let [d (thrown-data (s/store-event-imm :r6 ConnectionEvent :timestamp 0x8000000000000000))]
      (is (= :immediate-out-of-range (:problem d)))
      (is (= 0x8000000000000000 (:value d)))
      (is (re-find #"immediate 9223372036854775808 does not fit an 8-byte store" (msg d))
          (msg d)))
    (let [d (thrown-data (s/store-event-imm :r6 ConnectionEvent :pid 0xffffffffffffffff))]
      (is (= :immediate-out-of-range (:problem d)))
      (is (re-find #"field :pid: immediate 18446744073709551615 does not fit a 4-byte store"
                   (msg d)) (msg d)))
    (let [d (thrown-data (s/store-event-fields :r6 ConnectionEvent
                                               {:pid {:imm 0xffffffffffffffff}}))]
      (is (re-find #"immediate 18446744073709551615 does not fit" (msg d)) (msg d)))
    (let [d (thrown-data (s/store-event-imm :r6 ConnectionEvent :timestamp (* 4N Long/MAX_VALUE)))]
      (is (= :immediate-out-of-range (:problem d))))))

(deftest immediates-are-named-as-written
  (testing "a Java integer keeps its type in the error, as the user gave it"
    (let [d (thrown-data (s/store-event-imm :r6 ConnectionEvent :protocol (int 300)))]
      (is (instance? Integer (:value d)))
      (is (= 300 (:value d)))
      (is (re-find #"^field :protocol: immediate 300 does not fit a 1-byte store" (msg d)) (msg d))))
  (testing "in a bitfield too, a value beyond a long included"
    (let [tcp (s/make-event-def 'Tcp [[:sport :u16] [:fin :u8 {:bits 1}] [:syn :u8 {:bits 1}]])
          d (thrown-data (s/store-event-bits :r6 tcp :syn {:imm 0xffffffffffffffff} :r1))]
      (is (= :bad-immediate (:problem d)))
      (is (= 0xffffffffffffffff (:value d)))
      (is (re-find #"immediate 18446744073709551615 does not fit" (msg d)) (msg d))
      (is (= 4 (count (s/store-event-bits :r6 tcp :syn {:imm (short 1)} :r1))))))
  (testing "a value spec's immediate in store-event-fields, and a :be64 one"
    (let [d (thrown-data (s/store-event-fields :r6 ConnectionEvent {:sport {:imm (long 65536)}
                                                                    :pid {:reg :r7}}))]
      (is (= 65536 (:value d)))
      (is (= :sport (:field d))))
    (let [d (thrown-data (s/store-event-imm :r6 (s/make-event-def 'B [[:x :be64]]) :x
                                            0xfffffffffffffffe))]
      (is (= :immediate-out-of-range (:problem d)))
      (is (= 0xfffffffffffffffe (:value d))))))

(deftest overlapping-stores
  (let [d (thrown-data (s/store-event-fields :r6 ConnectionEvent
                                             {:comm {:imm 1} [:comm 0] {:imm 2}}))]
    (is (= :duplicate-field (:problem d)))
    (is (re-find #"overlaps \[:comm" (msg d)) (msg d)))
  (is (= 2 (count (s/store-event-fields :r6 ConnectionEvent
                                        {[:comm 0] {:imm 1} [:comm 1] {:imm 2}})))))

(deftest array-values
  (let [e (s/make-event-def 'A [[:xs :u16 3] [:name :char 4]])]
    (is (= [1 0 2 0 3 0 65 66 0 0]
           (vec (s/encode-event e {:xs (int-array [1 2 3]) :name (StringBuilder. "AB")}))))
    (is (= (vec (s/encode-event e {:xs [1 2 3]}))
           (vec (s/encode-event e {:xs (long-array [1 2 3])}))
           (vec (s/encode-event e {:xs (object-array [1 2 3])}))))
    (let [d (thrown-data (s/encode-event e {:xs #{1 2 3}}))]
      (is (= :bad-value (:problem d)))
      (is (re-find #"value #\{[123 ]+\} does not fit.*a set has no order" (msg d)) (msg d)))
    (is (re-find #"at most 1 UTF-8 byte, not 2"
                 (msg (thrown-data (s/encode-event (s/make-event-def 'C [[:c :char 1]])
                                                   {:c "é"})))))))

(deftest instructions-print-and-read-back
  (let [i (assoc (s/store-event-field :r6 ConnectionEvent :pid :r7) :note "pid")
        text (pr-str i)]
    (is (re-find #", :note \"pid\"\}$" text) text)
    (is (= i (s/read-insn (read-string (subs text (count "#bpf/insn "))))))))

(deftest nested-instruction-sequences
  (is (= 16 (count (s/assemble [[[(s/store-event-field :r6 ConnectionEvent :pid :r7)]]
                                [] [[]] (list (s/store-event-field :r6 ConnectionEvent :pid :r7))]))))
  (is (= :too-deeply-nested
         (:problem (thrown-data (s/assemble (nth (iterate vector []) 65))))))
  (is (= [] (vec (s/assemble (nth (iterate vector []) 64)))))
  (is (= (* 8 3) (count (s/assemble (repeat 3 [[(s/store-event-field :r6 ConnectionEvent :pid :r7)]
                                                [] [[]]]))))
      "sequences around the instructions are not counted as instructions"))

(defn- error-of
  "The ex-info f throws, looked for down its causes (a macro's error comes wrapped), or
  :no-error."
  [f]
  (try (f) :no-error
       (catch Throwable e
         (or (first (filter #(:problem (ex-data %)) (take-while some? (iterate ex-cause e))))
             e))))

(deftest error-data-prints-whatever-the-input-held
  (testing "an endless sequence or deep nesting inside an argument comes back in the data
  cut short, so the data prints, and quickly; the error is the library's"
    (let [deep (nth (iterate vector []) 100000)
          n (s/make-event-def 'N [[:arr :u8 4]])]
      (doseq [[problem f] [[:not-an-instruction
                            #(s/read-insn {:opcode 0xb7 :dst 0 :src 0 :offset 0 :imm (range)})]
                           [:not-an-instruction #(s/assemble [{:opcode (range) :dst 0}])]
                           [:unknown-field #(s/event-field-offset n [:arr (range)])]
                           [:not-an-event #(s/event-size deep)]
                           [:not-an-event #(s/event-fields [[[deep]]])]
                           [:bad-field-spec #(s/make-event-def 'E [[:x :u8] [:a :u32 2 (range)]])]
                           [:bad-option #(s/c-header n {:guard (range)})]
                           [:bad-option #(s/insn->asm (s/zero-event :r6 n) {:dialect deep})]]]
        (let [e (error-of f)
              printed (pr-str (ex-data e))]
          (is (= problem (:problem (ex-data e))) (ex-message e))
          (is (< (count printed) 4000) (subs printed 0 (min 300 (count printed)))))))))

(deftest a-defevent-form-that-holds-an-endless-sequence-is-refused
  (testing "a form built with an endless sequence in it (no reader makes one) gets the
  library's error at expansion, never a walk without end"
    (doseq [form [`(s/defevent ~'E [:x :u8] [:a ~(range)])
                  `(s/defevent ~'E [:x :u8] ~(range))]]
      (let [f (future (error-of #(macroexpand form)))
            e (deref f 20000 :hang)]
        (is (not= :hang e))
        (is (keyword? (:problem (ex-data e))) (str e))))))

(deftest unsigned-64-bit-enumerators-take-their-whole-range
  (testing "an enumerator of a :u64 enum from 2^63 to 2^64-1 is its value, written and read
  back by name; one past the range is refused naming the range; names read as keywords"
    (let [x (s/make-event-def 'X [[:a :u64 {:enum {:top 18446744073709551615N
                                                   :half 9223372036854775808N :zero 0}}]])]
      (is (= {:a :top} (s/decode-event x (s/encode-event x {:a :top}))))
      (is (= [0 0 0 0 0 0 0 -128] (vec (s/encode-event x {:a :half}))))
      (is (= [] (s/check-event x (s/event-btf x)))))
    (let [d (thrown-data (s/make-event-def 'Y [[:a :u64 {:enum {:x 18446744073709551616N}}]]))]
      (is (= :bad-enum (:problem d)))
      (is (= :x (:enumerator d))))
    (let [e (try (s/encode-event (s/make-event-def 'Z [[:e :u8 {:enum {:x 1 :y 2}}]]) {:e :zz})
                 (catch clojure.lang.ExceptionInfo e e))]
      (is (= [:x :y] (:accepted (ex-data e))))
      (is (.endsWith ^String (ex-message e) "or one of [:x :y]") (ex-message e)))))
