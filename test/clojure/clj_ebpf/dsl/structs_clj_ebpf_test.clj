(ns clj-ebpf.dsl.structs-clj-ebpf-test
  "The instructions the library returns, with clj-ebpf present and absent. Present, they
  are clj-ebpf's own record clj_ebpf.dsl.instructions.Instruction, equal to what its
  builders make; absent, or present but failing to load (it needs Java 21 or later), the
  library's own record, the load tried once. clj-ebpf is on no registry here, so the
  present cases run in child JVMs whose classpath adds the stand-ins of test/clj-ebpf
  (written to the shape of clj-ebpf's public source, see its README); this JVM never has
  them, so here clj-ebpf is absent."
  (:require [clojure.edn :as edn]
            [clojure.java.shell :as sh]
            [clojure.test :refer [deftest is testing]]
            [bpf-events.examples :refer [ConnectionEvent]]
            [clj-ebpf.dsl.structs :as s]))

(set! *warn-on-reflection* true)

(defn- child-checks
  "Runs test/clj-ebpf/checks.clj in a child JVM of this JVM's java and classpath, with
  the stand-in directory dir added, and returns the map of check results it prints."
  [dir mode]
  (let [java (str (System/getProperty "java.home") "/bin/java")
        cp (str (System/getProperty "java.class.path") java.io.File/pathSeparator
                "test/clj-ebpf/" dir)
        r (sh/sh java "-cp" cp "clojure.main" "test/clj-ebpf/checks.clj" mode)]
    (is (zero? (:exit r)) (:err r))
    (try (edn/read-string (:out r))
         (catch Exception _ {:output (str (:out r) (:err r))}))))

(defn- all-held [results n]
  (is (= n (count results)) (pr-str results))
  (doseq [[k v] results]
    (is (true? v) (str k ": " v))))

(deftest with-clj-ebpf-loaded-the-instructions-are-its-records
  (all-held (child-checks "present" "loaded") 15))

(deftest with-clj-ebpf-on-the-classpath-the-instructions-are-its-records
  (testing "the library loads clj-ebpf's namespace itself when the caller has not"
    (all-held (child-checks "present" "loadable") 15)))

(deftest with-clj-ebpf-failing-to-load-the-librarys-record-stands-in
  (testing "the failure is met once, at load, and leaves no half-made namespace"
    (all-held (child-checks "unloadable" "unloadable") 5)))

(deftest with-a-clj-ebpf-of-another-shape-the-librarys-record-stands-in
  (all-held (child-checks "misshapen" "misshapen") 4))

(deftest without-clj-ebpf-the-librarys-record
  (is (nil? (find-ns 'clj-ebpf.dsl.instructions)) "this JVM has no clj-ebpf")
  (let [i (s/store-event-field :r6 ConnectionEvent :pid :r7)]
    (is (instance? clj_ebpf.dsl.structs.Instruction i))
    (is (= [Long Long Long Long Long] (mapv class (vals i))))
    (is (= {:opcode 0x63 :dst 6 :src 7 :offset 8 :imm 0} (into {} i)))))

(deftest an-unknown-field-in-a-store-is-reported-as-clj-ebpf-reports-it
  (testing "clj-ebpf's stores throw \"Unknown field: \" with :event (the definition's
  name, a symbol), :field and :available-fields; the library's data stays beside them"
    (doseq [[what f] {"store-event-field" #(s/store-event-field :r6 ConnectionEvent :nope :r7)
                      "store-event-imm" #(s/store-event-imm :r6 ConnectionEvent :nope 1)
                      "zero-event-field" #(s/zero-event-field :r6 ConnectionEvent :nope)
                      "store-event-fields" #(s/store-event-fields :r6 ConnectionEvent
                                                                  {:pid {:reg :r7} :nope {:imm 1}})
                      "store-event-bits" #(s/store-event-bits :r6 ConnectionEvent :nope {:imm 1} :r1)}]
      (let [e (try (f) nil (catch clojure.lang.ExceptionInfo e e))
            d (ex-data e)]
        (is (= (str "Unknown field: :nope; event ConnectionEvent has no field :nope; expected"
                    " one of [:timestamp :pid :saddr :daddr :sport :dport :protocol :direction"
                    " :padding :comm]")
               (ex-message e))
            what)
        (is (= 'ConnectionEvent (:event d)) what)
        (is (symbol? (:event d)) what)
        (is (= :nope (:field d)) what)
        (is (= (s/event-fields ConnectionEvent) (:available-fields d)) what)
        (is (vector? (:available-fields d)) what)
        (is (= {:problem :unknown-field :path [:nope] :accepted (s/event-fields ConnectionEvent)}
               (select-keys d [:problem :path :accepted]))
            what))))
  (testing "a definition named by a keyword or string keeps that name, as clj-ebpf's does"
    (is (= :k (:event (ex-data (try (s/store-event-field :r6 (s/make-event-def :k [[:a :u8]]) :b :r7)
                                    (catch clojure.lang.ExceptionInfo e e)))))))
  (testing "in a path, the field names where the name was looked for"
    (let [d (ex-data (try (s/store-event-field :r6 (s/make-event-def 'Outer [[:x :u8] [:in (s/make-event-def 'In [[:a :u8]])]])
                                               [:in :b] :r7)
                          (catch clojure.lang.ExceptionInfo e e)))]
      (is (= ['Outer :b [:a]] ((juxt :event :field :available-fields) d)))))
  (testing "what is no field name at all is unknown too, as clj-ebpf finds it"
    (let [e (try (s/store-event-imm :r6 ConnectionEvent "pid" 1) (catch clojure.lang.ExceptionInfo e e))]
      (is (re-find #"^Unknown field: \"pid\"; " (ex-message e)))
      (is (= (s/event-fields ConnectionEvent) (:available-fields (ex-data e))))))
  (testing "other mistakes keep the library's message"
    (let [e (try (s/store-event-field :r11 ConnectionEvent :pid :r7) (catch clojure.lang.ExceptionInfo e e))]
      (is (= :unknown-register (:problem (ex-data e))))
      (is (re-find #"^unknown register :r11; " (ex-message e))))))
