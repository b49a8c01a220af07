(ns ^:kernel clj-ebpf.dsl.structs-btf-test
  "BTF from Clojure: event-btf's bytes load into the running kernel (BPF_BTF_LOAD);
  check-event passes clang-19 objects compiled from c-header's text and names the fields
  of altered C; btf->events forms, evaluated, lay out random C structs exactly as the C
  compiler does, and vmlinux's ethhdr as the kernel does; every example of the
  docstrings holds; bad input is the library's ex-info."
  (:require [clojure.java.io :as io]
            [clojure.string :as str]
            [clojure.test :refer [deftest is testing]]
            [clojure.test.check :as tc]
            [clojure.test.check.generators :as gen]
            [clojure.test.check.properties :as prop]
            [clj-ebpf.dsl.structs :as s]
            [clj-ebpf.dsl.structs-props-test :refer [gen-def]]
            [bpf-events.examples :refer [ConnectionEvent Endpoint FlowEvent]])
  (:import (io.github.bpfevents.btf BtfType BtfType$Member BtfWriter)
           (io.github.bpfevents.check Bpf BtfLoad RandomC RandomC$Unit Tools
                                      Tools$Result)
           (java.io File)
           (java.nio.file Files Path)
           (java.nio.file.attribute FileAttribute)
           (java.util List Random)))

(set! *warn-on-reflection* true)

(def ^:private vmlinux "/sys/kernel/btf/vmlinux")

(defn- vmlinux? [] (.canRead (File. ^String vmlinux)))

(defn- tool ^String [& candidates]
  (some-> (Tools/find (into-array String candidates)) str))

(defn- clang ^String []
  (or (tool "clang-19" "/usr/lib/llvm-19/bin/clang")
      (Tools/unavailable "clang-19 not found (apt-get install clang-19)")))

(defn- sh ^Tools$Result [& args]
  (Tools/run (byte-array 0) ^List (vec args)))

(defn- temp-dir ^File []
  (.toFile (Files/createTempDirectory "btf-test" (make-array FileAttribute 0))))

(defn- bpf-object
  "Compiles C for the BPF target with BTF in dir; returns the object's path."
  ^String [^File dir name source]
  (let [c (io/file dir (str name ".c"))
        o (io/file dir (str name ".o"))]
    (spit c source)
    (let [r (sh (clang) "-g" "-O2" "-target" "bpf" "-I/usr/include/x86_64-linux-gnu"
                  (str "-I" dir) "-c" "-o" (str o) (str c))]
      (is (zero? (.exit r)) (.err r)))
    (str o)))

