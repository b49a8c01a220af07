(ns clj-ebpf.dsl.structs.emit
  "Sending an event from BPF: the fragment of instructions that reserves a record in a ring
  buffer, zeroes what no source fills, fills each field from where its value is, and
  submits it. A thin layer over the core's io.github.bpfevents.emit.EventEmitter;
  clj-ebpf.dsl.structs exposes emit-event.

  Where each field comes from is data:

      :ktime-ns :ktime-boot-ns :pid-tgid :pid :tgid :uid-gid :uid :gid :comm :cpu :cgroup-id
                                          a helper's result (see sources)
      {:reg :r7}  {:imm 6}                a register (r6 to r9), a constant
      {:probe-read :r7 :offset 16}        kernel memory at r7 + 16, the field's size
      {:probe-read-str :r7 :offset 0}     a NUL-terminated string there
      [:task_struct :real_parent :tgid]   a path through kernel structs from the current task
      {:path [:sock :__sk_common :skc_num] :from :r7}   ... from a pointer in r7"
  (:require [clj-ebpf.dsl.structs.impl :as impl :refer [core fail kw-name excerpt]])
  (:import (io.github.bpfevents.asm Insn InsnEncoder JumpOp Program Program$Item Program$Jump
                                    Program$Label Program$Slot Register)
           (io.github.bpfevents.btf BtfReader)
           (io.github.bpfevents.emit Delivery EventEmitter EventEmitter$Builder FieldSource
                                     Fragment Fragment$Relocation HelperValue MapRef
                                     ProgramType Wakeup)
           (java.nio.file Path)
           (java.util List)))

(set! *warn-on-reflection* true)

(def sources
  "The helper sources: keyword -> {:helper the helper's name and number, :bytes the fewest
  bytes of the field that takes the value}.

      (:bytes (sources :ktime-ns))  ;=> 8
      (:helper (sources :tgid))     ;=> \"bpf_get_current_pid_tgid#14\""
  (into (sorted-map)
        (map (fn [^HelperValue v]
               [(keyword (.text v)) {:helper (.helperName v) :bytes (long (.bytes v))}]))
        (HelperValue/values)))

(def ^:private helper-values
  (into {} (map (fn [^HelperValue v] [(keyword (.text v)) v])) (HelperValue/values)))

(def ^:private source-expected
  (str "a helper source " (vec (keys sources)) ", {:reg r}, {:imm v}, {:probe-read r"
       " :offset n}, {:probe-read-str r :offset n}, a kernel path [:task_struct ...], or"
       " {:path [...] :from r}"))

(defn- register ^Register [r what]
  (cond
    (keyword? r) (core (Register/named (kw-name r)))
    (and (integer? r) (<= 0 r 10)) (Register/of (int r))
    :else (let [accepted (mapv keyword Register/NAMES)]
            (fail :unknown-register
                  (str what " register " (excerpt r) " is not a register; expected one of "
                       accepted)
                  {:register r :expected (str "one of " accepted) :accepted accepted}))))

