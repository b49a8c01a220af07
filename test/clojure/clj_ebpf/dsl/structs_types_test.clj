(ns clj-ebpf.dsl.structs-types-test
  "The C type model declared as Clojure data: unions, anonymous members, bitfields, enums,
  pointers with a target, flexible arrays, empty structs and explicit alignment; the
  numbers are those gcc and clang give for the same C (CTypeModelLayoutTest checks the
  rules on generated definitions)."
  (:require [clojure.string :as str]
            [clojure.test :refer [deftest is testing]]
            [clj-ebpf.dsl.structs :as s :refer [defevent]]
            [clj-ebpf.dsl.structs-test :refer [library-error]]))

(set! *warn-on-reflection* true)

(defevent Addr {:kind :union :align :natural} [:v4 :u32] [:v6 :u8 16])

(defevent TcpFlow {:align :natural}
  [:saddr Addr] [:daddr Addr]
  [:sport :be16] [:dport :be16]
  [:fin :u8 {:bits 1}] [:syn :u8 {:bits 1}] [:rst :u8 {:bits 1}] [:psh :u8 {:bits 1}]
  [:ack :u8 {:bits 1}] [:urg :u8 {:bits 1}] [:u8 {:bits 0}]
  [:kind :u8 {:enum {:open 1 :close 2}}]
  [:sk :ptr {:to "sock"}]
  [:data :u8 []])

