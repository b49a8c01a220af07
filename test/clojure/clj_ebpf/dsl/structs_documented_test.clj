(ns clj-ebpf.dsl.structs-documented-test
  "The documented API of clj-ebpf.dsl.structs, var by var: each example of its
  documentation, with its documented parameters and result. Code written against that
  documentation runs unchanged."
  (:require [clojure.test :refer [deftest is testing]]
            [clj-ebpf.dsl.structs :as s :refer [defevent]]))

(set! *warn-on-reflection* true)

;; The namespace's own example.
(defevent ConnectionEvent
  [:timestamp :u64]
  [:pid :u32]
  [:saddr :u32]
  [:daddr :u32]
  [:sport :u16]
  [:dport :u16]
  [:protocol :u8]
  [:direction :u8]
  [:padding :u8 2]
  [:comm :char 16])

;; defevent's example.
(defevent MyEvent
  [:field1 :u64]
  [:field2 :u32]
  [:name :char 16])

(deftest the-thirteen-documented-vars
  (testing "type-sizes: size in bytes for each supported type"
    (is (= {:u8 1 :i8 1 :u16 2 :i16 2 :u32 4 :i32 4 :u64 8 :i64 8 :char 1 :ptr 8}
           (select-keys s/type-sizes [:u8 :i8 :u16 :i16 :u32 :i32 :u64 :i64 :char :ptr]))))
  (testing "type-load-store-size: type to load/store size keyword"
    (is (= {:u8 :b :i8 :b :u16 :h :i16 :h :u32 :w :i32 :w :u64 :dw :i64 :dw :char :b :ptr :dw}
           (select-keys s/type-load-store-size
                        [:u8 :i8 :u16 :i16 :u32 :i32 :u64 :i64 :char :ptr]))))
  (testing "make-event-def [event-name field-specs]: :name :fields :size :field-map"
    (let [d (s/make-event-def 'MyEvent '[[:field1 :u64] [:field2 :u32] [:name :char 16]])]
      (is (= 'MyEvent (:name d)))
      (is (= [{:name :field1 :type :u64 :count 1 :size 8 :offset 0}
              {:name :field2 :type :u32 :count 1 :size 4 :offset 8}
              {:name :name :type :char :count 16 :size 16 :offset 12}]
             (:fields d)))
      (is (= 28 (:size d)))
      (is (= {:name :field2 :type :u32 :count 1 :size 4 :offset 8} (get-in d [:field-map :field2])))
      (is (= d MyEvent) "defevent defines the same definition")))
  (testing "defevent [event-name & field-specs]"
    (is (map? ConnectionEvent))
    (is (= 'ConnectionEvent (:name ConnectionEvent))))
  (testing "event-size [event-def]: (event-size ConnectionEvent) => 44"
    (is (= 44 (s/event-size ConnectionEvent))))
  (testing "event-field-offset [event-def field-name]: (event-field-offset ConnectionEvent :pid) => 8"
    (is (= 8 (s/event-field-offset ConnectionEvent :pid))))
  (testing "event-field-size [event-def field-name]: (event-field-size ConnectionEvent :comm) => 16"
    (is (= 16 (s/event-field-size ConnectionEvent :comm))))
  (testing "event-field-type [event-def field-name]: (event-field-type ConnectionEvent :pid) => :u32"
    (is (= :u32 (s/event-field-type ConnectionEvent :pid))))
  (testing "event-fields [event-def]: (event-fields ConnectionEvent) => [:timestamp :pid ...]"
    (is (= [:timestamp :pid :saddr :daddr :sport :dport :protocol :direction :padding :comm]
           (s/event-fields ConnectionEvent))))
  (testing "store-event-field [event-reg event-def field-name value-reg]: a single stx, r7 to r6 + 8"
    (let [i (s/store-event-field :r6 ConnectionEvent :pid :r7)]
      (is (map? i) "a single instruction")
      (is (= {:opcode 0x63 :dst 6 :src 7 :offset 8 :imm 0} (into {} i)))))
  (testing "store-event-imm [event-reg event-def field-name imm-value]: a single st of 6 to :protocol"
    (let [i (s/store-event-imm :r6 ConnectionEvent :protocol 6)]
      (is (map? i) "a single instruction")
      (is (= {:opcode 0x72 :dst 6 :src 0 :offset 24 :imm 6} (into {} i)))))
  (testing "zero-event-field [event-reg event-def field-name]: st instruction storing 0"
    (let [i (s/zero-event-field :r6 ConnectionEvent :padding)]
      (is (map? i) "a single instruction")
      (is (= {:opcode 0x6a :dst 6 :src 0 :offset 26 :imm 0} (into {} i))
          "the two bytes of :padding in one st (zeroing the whole field: a decision)")))
  (testing "store-event-fields [event-reg event-def field-values]: a vector of stores"
    (let [v (s/store-event-fields :r6 ConnectionEvent
                                  {:pid {:reg :r7}
                                   :protocol {:imm 6}
                                   :direction {:imm 0}})]
      (is (vector? v))
      (is (= [{:opcode 0x63 :dst 6 :src 7 :offset 8 :imm 0}
              {:opcode 0x72 :dst 6 :src 0 :offset 24 :imm 6}
              {:opcode 0x72 :dst 6 :src 0 :offset 25 :imm 0}]
             (mapv #(into {} %) v))))))

(deftest documented-vars-keep-their-parameter-lists
  (doseq [[v arglists] {#'s/make-event-def '([name field-specs] [name field-specs opts])
                        #'s/event-size '([event-def])
                        #'s/event-field-offset '([event-def field-name])
                        #'s/event-field-size '([event-def field-name])
                        #'s/event-field-type '([event-def field-name])
                        #'s/event-fields '([event-def])
                        #'s/store-event-field '([event-reg event-def field-name value-reg])
                        #'s/store-event-imm '([event-reg event-def field-name imm-value])
                        #'s/zero-event-field '([event-reg event-def field-name])
                        #'s/store-event-fields '([event-reg event-def field-values])}]
    (is (= arglists (:arglists (meta v))) (str v)))
  (is (:macro (meta #'s/defevent)))
  (is (map? s/type-sizes))
  (is (map? s/type-load-store-size)))
