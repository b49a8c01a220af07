(ns bpf-events.hostile
  "Inputs an attacker would choose, that the API accepts in its types: sizes near 2^31,
  records wider and deeper than anything real, C names the compilers reserve, endless
  sequences, definitions that hold themselves, shared nesting, entries that name one
  field twice, junk and null where a value belongs. Every case must end, before the hang
  guard's limit and within the heap of the JVM that runs it (HostileTest runs this
  namespace's -main in a JVM of 256 MiB), with an answer or the library's error naming
  the problem: never a hang, an OutOfMemoryError, a StackOverflowError or another
  exception.

  A case is {:id :class :what :run :expect}: :class is the kind of attack (1 sizes near
  2^31, 2 records no code generator would take, 3 C names, 4 unbounded arguments, 5 depth
  and cycles, 6 time on small inputs, 7 silent loss, 8 other exceptions); :expect is a
  problem keyword (the library's error with that :problem, in Clojure an ex-info, in Java
  a BpfEventsException) or a predicate on the answer."
  (:require [clj-ebpf.dsl.structs :as s]
            [clj-ebpf.dsl.structs.impl :as impl]
            [bpf-events.examples :refer [ConnectionEvent]])
  (:import (io.github.bpfevents BpfEventsException)
           (io.github.bpfevents.asm Insn InsnEncoder Opcode Register Store)
           (io.github.bpfevents.cheader CHeader)
           (io.github.bpfevents.codec EventView FieldHandle)
           (io.github.bpfevents.layout CNames EventLayout FieldSpec FieldType LayoutEngine
                                       Packing)
           (io.github.bpfevents.report LayoutReport PaholeText)
           (java.nio ByteBuffer)
           (java.util ArrayList Collections)
           (java.util.concurrent ExecutionException Future TimeUnit TimeoutException)))

(set! *warn-on-reflection* true)

(def ^:private limit-ms
  "How long a case may run before it counts as a hang: a guard against work without end
  (an endless sequence walked, nesting expanded exponentially), far above what any case
  needs on a loaded machine. How fast the library is, is measured in bench/, not here."
  60000)

;; ---------------------------------------------------------------------------
;; Material

