;; Run by clj-ebpf.dsl.structs-clj-ebpf-test in a child JVM: `clojure.main checks.clj MODE`,
;; MODE one of loaded (clj-ebpf.dsl.instructions required before the library), loadable
;; (on the classpath, never required by the caller), unloadable or misshapen. Prints one EDN map of
;; check name -> true when the check held, else what was found instead.
(def mode (first *command-line-args*))

(when (= mode "loaded") (require 'clj-ebpf.dsl.instructions))
(require '[clj-ebpf.dsl.structs :as s])

(s/defevent E [:ts :u64] [:pid :u32] [:proto :u8] [:pad :u8 3] [:comm :char 16])

(def results (atom {}))
(defmacro check [k expr]
  `(swap! results assoc ~k (try (let [v# ~expr] (if (true? v#) true (pr-str v#)))
                                (catch Throwable e# (str "threw " e#)))))

(def outputs
  "Every function that returns instructions, and what it returned."
  (let [one [(s/store-event-field :r6 E :pid :r7)
             (s/store-event-imm :r6 E :proto 6)
             (s/zero-event-field :r6 E :pid)
             (s/read-insn {:opcode 0xb7 :dst 1 :src 0 :offset 0 :imm -1})]
        many [(s/zero-event-field :r6 E :comm)
              (s/zero-event :r6 E)
              (s/store-event-fields :r6 E {:pid {:reg :r7} :ts {:imm 1}})
              (s/emit-event E {:program-type :kprobe :map 5 :fields {:ts :ktime-ns}})
              ((requiring-resolve 'clj-ebpf.dsl.structs.emit/link)
               [(s/emit-event E {:program-type :kprobe :map :events :on-failure :full
                                 :fields {:pid :pid}})
                {:label :full}])]]
    (into one (apply concat many))))

(def absent? (contains? #{"unloadable" "misshapen"} mode))

(def record-class (if absent?
                    clj_ebpf.dsl.structs.Instruction
                    (resolve 'clj_ebpf.dsl.instructions.Instruction)))

(check :every-output-is-the-record
       (every? #(instance? record-class %) outputs))
(check :field-types
       (let [types (if absent?
                     [Long Long Long Long Long]
                     [Byte Byte Byte Short Integer])]
         (or (every? #(= types (mapv class ((juxt :opcode :dst :src :offset :imm) %))) outputs)
             (mapv #(mapv class (vals %)) outputs))))

(if absent?
  (do
    (when (= mode "misshapen")
      (check :its-namespace-kept (some? (find-ns 'clj-ebpf.dsl.instructions))))
    (when (= mode "unloadable")
      (check :no-clj-ebpf-namespace-left (nil? (find-ns 'clj-ebpf.dsl.instructions)))
      (dotimes [_ 1000] (s/store-event-field :r6 E :pid :r7) (s/zero-event :r6 E))
      (check :one-load-attempt (= "1" (System/getProperty "clj-ebpf.load-attempts"))))
    (check :prints-as-the-librarys
           (= "#bpf/insn {:opcode 0x63, :dst 6, :src 7, :offset 8, :imm 0}"
              (pr-str (s/store-event-field :r6 E :pid :r7)))))
  (let [stx (requiring-resolve 'clj-ebpf.dsl.mem/stx)
        st (requiring-resolve 'clj-ebpf.dsl.mem/st)
        make (requiring-resolve 'clj-ebpf.dsl.instructions/make-instruction)
        valid? (requiring-resolve 'clj-ebpf.dsl.instructions/valid-instruction?)]
    (check :stx-equal (= (stx :w :r6 8 :r7) (s/store-event-field :r6 E :pid :r7)))
    (check :stx-java-equal (.equals ^Object (stx :w :r6 8 :r7)
                                    (s/store-event-field :r6 E :pid :r7)))
    (check :stx-same-hash (= (hash (stx :w :r6 8 :r7))
                             (hash (s/store-event-field :r6 E :pid :r7))))
    (check :stx-integer-registers (= (stx :w 6 8 7) (s/store-event-field 6 E :pid 7)))
    (check :zero-one-store (= (st :w :r6 8 0) (s/zero-event-field :r6 E :pid)))
    (check :st-equal (= (st :b :r6 12 6) (s/store-event-imm :r6 E :proto 6)))
    (check :st-dw-equal (= (st :dw :r6 0 -1) (s/store-event-imm :r6 E :ts 0xffffffffffffffff)))
    (check :zero-field-stores (= [(st :b :r6 13 0) (st :h :r6 14 0)]
                                 (s/zero-event-field :r6 E :pad)))
    (check :read-insn-equal (= (make 0xb7 1 0 0 -1)
                               (s/read-insn {:opcode 0xb7 :dst 1 :src 0 :offset 0 :imm -1})))
    (check :valid-instruction (every? valid? outputs))
    (check :prints-as-clj-ebpfs
           (.startsWith (pr-str (s/store-event-field :r6 E :pid :r7))
                        "#clj_ebpf.dsl.instructions.Instruction{"))
    (check :mixed-program-assembles
           (= [-73 1 0 0 0 0 0 0 99 118 8 0 0 0 0 0]
              (vec (s/assemble [(make 0xb7 1 0 0 0) (s/store-event-field :r6 E :pid :r7)]))))
    (check :mixed-program-prints
           (= ["r1 = 0" "*(u32 *)(r6 + 8) = r7" "exit"]
              (s/insn->asm [(make 0xb7 1 0 0 0) (s/store-event-field :r6 E :pid :r7)
                            (make 0x95 0 0 0 0)])))))

(prn @results)
