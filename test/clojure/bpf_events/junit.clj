(ns bpf-events.junit
  "Runs clojure.test vars one at a time for the JUnit bridge (ClojureTests.java)."
  (:require [clojure.test :as t])
  (:import (java.io StringWriter)))

(set! *warn-on-reflection* true)

(defn load-capturing-warnings
  "Requires ns-sym with *warn-on-reflection* on; returns what the load printed to *err*."
  [ns-sym]
  (let [err (StringWriter.)]
    (binding [*err* err
              *warn-on-reflection* true]
      (require ns-sym))
    (str err)))

(defn test-vars
  "The vars of ns-sym that hold tests, in source order."
  [ns-sym]
  (->> (vals (ns-interns ns-sym))
       (filter (comp :test meta))
       (sort-by (comp (juxt :line :name) meta))
       vec))

(defn run-test-var
  "Runs one test var with its namespace's fixtures. Returns nil when it passed, else the
  report text. A test that made no assertion is reported too: it could not fail."
  [v]
  (let [out (StringWriter.)
        counters (ref t/*initial-report-counters*)]
    (binding [t/*test-out* out
              t/*report-counters* counters]
      (t/test-vars [v]))
    (let [{:keys [pass fail error]} @counters]
      (cond
        (pos? (+ fail error)) (str fail " failure(s), " error " error(s)\n" out)
        (zero? pass) (str v " made no assertion\n" out)
        :else nil))))
