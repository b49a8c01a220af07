(ns clj-ebpf.dsl.structs-codec-test
  "Reading records back: decode-event, event-decoder, encode-event."
  (:require [clojure.test :refer [deftest is are testing]]
            [clojure.walk :as walk]
            [clojure.test.check.clojure-test :refer [defspec]]
            [clojure.test.check.generators :as gen]
            [clojure.test.check.properties :as prop]
            [clj-ebpf.dsl.structs :as s :refer [defevent]]
            [bpf-events.examples :refer [ConnectionEvent Endpoint Flow]]
            [clj-ebpf.dsl.structs-layout-test :refer [gen-event]]
            [clj-ebpf.dsl.structs-test :refer [library-error]])
  (:import (java.nio ByteBuffer ByteOrder)))

(set! *warn-on-reflection* true)

(defmacro problem
  "The library's ex-data for what body throws, nil if it throws nothing."
  [& body]
  `(try ~@body nil
        (catch Exception e# (assoc (ex-data (or (library-error e#) (throw e#)))
                                   ::message (ex-message e#)))))

(def ^:private two-64 (bigint (.shiftLeft BigInteger/ONE 64)))

(def ranges
  "Each integer type's values: [min max]."
  {:u8 [0 255] :i8 [-128 127] :u16 [0 65535] :i16 [-32768 32767]
   :u32 [0 4294967295] :i32 [-2147483648 2147483647]
   :u64 [0 (dec two-64)] :i64 [Long/MIN_VALUE Long/MAX_VALUE] :ptr [0 (dec two-64)]
   :be16 [0 65535] :be32 [0 4294967295] :be64 [0 (dec two-64)]})

(defn- le-bytes
  "The w bytes of v, least significant first, written out by hand."
  [v w]
  (let [v (biginteger v)]
    (map #(.byteValue (.shiftRight v (* 8 %))) (range w))))

(deftest documented-example
  (let [rec (s/encode-event ConnectionEvent {:timestamp 1 :pid 4242 :sport 443 :protocol 6
                                             :comm "curl"})]
    (is (= 44 (alength ^bytes rec)))
    (is (= (concat (le-bytes 1 8) (le-bytes 4242 4)) (take 12 (seq rec))))
    (is (= {:timestamp 1 :pid 4242 :saddr 0 :daddr 0 :sport 443 :dport 0 :protocol 6
            :direction 0 :padding [0 0] :comm "curl"}
           (s/decode-event ConnectionEvent rec)))
    (is (= (set (s/event-fields ConnectionEvent)) (set (keys (s/decode-event ConnectionEvent rec))))
        "every field decoded, none added")
    (is (= (map :name (:fields ConnectionEvent)) (keys (s/decode-event ConnectionEvent rec)))
        "declaration order")))

(deftest integer-edges
  (doseq [[t [lo hi]] ranges
          :let [w (s/type-sizes t)
                d (s/make-event-def 'One [[:x t]])
                big-endian? (#{:be16 :be32 :be64} t)
                sign-edge (if (neg? lo) [-1 (quot lo 2)] [(bigint (/ (inc (bigint hi)) 2)) (bigint (/ (dec (bigint hi)) 2))])]
          v (concat [lo hi 0 1] sign-edge)]
    (let [by-hand (byte-array (cond-> (le-bytes v w) big-endian? reverse))]
      (is (= v (:x (s/decode-event d by-hand))) (str t " " v " decoded from bytes written by hand"))
      (is (= (seq by-hand) (seq (s/encode-event d {:x v}))) (str t " " v " encoded"))))
  (testing "unsigned values decode as unsigned"
    (is (= 4294967295 (:x (s/decode-event (s/make-event-def 'U [[:x :u32]]) (byte-array 4 (byte -1))))))
    (is (= 18446744073709551615N (:x (s/decode-event (s/make-event-def 'U [[:x :u64]]) (byte-array 8 (byte -1))))))
    (is (instance? BigInteger (:x (s/decode-event (s/make-event-def 'U [[:x :u64]]) (byte-array 8 (byte -1))))))
    (is (= -1 (:x (s/decode-event (s/make-event-def 'U [[:x :i64]]) (byte-array 8 (byte -1))))))
    (is (= 65535 (:x (s/decode-event (s/make-event-def 'U [[:x :be16]]) (byte-array 2 (byte -1))))))))

(deftest char-arrays
  (let [d (s/make-event-def 'S [[:s :char 4] [:c :char]])]
    (are [bytes text] (= text (:s (s/decode-event d (byte-array (concat bytes [0])))))
      [0 0 0 0] ""
      [65 66 0 67] "AB"
      [65 66 67 68] "ABCD"
      [0xc3 0xa9 0 0] "é"
      [0xff 65 0 0] "\ufffdA")
    (is (= "x" (:c (s/decode-event d (byte-array [0 0 0 0 120])))))
    (is (= {:s "ABCD" :c ""} (s/decode-event d (s/encode-event d {:s "ABCD"}))) "full, no NUL")
    (is (= {:s "" :c ""} (s/decode-event d (s/encode-event d {}))))
    (is (= {:s "é" :c "z"} (s/decode-event d (s/encode-event d {:s "é" :c "z"}))))
    (are [v] (= :bad-value (:problem (problem (s/encode-event d {:s v}))))
      "ABCDE" "ééé" "a\u0000b" 65 nil [65] (str (char 0xD800)))))

(deftest buffers
  (let [rec (s/encode-event ConnectionEvent {:pid 7 :comm "sh"})
        expected (s/decode-event ConnectionEvent rec)
        padded (byte-array (concat [9 9 9] rec [9]))]
    (is (= expected (s/decode-event ConnectionEvent padded 3)) "offset into an array")
    (testing "a ByteBuffer's position counts, its limit holds, its byte order is ignored"
      (let [bb (-> (ByteBuffer/wrap padded) (.position 2) (.order ByteOrder/BIG_ENDIAN))]
        (is (= expected (s/decode-event ConnectionEvent bb 1)))
        (is (= 2 (.position bb)) "the buffer's position is left alone")
        (is (= :buffer-too-short (:problem (problem (s/decode-event ConnectionEvent (.limit bb 46) 1)))))))
    (let [direct (doto (ByteBuffer/allocateDirect 64) (.put ^bytes rec) (.flip))]
      (is (= expected (s/decode-event ConnectionEvent direct)))
      (is (= expected ((s/event-decoder ConnectionEvent) direct 0))))
    (let [d (problem (s/decode-event ConnectionEvent (byte-array 50) 10))]
      (is (= :buffer-too-short (:problem d)))
      (is (re-find #"offset 10" (::message d)))
      (is (re-find #"54 bytes" (::message d)))
      (is (re-find #"has 50" (::message d))))
    (are [args p] (= p (:problem (problem (apply s/decode-event ConnectionEvent args))))
      [(byte-array 43)] :buffer-too-short
      [rec -1] :bad-offset
      [rec 1.5] :bad-offset
      [[1 2 3]] :not-a-buffer
      [nil] :not-a-buffer)))

(deftest nested-and-arrays
  (let [m {:flags 1 :ts 2 :src {:addr 0x0a000001 :port 80} :dst {:addr 3 :port 443}
           :hops [{:ttl 1 :ifindex 2} {:ttl 3 :ifindex 4} {:ttl 5 :ifindex 6} {:ttl 7 :ifindex 8}]
           :comm "flow"}
        rec (s/encode-event Flow m)]
    (is (= m (s/decode-event Flow rec)))
    (is (= [10 0 0 1 0 80] (take 6 (drop 16 (map #(bit-and % 0xff) rec)))) "network byte order in memory")
    (is (= :bad-value (:problem (problem (s/encode-event Flow (assoc m :hops (pop (:hops m))))))))
    (is (= [:hops 1 :ttl] (:field (problem (s/encode-event Flow (assoc-in m [:hops 1 :ttl] 256))))))
    (is (= :unknown-field (:problem (problem (s/encode-event Flow {:nope 1})))))
    (is (= :unknown-field (:problem (problem (s/encode-event Flow {"flags" 1})))))
    (is (= :bad-value (:problem (problem (s/encode-event Flow {:src 5})))))
    (is (= :bad-value (:problem (problem (s/encode-event Flow {:ts 1.0})))))
    (is (= :bad-value (:problem (problem (s/encode-event Flow [1 2])))))))

(deftest generated-decoders-compile-without-reflection
  (let [err (java.io.StringWriter.)]
    (binding [*err* err]
      (s/decode-event (s/make-event-def 'R [[:a :u8] [:b :i16 3] [:c :u64] [:d :be32] [:e :char 2]
                                            [:f Endpoint 2]])
                      (byte-array 64)))
    (is (= "" (str err)))))

;; Properties

(declare gen-fields)

(defn gen-value
  "A generator of valid values for a field of type t (a keyword or a definition)."
  [t c]
  (let [one (cond
              (map? t) (gen-fields t)
              (= :char t) nil
              :else (let [[lo hi] (ranges t)]
                      (gen/one-of [(gen/elements [lo hi 0])
                                   (gen/fmap #(+ (bigint lo) (mod (bigint %) (inc (- (bigint hi) (bigint lo)))))
                                             gen/size-bounded-bigint)])))]
    (cond
      (= :char t) (gen/fmap #(apply str (take c %)) gen/string-alphanumeric)
      (= 1 c) one
      :else (gen/vector one c))))

(defn gen-fields
  "A generator of complete, valid value maps for def."
  [def]
  (apply gen/hash-map (mapcat (fn [{:keys [name type count]}] [name (gen-value type count)])
                              (:fields def))))

(defn- numbers-as-decoded
  "m with every integer as decode gives it back (Long, or BigInteger past 2^63)."
  [m]
  (walk/postwalk #(if (integer? %) (if (<= Long/MIN_VALUE % Long/MAX_VALUE) (long %) (biginteger %)) %) m))

(defspec encode-then-decode-is-the-identity 300
  (prop/for-all [[d m] (gen/bind (gen-event 2) (fn [d] (gen/tuple (gen/return d) (gen-fields d))))]
    (let [rec (s/encode-event d m)
          out (s/decode-event d rec)]
      (and (= (:size d) (alength ^bytes rec))
           (= m out)
           (= (numbers-as-decoded m) out)
           (= out ((s/event-decoder d) (ByteBuffer/wrap rec)))
           (= (map :name (:fields d)) (keys out))))))

(defspec decoding-never-reads-past-the-record 200
  (prop/for-all [d (gen-event 1)
                 extra (gen/choose 0 8)
                 short-by (gen/choose 1 1000)]
    (let [rec (byte-array (+ (:size d) extra))]
      (and (map? (s/decode-event d rec extra))
           (= :buffer-too-short
              (:problem (problem (s/decode-event d (byte-array (- (:size d) (min short-by (:size d))))))))
           (= :buffer-too-short (:problem (problem (s/decode-event d rec (inc extra)))))))))

(deftest decode-event-follows-the-definition-it-is-given
  (let [rec (s/encode-event ConnectionEvent {:pid 7 :comm "sh"})
        edited (update ConnectionEvent :fields pop)]
    (dotimes [_ 3]
      (is (= "sh" (:comm (s/decode-event ConnectionEvent rec))))
      (is (= [:timestamp :pid :saddr :daddr :sport :dport :protocol :direction :padding]
             (keys (s/decode-event edited rec)))
          "the edited definition, right after the original: its own layout")
      (is (= 7 (:pid (s/decode-event edited rec)))))))

;; 128-bit integers: every value in range, whole and in bitfields

(def ^:private wide-def
  (s/make-event-def 'Wide [[:flag :u8] [:s :i128] [:u :u128] [:sb :i128 {:bits 70}]
                           [:ub :u128 {:bits 100}]]
                    {:align :natural}))

(defn- gen-bits
  "Integers from -2^(w-1) to 2^(w-1)-1 (signed) or 0 to 2^w-1, the edges often."
  [w signed?]
  (let [lo (if signed? (- (bigint (.shiftLeft BigInteger/ONE (dec w)))) 0N)
        hi (dec (bigint (if signed? (.shiftLeft BigInteger/ONE (dec w))
                            (.shiftLeft BigInteger/ONE w))))
        span (inc (- hi lo))]
    (gen/one-of [(gen/elements (filterv #(<= lo % hi)
                                        [lo hi 0 -1 1 Long/MIN_VALUE Long/MAX_VALUE
                                         (inc (bigint Long/MAX_VALUE))]))
                 (gen/fmap (fn [^bytes b] (+ lo (mod (bigint (BigInteger. 1 b)) span)))
                           (gen/fmap byte-array (gen/vector gen/byte 1 17)))])))

(defspec wide-integers-encode-then-decode-to-themselves 300
  (prop/for-all [s (gen-bits 128 true) u (gen-bits 128 false) sb (gen-bits 70 true)
                 ub (gen-bits 100 false)]
    (let [in {:s s :u u :sb sb :ub ub}
          out (s/decode-event wide-def (s/encode-event wide-def in))]
      (every? (fn [k]
                (let [v (get out k)]
                  (and (== (get in k) v)
                       ;; a Long exactly when the value fits one
                       (= (instance? Long v) (<= Long/MIN_VALUE (get in k) Long/MAX_VALUE)))))
              (keys in)))))

(deftest wide-integers-out-of-range-are-refused
  (is (= :bad-value (:problem (problem (s/encode-event wide-def {:u -1})))))
  (is (= :bad-value (:problem (problem (s/encode-event wide-def {:u (.shiftLeft BigInteger/ONE 128)})))))
  (is (= :bad-value (:problem (problem (s/encode-event wide-def {:sb (.shiftLeft BigInteger/ONE 69)})))))
  (is (instance? Long (:u (s/decode-event wide-def (s/encode-event wide-def {:u Long/MAX_VALUE})))))
  (is (not (instance? Long (:u (s/decode-event wide-def (s/encode-event wide-def
                                                                       {:u (inc (bigint Long/MAX_VALUE))})))))))
