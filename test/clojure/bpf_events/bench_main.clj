(ns bpf-events.bench-main
  "Runs the JMH benchmarks from the Clojure CLI (clojure -M:bench), as bench/run does."
  (:gen-class))

(defn -main
  "Arguments as BenchMain's: [iterations] [seconds per iteration]."
  [& args]
  (let [main (Class/forName "io.github.bpfevents.bench.BenchMain")]
    (.invoke (.getMethod main "main" (into-array Class [(class (make-array String 0))]))
             nil (object-array [(into-array String args)]))))
