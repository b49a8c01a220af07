(ns clj-ebpf.dsl.structs-props-test
  "Properties of layouts and stores that hold for all generated definitions."
  (:require [clojure.test :refer [is]]
            [clojure.string :as str]
            [clojure.test.check.clojure-test :refer [defspec]]
            [clojure.test.check.generators :as gen]
            [clojure.test.check.properties :as prop]
            [clj-ebpf.dsl.structs :as s]))

(set! *warn-on-reflection* true)

(def gen-type
  "The types one BPF store writes (stores refuse :i128 and :u128: no store is 16 bytes)."
  (gen/elements (keys (remove (fn [[_ w]] (> w 8)) s/type-sizes))))

(def gen-field-name
  (gen/one-of [gen/keyword gen/keyword-ns
               (gen/fmap #(keyword (str "f" %)) (gen/choose 0 30))]))

(def gen-spec
  (gen/one-of [(gen/tuple gen-field-name gen-type)
               (gen/tuple gen-field-name gen-type (gen/choose 1 16))]))

(def gen-specs
  (gen/vector-distinct-by first gen-spec {:min-elements 1 :max-elements 20}))

(def gen-def (gen/fmap #(s/make-event-def 'Generated %) gen-specs))

(defn- spec-size [[_ t c]] (* (s/type-sizes t) (or c 1)))

(defn- width [insn]
  ({0x10 1 0x08 2 0x00 4 0x18 8} (bit-and (:opcode insn) 0x18)))

(defn- covered
  "The byte intervals [offset, offset+width) that stores write, sorted."
  [insns]
  (sort (map (fn [i] [(:offset i) (+ (:offset i) (width i))]) insns)))

(defn- tiles?
  "True when the intervals cover [from, to) exactly once each byte, back to back."
  [intervals from to]
  (and (= from (ffirst intervals))
       (= to (second (last intervals)))
       (every? (fn [[[_ e] [b _]]] (= e b)) (partition 2 1 intervals))))

(defn low-bytes
  "The w low bytes of v, least significant first."
  [v w]
  (map #(bit-and (bit-shift-right v (* 8 %)) 0xff) (range w)))

(def big-endian? #{:be16 :be32 :be64})

(defn memory-bytes
  "The bytes a field of type t must hold for the value v, in memory order."
  [t v]
  (let [b (low-bytes v (s/type-sizes t))]
    (if (big-endian? t) (reverse b) b)))

(defspec packed-offsets-are-the-running-sum-of-sizes 300
  (prop/for-all [specs gen-specs]
    (let [d (s/make-event-def 'Generated specs)
          sizes (map spec-size specs)]
      (and (= (map first specs) (map :name (:fields d)) (s/event-fields d)
              (map :name (s/event-field-maps d)))
           (= (reductions + 0 (butlast sizes)) (map :offset (:fields d)))
           (= (apply + sizes) (:size d) (s/event-size d))
           (every? (fn [[n t]] (and (= t (s/event-field-type d n))
                                    (= (get-in d [:field-map n :offset])
                                       (s/event-field-offset d n))))
                   specs)))))

(defspec no-two-fields-overlap 300
  (prop/for-all [d gen-def]
    (let [spans (sort (map (fn [f] [(:offset f) (+ (:offset f) (:size f))]) (:fields d)))]
      (every? (fn [[[_ e] [b _]]] (<= e b)) (partition 2 1 spans)))))

(defspec zero-event-is-the-fewest-aligned-stores-covering-the-record 300
  (prop/for-all [d gen-def]
    (let [zs (s/zero-event :r6 d)
          n (:size d)]
      (and (= (+ (quot n 8) (Long/bitCount (rem n 8))) (count zs))
           (tiles? (covered zs) 0 n)
           (every? #(zero? (rem (:offset %) (width %))) zs)
           (every? #(zero? (:imm %)) zs)))))

(defspec zero-event-field-covers-exactly-the-field-with-aligned-stores 300
  (prop/for-all [d gen-def]
    (every? (fn [f]
              (let [z (s/zero-event-field :r2 d (:name f))
                    zs (if (map? z) [z] z)]
                (and (or (map? z) (> (count zs) 1))
                     (tiles? (covered zs) (:offset f) (+ (:offset f) (:size f)))
                     (every? #(zero? (rem (:offset %) (width %))) zs)
                     (every? #(= 2 (:dst %)) zs))))
            (:fields d))))

(defspec stores-use-the-fields-element-width-and-offset 300
  (prop/for-all [d gen-def]
    (every? (fn [{:keys [name type offset]}]
              (let [stx (s/store-event-field :r1 d name :r9)
                    st (s/store-event-imm :r1 d name -1)]
                (and (= [offset offset] [(:offset stx) (:offset st)])
                     (= (s/type-sizes type) (width stx) (width st))
                     (= [1 9 0] ((juxt :dst :src :imm) stx))
                     (= [1 0] ((juxt :dst :src) st))
                     (= (memory-bytes type -1) (low-bytes (:imm st) (width st))))))
            (:fields d))))

(defspec store-event-fields-emits-layout-order 200
  (prop/for-all [d gen-def
                 seed gen/large-integer]
    (let [names (shuffle (map :name (:fields d)))
          m (into {} (map-indexed (fn [i n] [n (if (even? (+ i seed)) {:imm -1} {:reg :r3})]))
                  names)
          offsets (map :offset (s/store-event-fields :r6 d m))]
      (and (= (count names) (count offsets))
           (= (sort offsets) offsets)))))


(defspec immediates-in-range-store-their-low-bytes 500
  (prop/for-all [[w v] (gen/bind (gen/elements [1 2 4 8])
                                 (fn [w]
                                   (let [lo (if (= 8 w) Integer/MIN_VALUE (- (bit-shift-left 1 (dec (* 8 w)))))
                                         hi (if (= 8 w) Integer/MAX_VALUE (dec (bit-shift-left 1 (* 8 w))))]
                                     (gen/tuple (gen/return w)
                                                (gen/one-of [(gen/large-integer* {:min lo :max hi})
                                                             (gen/elements [lo hi])])))))]
    (every? (fn [t]
              (let [d (s/make-event-def 'One [[:x t]])
                    insn (s/store-event-imm :r6 d :x v)]
                (= (memory-bytes t v) (low-bytes (:imm insn) w))))
            (remove #{:be64} ({1 [:u8 :i8 :char] 2 [:u16 :i16 :be16] 4 [:u32 :i32 :be32]
                              8 [:u64 :i64 :ptr]} w)))))

(defspec be64-immediates-store-in-network-order-when-they-can 300
  (prop/for-all [v gen/large-integer]
    (let [d (s/make-event-def 'One [[:x :be64]])
          swapped (Long/reverseBytes v)]
      (if (<= Integer/MIN_VALUE swapped Integer/MAX_VALUE)
        (= (memory-bytes :be64 v) (low-bytes (:imm (s/store-event-imm :r6 d :x v)) 8))
        (= :immediate-out-of-range
           (:problem (ex-data (try (s/store-event-imm :r6 d :x v) nil
                                   (catch clojure.lang.ExceptionInfo e e)))))))))

(defspec immediates-out-of-range-are-rejected 500
  (prop/for-all [[t v] (gen/bind (gen/elements [[:u8 -128 255] [:i16 -32768 65535]
                                                [:u32 -2147483648 4294967295]
                                                [:i64 -2147483648 2147483647]])
                                 (fn [[t lo hi]]
                                   (gen/tuple (gen/return t)
                                              (gen/one-of [(gen/large-integer* {:max (dec lo)})
                                                           (gen/large-integer* {:min (inc hi)})]))))]
    (let [d (s/make-event-def 'One [[:x t]])
          e (try (s/store-event-imm :r6 d :x v) nil (catch clojure.lang.ExceptionInfo e e))]
      (and (= :immediate-out-of-range (:problem (ex-data e)))
           (= v (:value (ex-data e)))
           (= :x (:field (ex-data e)))
           (str/includes? (ex-message e) (str v))))))

;; Bad input of every kind: the library's ex-info, never another exception.

(defrecord Endless [what]
  ;; stands for an endless sequence in generated cases (so that test.check can print a
  ;; failing case); realized only where the case is run
  )

(defn- realize
  "The value a piece of generated junk stands for: an Endless becomes an endless seq."
  [x]
  (if (instance? Endless x)
    (case (:what x)
      :range (range)
      :specs (repeat [:a :u8])
      :cycle (cycle [1 2 3]))
    x))

(def gen-junk
  (gen/fmap realize
            (gen/one-of [gen/any-printable-equatable
                         (gen/elements [nil :r11 :u33 -1 0 1.5 "pid" 'pid [] {} #{}
                                        (bigint 1e30) [:a] [:a :u8 0] [[:a :u8] [:a :u8]]
                                        {:reg :r1 :imm 1}
                                        ;; large counts and sizes
                                        2147483647 2147483648 4294967296 Long/MAX_VALUE
                                        [:a :u64 268435456] [:a :u8 2147483647]
                                        ;; C-reserved names
                                        :__int128 :linux :unix :__func__ "__u32"])
                         ;; (an endless program is the hostile suite's: a million
                         ;; instructions are read before it is refused)
                         (gen/fmap ->Endless (gen/elements [:range :specs :cycle]))])))

(defn- library-error-or-ok? [f]
  (try (f) true
       (catch clojure.lang.ExceptionInfo e (keyword? (:problem (ex-data e))))))

(def ^:private example
  (s/make-event-def 'Example [[:a :u8] [:b :u32 2] [:c :u64]]))

(defspec every-bad-input-gets-the-librarys-error 500
  (prop/for-all [junk gen-junk
                 specs (gen/vector (gen/one-of [gen-spec gen-junk]) 0 4)]
    (every? library-error-or-ok?
            [#(s/make-event-def 'E junk)
             #(s/make-event-def junk [[:a :u8]])
             #(s/make-event-def 'E specs)
             #(s/make-event-def 'E [[:a junk]])
             #(s/make-event-def 'E [[:a :u8 junk]])
             #(s/make-event-def 'E [[junk :u8]])
             #(s/event-size junk)
             #(s/event-fields junk)
             #(s/event-field-offset example junk)
             #(s/event-field-size junk :a)
             #(s/event-field-type example junk)
             #(s/store-event-field junk example :a :r1)
             #(s/store-event-field :r1 example :a junk)
             #(s/store-event-field :r1 junk :a :r1)
             #(s/store-event-imm :r1 example :b junk)
             #(s/store-event-imm :r1 example junk 1)
             #(s/zero-event-field :r1 example junk)
             #(s/zero-event junk example)
             #(s/zero-event :r1 junk)
             #(s/store-event-fields :r1 example junk)
             #(s/store-event-fields :r1 example {:a junk})
             #(s/store-event-fields :r1 example {junk {:imm 1}})
             #(s/assemble junk)
             #(s/assemble [junk])
             #(s/insn->asm junk)
             #(s/c-header junk)
             #(s/c-header example junk)
             #(s/encode-event example junk)
             #(s/encode-event example {:b junk})
             #(s/decode-event example junk)
             #(s/decode-event junk (byte-array 64))
             #(s/describe-event junk)
             #(s/event-misaligned-fields junk)])))

;; Deep and shared nesting, and names C reserves.

(def gen-nesting
  "[depth shared?]: a chain of events depth deep, each holding the one below once or twice."
  (gen/tuple (gen/choose 1 40) gen/boolean))

(defn- nest [depth shared?]
  (reduce (fn [d i] (s/make-event-def (symbol (str "N" i))
                                      (if shared? [[:a d] [:b d]] [[:a d] [:pad :u8]])))
          (s/make-event-def 'N0 [[:x :u8]])
          (range 1 depth)))

(defspec deep-and-shared-nesting-ends-with-a-layout-or-too-deep 60
  (prop/for-all [[depth shared?] gen-nesting]
    (let [r (try (let [d (nest depth (and shared? (<= depth 30)))]
                   [(s/event-size d) (count (s/c-header d)) (count (s/event-report d))
                    (first (s/event-misaligned-fields d))])
                 (catch clojure.lang.ExceptionInfo e (:problem (ex-data e))))]
      (if (<= depth 32)
        (vector? r)
        (contains? #{:too-deep :event-too-large} r)))))

(def ^:private c-reserved?
  "Names a header cannot use: keywords (a sample), reserved, predefined."
  (some-fn #(str/starts-with? % "__") #{"linux" "unix" "int" "char" "struct" "if"}))

(defspec c-header-refuses-exactly-what-c-keeps 200
  (prop/for-all [n (gen/one-of [(gen/elements ["linux" "unix" "__int128" "__func__" "__x"
                                               "int" "char" "struct" "if" "_x" "x_" "ok"
                                               "linux2" "unix_" "__" "a__b"])
                                (gen/fmap #(str "f" %) gen/nat)])]
    (let [r (try (s/c-header (s/make-event-def 'E [[(keyword n) :u8]])) :written
                 (catch clojure.lang.ExceptionInfo e (:problem (ex-data e))))]
      (= (if (c-reserved? n) :bad-c-name :written) r))))
