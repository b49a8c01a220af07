(ns bpf-events.junit
  "Runs clojure.test vars one at a time for the JUnit bridge (ClojureTests.java)."
  (:require [clojure.test :as t])
  (:import (java.io StringWriter)
           (org.opentest4j TestAbortedException)))

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
  report text. A test that made no assertion is reported too: it could not fail. A test
  that threw JUnit's TestAbortedException (a check that cannot run here, reason printed)
  rethrows it, so JUnit counts it as skipped."
  [v]
  (let [out (StringWriter.)
        counters (ref t/*initial-report-counters*)
        aborted (atom nil)
        report t/report]
    (binding [t/*test-out* out
              t/*report-counters* counters
              t/report (fn [m]
                         (if (and (= :error (:type m))
                                  (instance? TestAbortedException (:actual m)))
                           (reset! aborted (:actual m))
                           (report m)))]
      (t/test-vars [v]))
    (when-let [^Throwable e @aborted] (throw e))
    (let [{:keys [pass fail error]} @counters]
      (cond
        (pos? (+ fail error)) (str fail " failure(s), " error " error(s)\n" out)
        (zero? pass) (str v " made no assertion\n" out)
        :else nil))))
