(ns clj-ebpf.dsl.structs-test
  (:require [clojure.test :refer [deftest is are testing]]
            [bpf-events.examples :refer [ConnectionEvent]]
            [clj-ebpf.dsl.structs :as s :refer [defevent]]))

(set! *warn-on-reflection* true)

(defn library-error
  "The library's ex-info in the cause chain of e (the compiler wraps macro-expansion
  errors), or nil."
  [e]
  (first (filter #(:problem (ex-data %)) (take-while some? (iterate ex-cause e)))))

(defmacro thrown-data
  "The ex-data of the library's ex-info that body throws, with its message under
  ::message (nil if it throws none). Any other exception propagates and fails the test."
  [& body]
  `(try ~@body nil
        (catch Exception e#
          (let [lib# (or (library-error e#) (throw e#))]
            (assoc (ex-data lib#) ::message (ex-message lib#))))))

(deftest documented-example
  (is (= 44 (s/event-size ConnectionEvent)))
  (is (= 8 (s/event-field-offset ConnectionEvent :pid)))
  (is (= 'ConnectionEvent (:name ConnectionEvent)))
  (is (= "*(u32 *)(r6 + 8) = r7"
         (s/insn->asm (s/store-event-field :r6 ConnectionEvent :pid :r7))))
  (is (= "*(u8 *)(r6 + 24) = 6"
         (s/insn->asm (s/store-event-imm :r6 ConnectionEvent :protocol 6)))))

(deftest definition-map
  (let [d ConnectionEvent]
    (is (= [:timestamp :pid :saddr :daddr :sport :dport :protocol :direction :padding :comm]
           (mapv :name (:fields d))))
    (is (= {:name :padding :type :u8 :count 2 :size 2 :offset 26}
           (get-in d [:field-map :padding])))
    (is (= {:name :comm :type :char :count 16 :size 16 :offset 28}
           (last (:fields d))))
    (is (= (:fields d) (s/event-field-maps d)))
    (is (= [:timestamp :pid :saddr :daddr :sport :dport :protocol :direction :padding :comm]
           (s/event-fields d))
        "the documented result: field names")
    (is (vector? (s/event-fields d)))
    (is (= (set (keys (:field-map d))) (set (map :name (:fields d)))))
    (is (= d (s/make-event-def 'ConnectionEvent (mapv (juxt :name :type :count) (:fields d)))))))

(deftest queries
  (are [f field expected] (= expected (f ConnectionEvent field))
    s/event-field-offset :timestamp 0
    s/event-field-offset :comm 28
    s/event-field-size :comm 16
    s/event-field-size :padding 2
    s/event-field-size :timestamp 8
    s/event-field-type :comm :char
    s/event-field-type :sport :u16))

(deftest documented-maps
  (is (= {:u8 1 :i8 1 :u16 2 :i16 2 :u32 4 :i32 4 :u64 8 :i64 8 :char 1 :ptr 8
          :be16 2 :be32 4 :be64 8 :i128 16 :u128 16}
         s/type-sizes))
  ;; no BPF load or store moves 16 bytes: a 128-bit element moves as two :dw halves
  (is (= {:u8 :b :i8 :b :u16 :h :i16 :h :u32 :w :i32 :w :u64 :dw :i64 :dw :char :b :ptr :dw
          :be16 :h :be32 :w :be64 :dw :i128 :dw :u128 :dw}
         s/type-load-store-size)))

(deftest instructions-are-values
  (let [i (s/store-event-field :r6 ConnectionEvent :pid :r7)]
    (is (= {:opcode 0x63 :dst 6 :src 7 :offset 8 :imm 0} (into {} i)))
    (is (= 8 (:offset i)))
    (is (= i (s/store-event-field :r6 ConnectionEvent :pid :r7)))
    (is (not= i (s/store-event-field :r6 ConnectionEvent :pid :r8)))
    (is (= "#bpf/insn {:opcode 0x63, :dst 6, :src 7, :offset 8, :imm 0}" (pr-str i)))
    (is (= i (read-string (pr-str i))) "the printed form reads back")))

(deftest assemble-bytes
  (is (= [0x63 0x76 0x08 0 0 0 0 0]
         (map #(bit-and % 0xff) (s/assemble [(s/store-event-field :r6 ConnectionEvent :pid :r7)]))))
  (is (= [0x7a 0x0a 0xf8 0xff 0xff 0xff 0xff 0xff]
         (map #(bit-and % 0xff) (s/assemble [{:opcode 0x7a :dst 10 :src 0 :offset -8 :imm -1}])))
      "plain maps with the five keys are instructions too")
  (is (= 0 (alength (s/assemble []))))
  (is (= 16 (alength (s/assemble (s/store-event-fields :r6 ConnectionEvent
                                                       {:pid {:reg :r7} :sport {:imm 80}}))))))

(deftest asm-text
  (are [insn text] (= text (s/insn->asm insn))
    (s/store-event-field :r6 ConnectionEvent :timestamp :r1) "*(u64 *)(r6 + 0) = r1"
    (s/store-event-field :fp ConnectionEvent :sport :r0) "*(u16 *)(r10 + 20) = r0"
    (s/store-event-imm :r9 ConnectionEvent :saddr 4294967295) "*(u32 *)(r9 + 12) = -1"
    (s/store-event-imm :r9 ConnectionEvent :protocol 255) "*(u8 *)(r9 + 24) = 255"
    (s/store-event-imm :r9 ConnectionEvent :protocol -1) "*(u8 *)(r9 + 24) = -1"
    {:opcode 0x7b :dst 10 :src 1 :offset -8 :imm 0} "*(u64 *)(r10 - 8) = r1"))

(deftest arrays-store-element-zero
  (is (= "*(u8 *)(r6 + 28) = r1" (s/insn->asm (s/store-event-field :r6 ConnectionEvent :comm :r1))))
  (is (= "*(u8 *)(r6 + 26) = 0" (s/insn->asm (s/store-event-imm :r6 ConnectionEvent :padding 0)))))

(deftest zeroing
  (testing "a whole array field, not only its first element"
    (is (= "*(u16 *)(r6 + 26) = 0" (s/insn->asm (s/zero-event-field :r6 ConnectionEvent :padding)))
        "one store covers the field: that one instruction")
    (is (= ["*(u32 *)(r6 + 28) = 0" "*(u64 *)(r6 + 32) = 0" "*(u32 *)(r6 + 40) = 0"]
           (s/insn->asm (s/zero-event-field :r6 ConnectionEvent :comm)))
        "no one store covers 16 bytes at 28: a vector")
    (is (vector? (s/zero-event-field :r6 ConnectionEvent :comm))))
  (testing "a scalar field"
    (is (= (s/store-event-imm :r6 ConnectionEvent :timestamp 0)
           (s/zero-event-field :r6 ConnectionEvent :timestamp))))
  (testing "the whole record: 5 x u64 + 1 x u32 = 44 bytes"
    (is (= ["*(u64 *)(r6 + 0) = 0" "*(u64 *)(r6 + 8) = 0" "*(u64 *)(r6 + 16) = 0"
            "*(u64 *)(r6 + 24) = 0" "*(u64 *)(r6 + 32) = 0" "*(u32 *)(r6 + 40) = 0"]
           (map s/insn->asm (s/zero-event :r6 ConnectionEvent))))
    (is (vector? (s/zero-event :r6 ConnectionEvent)))))

(deftest store-fields-in-layout-order
  (let [m (array-map :comm {:imm 65} :protocol {:imm 6} :timestamp {:reg :r1} :pid {:reg :r7})]
    (is (= ["*(u64 *)(r6 + 0) = r1" "*(u32 *)(r6 + 8) = r7" "*(u8 *)(r6 + 24) = 6"
            "*(u8 *)(r6 + 28) = 65"]
           (map s/insn->asm (s/store-event-fields :r6 ConnectionEvent m))))
    (is (= [] (s/store-event-fields :r6 ConnectionEvent {})))))

;; ---------------------------------------------------------------------------
;; Bad input: an ex-info naming the value, with :problem and what was expected

(deftest bad-definitions
  (are [specs problem] (= problem (:problem (thrown-data (s/make-event-def 'E specs))))
    [[:a :u33]] :unknown-type
    [[:a "u32"]] :unknown-type
    [[:a nil]] :unknown-type
    [[:a :u8 0]] :bad-count
    [[:a :u8 -1]] :bad-count
    [[:a :u8 2.0]] :bad-count
    [[:a :u8 "2"]] :bad-count
    [[:a :u8 (bigint 1e30)]] :bad-count
    [[:a :u8] [:a :u16]] :duplicate-field
    [["a" :u8]] :bad-field-name
    [['a :u8]] :bad-field-name
    [[:a]] :bad-field-spec
    [[:a :u8 1 2]] :bad-field-spec
    [:a :u8] :bad-field-spec
    ['(:a :u8)] :bad-field-spec
    [] :no-fields
    nil :no-fields
    {:a :u8} :bad-field-specs
    [[:a :u8 Integer/MAX_VALUE] [:b :u16 2]] :event-too-large)
  (let [d (thrown-data (s/make-event-def 'E [[:ok :u8] [:bad :u33]]))]
    (is (= :bad (:field d)))
    (is (= :u33 (:type d)))
    (is (some #{:u32} (:accepted d)))
    (is (re-find #":u33" (::message d))))
  (let [d (thrown-data (s/make-event-def 'E [[:a :u8] [:a :u16]]))]
    (is (= :a (:field d)))
    (is (re-find #"duplicate field :a" (::message d))))
  (is (= :bad-event-name (:problem (thrown-data (s/make-event-def nil [[:a :u8]])))))
  (is (= :bad-event-name (:problem (thrown-data (s/make-event-def "" [[:a :u8]]))))))

(defn- eval-here
  "Evaluates form in this test namespace."
  [form]
  (binding [*ns* (the-ns 'clj-ebpf.dsl.structs-test)] (eval form)))

(deftest defevent-fails-at-macro-expansion
  (is (= :unknown-type
         (:problem (thrown-data (macroexpand '(clj-ebpf.dsl.structs/defevent Bad [:a :u33]))))))
  (let [e (try (eval-here '(clj-ebpf.dsl.structs/defevent Bad2 [:a :u8 0])) nil
               (catch Exception e e))]
    (is (= :bad-count (:problem (ex-data (library-error e)))))
    (is (nil? (ns-resolve 'clj-ebpf.dsl.structs-test 'Bad2)) "nothing was defined"))
  (is (= :bad-event-name
         (:problem (thrown-data (macroexpand '(clj-ebpf.dsl.structs/defevent "Bad" [:a :u8]))))))
  (testing "specs that are not literals are laid out when evaluated"
    (is (= 10 (s/event-size (eval-here '(do (clj-ebpf.dsl.structs/defevent Ev3 [:a :u8 (+ 1 1)] [:b :u64])
                                       Ev3)))))))

(deftest bad-queries
  (are [form problem] (= problem (:problem (thrown-data (form))))
    #(s/event-field-offset ConnectionEvent :nope) :unknown-field
    #(s/event-field-size ConnectionEvent "pid") :unknown-field
    #(s/event-field-type ConnectionEvent nil) :unknown-field
    #(s/event-size {:size 44}) :not-an-event
    #(s/event-size nil) :not-an-event
    #(s/event-fields [1 2]) :not-an-event)
  (let [d (thrown-data (s/event-field-offset ConnectionEvent :nope))]
    (is (= :nope (:field d)))
    (is (= (mapv :name (:fields ConnectionEvent)) (:accepted d)))))

(deftest bad-stores
  (are [form problem] (= problem (:problem (thrown-data (form))))
    #(s/store-event-field :r11 ConnectionEvent :pid :r7) :unknown-register
    #(s/store-event-field :r6 ConnectionEvent :pid :rx) :unknown-register
    #(s/store-event-field 11 ConnectionEvent :pid :r7) :unknown-register
    #(s/store-event-field -1 ConnectionEvent :pid :r7) :unknown-register
    #(s/store-event-field :r6 ConnectionEvent :pid 6.0) :unknown-register
    #(s/store-event-fields :r6 ConnectionEvent {:pid {:reg 11}}) :unknown-register
    #(s/store-event-field :r6 ConnectionEvent :pid nil) :unknown-register
    #(s/store-event-field :r6 ConnectionEvent :nope :r7) :unknown-field
    #(s/store-event-imm :r6 ConnectionEvent :protocol 256) :immediate-out-of-range
    #(s/store-event-imm :r6 ConnectionEvent :protocol -129) :immediate-out-of-range
    #(s/store-event-imm :r6 ConnectionEvent :sport 65536) :immediate-out-of-range
    #(s/store-event-imm :r6 ConnectionEvent :pid 4294967296) :immediate-out-of-range
    #(s/store-event-imm :r6 ConnectionEvent :timestamp 2147483648) :immediate-out-of-range
    #(s/store-event-imm :r6 ConnectionEvent :timestamp (bigint 1e20)) :immediate-out-of-range
    #(s/store-event-imm :r6 ConnectionEvent :pid 1.5) :immediate-out-of-range
    #(s/store-event-imm :r6 ConnectionEvent :pid nil) :immediate-out-of-range
    #(s/zero-event-field :r6 ConnectionEvent :nope) :unknown-field
    #(s/zero-event :r12 ConnectionEvent) :unknown-register
    #(s/store-event-fields :r6 ConnectionEvent {:pid {:reg :r7 :imm 1}}) :bad-value-spec
    #(s/store-event-fields :r6 ConnectionEvent {:pid {}}) :bad-value-spec
    #(s/store-event-fields :r6 ConnectionEvent {:pid :r7}) :bad-value-spec
    #(s/store-event-fields :r6 ConnectionEvent {:pid {:value 1}}) :bad-value-spec
    #(s/store-event-fields :r6 ConnectionEvent [[:pid {:reg :r7}]]) :bad-value-spec
    #(s/store-event-fields :r6 ConnectionEvent {:nope {:imm 1}}) :unknown-field
    #(s/store-event-fields :r6 ConnectionEvent {:pid {:imm 1e3}}) :immediate-out-of-range)
  (let [d (thrown-data (s/store-event-imm :r6 ConnectionEvent :timestamp 2147483648))]
    (is (= :timestamp (:field d)))
    (is (= 2147483648 (:value d)))
    (is (= "-2147483648 to 2147483647" (:expected d)))
    (is (re-find #"lddw" (::message d))))
  (let [d (thrown-data (s/store-event-field :r11 ConnectionEvent :pid :r7))]
    (is (= :r11 (:register d)))
    (is (re-find #":r11|r11" (::message d)))))

(deftest offsets-beyond-16-bits
  (let [big (s/make-event-def 'Big [[:blob :u8 32764] [:x :u32] [:y :u64]])]
    (is (= "*(u32 *)(r6 + 32764) = r1" (s/insn->asm (s/store-event-field :r6 big :x :r1))))
    (let [d (thrown-data (s/store-event-field :r6 big :y :r1))]
      (is (= :offset-out-of-range (:problem d)))
      (is (= :y (:field d)))
      (is (= 32768 (:value d))))
    (is (= :offset-out-of-range (:problem (thrown-data (s/zero-event :r6 big)))))))

(deftest bad-instructions
  (let [good (s/store-event-field :r6 ConnectionEvent :pid :r7)]
    (are [insns index] (= [:not-an-instruction index]
                          ((juxt :problem :index) (thrown-data (s/assemble insns))))
      [good nil] 1
      [good good "x"] 2
      [{:opcode 0x63 :dst 6}] 0
      [(assoc good :dst 11)] 0
      [(assoc good :offset 65536)] 0
      [(assoc good :offset -32769)] 0
      [(assoc good :imm 4294967296)] 0
      [(assoc good :opcode 256)] 0
      [(assoc good :opcode (bigint 1e30))] 0
      [(assoc good :src 1.0)] 0)
    (is (= :dst (:key (thrown-data (s/assemble [good (assoc good :dst 11)])))))
    (is (= :not-a-sequence (:problem (thrown-data (s/assemble good)))))
    (is (= :not-a-sequence (:problem (thrown-data (s/assemble nil)))))
    (is (= :unsupported-instruction
           (:problem (thrown-data (s/insn->asm {:opcode 0x95 :dst 0 :src 0 :offset 0 :imm 1})))))
    (is (= :not-an-instruction (:problem (thrown-data (s/insn->asm "x")))))))

(deftest hand-made-definitions-are-checked
  (testing "a definition map without its layout is laid out again from :fields"
    (let [plain (into {} ConnectionEvent)]
      (is (nil? (meta plain)))
      (is (= 8 (s/event-field-offset plain :pid)))
      (is (= :bad-count
             (:problem (thrown-data (s/event-size (assoc-in plain [:fields 0 :count] 0)))))))))

(deftest defevent-forms-are-checked-by-spec
  (let [e (try (macroexpand '(clj-ebpf.dsl.structs/defevent Bad [:a :u8 0])) nil
               (catch Exception e (library-error e)))]
    (is (= :bad-count (:problem (ex-data e))) "a well-shaped form: the library's problem")
    (is (re-find #"count 0; expected an integer from 1 to 2147483647" (ex-message e)) "the library's message"))
  (let [e (try (macroexpand '(clj-ebpf.dsl.structs/defevent Bad [:a :u8 "2"])) nil
               (catch Exception e (library-error e)))]
    (is (= :bad-count (:problem (ex-data e))) "the library's problem")
    (is (re-find #"integer\?" (ex-message e)) "spec's explanation")
    (is (some? (:spec (ex-data e)))))
  (is (= 3 (s/event-size @(eval '(clj-ebpf.dsl.structs/defevent Big [:a :u8 3N])))))
  (is (= 2 (s/event-size @(eval '(clj-ebpf.dsl.structs/defevent Inline
                                   [:a {:name 'Inner :fields [[:x :u8] [:y :u8]]}]))))
      "a definition map written in place is a type, as make-event-def takes it")
  (let [e (try (macroexpand '(clj-ebpf.dsl.structs/defevent Bad (:a :u8))) nil
               (catch Exception e (library-error e)))]
    (is (= :bad-field-spec (:problem (ex-data e))))
    (is (re-find #"vector\?" (ex-message e))))
  (is (= :ok (do (macroexpand '(clj-ebpf.dsl.structs/defevent Fine {:align :natural} [:a :u8]
                                 [:b :u8 (+ 1 2)]))
                 :ok))
      "a count written as an expression is left for evaluation"))

(deftest edited-definitions-are-laid-out-again
  (let [edited (update ConnectionEvent :fields pop)]
    (is (= 28 (s/event-size edited)) "the layout follows :fields, not the stale metadata")
    (is (= 9 (count (s/event-fields edited))))
    (is (= :unknown-field (:problem (thrown-data (s/event-field-offset edited :comm))))))
  (let [natural (assoc ConnectionEvent :align :natural)]
    (is (= 48 (s/event-size natural))))
  (is (= 8 (s/event-field-offset (assoc-in ConnectionEvent [:field-map :pid :offset] 99) :pid))
      "derived keys are results, not inputs")
  (let [ep {:name 'Endpoint :align :natural
            :fields [{:name :addr :type :be32 :count 1} {:name :port :type :be16}]}
        fl {:name 'Flow :align :natural
            :fields [{:name :ts :type :u64 :count 1} {:name :src :type ep :count 1}]}]
    (is (= 16 (s/event-size fl)))
    (is (= ep (s/event-field-type fl :src)) "a hand-made map without :field-map")
    (is (= [0 8] (map :offset (s/event-field-maps fl))) "fields come back laid out")
    (is (= {:ts 0 :src {:addr 1 :port 2}}
           (s/decode-event fl (s/encode-event fl {:src {:addr 1 :port 2}}))))))

(deftest integer-registers-as-clj-ebpf-takes-them
  (testing "0 to 10, of any integer type, wherever a register is taken"
    (doseq [n (range 11)
            r [n (int n) (byte n) (short n) (bigint n) (biginteger n)]
            :let [k (keyword (str "r" n))]]
      (is (= (s/store-event-field k ConnectionEvent :pid k) (s/store-event-field r ConnectionEvent :pid r)))
      (is (= (s/store-event-imm k ConnectionEvent :pid 1) (s/store-event-imm r ConnectionEvent :pid 1)))
      (is (= (s/zero-event-field k ConnectionEvent :comm) (s/zero-event-field r ConnectionEvent :comm)))
      (is (= (s/zero-event k ConnectionEvent) (s/zero-event r ConnectionEvent)))
      (is (= (s/store-event-fields k ConnectionEvent {:pid {:reg k}})
             (s/store-event-fields r ConnectionEvent {:pid {:reg r}})))))
  (testing "out of range: the message names the value and says both forms"
    (let [e (try (s/store-event-field 11 ConnectionEvent :pid :r7) (catch Exception e e))]
      (is (= (str "unknown register 11; expected one of [:r0 :r1 :r2 :r3 :r4 :r5 :r6 :r7 :r8"
                  " :r9 :r10 :fp] or an integer from 0 to 10")
             (ex-message e)))
      (is (= {:problem :unknown-register :register 11} (select-keys (ex-data e) [:problem :register]))))))

(deftest defevent-lays-out-once
  (let [calls (atom 0)
        make s/make-event-def
        counted (fn [& args] (swap! calls inc) (apply make args))
        ns (create-ns 'clj-ebpf.dsl.structs-test.once)]
    (binding [*ns* ns]
      (refer 'clojure.core)
      (with-redefs [s/make-event-def counted]
        (testing "a literal form: laid out (and checked) at expansion, not again"
          (reset! calls 0)
          (eval '(clj-ebpf.dsl.structs/defevent Once [:a :u8] [:b :u32 2]))
          (is (= 1 @calls))
          (is (= 9 (s/event-size @(ns-resolve ns 'Once)))))
        (testing "a nested event named by its var: the same"
          (reset! calls 0)
          (eval '(clj-ebpf.dsl.structs/defevent Twice {:align :natural} [:o Once] [:c :u8]))
          (is (= 1 @calls))
          (is (= 10 (s/event-size @(ns-resolve ns 'Twice)))))
        (testing "a form with a computed count is laid out when evaluated"
          (reset! calls 0)
          (eval '(do (def n 3) (clj-ebpf.dsl.structs/defevent Computed [:a :u8 n])))
          (is (= 1 @calls))
          (is (= 3 (s/event-size @(ns-resolve ns 'Computed)))))
        (testing "what the expansion laid out is not taken for other arguments"
          (reset! calls 0)
          (let [expansion (macroexpand '(clj-ebpf.dsl.structs/defevent Other [:a :u16]))]
            (s/make-event-def 'Unrelated [[:x :u8]] {})
            (eval (macroexpand '(clj-ebpf.dsl.structs/defevent Another [:a :u32])))
            (eval expansion)
            (is (= 4 @calls) "two expansions, the unrelated call, and Other again")
            (is (= 2 (s/event-size @(ns-resolve ns 'Other))))
            (is (= 4 (s/event-size @(ns-resolve ns 'Another))))))))
    (remove-ns 'clj-ebpf.dsl.structs-test.once)))