(defn- with-globals [header structs]
  (apply str header (map #(str "struct " % " " % "_var;\n") structs)))

;; ---------------------------------------------------------------------------
;; The docstrings' examples

(deftest documented-examples
  (let [Ev (s/make-event-def 'Ev [[:pid :u32] [:comm :char 16]])]
    (is (= 448 (count (s/event-btf FlowEvent))))
    (is (bytes? (s/event-btf [ConnectionEvent FlowEvent])))
    (is (= [] (s/check-event Ev (s/event-btf Ev))))
    (when (vmlinux?)
      (is (= [{:path [:h_proto], :struct "ethhdr", :mismatch :byte-order,
               :definition :little-endian, :btf :big-endian}]
             (s/check-event (s/make-event-def 'ethhdr [[:h_dest :u8 6] [:h_source :u8 6]
                                                       [:h_proto :u16]] {:align :natural})
                            vmlinux)))
      (is (= '[(clj-ebpf.dsl.structs/defevent ethhdr {:align :natural}
                 [:h_dest :u8 6] [:h_source :u8 6] [:h_proto :be16])]
             (s/btf->events vmlinux ["ethhdr"])))
      (let [ns (create-ns (gensym "imported"))]
        (binding [*ns* ns]
          (refer-clojure)
          (run! eval (s/btf->events vmlinux '[ethhdr])))
        (let [ethhdr @(ns-resolve ns 'ethhdr)]
          (is (= 14 (s/event-size ethhdr)))
          (is (= :be16 (s/event-field-type ethhdr :h_proto)))
          (is (= [] (s/check-event ethhdr vmlinux)))))
      (is (= '(clj-ebpf.dsl.structs/defevent iphdr {:align :natural}
                [:ihl :u8 {:bits 4}] [:version :u8 {:bits 4}] [:tos :u8] [:tot_len :be16]
                [:id :be16] [:frag_off :be16] [:ttl :u8] [:protocol :u8] [:check :u16]
                [iphdr_anon9])
             (last (s/btf->events vmlinux ["iphdr"]))))
      (let [ns (create-ns (gensym "imported"))]
        (binding [*ns* ns]
          (refer-clojure)
          (run! eval (s/btf->events vmlinux '[tcphdr])))
        (let [tcphdr @(ns-resolve ns 'tcphdr)]
          (is (= 20 (s/event-size tcphdr)))
          (is (= 1 (s/event-field-bits tcphdr :syn)))
          (is (= [] (s/check-event tcphdr vmlinux)))))
      (testing "GNU zero-length arrays import: zone's cacheline padding is __u8 x[0]"
        (let [forms (s/btf->events vmlinux ["zone"])
              pad (first (filter #(= 'cacheline_padding (second %)) forms))]
          (is (= '(clj-ebpf.dsl.structs/defevent cacheline_padding {:align :natural}
                    [:x :char []])
                 pad))
          (is (= 'zone (second (last forms)))))))))

(deftest ptr-comes-back-and-ex-data-reads-back
  (testing ":ptr through event-btf and btf->events is :ptr again (u64 stays u64)"
    (let [d (s/make-event-def 'PtrEv [[:p :ptr] [:q :u64] [:r :ptr 2]] {:align :natural})]
      (is (= '[(clj-ebpf.dsl.structs/defevent ptr_ev {:align :natural}
                 [:p :ptr] [:q :u64] [:r :ptr 2])]
             (s/btf->events (s/event-btf d) ["ptr_ev"])))))
  (testing "an anonymous member is named by its index and bit offset, as data that reads"
    (let [blob (BtfWriter/encode
                ^List (list (BtfType/integer "int" (int 4) (int 1))
                            (BtfType/struct "anon" (long 4)
                                            ^List (list (BtfType$Member. "" (int 1) (long 0)
                                                                         (int 0))))))
          e (try (s/btf->events blob ["anon"]) nil
                 (catch clojure.lang.ExceptionInfo e e))]
      (is (= {:problem :cannot-import :struct "anon" :index 0 :offset 0}
             (select-keys (ex-data e) [:problem :struct :index :offset :member])))
      (is (= (ex-data e) (read-string (pr-str (ex-data e)))) "ex-data prints and reads back")))
  (testing "a struct name the event-file language cannot hold is refused at import"
    (let [blob (BtfWriter/encode
                ^List (list (BtfType/integer "u8" (int 1) (int 0))
                            (BtfType/struct "'x" (long 1)
                                            ^List (list (BtfType$Member. "b" (int 1) (long 0)
                                                                         (int 0))))))]
      (is (thrown-with-msg? clojure.lang.ExceptionInfo #"is not a C identifier"
                            (s/btf->events blob ["'x"]))))))

;; ---------------------------------------------------------------------------
;; event-btf in the kernel

(def ^:private gen-c-def
  "Definitions whose names are C identifiers: every type, arrays, nested events (arrays
  of them too), both packings."
  (let [scalar (gen/elements (keys s/type-sizes))
        fields (fn [types]
                 (gen/fmap (fn [ts] (vec (map-indexed (fn [i [t c]]
                                                        (if (= 1 c)
                                                          [(keyword (str "f" i)) t]
                                                          [(keyword (str "f" i)) t c]))
                                                      ts)))
                           (gen/vector (gen/tuple types (gen/frequency [[3 (gen/return 1)]
                                                                        [1 (gen/choose 2 5)]]))
                                       1 8)))
        align (gen/elements [{:align :natural} {:align :packed}])
        leaf (gen/let [fs (fields scalar) a align n (gen/choose 0 1000000)]
               (s/make-event-def (symbol (str "Leaf" n)) fs a))]
    (gen/let [inner leaf
              fs (fields (gen/one-of [scalar (gen/return inner)]))
              a align]
      (s/make-event-def 'Outer fs a))))

(deftest event-btf-loads-into-the-kernel
  (Bpf/requirePermitted)
  (let [trials 300
        result (tc/quick-check trials
                               (prop/for-all [d gen-c-def]
                                 (BtfLoad/check ^bytes (s/event-btf d))
                                 true)
                               :seed 20261118)]
    (is (:pass? result) (pr-str (select-keys result [:shrunk :fail])))
    (BtfLoad/check ^bytes (s/event-btf [ConnectionEvent FlowEvent Endpoint]))
    (when (:pass? result)
      (println "[kernel]" (:num-tests result) "generated Clojure definitions (nested, arrays,"
               "both packings): event-btf's bytes accepted by BPF_BTF_LOAD"))))

(deftest event-btf-of-any-definition-is-bytes-or-the-librarys-error
  (let [result (tc/quick-check 300
                               (prop/for-all [d gen-def]
                                 (try (bytes? (s/event-btf d))
                                      (catch clojure.lang.ExceptionInfo e
                                        (contains? #{:bad-c-name :c-name-clash}
                                                   (:problem (ex-data e))))))
                               :seed 7)]
    (is (:pass? result) (pr-str (select-keys result [:shrunk :fail]))))
  (doseq [[bad problem] [[nil :no-events] [[] :no-events] [42 :no-events]
                         [["x"] :not-an-event] [{:name 'X} :no-events]
                         [[{:name 'X}] :not-an-event]]]
    (is (= problem (:problem (ex-data (try (s/event-btf bad) nil
                                          (catch clojure.lang.ExceptionInfo e e)))))
        (pr-str bad))))

;; ---------------------------------------------------------------------------
;; check-event against clang objects

(deftest check-event-passes-objects-of-the-projects-header-and-names-altered-fields
  (let [dir (temp-dir)
        header (s/c-header [ConnectionEvent FlowEvent])
        good (bpf-object dir "good" (with-globals header ["connection_event" "flow_event"]))]
    (testing "the header's own object agrees, from a path, a File or the bytes"
      (doseq [d [ConnectionEvent Endpoint FlowEvent]]
        (is (= [] (s/check-event d good)))
        (is (= [] (s/check-event d (io/file good))))
        (is (= [] (s/check-event d (Files/readAllBytes (.toPath (io/file good))))))))
    (testing "a struct name given"
      (is (= [] (s/check-event (s/make-event-def 'Mine [[:addr :be32] [:port :be16]]
                                                 {:align :natural})
                               good "endpoint")))
      (is (= [] (s/check-event Endpoint good 'endpoint))))
    (testing "altered C: two fields swapped, one re-signed, one resized"
      (let [altered (-> header
                        (str/replace #"_Static_assert[^\n]*\n" "")
                        (str/replace "\t__u16 sport;\n\t__u16 dport;"
                                     "\t__u16 dport;\n\t__u16 sport;")
                        (str/replace "\t__u32 pid;\n\tchar comm[16];"
                                     "\t__s32 pid;\n\tchar comm[16];")
                        (str/replace "\t__be16 port;" "\t__be32 port;"))
            bad (bpf-object dir "bad" (with-globals altered ["connection_event" "flow_event"]))]
        (is (= [{:path [:sport] :struct "connection_event" :mismatch :offset
                 :definition 20 :btf 22}
                {:path [:dport] :struct "connection_event" :mismatch :offset
                 :definition 22 :btf 20}]
               (s/check-event ConnectionEvent bad)))
        (is (= [{:path [:src :port] :struct "endpoint" :mismatch :size :definition 2
                 :btf 4}
                {:path [:pid] :struct "flow_event" :mismatch :signedness
                 :definition :unsigned :btf :signed}]
               (s/check-event FlowEvent bad)))
        (is (= [{:path [:port] :struct "endpoint" :mismatch :size :definition 2 :btf 4}]
               (s/check-event Endpoint bad)))))))

;; ---------------------------------------------------------------------------
;; btf->events of random C, evaluated

(deftest imported-forms-evaluated-lay-out-as-the-c-compiler-does
  (let [dir (temp-dir)
        ^RandomC$Unit unit (RandomC/generate (Random. 31) "cj_" 150)
        _ (spit (io/file dir "cj.h") (.source unit))
        obj (bpf-object dir "cj" "#include \"cj.h\"\n")
        program (io/file dir "cj-layout.c")
        exe (io/file dir "cj-layout")
        _ (spit program (RandomC/layoutProgram unit "cj.h"))
        cc (sh (or (tool "gcc") (clang)) "-o" (str exe) (str program))
        _ (is (zero? (.exit cc)) (.err cc))
        ran (sh (str exe))
        numbers (RandomC/parse (.out ran))
        forms (s/btf->events obj (.structs unit))
        ns (create-ns (gensym "imported"))]
    (is (every? #(= 'clj-ebpf.dsl.structs/defevent (first %)) forms))
    (binding [*ns* ns]
      (refer-clojure)
      (run! eval forms))
    (doseq [sname (.structs unit)
            :let [d @(ns-resolve ns (symbol sname))]]
      (is (= (get numbers (str sname " size")) (s/event-size d)) sname)
      (doseq [m (get (.members unit) sname)]
        (is (= (get numbers (str sname " " m " offset")) (s/event-field-offset d (keyword m)))
            (str sname "." m))
        (is (= (get numbers (str sname " " m " size")) (s/event-field-size d (keyword m)))
            (str sname "." m)))
      (is (= [] (s/check-event d obj)) sname))
    (println "[cc]" (count (.structs unit)) "random C structs: btf->events forms of their"
             "clang-19 object, evaluated, lay out as the C compiler does"
             (str "(" (count numbers) " sizes and offsets)"))))

;; ---------------------------------------------------------------------------
;; Errors

(defn- problem [f]
  (try (f) nil (catch clojure.lang.ExceptionInfo e (ex-data e))))

(deftest bad-input-is-the-librarys-ex-info
  (let [btf (s/event-btf FlowEvent)]
    (is (= :bad-btf-source (:problem (problem #(s/check-event FlowEvent 42)))))
    (is (= :bad-btf-source (:problem (problem #(s/btf->events nil ["x"])))))
    (is (= :unreadable-file (:problem (problem #(s/check-event FlowEvent "/nonexistent/x.o")))))
    (is (= :unreadable-file (:problem (problem #(s/check-event FlowEvent "a\u0000b")))))
    (is (= :bad-btf (:problem (problem #(s/check-event FlowEvent (byte-array 30))))))
    (is (= {:problem :unknown-struct :struct "connection_event"}
           (select-keys (problem #(s/check-event ConnectionEvent btf))
                        [:problem :struct])))
    (is (thrown-with-msg? clojure.lang.ExceptionInfo
                          #"BTF bytes has no struct nope; expected a struct of that name"
                          (s/check-event FlowEvent btf "nope")))
    (is (= :unknown-struct (:problem (problem #(s/check-event FlowEvent btf 42)))))
    (is (= :no-events (:problem (problem #(s/btf->events btf [])))))
    (is (= :no-events (:problem (problem #(s/btf->events btf "endpoint")))))
    (is (= :no-events (:problem (problem #(s/btf->events btf [:endpoint])))))
    (is (= :not-an-event (:problem (problem #(s/check-event {:x 1} btf)))))
    (is (= '[(clj-ebpf.dsl.structs/defevent endpoint {:align :natural} [:addr :be32]
                                            [:port :be16])]
           (s/btf->events btf '[endpoint])))))

(s/defevent BtfAddr {:kind :union :align :natural} [:v4 :u32] [:v6 :u8 16])

(s/defevent BtfFlow {:align :natural}
  [:saddr BtfAddr] [:daddr BtfAddr]
  [:sport :be16] [:dport :be16]
  [:fin :u8 {:bits 1}] [:syn :u8 {:bits 1}] [:rst :u8 {:bits 1}] [:psh :u8 {:bits 1}]
  [:ack :u8 {:bits 1}] [:urg :u8 {:bits 1}] [:u8 {:bits 0}]
  [:kind :u8 {:enum {:open 1 :close 2}}]
  [:sk :ptr {:to "sock"}]
  [:data :u8 []])

(deftest the-c-type-model-goes-to-btf-and-back
  (testing "a union, bitfields, an enum, a pointer to a struct and a flexible array:"
    " event-btf, check-event and btf->events agree"
    (let [btf (s/event-btf BtfFlow)]
      (is (= [] (s/check-event BtfFlow btf)))
      (let [forms (s/btf->events btf ["btf_flow"])
            ns (create-ns (gensym "imported"))]
        (binding [*ns* ns]
          (refer-clojure)
          (run! eval forms))
        (let [back @(ns-resolve ns 'btf_flow)]
          (is (= (s/event-size BtfFlow) (s/event-size back)))
          (doseq [f [:fin :syn :rst :psh :ack :urg]]
            (is (= (s/event-field-bit-offset BtfFlow f) (s/event-field-bit-offset back f)))
            (is (= 1 (s/event-field-bits back f))))
          (is (= (s/event-field-offset BtfFlow :kind) (s/event-field-offset back :kind)))
          (is (= [] (s/check-event back btf)))))))
  (testing "a mismatch of the model names the bits"
    (let [other (s/make-event-def 'btf_flow2
                                  [[:saddr :u32] [:fin :u8 {:bits 2}]] {:align :natural})
          btf (s/event-btf (s/make-event-def 'btf_flow2
                                             [[:saddr BtfAddr] [:fin :u8 {:bits 1}]]
                                             {:align :natural}))]
      (is (= #{:type :bitfield :size :offset}
             (set (map :mismatch (s/check-event other btf))))))))

(deftest enums-go-to-btf-and-back
  (testing "an enum field is an ENUM in BTF and comes back with its constants"
    (let [d (s/make-event-def 'EnumEv [[:kind :u32 {:enum {:open 1 :close 2}}]
                                       [:wide :i64 {:enum {:low -1099511627776}}]]
                              {:align :natural})
          btf (s/event-btf d)]
      (is (= [] (s/check-event d btf)))
      (is (= '[(clj-ebpf.dsl.structs/defevent enum_ev {:align :natural}
                 [:kind :u32 {:enum {:open 1 :close 2}}]
                 [:wide :i64 {:enum {:low -1099511627776}}])]
             (s/btf->events btf ["enum_ev"])))
      (let [other (s/make-event-def 'EnumEv [[:kind :u32 {:enum {:open 1 :closed 3}}]
                                             [:wide :i64]]
                                    {:align :natural})]
        (is (= [{:path [:kind] :struct "enum_ev" :mismatch :enum
                 :definition "closed = 3" :btf nil}]
               (s/check-event other btf)))))))