(defmacro problem
  "The :problem of the library's ex-info that body throws, nil if none."
  [& body]
  `(try ~@body nil
        (catch Exception e# (:problem (ex-data (or (library-error e#) (throw e#)))))))

(deftest a-union-and-flag-bitfields
  (is (= :union (:kind Addr)))
  (is (= 16 (s/event-size Addr)))
  (is (= [0 0] (map :offset (:fields Addr))))
  ;; C: saddr 0, daddr 16, sport 32, dport 34, flags in byte 36, the :0 moves kind to
  ;; 37, sk at 40, data at 48; 48 bytes
  (is (= 48 (s/event-size TcpFlow)))
  (is (= 16 (s/event-field-offset TcpFlow [:daddr :v4])))
  (is (= 20 (s/event-field-offset TcpFlow [:daddr :v6 4])))
  (is (= 36 (s/event-field-offset TcpFlow :fin)))
  (is (= 37 (s/event-field-offset TcpFlow :kind)))
  (is (= 40 (s/event-field-offset TcpFlow :sk)))
  (is (= 48 (s/event-field-offset TcpFlow :data)))
  (is (= 0 (s/event-field-size TcpFlow :data)))
  (let [flags (filter :bits (:fields TcpFlow))]
    (is (= [:fin :syn :rst :psh :ack :urg nil] (map :name flags)))
    (is (= [288 289 290 291 292 293 296] (map :bit-offset flags)))
    (is (= [1 1 1 1 1 1 0] (map :bits flags))))
  (is (= {:open 1 :close 2} (:enum (get (:field-map TcpFlow) :kind))))
  (is (= "sock" (:to (get (:field-map TcpFlow) :sk)))))

(deftest anonymous-members-are-reached-by-their-fields-names
  (let [sk (s/make-event-def 'SockCommon
                             [[:family :u16]
                              [(s/make-event-def 'Ports [[:dport :be16] [:num :u16]]
                                                 {:kind :struct :align :natural})]
                              [(s/make-event-def 'Pair [[:addrpair :u64]
                                                        [(s/make-event-def
                                                          'Two [[:daddr :be32] [:rcv :be32]]
                                                          {:align :natural})]]
                                                 {:kind :union :align :natural})]]
                             {:align :natural})]
    (is (= [:family :dport :num :addrpair :daddr :rcv] (s/event-fields sk)))
    (is (= 8 (s/event-field-offset sk :addrpair)))
    (is (= 12 (s/event-field-offset sk :rcv)))
    (is (= 16 (s/event-size sk)))
    (is (str/includes? (s/c-header sk) "\tunion {\n\t\t__u64 addrpair;\n\t\tstruct {\n\t\t\t__be32 daddr;"))
    (is (= :duplicate-field (problem (s/make-event-def 'D [[:v4 :u8] [Addr]]))))))

(deftest the-c-header-of-the-model
  (let [h (s/c-header TcpFlow)]
    (is (str/includes? h "struct sock;"))
    (is (str/includes? h "union addr {\n\t__u32 v4;\n\t__u8 v6[16];\n};"))
    (is (str/includes? h "\t__u8 fin : 1;\n\t__u8 syn : 1;"))
    (is (str/includes? h "\t__u8 :0;\n"))
    (is (str/includes? h "enum tcp_flow_kind {\n\tTCP_FLOW_KIND_OPEN = 1,"))
    (is (str/includes? h "\tstruct sock *sk;\n\t__u8 data[];\n"))
    (is (not (str/includes? h "offsetof(struct tcp_flow, fin)")) "C has no offsetof of a bitfield")))

(deftest empty-structs-and-explicit-alignment
  (is (= 0 (s/event-size (s/make-event-def 'E [] {:kind :struct}))))
  (is (= :no-fields (problem (s/make-event-def 'E []))) "without :kind, as before")
  (let [d (s/make-event-def 'A [[:a :u8] [:b :u32 {:aligned 16}]] {:aligned 32})]
    (is (= 16 (s/event-field-offset d :b)))
    (is (= 32 (s/event-size d)))
    (is (= 32 (:aligned d)))
    (is (= 16 (:aligned (second (:fields d)))))))

(deftest definitions-edited-and-laid-out-again-keep-the-model
  (let [d (assoc TcpFlow :name 'TcpFlow2)]
    (is (= 48 (s/event-size d)))
    (is (= (map (juxt :name :offset :bits :bit-offset) (:fields TcpFlow))
           (map (juxt :name :offset :bits :bit-offset) (s/event-field-maps d)))))
  (is (= 16 (s/event-size {:name 'U :kind :union :fields [[:a :u8] [:b :u64 2]]}))))

(deftest refusals-name-the-field
  (testing "bitfields"
    (is (= :bad-bitfield (problem (s/make-event-def 'X [[:a :u8 {:bits 9}]]))))
    (is (= :bad-bitfield (problem (s/make-event-def 'X [[:a :u8 {:bits 0}]]))))
    (is (re-find #"bitfield :a of type :u8 is 9 bits wide"
                 (ex-message (library-error (try (s/make-event-def 'X [[:a :u8 {:bits 9}]])
                                                 (catch Exception e e)))))))
  (testing "enums"
    (is (= :bad-enum (problem (s/make-event-def 'X [[:a :u8 {:enum {:x 256}}]]))))
    (is (= :bad-enum (problem (s/make-event-def 'X [[:a :i8 {:bits 2 :enum {:x 2}}]])))))
  (testing "the whole model goes to BTF and checks clean against it"
    (is (= [] (s/check-event TcpFlow (s/event-btf TcpFlow))))))

(deftest defevent-forms-of-the-model-are-checked-at-expansion
  (is (= :ok (do (macroexpand '(clj-ebpf.dsl.structs/defevent F [:a :u8 {:bits 3}]
                                 [:u8 {:bits 0}] [:d :u8 []]))
                 :ok)))
  (is (= 2 (s/event-size @(eval '(clj-ebpf.dsl.structs/defevent G [:a :u8 {:bits 3}]
                                   [:u8 {:bits 0}] [:b :u8 {:bits 1}]))))))

(deftest bit-offsets-and-widths
  (is (= 289 (s/event-field-bit-offset TcpFlow :syn)))
  (is (= 1 (s/event-field-bits TcpFlow :syn)))
  (is (= 16 (s/event-field-bits TcpFlow :sport)))
  (is (= 256 (s/event-field-bit-offset TcpFlow :sport)))
  (is (= 160 (s/event-field-bit-offset TcpFlow [:daddr :v6 4])))
  (is (= :unknown-field (problem (s/event-field-bits TcpFlow :nope)))))

(deftest decoding-and-encoding-the-model
  (let [bytes (s/encode-event TcpFlow {:saddr {:v4 0x0100007f} :sport 443 :syn 1 :ack 1
                                       :kind :open})
        m (s/decode-event TcpFlow bytes)]
    (is (= 48 (count bytes)))
    (is (= 0x12 (aget ^bytes bytes 36)) "syn is bit 1, ack bit 4 of byte 36")
    (is (= {:v4 0x0100007f :v6 [127 0 0 1 0 0 0 0 0 0 0 0 0 0 0 0]} (:saddr m))
        "a union decodes to every member's reading")
    (is (= [1 0 1 0] (map m [:syn :fin :ack :rst])))
    (is (= :open (:kind m)))
    (is (= [] (:data m)))
    (is (= 7 (:kind (s/decode-event TcpFlow (s/encode-event TcpFlow {:kind 7}))))
        "a value no enumerator names stays an integer")
    (is (= :overlapping-fields
           (problem (s/encode-event TcpFlow {:saddr {:v4 1 :v6 (vec (range 16))}}))))
    (is (= :bad-value (problem (s/encode-event TcpFlow {:syn 2}))))
    (is (= :bad-value (problem (s/encode-event TcpFlow {:kind :nope})))))
  (let [d (s/make-event-def 'S [[:a :i8 {:bits 3}] [:b :u8 {:bits 5}]])]
    (is (= {:a -1 :b 31} (s/decode-event d (byte-array [-1]))) "signed bitfields extend")))

(deftest enums-of-many-values-keep-every-value
  (let [values (into {} (map (fn [i] [(keyword (str "v" i)) i])) (range 300))
        d (s/make-event-def 'E [[:k :u16 {:enum values}]])
        bytes (s/encode-event d {:k :v299})]
    (is (= 300 (count (:enum (first (:fields d))))) "the field map keeps them too")
    (is (= :v299 (:k (s/decode-event d bytes))))
    (is (= :v8 (:k (s/decode-event d (s/encode-event d {:k 8}))))))
  (is (= :bad-option (problem (s/make-event-def 'E [[:k :u8 {:bits 1 :a 1 :b 2 :c 3 :d 4 :e 5
                                                            :f 6 :g 7 :h 8}]])))
      "an unknown option past the eighth is still refused"))

(deftest the-type-of-a-field-reached-through-an-anonymous-member
  (let [inner (s/make-event-def 'Inner [[:x :u8]])
        u (s/make-event-def 'U [[:in inner] [:n :u32]] {:kind :union})
        d (s/make-event-def 'D [[:a :u8] [u]])]
    (is (= inner (s/event-field-type d :in)))
    (is (= :u8 (s/event-field-type d [:in :x])))
    (is (= :u32 (s/event-field-type d :n)))))
