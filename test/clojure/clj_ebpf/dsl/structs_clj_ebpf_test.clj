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

(deftest without-clj-ebpf-the-librarys-record
  (is (nil? (find-ns 'clj-ebpf.dsl.instructions)) "this JVM has no clj-ebpf")
  (let [i (s/store-event-field :r6 ConnectionEvent :pid :r7)]
    (is (instance? clj_ebpf.dsl.structs.Instruction i))
    (is (= [Long Long Long Long Long] (mapv class (vals i))))
    (is (= {:opcode 0x63 :dst 6 :src 7 :offset 8 :imm 0} (into {} i)))))