(defn- kernel-path ^List [field path]
  (if (and (vector? path) (<= 2 (count path) 64)
           (every? #(or (keyword? %) (string? %) (symbol? %)) path))
    (mapv name path)
    (fail :bad-kernel-path
          (str "field " (excerpt field) ": kernel path " (excerpt path) " will not do;"
               " expected a vector of a struct name and member names, such as"
               " [:task_struct :real_parent :tgid]")
          {:field field :value path
           :expected "a vector of a struct name, then member names (keywords)"})))

(defn- offset-of [field v]
  (if (and (integer? v) (<= Integer/MIN_VALUE v Integer/MAX_VALUE))
    (long v)
    (fail :offset-out-of-range
          (str "field " (excerpt field) ": offset " (excerpt v) " is not a signed 32-bit"
               " integer; expected an integer from " Integer/MIN_VALUE " to "
               Integer/MAX_VALUE)
          {:field field :value v :expected "a signed 32-bit integer"})))

(defn- source ^FieldSource [field s]
  (let [bad #(fail :unknown-source
                   (str "field " (excerpt field) " has source " (excerpt s) ", which is not"
                        " a source; expected " source-expected)
                   {:field field :value s :expected source-expected
                    :accepted (vec (keys sources))})]
    (cond
      (keyword? s) (if-let [v (helper-values s)] (FieldSource/helper v) (bad))
      (vector? s) (FieldSource/path (into-array String (kernel-path field s)))
      (not (and (map? s) (every? keyword? (keys s)))) (bad)
      (= #{:reg} (set (keys s))) (FieldSource/reg (register (:reg s) "source"))
      (= #{:imm} (set (keys s)))
      (let [v (:imm s)]
        (if (and (integer? v) (<= Long/MIN_VALUE v Long/MAX_VALUE))
          (FieldSource/imm (long v))
          (fail :immediate-out-of-range
                (str "field " (excerpt field) ": immediate " (excerpt v) " is not a 64-bit"
                     " integer; expected an integer the field's store can write")
                {:field field :value v :expected "an integer"})))
      (#{#{:probe-read} #{:probe-read :offset}} (set (keys s)))
      (FieldSource/kernelRead (register (:probe-read s) "pointer")
                              (offset-of field (:offset s 0)))
      (#{#{:probe-read-str} #{:probe-read-str :offset}} (set (keys s)))
      (FieldSource/kernelString (register (:probe-read-str s) "pointer")
                                (offset-of field (:offset s 0)))
      (#{#{:path} #{:path :from}} (set (keys s)))
      (let [steps (into-array String (kernel-path field (:path s)))]
        (if (contains? s :from)
          (FieldSource/pathFrom (register (:from s) "pointer") steps)
          (FieldSource/path steps)))
      :else (bad))))

(def ^:private option-keys
  #{:program-type :map :delivery :context-reg :record-reg :live :on-failure :wakeup :btf
    :stack-top :fields :submit-if})

(defn- enum-option [k v table]
  (or (and (keyword? v) (table v))
      (fail :bad-option
            (str "emit-event option " k " " (excerpt v) " is not accepted; expected one of "
                 (vec (keys table)))
            {:key k :value v :expected (str "one of " (vec (keys table)))
             :accepted (vec (keys table))})))

(def ^:private program-types
  (into {} (map (fn [^ProgramType t] [(keyword (.text t)) t])) (ProgramType/values)))

(def ^:private deliveries
  {:reserve Delivery/RESERVE :ring-output Delivery/RING_OUTPUT :perf-output Delivery/PERF_OUTPUT})

(def ^:private wakeups
  {:adaptive Wakeup/ADAPTIVE :no-wakeup Wakeup/NO_WAKEUP :force-wakeup Wakeup/FORCE_WAKEUP})

(def ^:private jump-ops
  (into {} (comp (filter #(.isConditional ^JumpOp %))
                 (map (fn [^JumpOp o] [(keyword (.toLowerCase (.name o))) o])))
        (JumpOp/values)))

(defn- map-ref ^MapRef [m]
  (cond
    (and (integer? m) (<= 0 m Integer/MAX_VALUE)) (MapRef/fd (int m))
    (and (or (keyword? m) (string? m)) (seq (name m))) (MapRef/placeholder (name m))
    :else (fail :bad-map
                (str "emit-event :map " (excerpt m) " will not do; expected a map's file"
                     " descriptor (an integer) or a placeholder's name (a keyword)")
                {:key :map :value m
                 :expected "a file descriptor, or a placeholder's name (a keyword)"})))

(def ^:private instruction
  (delay (requiring-resolve 'clj-ebpf.dsl.structs/->Instruction)))

(defn- insn->clj [^Insn i]
  (@instruction (long (.opcode i)) (long (.dst i)) (long (.src i)) (long (.offset i))
   (long (.imm i))))

(defn- label-name [l]
  (cond
    (keyword? l) (kw-name l)
    (and (string? l) (seq l)) l
    :else (fail :bad-label
                (str "emit-event :on-failure " (excerpt l) " is not a label; expected a"
                     " keyword")
                {:key :on-failure :value l :expected "a keyword"})))

(defn- items->clj
  "The fragment's items as instructions: a jump to a label outside the fragment carries the
  label under :goto (its offset 0 until link resolves it)."
  [^Fragment f]
  (let [^List items (.items f)
        inner (set (Program/labels items))]
    (if (every? #(or (not (instance? Program$Jump %))
                     (inner (.target ^Program$Jump %)))
                items)
      (mapv insn->clj (core (.insns f)))
      ;; link with the outside label placed at the end, then mark that jump
      (let [outside (some #(when (and (instance? Program$Jump %)
                                      (not (inner (.target ^Program$Jump %))))
                             (.target ^Program$Jump %))
                          items)
            linked (core (Program/link (conj (vec items) (Program/label outside))))]
        (loop [i 0 slot 0 out []]
          (if (= i (count items))
            out
            (let [item (.get items i)]
              (cond
                (instance? Program$Label item) (recur (inc i) slot out)
                (and (instance? Program$Jump item)
                     (= outside (.target ^Program$Jump item)))
                (recur (inc i) (inc slot)
                       (conj out (assoc (insn->clj (.get ^List linked slot))
                                        :offset 0 :goto (keyword outside))))
                :else (recur (inc i) (inc slot)
                             (conj out (insn->clj (.get ^List linked slot))))))))))))

(def ^:private btf-cache (atom {}))

(defn- btf-of [source]
  (cond
    (nil? source) nil
    (string? source)
    (or (@btf-cache source)
        (let [b (core (BtfReader/read (Path/of ^String source (make-array String 0))))]
          (swap! btf-cache assoc source b)
          b))
    :else (fail :bad-btf-source
                (str "emit-event :btf " (excerpt source) " will not do; expected the path"
                     " of a BTF file, such as \"/sys/kernel/btf/vmlinux\"")
                {:key :btf :value source :expected "a path (a string)"})))

(defn- reg-name [^Register r] (keyword (.asmName r)))

(defn emit-event
  "The instructions that send one event of event-def: reserve a record in a ring buffer
  (bpf_ringbuf_reserve), jump past the rest when the ring is full, zero the bytes no source
  fills (the fewest aligned stores), fill each field from its source, submit. A vector of
  instructions, to splice into a program beside clj-ebpf's own; its metadata says which
  registers it :uses and :clobbers, the :record-reg, and the :relocations of map
  placeholders ({:name :slot}).

  opts:
  - :program-type  (required) :socket-filter :kprobe :sched-cls :tracepoint :xdp
                   :raw-tracepoint :flow-dissector :syscall; decides which helpers it may call
  - :map           (required) the ring buffer's fd, or a placeholder's name (a keyword) a
                   loader patches; for :perf-output the perf event array
  - :fields        field (keyword or path) -> source, see the namespace docstring
  - :delivery      :reserve (default), :ring-output (built on the stack, bpf_ringbuf_output)
                   or :perf-output (stack, bpf_perf_event_output to the current CPU)
  - :context-reg   for :perf-output, where the caller keeps the program's context (r6-r9)
  - :record-reg    where the reserved record is kept, :r6 by default (r6-r9)
  - :live          registers the caller needs afterwards; refused among those it clobbers
  - :on-failure    a label to jump to when the ring is full (the jump carries :goto label);
                   by default the fragment ends
  - :wakeup        :adaptive (default: wake the consumer when it has caught up),
                   :no-wakeup (BPF_RB_NO_WAKEUP) or :force-wakeup (BPF_RB_FORCE_WAKEUP)
  - :submit-if     [op reg imm]: submit when the comparison holds, else discard
                   ([:jset :r8 3] submits when r8 & 3 is not zero)
  - :btf           the BTF file kernel paths resolve in, \"/sys/kernel/btf/vmlinux\" by default
  - :stack-top     the stack above fp - stack-top is the caller's (0 by default)

      (defevent Exec [:ts :u64] [:tgid :u32] [:ppid :u32] [:comm :char 16])
      (insn->asm (emit-event Exec {:program-type :kprobe :map 5
                                   :fields {:ts :ktime-ns :tgid :tgid}}))
      ;=> [\"ld_pseudo\\tr1, 1, 5\" \"r2 = 32\" \"r3 = 0\" \"call 131\" \"if r0 == 0 goto +13\"
      ;    \"r6 = r0\" \"*(u32 *)(r6 + 12) = 0\" ... \"call 132\"]

  Exceptions: ex-info :unknown-source (naming the field, listing the sources),
  :unknown-field, :field-too-small (a 4-byte field for :ktime-ns), :duplicate-field,
  :helper-not-allowed (naming the program types that allow the helper),
  :register-collision (saying which registers are free), :unknown-register,
  :unknown-member (a kernel path through a member the struct lacks, listing its members),
  :unknown-struct, :bad-kernel-path (a bitfield, a step past a scalar),
  :misaligned-field, :stack-too-small, :missing-argument, :bad-option, :bad-map."
  [event-def opts]
  (when-not (map? opts)
    (fail :bad-option (str "emit-event options " (excerpt opts) " are not a map; expected a"
                           " map with :program-type, :map and :fields")
          {:value opts :expected "a map of options"}))
  (when-let [k (first (remove #(and (keyword? %) (option-keys %)) (keys opts)))]
    (fail :bad-option (str "emit-event option " (excerpt k) " is not accepted; expected one"
                           " of " (vec (sort option-keys)))
          {:key k :value k :expected (str "one of " (vec (sort option-keys)))
           :accepted (vec (sort option-keys))}))
  (let [layout (impl/layout-of event-def)
        ^EventEmitter$Builder b (core (EventEmitter/builder layout))
        fields (:fields opts {})]
    (when-let [t (:program-type opts)]
      (.programType b (enum-option :program-type t program-types)))
    (when (contains? opts :map) (.ringBuffer b (map-ref (:map opts))))
    (when-let [d (:delivery opts)] (.delivery b (enum-option :delivery d deliveries)))
    (when (contains? opts :context-reg)
      (.perfOutput b (map-ref (:map opts)) (register (:context-reg opts) "context")))
    (when-let [r (:record-reg opts)] (.recordRegister b (register r "record")))
    (when-let [live (:live opts)]
      (when-not (and (sequential? live) (<= (count (take 12 live)) 11))
        (fail :bad-option (str "emit-event :live " (excerpt live) " will not do; expected a"
                               " vector of registers")
              {:key :live :value live :expected "a vector of registers"}))
      (.live b ^"[Lio.github.bpfevents.asm.Register;"
             (into-array Register (map #(register % "live") live))))
    (when-let [l (:on-failure opts)] (.onFailure b (label-name l)))
    (when-let [w (:wakeup opts)] (.wakeup b (enum-option :wakeup w wakeups)))
    (when-let [s (:submit-if opts)]
      (if (and (vector? s) (= 3 (count s)) (integer? (nth s 2))
               (<= Integer/MIN_VALUE (nth s 2) Integer/MAX_VALUE))
        (core (.submitIf b (enum-option :submit-if (first s) jump-ops)
                         (register (second s) "condition") (int (nth s 2))))
        (fail :bad-option (str "emit-event :submit-if " (excerpt s) " will not do; expected"
                               " [op reg imm], such as [:jset :r8 3]")
              {:key :submit-if :value s :expected "[op reg imm]"})))
    (when-let [btf (btf-of (:btf opts))] (.btf b btf))
    (when-let [top (:stack-top opts)]
      (if (integer? top)
        (core (.stackTop b (int (max -1 (min top 4096)))))
        (fail :bad-stack (str "emit-event :stack-top " (excerpt top) " is not an integer;"
                              " expected a multiple of 8 from 0 to 512")
              {:key :stack-top :value top :expected "a multiple of 8 from 0 to 512"})))
    (when-not (map? fields)
      (fail :bad-option (str "emit-event :fields " (excerpt fields) " is not a map; expected"
                             " a map of field to source")
            {:key :fields :value fields :expected "a map of field to source"}))
    (doseq [[field s] fields]
      (core (.field b (impl/path->core field) (source field s))))
    (let [^Fragment f (core (.build b))]
      (with-meta (items->clj f)
        {:uses (mapv reg-name (sort (.uses f)))
         :clobbers (mapv reg-name (sort (.clobbers f)))
         :record-reg (some-> (.record f) reg-name)
         :relocations (mapv (fn [^Fragment$Relocation r] {:name (keyword (.name r))
                                                          :slot (long (.slot r))})
                            (.relocations f))}))))

(defn- flat-items
  "items with nested sequences spliced, walked with its own stack: every element and
  every sequence counts toward the kernel's limit on a program, so an endless sequence is
  an error rather than a hang."
  [items]
  (let [limit InsnEncoder/MAX_INSNS
        out (java.util.ArrayList.)
        stack (java.util.ArrayDeque.)]
    (.push stack items)
    (loop [n 0]
      (when-let [xs (.peek stack)]
        (.pop stack)
        (if-let [s (seq xs)]
          (let [x (first s)]
            (.push stack (rest s))
            (when (> n limit)
              (fail :too-many-instructions
                    (str "more than " limit " instructions, labels and sequences; expected at"
                         " most " limit ", the kernel's limit on a program")
                    {:value limit :expected (str "at most " limit " instructions")}))
            (if (sequential? x)
              (do (when (> (.size stack) 64)
                    (fail :too-deeply-nested
                          "instructions nested more than 64 sequences deep; expected at most 64"
                          {:value (.size stack) :expected "at most 64 levels of nesting"}))
                  (.push stack x)
                  (recur (inc n)))
              (do (.add out x) (recur (inc n)))))
          (recur n))))
    (vec out)))

(defn link
  "A program's instructions with every :goto resolved: items are instructions and labels
  ({:label :name}); an instruction carrying :goto :name (a jump emit-event leaves for a
  label outside the fragment) gets the offset to the label, and loses the key. Sequences
  are spliced.

      (link [(emit-event Exec {:program-type :kprobe :map 5 :on-failure :full
                               :fields {:ts :ktime-ns}})
             {:label :full}])

  Exceptions: ex-info :unknown-label for a :goto to no label, :duplicate-label,
  :bad-label (a label that is not a keyword), :not-a-sequence, :too-many-instructions
  (beyond the kernel's 1,000,000), :too-deeply-nested (beyond 64)."
  [items]
  (when-not (sequential? items)
    (fail :not-a-sequence
          (str (excerpt items) " is not a sequence of instructions and labels; expected a"
               " vector")
          {:value items :expected "a vector of instructions and {:label name} maps"}))
  (let [label? (fn [x] (and (map? x) (contains? x :label) (not (contains? x :opcode))))
        named (fn [l]
                (if (or (keyword? l) (string? l))
                  l
                  (fail :bad-label
                        (str "label " (excerpt l) " is not a keyword; expected a keyword")
                        {:value l :expected "a keyword"})))
        flat (flat-items items)
        labels (reduce (fn [[m slot] x]
                         (if (label? x)
                           (do (when (contains? m (named (:label x)))
                                 (fail :duplicate-label
                                       (str "label " (excerpt (:label x)) " is defined"
                                            " twice; expected each label once")
                                       {:value (:label x) :expected "each label once"}))
                               [(assoc m (:label x) slot) slot])
                           [m (inc slot)]))
                       [{} 0] flat)
        at (first labels)]
    (loop [xs flat slot 0 out []]
      (if-let [[x & more] (seq xs)]
        (cond
          (label? x) (recur more slot out)
          (and (map? x) (contains? x :goto))
          (if-let [target (at (named (:goto x)))]
            (recur more (inc slot) (conj out (-> x (dissoc :goto)
                                                 (assoc :offset (- target slot 1)))))
            (fail :unknown-label
                  (str "jump to label " (excerpt (:goto x)) ", which the program does not"
                       " define; expected one of " (vec (keys at)))
                  {:value (:goto x) :expected (str "one of " (vec (keys at)))
                   :accepted (vec (keys at))}))
          :else (recur more (inc slot) (conj out x)))
        out))))
