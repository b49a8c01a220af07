(ns clj-ebpf.dsl.structs-layout-test
  "Layouts a C programmer recognises: options, nesting, paths, network byte order, the
  misalignment lint, the layout report and the C header."
  (:require [clojure.string :as str]
            [clojure.test :refer [deftest is are testing]]
            [clojure.test.check.clojure-test :refer [defspec]]
            [clojure.test.check.generators :as gen]
            [clojure.test.check.properties :as prop]
            [clj-ebpf.dsl.structs :as s :refer [defevent]]
            [clj-ebpf.dsl.structs-props-test :refer [gen-spec]]
            [bpf-events.examples :refer [ConnectionEvent Endpoint Hop Flow]]
            [clj-ebpf.dsl.structs-test :refer [library-error]]))

(set! *warn-on-reflection* true)

(defmacro problem
  "The :problem of the library's ex-info that body throws, nil if none."
  [& body]
  `(try ~@body nil
        (catch Exception e# (:problem (ex-data (or (library-error e#) (throw e#)))))))

(deftest options
  (is (= :packed (:align ConnectionEvent)))
  (is (= 44 (s/event-size ConnectionEvent)) "the default stays packed")
  (is (= (s/make-event-def 'C (mapv (juxt :name :type :count) (:fields ConnectionEvent)))
         (s/make-event-def 'C (mapv (juxt :name :type :count) (:fields ConnectionEvent))
                           {:align :packed})))
  (let [d (s/make-event-def 'N [[:flag :u8] [:ts :u64] [:x :u16]] {:align :natural})]
    (is (= :natural (:align d)))
    (is (= [0 8 16] (map :offset (:fields d))))
    (is (= 24 (:size d))))
  (are [opts] (= :bad-option (problem (s/make-event-def 'N [[:a :u8]] opts)))
    {:align :weird} {:align "natural"} {:pack true} [:align :natural] nil)
  (is (= [:natural :packed] (:accepted (ex-data (try (s/make-event-def 'N [[:a :u8]] {:align 1})
                                                     (catch Exception e e)))))))

(deftest nesting-and-paths
  (is (= 8 (s/event-size Endpoint)))
  (is (= 80 (s/event-size Flow)))
  (is (= Endpoint (s/event-field-type Flow :src)))
  (is (= Hop (s/event-field-type Flow :hops)))
  (is (= Hop (s/event-field-type Flow [:hops 1])))
  (is (= :u8 (s/event-field-type Flow [:hops 1 :ttl])))
  (are [path offset size] (and (= offset (s/event-field-offset Flow path))
                               (= size (s/event-field-size Flow path)))
    :src 16 8
    [:src] 16 8
    [:src :port] 20 2
    [:dst :addr] 24 4
    [:hops] 32 32
    [:hops 0] 32 8
    [:hops 2 :ttl] 48 1
    [:hops 3 :ifindex] 60 4
    [:comm 5] 69 1)
  (is (= ["*(u32 *)(r6 + 52) = r1" "*(u8 *)(r6 + 69) = 65"]
         (map s/insn->asm [(s/store-event-field :r6 Flow [:hops 2 :ifindex] :r1)
                           (s/store-event-imm :r6 Flow [:comm 5] 65)])))
  (is (= "*(u64 *)(r6 + 24) = 0" (s/insn->asm (s/zero-event-field :r6 Flow :dst))))
  (is (= ["*(u64 *)(r6 + 8) = r2" "*(u16 *)(r6 + 20) = 20480"]
         (map s/insn->asm (s/store-event-fields :r6 Flow {[:src :port] {:imm 80} :ts {:reg :r2}}))))
  (are [path p] (= p (problem (s/event-field-offset Flow path)))
    [:hops :ttl] :bad-path
    [:hops 4 :ttl] :index-out-of-range
    [:hops -1] :index-out-of-range
    [:src 0] :bad-path
    [:ts :x] :bad-path
    [:src :nope] :unknown-field
    [] :unknown-field
    ["src"] :unknown-field
    [:src 'port] :unknown-field)
  (is (= :not-a-scalar (problem (s/store-event-field :r6 Flow :src :r1))))
  (is (= :not-a-scalar (problem (s/store-event-imm :r6 Flow [:hops 1] 0))))
  (let [d (ex-data (try (s/event-field-offset Flow [:src :nope]) (catch Exception e e)))]
    (is (= [:addr :port] (:accepted d)))
    (is (= :nope (:field d)))))

(deftest defevent-resolves-nested-events-at-expansion
  (is (= :unknown-type
         (problem (macroexpand '(clj-ebpf.dsl.structs/defevent Bad {:align :natural}
                                  [:src bpf-events.examples/Endpoint]
                                  [:x :u33])))))
  (is (= :bad-option
         (problem (macroexpand '(clj-ebpf.dsl.structs/defevent Bad {:align :tight} [:x :u8]))))))

(deftest network-byte-order
  (is (= 20480 (:imm (s/store-event-imm :r6 Endpoint :port 80))) "0x0050 stored as 50 00 -> 00 50")
  (is (= 16777226 (:imm (s/store-event-imm :r6 Endpoint :addr 0x0a000001))) "10.0.0.1")
  (is (= -1 (:imm (s/store-event-imm :r6 Endpoint :addr 0xffffffff))))
  (is (= 65535 (:imm (s/store-event-imm :r6 Endpoint :port -1))))
  (let [d (s/make-event-def 'B [[:x :be64]])]
    (is (= 1 (:imm (s/store-event-imm :r6 d :x 0x0100000000000000))) "bytes 01 00 00 00 00 00 00 00")
    (is (= 16777216 (:imm (s/store-event-imm :r6 d :x 0x0000000100000000))) "bytes 00 00 00 01 00 00 00 00")
    (is (= -1 (:imm (s/store-event-imm :r6 d :x -1))))
    (is (= :immediate-out-of-range (problem (s/store-event-imm :r6 d :x 1))))
    (is (re-find #"lddw" (ex-message (try (s/store-event-imm :r6 d :x 1) (catch Exception e e))))))
  (is (= :immediate-out-of-range (problem (s/store-event-imm :r6 Endpoint :port 65536))))
  (is (= 0 (:imm (s/store-event-field :r6 Endpoint :port :r3))) "registers are stored as they are"))

(deftest misalignment-lint
  (is (= [] (s/event-misaligned-fields ConnectionEvent)))
  (is (= [] (s/event-misaligned-fields Flow)))
  (let [d (s/make-event-def 'E [[:flag :u8] [:pid :u32] [:name :char 3] [:port :be16]])]
    (is (= [{:field :pid :path [:pid] :offset 1 :size 4 :alignment 4 :type :u32}]
           (s/event-misaligned-fields d))
        "port, after name at 5..7, is at 8: aligned"))
  (let [inner (s/make-event-def 'In [[:a :u8] [:b :u16]])
        outer (s/make-event-def 'Out [[:x :u8] [:in inner 2]] {:align :natural})]
    (is (= [[:in 1 :b]] (map :path (s/event-misaligned-fields outer)))
        "packed In (3 bytes, alignment 1) at 1 and 4 in a natural event: b at 2 and 5")))

(def connection-event-report
  "struct connection_event {
	__u64                      timestamp;            /*     0     8 */
	__u32                      pid;                  /*     8     4 */
	__u32                      saddr;                /*    12     4 */
	__u32                      daddr;                /*    16     4 */
	__u16                      sport;                /*    20     2 */
	__u16                      dport;                /*    22     2 */
	__u8                       protocol;             /*    24     1 */
	__u8                       direction;            /*    25     1 */
	__u8                       padding[2];           /*    26     2 */
	char                       comm[16];             /*    28    16 */

	/* size: 44, cachelines: 1, members: 10 */
	/* last cacheline: 44 bytes */
} __attribute__((__packed__));
/* as a plain C struct (natural alignment): 48 bytes, no member moves; the C side must declare it __attribute__((packed)) */
")

(defevent Scattered {:align :natural}
  [:protocol :u8] [:timestamp :u64] [:direction :u8] [:pid :u32] [:sport :u16]
  [:saddr :u32] [:dport :u16] [:daddr :u32] [:padding :u8 2] [:comm :char 16])

(def scattered-report
  "struct scattered {
	__u8                       protocol;             /*     0     1 */

	/* XXX 7 bytes hole, try to pack */

	__u64                      timestamp;            /*     8     8 */
	__u8                       direction;            /*    16     1 */

	/* XXX 3 bytes hole, try to pack */

	__u32                      pid;                  /*    20     4 */
	__u16                      sport;                /*    24     2 */

	/* XXX 2 bytes hole, try to pack */

	__u32                      saddr;                /*    28     4 */
	__u16                      dport;                /*    32     2 */

	/* XXX 2 bytes hole, try to pack */

	__u32                      daddr;                /*    36     4 */
	__u8                       padding[2];           /*    40     2 */
	char                       comm[16];             /*    42    16 */

	/* size: 64, cachelines: 1, members: 10 */
	/* sum members: 44, holes: 4, sum holes: 14 */
	/* padding: 6 */
	/* last cacheline: 64 bytes */
};
/* reordered by alignment (timestamp, pid, saddr, daddr, sport, dport, protocol, direction, padding, comm) the C struct would be 48 bytes */
")

(deftest layout-report-text
  (is (= connection-event-report (s/event-report ConnectionEvent)))
  (is (= connection-event-report (with-out-str (s/print-event ConnectionEvent))))
  (is (= scattered-report (s/event-report Scattered)))
  (testing "following the report's advice removes every hole"
    (let [order (:order (:suggested (s/describe-event Scattered)))
          by-name (:field-map Scattered)
          reordered (s/make-event-def 'Reordered (mapv #(let [f (by-name %)] [% (:type f) (:count f)]) order)
                                      {:align :natural})
          r (s/describe-event reordered)]
      (is (= 48 (:size reordered)))
      (is (= [] (:holes r)))
      (is (= 4 (:padding r)))
      (is (nil? (:suggested r)))
      (is (str/includes? (s/event-report reordered) "/* padding: 4 */"))))
  (testing "misaligned members and cache-line boundaries are marked"
    (let [text (s/event-report (s/make-event-def 'M [[:flag :u8] [:big :u64 8] [:pid :u32]]))]
      (is (str/includes? text "__u64                      big[8];               /*     1    64 */ /* XXX misaligned */"))
      (is (str/includes? text "/* --- cacheline 1 boundary (64 bytes) was 1 byte ago --- */"))
      (is (str/includes? text "/* misaligned, rejected under strict alignment: big at 1, pid at 65 */"))
      (is (str/includes? text "moved: big 1 -> 8, pid 65 -> 72")))))

(deftest layout-report-data
  (let [r (s/describe-event ConnectionEvent)]
    (is (= {:size 48 :moved []} (:plain-c r)))
    (is (= {:size 44 :members 10 :sum-members 44 :holes 0 :sum-holes 0 :padding 0
            :cachelines 1 :last-cacheline 44}
           (:totals r)))
    (is (= {:name :comm :offset 28 :size 16 :count 16 :alignment 1 :c-type "char" :misaligned? false}
           (last (:members r)))))
  (let [r (s/describe-event Scattered)]
    (is (= [{:offset 1 :size 7 :after :protocol} {:offset 17 :size 3 :after :direction}
            {:offset 26 :size 2 :after :sport} {:offset 34 :size 2 :after :dport}]
           (:holes r)))
    (is (nil? (:plain-c r)))
    (is (= 48 (:size (:suggested r)))))
  (let [r (s/describe-event Flow)]
    (is (= "struct endpoint" (:c-type (nth (:members r) 2))))
    (is (= [64] (:cacheline-boundaries r)))))

(def flow-header
  "/* Generated by bpf-events. Do not edit: change the event definitions. */
#ifndef BPF_EVENTS_FLOW_H
#define BPF_EVENTS_FLOW_H

#include <linux/types.h>

struct endpoint {
	__be32 addr;
	__be16 port;
};

_Static_assert(sizeof(struct endpoint) == 8, \"endpoint: size must be 8\");
_Static_assert(_Alignof(struct endpoint) == 4, \"endpoint: alignment must be 4\");
_Static_assert(__builtin_offsetof(struct endpoint, addr) == 0, \"endpoint.addr: offset must be 0\");
_Static_assert(__builtin_offsetof(struct endpoint, port) == 4, \"endpoint.port: offset must be 4\");

struct hop {
	__u8 ttl;
	__u32 ifindex;
};

_Static_assert(sizeof(struct hop) == 8, \"hop: size must be 8\");
_Static_assert(_Alignof(struct hop) == 4, \"hop: alignment must be 4\");
_Static_assert(__builtin_offsetof(struct hop, ttl) == 0, \"hop.ttl: offset must be 0\");
_Static_assert(__builtin_offsetof(struct hop, ifindex) == 4, \"hop.ifindex: offset must be 4\");

struct flow {
	__u8 flags;
	__u64 ts;
	struct endpoint src;
	struct endpoint dst;
	struct hop hops[4];
	char comm[16];
};

_Static_assert(sizeof(struct flow) == 80, \"flow: size must be 80\");
_Static_assert(_Alignof(struct flow) == 8, \"flow: alignment must be 8\");
_Static_assert(__builtin_offsetof(struct flow, flags) == 0, \"flow.flags: offset must be 0\");
_Static_assert(__builtin_offsetof(struct flow, ts) == 8, \"flow.ts: offset must be 8\");
_Static_assert(__builtin_offsetof(struct flow, src) == 16, \"flow.src: offset must be 16\");
_Static_assert(__builtin_offsetof(struct flow, dst) == 24, \"flow.dst: offset must be 24\");
_Static_assert(__builtin_offsetof(struct flow, hops) == 32, \"flow.hops: offset must be 32\");
_Static_assert(__builtin_offsetof(struct flow, comm) == 64, \"flow.comm: offset must be 64\");

#endif /* BPF_EVENTS_FLOW_H */
")

(deftest c-header-text
  (is (= flow-header (s/c-header Flow)))
  (is (= flow-header (s/c-header [Endpoint Flow Hop] {:guard "BPF_EVENTS_FLOW_H"})) "each struct once, nested first")
  (let [h (s/c-header ConnectionEvent {:guard "CONN_H"})]
    (is (str/includes? h "#ifndef CONN_H"))
    (is (str/includes? h "struct connection_event {\n\t__u64 timestamp;"))
    (is (str/includes? h "\tchar comm[16];\n} __attribute__((packed));"))
    (is (str/includes? h "_Static_assert(sizeof(struct connection_event) == 44,")))
  (testing "packed only where packing changes something"
    (is (not (str/includes? (s/c-header (s/make-event-def 'Bytes [[:a :u8] [:b :char 3]]))
                            "packed")))
    (is (str/includes? (s/c-header (s/make-event-def 'Two [[:a :u32] [:b :u32]])) "packed")
        "same offsets, but alignment 1 instead of 4"))
  (testing "names"
    (is (str/includes? (s/c-header (s/make-event-def 'HTTPRequest [[:src-port :u16]]))
                       "struct http_request {\n\t__u16 src_port;"))
    (are [d p] (= p (problem (s/c-header d)))
      (s/make-event-def 'E [[:int :u8]]) :bad-c-name
      (s/make-event-def 'E [[:a.b :u8]]) :bad-c-name
      (s/make-event-def 'E [(keyword "1x") :u8]) :bad-field-spec
      (s/make-event-def 'E [[(keyword "1x") :u8]]) :bad-c-name
      (s/make-event-def 'E [[:a-b :u8] [:a_b :u8]]) :c-name-clash
      (s/make-event-def 'struct [[:a :u8]]) :bad-c-name
      [] :no-events
      [ConnectionEvent nil] :not-an-event)
    (is (= :c-name-clash (problem (s/c-header [(s/make-event-def 'E [[:a :u8]])
                                               (s/make-event-def 'E [[:b :u8]])]))))
    (is (= :bad-option (problem (s/c-header Flow {:guard "not a guard"}))))
    (is (= :bad-option (problem (s/c-header Flow {:guards "X"}))))))

;; Properties of natural layouts, with nesting

(def gen-align (gen/elements [:packed :natural]))

(defn gen-event
  "A definition with scalar fields and, below depth, nested events."
  [depth]
  (gen/let [align gen-align
            specs (gen/vector-distinct-by first gen-spec {:min-elements 1 :max-elements 8})
            nested (if (pos? depth)
                     (gen/vector (gen/tuple (gen-event (dec depth)) (gen/choose 1 3)) 0 2)
                     (gen/return []))]
    (s/make-event-def 'G (into specs (map-indexed (fn [i [d c]] [(keyword "nested" (str "n" i)) d c]))
                               nested)
                      {:align align})))

(defn- natural-alignment [f]
  (let [t (:type f)]
    (if (map? t) (:alignment (s/describe-event t)) (s/type-sizes t))))

(defspec natural-fields-are-aligned-and-never-overlap 300
  (prop/for-all [d (gen/fmap #(s/make-event-def 'N (mapv (juxt :name :type :count) (:fields %))
                                                 {:align :natural})
                             (gen-event 2))]
    (let [fs (:fields d)
          spans (sort (map (fn [f] [(:offset f) (+ (:offset f) (:size f))]) fs))
          align (apply max (map natural-alignment fs))]
      (and (every? #(zero? (rem (:offset %) (natural-alignment %))) fs)
           (every? (fn [[[_ e] [b _]]] (<= e b)) (partition 2 1 spans))
           (zero? (rem (:size d) align))
           (= align (:alignment (s/describe-event d)))))))

(defspec holes-padding-and-members-add-up-to-the-size 300
  (prop/for-all [d (gen-event 2)]
    (let [{:keys [totals holes padding members size]} (s/describe-event d)]
      (and (= size (+ (:sum-members totals) (:sum-holes totals) padding))
           (= (:sum-holes totals) (reduce + (map :size holes)))
           (= (:sum-members totals) (reduce + (map :size members)))
           (= (count (:fields d)) (count members))
           (or (= :natural (:align d)) (and (empty? holes) (zero? padding)))))))

(defspec packed-results-are-unchanged-by-options 200
  (prop/for-all [specs (gen/vector-distinct-by first gen-spec {:min-elements 1 :max-elements 12})]
    (let [a (s/make-event-def 'P specs)
          b (s/make-event-def 'P specs {:align :packed})]
      (and (= a b)
           (= (reductions + 0 (butlast (map :size (:fields a)))) (map :offset (:fields a)))
           (= (s/zero-event :r1 a) (s/zero-event :r1 b))))))

(defspec the-lint-lists-exactly-the-unaligned-scalars 300
  (prop/for-all [d (gen-event 2)]
    (every? (fn [{:keys [path offset alignment]}]
              (and (= offset (s/event-field-offset d path))
                   (pos? (rem offset alignment))))
            (s/event-misaligned-fields d))))
