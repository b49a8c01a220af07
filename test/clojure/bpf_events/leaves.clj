(ns bpf-events.leaves
  "The size of the Clojure layer as a number: the leaves of every top-level form of the
  files under src/main/clojure (.clj and .cljc), strings excluded. A leaf is anything the
  reader gives that is not a collection: a symbol, keyword, number, character, nil or
  boolean; a syntax-quoted form counts as what the reader expands it to.

      clojure -M -m bpf-events.leaves      ; or (bpf-events.leaves/-main)"
  (:require [clojure.java.io :as io])
  (:import (clojure.lang LineNumberingPushbackReader)
           (java.io File)))

(set! *warn-on-reflection* true)

(defn- forms [^File f]
  (with-open [r (LineNumberingPushbackReader. (io/reader f))]
    (binding [*ns* (create-ns 'bpf-events.leaves.reading)]
      (alias 'impl (create-ns 'clj-ebpf.dsl.structs.impl))
      (alias 'spec (create-ns 'clojure.spec.alpha))
      (doall (take-while #(not= ::eof %)
                         (repeatedly #(read {:eof ::eof :read-cond :allow} r)))))))

(defn leaves
  "The number of non-string leaves of the form x."
  ^long [x]
  (->> (tree-seq coll? seq x)
       (remove coll?)
       (remove string?)
       count))

(defn -main [& _]
  (let [files (->> (file-seq (io/file "src/main/clojure"))
                   (filter #(re-find #"\.cljc?$" (.getName ^File %)))
                   (sort-by #(.getPath ^File %)))
        counts (map (fn [^File f] [(.getPath f) (reduce + (map leaves (forms f)))]) files)]
    (doseq [[p n] counts] (println n p))
    (println (reduce + (map second counts)) "total")))