(defn- chain
  "A chain of n hand-made definition maps, each holding the one before: what a program
  building definitions at run time could hand over."
  [n]
  (reduce (fn [inner i] {:name (symbol (str "C" i)) :fields [{:name :in :type inner}]})
          {:name 'C0 :fields [{:name :x :type :u8}]}
          (range 1 n)))

(defn- shared
  "D_0 of one :u8, D_i of two fields that are both D_(i-1): 2^depth scalars, depth+1
  distinct events."
  [depth]
  (reduce (fn [d i] (s/make-event-def (symbol (str "D" i)) [[:x d] [:y d]]))
          (s/make-event-def 'D0 [[:a :u8]])
          (range 1 (inc depth))))

(def ^:private holds-itself
  "A hand-made definition whose only field's type is the definition itself."
  (letfn [(d [] {:name 'Loop :fields (lazy-seq [{:name :self :type (d)}])})]
    (d)))

(def ^:private wide-1260
  (s/make-event-def 'Wide (mapv (fn [i] [(keyword (str "f" i)) :u32]) (range 1260))))

(def ^:private forty (s/make-event-def 'Forty (mapv (fn [i] [(keyword (str "s" i)) :u16]) (range 40))))

(def ^:private hundred-of-forty
  (s/make-event-def 'Hundred (mapv (fn [i] [(keyword (str "n" i)) forty]) (range 100))))

(def ^:private packed-in (s/make-event-def 'In [[:a :u8] [:b :u32] [:c :u16]]))

(def ^:private hundred-million
  (s/make-event-def 'Many [[:x :u8] [:in packed-in 100000000]]))

(def ^:private c-reserved
  "Names that GNU C keeps for itself: predefined macros, and identifiers reserved for the
  compiler (keywords, builtins, attributes, address spaces)."
  ["linux" "unix" "__int128" "__func__" "__bitwise" "__label__" "__extension__" "__seg_fs"
   "__seg_gs" "__builtin_va_list" "__auto_type" "__restrict" "__volatile__" "__asm__"
   "__attribute__" "__typeof__" "__alignof__" "__real__" "__imag__" "__thread"
   "__FILE__" "__LINE__" "__u32" "__be16" "__kernel_size_t" "__bpf__" "__x86_64__"
   "__STDC__" "__GNUC__" "__SIZE_TYPE__" "__has_include" "__null" "__inline"
   "__signed__" "__const" "__complex__"])

(defn- java-insn ^Insn [] (Store/stx io.github.bpfevents.asm.Size/W Register/R6 8 Register/R7))

;; ---------------------------------------------------------------------------
;; The cases

(defn- answer [pred] pred)

(def cases
  [;; 1. sizes near 2^31
   {:id "1.1" :class 1 :what "the report of a [:a :u8 2147483647] event"
    :run #(s/event-report (s/make-event-def 'A [[:a :u8 2147483647]]))
    :expect (answer #(re-find #"size: 2147483647, cachelines: 33554432" %))}
   {:id "1.2" :class 1 :what "describe-event of the same"
    :run #(:totals (s/describe-event (s/make-event-def 'A [[:a :u8 2147483647]])))
    :expect (answer #(= 33554432 (:cachelines %)))}
   {:id "1.3" :class 1 :what "the lint of a packed array of 10^8 packed events"
    :run #(vec (take 3 (s/event-misaligned-fields hundred-million)))
    :expect (answer #(= [[:in 0 :b] [:in 1 :b] [:in 1 :c]] (map :path %)))}
   {:id "1.4" :class 1 :what "describe-event of 10^8 packed events"
    :run #(select-keys (s/describe-event hundred-million) [:misaligned-count :size])
    :expect (answer #(= {:misaligned-count 125000000 :size 700000001} %))}
   {:id "1.5" :class 1 :what "the pahole report of 10^8 packed events"
    :run #(count (s/event-report hundred-million))
    :expect (answer #(< % 5000))}
   {:id "1.6" :class 1 :what "encode-event of a 2^31-2 byte event"
    :run #(s/encode-event (s/make-event-def 'H [[:a :u8 2147483646]]) {})
    :expect :event-too-large}
   {:id "1.7" :class 1 :what "InsnEncoder.encode of 2^28 instructions"
    :run #(InsnEncoder/encode (Collections/nCopies (bit-shift-left 1 28) (java-insn)))
    :expect :too-many-instructions}
   {:id "1.8" :class 1 :what "c-header of a valid 2^31-7 byte packed event"
    :run #(s/c-header (s/make-event-def 'P [[:a :u8] [:b :u32 536870910]]))
    :expect (answer #(re-find #"sizeof\(struct p\) == 2147483641" %))}
   {:id "1.9" :class 1 :what "a record one byte past 2^31-1"
    :run #(s/make-event-def 'T [[:a :u8 2147483647] [:b :u8]])
    :expect :event-too-large}
   {:id "1.10" :class 1 :what "a natural record that padding pushes past 2^31-1"
    :run #(s/make-event-def 'T [[:a :u8 2147483641] [:b :u64]] {:align :natural})
    :expect :event-too-large}

   ;; 2. records no code generator would take
   {:id "2.1" :class 2 :what "decode-event of 1,260 fields"
    :run #(count (s/decode-event wide-1260 (byte-array (s/event-size wide-1260))))
    :expect (answer #(= 1260 %))}
   {:id "2.2" :class 2 :what "event-decoder of 100 nested fields of 40 scalars"
    :run #(count ((s/event-decoder hundred-of-forty) (byte-array 8000)))
    :expect (answer #(= 100 %))}
   {:id "2.3" :class 2 :what "a chain of events 300 deep"
    :run #(reduce (fn [d i] (s/make-event-def (symbol (str "N" i)) [[:in d]]))
                  (s/make-event-def 'N0 [[:x :u8]]) (range 1 300))
    :expect :too-deep}
   {:id "2.4" :class 2 :what "65,536 fields"
    :run #(s/make-event-def 'F (mapv (fn [i] [(keyword (str "f" i)) :u8]) (range 65536)))
    :expect :too-many-fields}

   ;; 3. C names
   {:id "3.1" :class 3 :what "every C-reserved field name, in c-header"
    :run #(mapv (fn [n] (try (s/c-header (s/make-event-def 'E [[(keyword n) :u8]])) :accepted
                             (catch clojure.lang.ExceptionInfo e (:problem (ex-data e)))))
                c-reserved)
    :expect (answer #(every? #{:bad-c-name} %))}
   {:id "3.2" :class 3 :what "every C-reserved event name, in c-header"
    :run #(mapv (fn [n] (try (s/c-header (s/make-event-def (symbol n) [[:a :u8]])) :accepted
                             (catch clojure.lang.ExceptionInfo e (:problem (ex-data e)))))
                c-reserved)
    :expect (answer #(every? #{:bad-c-name} %))}
   {:id "3.3" :class 3 :what "an include guard of the kernel's headers"
    :run #(s/c-header ConnectionEvent {:guard "_LINUX_TYPES_H"})
    :expect :bad-option}
   {:id "3.4" :class 3 :what "an include guard that is a predefined macro"
    :run #(s/c-header ConnectionEvent {:guard "linux"})
    :expect :bad-option}
   {:id "3.5" :class 3 :what "a nested event named unix"
    :run #(s/c-header (s/make-event-def 'Outer [[:u (s/make-event-def 'unix [[:a :u8]])]]))
    :expect :bad-c-name}

   ;; 4. unbounded arguments
   {:id "4.1" :class 4 :what "(event-size (range))"
    :run #(s/event-size (range)) :expect :not-an-event}
   {:id "4.2" :class 4 :what "a count that is an endless seq"
    :run #(s/make-event-def 'X [[:a :u8 (range)]]) :expect :bad-count}
   {:id "4.3" :class 4 :what "(insn->asm (range))"
    :run #(s/insn->asm (range)) :expect :not-an-instruction}
   {:id "4.4" :class 4 :what "field specs that never end"
    :run #(s/make-event-def 'X (repeat [:a :u8])) :expect :too-many-fields}
   {:id "4.5" :class 4 :what "an array value that never ends"
    :run #(s/encode-event ConnectionEvent {:padding (range)}) :expect :bad-value}
   {:id "4.6" :class 4 :what "a buffer that is an endless seq"
    :run #(s/decode-event ConnectionEvent (range)) :expect :not-a-buffer}
   {:id "4.7" :class 4 :what "c-header of an endless seq"
    :run #(s/c-header (range)) :expect :not-an-event}
   {:id "4.8" :class 4 :what "store values that are an endless seq"
    :run #(s/store-event-fields :r6 ConnectionEvent (range)) :expect :bad-value-spec}
   {:id "4.9" :class 4 :what "a path that is an endless seq"
    :run #(s/event-field-offset ConnectionEvent (range)) :expect :unknown-field}
   {:id "4.10" :class 4 :what "a program of endless valid instructions"
    :run #(s/assemble (repeat (s/store-event-field :r6 ConnectionEvent :pid :r7)))
    :expect :too-many-instructions}
   {:id "4.11" :class 4 :what "a bad spec beside a 22-deep shared chain (the message)"
    :run #(s/make-event-def 'X [[:a (shared 22)] [:b :u99]])
    :expect :unknown-type}
   {:id "4.12" :class 4 :what "options that never end"
    :run #(s/make-event-def 'X [[:a :u8]] (range)) :expect :bad-option}
   {:id "4.13" :class 4 :what "a field name that is an endless seq"
    :run #(s/make-event-def 'X [[(range) :u8]]) :expect :bad-field-name}
   {:id "4.14" :class 4 :what "a program of endless empty vectors"
    :run #(s/assemble (repeat [])) :expect :too-many-instructions}
   {:id "4.15" :class 4 :what "struct names that never end"
    :run #(s/btf->events "/sys/kernel/btf/vmlinux" (repeat "ethhdr")) :expect :no-events}
   {:id "4.16" :class 4 :what "c-header of the same event, endlessly"
    :run #(s/c-header (repeat ConnectionEvent)) :expect :too-many-events}
   {:id "4.16b" :class 4 :what "c-header of endless fresh 1,000-field definitions"
    :run #(let [fs (mapv (fn [i] [(keyword (str "f" i)) :u64]) (range 1000))]
            (s/c-header (repeatedly (fn [] {:name 'X :fields fs}))))
    :expect :too-many-events}
   {:id "4.17" :class 4 :what "event-btf of 65,536 events"
    :run #(s/event-btf (vec (repeat 65536 ConnectionEvent))) :expect :too-many-events}

   ;; 5. depth and cycles
   {:id "5.1" :class 5 :what "event-size of a definition that holds itself"
    :run #(s/event-size holds-itself) :expect :too-deep}
   {:id "5.2" :class 5 :what "decode-event of a 1,000-deep hand-made chain"
    :run #(s/decode-event (chain 1000) (byte-array 1)) :expect :too-deep}
   {:id "5.3" :class 5 :what "describe-event of a 6,000-deep hand-made chain"
    :run #(s/describe-event (chain 6000)) :expect :too-deep}
   {:id "5.4" :class 5 :what "encode-event of a 6,000-deep hand-made chain"
    :run #(s/encode-event (chain 6000) {}) :expect :too-deep}
   {:id "5.5" :class 5 :what "a chain exactly as deep as allowed"
    :run #(s/event-size (chain 32)) :expect (answer #(= 1 %))}
   {:id "5.6" :class 5 :what "equality and hash of two 30-deep shared chains"
    :run #(let [a (shared 30) b (shared 30)] [(= a b) (= (hash a) (hash b)) (.equals ^Object a b)])
    :expect (answer #(= [true true true] %))}
   {:id "5.8" :class 5 :what "instructions nested 100,000 vectors deep"
    :run #(s/assemble (nth (iterate vector []) 100000)) :expect :too-deeply-nested}
   {:id "5.8b" :class 5 :what "700,000 instructions, each two vectors deep"
    :run #(alength ^bytes (s/assemble (vec (repeat 700000 [[(s/store-event-field :r6 ConnectionEvent
                                                                                  :pid :r7)]]))))
    :expect (answer #(= (* 8 700000) %))}
   {:id "5.9" :class 5 :what "insn->asm of instructions nested 100,000 deep"
    :run #(s/insn->asm (nth (iterate list ()) 100000)) :expect :too-deeply-nested}
   {:id "5.7" :class 5 :what "equality and hash of their layouts (Java)"
    :run #(let [^EventLayout a (impl/layout-of (shared 30))
                ^EventLayout b (impl/layout-of (shared 30))]
            [(.equals a b) (= (.hashCode a) (.hashCode b))])
    :expect (answer #(= [true true] %))}

   ;; 6. time on small inputs
   {:id "6.1" :class 6 :what "c-header of a 28-deep shared chain (2^28 scalars)"
    :run #(count (s/c-header (shared 28)))
    :expect (answer #(< % 20000))}
   {:id "6.2" :class 6 :what "the report of a 28-deep shared chain"
    :run #(count (s/event-report (shared 28)))
    :expect (answer #(< % 5000))}

   ;; 7. silent loss
   {:id "7.1" :class 7 :what "two entries that name the same field"
    :run #(s/store-event-fields :r6 ConnectionEvent {:pid {:imm 1} [:pid] {:imm 2}})
    :expect :duplicate-field}
   {:id "7.1b" :class 7 :what "an array and its first element, both given"
    :run #(s/store-event-fields :r6 ConnectionEvent {:comm {:imm 1} [:comm 0] {:imm 2}})
    :expect :duplicate-field}
   {:id "7.2" :class 7 :what "a mutable Java list of fields, edited after first use"
    :run #(let [fields (ArrayList. [{:name :a :type :u8}])
                d {:name 'M :fields fields}
                before (s/decode-event d (byte-array [1 2 3]))]
            (.add fields {:name :b :type :u16})
            [before (s/decode-event d (byte-array [1 2 3]))])
    :expect (answer #(= [{:a 1} {:a 1 :b 770}] %))}

   ;; 8. other exceptions
   {:id "8.1" :class 8 :what "(event-size (assoc E :fields [42]))"
    :run #(s/event-size (assoc ConnectionEvent :fields [42])) :expect :bad-field-spec}
   {:id "8.2" :class 8 :what ":fields 5"
    :run #(s/event-size (assoc ConnectionEvent :fields 5)) :expect :bad-field-specs}
   {:id "8.3" :class 8 :what ":fields \"abc\""
    :run #(s/event-size (assoc ConnectionEvent :fields "abc")) :expect :bad-field-specs}
   {:id "8.4" :class 8 :what "LayoutReport.of(null)"
    :run #(LayoutReport/of nil) :expect :not-an-event}
   {:id "8.5" :class 8 :what "PaholeText.render(null)"
    :run #(PaholeText/render nil) :expect :not-a-report}
   {:id "8.6" :class 8 :what "CHeader.needsPackedAttribute(null)"
    :run #(CHeader/needsPackedAttribute nil) :expect :not-an-event}
   {:id "8.7" :class 8 :what "CNames.identifier(null, \"field\")"
    :run #(CNames/identifier nil "field") :expect :bad-c-name}
   {:id "8.8" :class 8 :what "CNames.convert(null)"
    :run #(CNames/convert nil) :expect :bad-c-name}
   {:id "8.9" :class 8 :what "Store.stOpcode(null)"
    :run #(Store/stOpcode nil) :expect :missing-argument}
   {:id "8.10" :class 8 :what "Opcode.loadStore(null, null, null)"
    :run #(Opcode/loadStore nil nil nil) :expect :missing-argument}
   {:id "8.11" :class 8 :what "EventView.handle((Object[]) null)"
    :run #(.handle (EventView/of ^EventLayout (impl/layout-of ConnectionEvent))
                   ^objects (identity nil))
    :expect :unknown-field}
   {:id "8.11b" :class 8 :what "EventView.handle((List) null)"
    :run #(.handle (EventView/of ^EventLayout (impl/layout-of ConnectionEvent))
                   ^java.util.List (identity nil))
    :expect :unknown-field}
   {:id "8.12" :class 8 :what "view.getU32((FieldHandle) null)"
    :run #(.getU32 (.wrap (EventView/of ^EventLayout (impl/layout-of ConnectionEvent))
                          (ByteBuffer/allocate 64) 0)
                   ^FieldHandle (identity nil))
    :expect :not-a-handle}
   {:id "8.13" :class 8 :what "InsnEncoder.encode(insn, a read-only buffer)"
    :run #(InsnEncoder/encode (java-insn) (.asReadOnlyBuffer (ByteBuffer/allocate 8)))
    :expect :read-only-buffer}
   {:id "8.14" :class 8 :what "LayoutEngine.layout with a null packing"
    :run #(LayoutEngine/layout "E" [(FieldSpec/of "a" FieldType/U8)] nil)
    :expect :bad-option}])

;; ---------------------------------------------------------------------------
;; Running them

(defn- problem-of
  "The :problem of the library's error, or nil for any other throwable."
  [^Throwable e]
  (cond
    (instance? BpfEventsException e) (keyword (.problem ^BpfEventsException e))
    (instance? clojure.lang.ExceptionInfo e) (:problem (ex-data e))
    :else nil))

(defn run-case
  "Runs one case on its own thread under the hang guard: {:id :ok? :ms :got}."
  [{:keys [id run expect]}]
  (let [start (System/nanoTime)
        ^Future f (future (try {:value (run)} (catch Throwable e {:error e})))
        result (try (.get f limit-ms TimeUnit/MILLISECONDS)
                    (catch TimeoutException _ (.cancel f true) {:timeout true})
                    (catch ExecutionException e {:error (.getCause e)}))
        ms (quot (- (System/nanoTime) start) 1000000)
        {:keys [value error timeout]} result
        ok? (and (not timeout)
                 (if (keyword? expect)
                   (= expect (some-> error problem-of))
                   (and (nil? error) (boolean (expect value)))))]
    {:id id :ok? ok? :ms ms
     :got (cond timeout (str "no answer within " limit-ms " ms")
                error (str (.getName (class error)) ": " (let [m (str (ex-message error))]
                                                            (subs m 0 (min 300 (count m))))
                           (when-let [p (problem-of error)] (str " " p)))
                :else (let [v (pr-str value)] (subs v 0 (min 300 (count v)))))}))

(def ^:private wide-union
  (delay (s/make-event-def 'WideUnion (mapv (fn [i] [(keyword (str "m" i)) :u64]) (range 20000))
                           {:kind :union})))

(def type-model-cases
  "Attacks on the C type model: unions, anonymous members, bitfields, enums."
  [{:id "9.1" :class 2 :what "encode-event of 20,000 union members, all given"
    :run #(s/encode-event @wide-union (into {} (map (fn [i] [(keyword (str "m" i)) 1]))
                                            (range 20000)))
    :expect :overlapping-fields}
   {:id "9.2" :class 2 :what "decode-event of a union of 20,000 members"
    :run #(count (s/decode-event @wide-union (byte-array 8))) :expect #(= 20000 %)}
   {:id "9.3" :class 5 :what "anonymous members nested 33 deep"
    :run #(reduce (fn [d i] (s/make-event-def (symbol (str "A" i)) [[d]]))
                  (s/make-event-def 'A [[:x :u8]]) (range 40))
    :expect :too-deep}
   {:id "9.4" :class 4 :what "an enum that is an endless seq"
    :run #(s/make-event-def 'E [[:k :u8 {:enum (range)}]]) :expect :bad-enum}
   {:id "9.5" :class 1 :what "aligned(2^28) after a field of 2^31-8 bytes"
    :run #(s/make-event-def 'E [[:a :u8 2147483640] [:b :u8 {:aligned 268435456}]])
    :expect :event-too-large}
   {:id "9.6" :class 1 :what "a union of a 2^31-1 byte member, aligned 8"
    :run #(s/make-event-def 'E [[:a :u8 2147483647]] {:kind :union :aligned 8})
    :expect :event-too-large}
   {:id "9.7" :class 7 :what "an enum of 5,000 values: none lost"
    :run #(let [d (s/make-event-def 'E [[:k :u16 {:enum (into {} (map (fn [i] [(keyword (str "v" i)) i]))
                                                               (range 5000))}]])]
            (:k (s/decode-event d (s/encode-event d {:k 4999}))))
    :expect #(= :v4999 %)}
   {:id "9.8" :class 8 :what "a bitfield store of a string immediate"
    :run #(s/store-event-bits :r6 (s/make-event-def 'B [[:a :u8 {:bits 3}] [:b :u32]]) :a
                              {:imm "1"} :r1)
    :expect :immediate-out-of-range}])

(defn -main
  "Runs every case; prints a line each (ok or FAIL, id, milliseconds, what, and what it
  got when it failed) and a summary; exits with the number of failures."
  [& _]
  (let [results (doall (for [c (into cases type-model-cases)]
                         (let [r (run-case c)]
                           (println (if (:ok? r) "ok  " "FAIL") (:id r) (str (:ms r) "ms")
                                    (:what c) (if (:ok? r) "" (str "-> " (:got r))))
                           (flush)
                           r)))
        failed (count (remove :ok? results))]
    (println "hostile:" (count results) "cases in" (count (set (map :class cases)))
             "classes," failed "failed; slowest"
             (apply max (map :ms results)) "ms; heap limit"
             (quot (.maxMemory (Runtime/getRuntime)) (* 1024 1024)) "MiB")
    (flush)
    (shutdown-agents)
    (System/exit (min failed 100))))
