(ns clj-ebpf.dsl.deps-edn-test
  "deps.edn really works for Clojure CLI users: tools.deps resolves it to a basis with the
  source paths and Clojure, and the :deps/prep-lib step (build/compile-java, tools.build
  javac) produces classes with which clj-ebpf.dsl.structs loads in a fresh JVM."
  (:require [clojure.edn :as edn]
            [clojure.java.io :as io]
            [clojure.java.shell :as sh]
            [clojure.string :as str]
            [clojure.test :refer [deftest is]]
            [clojure.tools.deps :as deps])
  (:import (java.nio.file Files)
           (java.nio.file.attribute FileAttribute)))

(set! *warn-on-reflection* true)

(def ^:private project (edn/read-string (slurp "deps.edn")))

(deftest deps-edn-declares-paths-deps-prep-and-aliases
  (is (= ["src/main/clojure" "target/classes"] (:paths project)))
  (is (contains? (:deps project) 'org.clojure/clojure))
  (is (= {:alias :build :fn 'compile-java :ensure "target/classes"} (:deps/prep-lib project)))
  (is (contains? (:aliases project) :build))
  (is (contains? (:aliases project) :test))
  (is (contains? (:aliases project) :bench)))

(defn- basis []
  (deps/create-basis {:user nil :project "deps.edn"}))

(deftest tools-deps-resolves-the-project
  (let [b (basis)
        roots (:classpath-roots b)]
    (is (some #{"src/main/clojure"} roots))
    (is (some #{"target/classes"} roots))
    (is (some #(re-find #"clojure-1\.12\.\d+\.jar$" %) roots))
    (is (= (get-in project [:deps 'org.clojure/clojure :mvn/version])
           (get-in b [:libs 'org.clojure/clojure :mvn/version])))))

(deftest the-prep-step-output-lets-the-namespace-load
  (let [out (str (Files/createTempDirectory "bpf-events-prep" (make-array FileAttribute 0)))
        _ (load-file "build.clj")
        compile-java (resolve 'build/compile-java)]
    (compile-java {:class-dir out})
    (is (.exists (io/file out "io/github/bpfevents/layout/LayoutEngine.class")))
    (let [jars (remove #(or (= % "target/classes") (= % "src/main/clojure"))
                       (:classpath-roots (basis)))
          cp (str/join java.io.File/pathSeparator (concat ["src/main/clojure" out] jars))
          java (str (System/getProperty "java.home") "/bin/java")
          r (sh/sh java "-cp" cp "clojure.main" "-e"
                   (str "(require '[clj-ebpf.dsl.structs :as s])"
                        "(println (s/event-size (s/make-event-def 'E [[:a :u32] [:b :u8]])))"))]
      (is (= 0 (:exit r)) (:err r))
      (is (= "5" (str/trim (:out r)))))))
