(ns bpf-events.run
  "Runs clojure.test namespaces from the Clojure CLI (clojure -X:test).")

(defn run-namespaces
  "Requires and runs the given namespaces; exits 0 when all passed, else 1."
  [{:keys [namespaces]}]
  (apply require namespaces)
  (let [{:keys [fail error]} (apply (requiring-resolve 'clojure.test/run-tests) namespaces)]
    (shutdown-agents)
    (System/exit (if (zero? (+ fail error)) 0 1))))
