(ns clj-ebpf.dsl.structs
  "Event structures for BPF programs: declare the record a BPF program writes into a ring
  buffer once, and get its layout and the BPF store instructions that fill it.

      (defevent ConnectionEvent
        [:timestamp :u64] [:pid :u32] [:saddr :u32] [:daddr :u32] [:sport :u16]
        [:dport :u16] [:protocol :u8] [:direction :u8] [:padding :u8 2] [:comm :char 16])
      (event-size ConnectionEvent)                      ;=> 44
      (event-field-offset ConnectionEvent :pid)         ;=> 8
      (insn->asm (store-event-field :r6 ConnectionEvent :pid :r7))
      ;=> \"*(u32 *)(r6 + 8) = r7\"

  Layout is packed: fields back to back in declaration order.

  This namespace is a thin layer over the Java core (io.github.bpfevents): it turns
  Clojure data into core calls and core results into Clojure data. Every bad input is an
  ex-info whose message names the offending value and whose data holds :problem (a
  keyword such as :unknown-type) and, as they apply, :field, :type, :register, :value,
  :expected and :accepted."
  (:import (io.github.bpfevents BpfEventsException)
           (io.github.bpfevents.asm AsmPrinter Insn InsnEncoder Register)
           (io.github.bpfevents.layout EventLayout Field FieldSpec FieldType LayoutEngine)
           (io.github.bpfevents.store EventStores StoreValue)
           (java.io Writer)
           (java.util List Map)))

(set! *warn-on-reflection* true)

;; ---------------------------------------------------------------------------
;; Errors

(def ^:private name-keys
  "Data keys whose values are names: Strings in the core, keywords here."
  #{"field" "type" "register"})

(defn- core-value->clj [k v]
  (cond
    (= k "problem") (keyword v)
    (and (name-keys k) (string? v)) (keyword v)
    (and (= k "accepted") (instance? List v)) (mapv keyword v)
    (instance? List v) (vec v)
    :else v))

(defn- ->ex-info
  "The ex-info that carries a core exception's message and data to Clojure."
  [^BpfEventsException e]
  (ex-info (.getMessage e)
           (into {} (map (fn [[k v]] [(keyword k) (core-value->clj k v)]))
                 (.data e))
           e))

(defmacro ^:private core
  "Runs body; a core BpfEventsException becomes the equivalent ex-info."
  [& body]
  `(try ~@body (catch BpfEventsException e# (throw (->ex-info e#)))))

(defn- fail
  "Throws an ex-info for bad input found in this namespace."
  [problem message data]
  (throw (ex-info message (assoc data :problem problem))))

;; ---------------------------------------------------------------------------
;; Names and types

(defn- kw-name
  "The name a keyword stands for in the core: its text without the colon, namespace kept."
  ^String [k]
  (subs (str k) 1))

(def ^:private type-names
  "The type keywords, in the core's order."
  (mapv keyword (FieldType/names)))

(def ^:private types-by-keyword
  (into {} (map (fn [^FieldType t] [(keyword (.typeName t)) t])) (FieldType/values)))

(def type-sizes
  "Bytes in one element of each field type.

      (type-sizes :u32)   ;=> 4
      (type-sizes :char)  ;=> 1"
  (into {} (map (fn [[k ^FieldType t]] [k (.size t)])) types-by-keyword))

(def type-load-store-size
  "The width of the load or store that moves one element of each field type:
  :b (1 byte), :h (2), :w (4) or :dw (8).

      (type-load-store-size :u16)  ;=> :h
      (type-load-store-size :ptr)  ;=> :dw"
  (into {} (map (fn [[k ^FieldType t]]
                  [k (keyword (.toLowerCase (.name (.storeSize t))))]))
        types-by-keyword))

(defn- field-type ^FieldType [field-name t]
  (or (and (keyword? t) (types-by-keyword t))
      (fail :unknown-type
            (str "field " field-name " has unknown type " (pr-str t)
                 "; expected one of " (pr-str type-names))
            {:field field-name :type t
             :expected (str "one of " (pr-str type-names))
             :accepted type-names})))

(defn- register ^Register [r]
  (if (keyword? r)
    (core (Register/named (kw-name r)))
    (fail :unknown-register
          (str "register " (pr-str r) " is not a BPF register; expected :r0 to :r10, or :fp")
          {:register r :expected "a keyword :r0 to :r10, or :fp"})))

;; ---------------------------------------------------------------------------
;; Event definitions

(defn- spec->core
  "One field spec [name type] or [name type count] as a core FieldSpec."
  ^FieldSpec [i spec]
  (when-not (and (vector? spec) (<= 2 (count spec) 3))
    (fail :bad-field-spec
          (str "field spec " i " is " (pr-str spec)
               "; expected [name type] or [name type count]")
          {:index i :value spec :expected "[name type] or [name type count]"}))
  (let [[n t c] spec]
    (when-not (keyword? n)
      (fail :bad-field-name
            (str "field name " (pr-str n) " in spec " i " is not a keyword; expected a keyword")
            {:index i :value n :expected "a keyword"}))
    (let [ft (field-type n t)]
      (if (= 2 (count spec))
        (core (FieldSpec/of (kw-name n) ft))
        (do (when-not (and (integer? c) (<= 1 c Integer/MAX_VALUE))
              (fail :bad-count
                    (str "field " n " has count " (pr-str c) "; expected a positive integer")
                    {:field n :value c :expected "a positive integer"}))
            (core (FieldSpec/of (kw-name n) ft (long c))))))))

(defn- field->map [^Field f]
  {:name (keyword (.name f))
   :type (keyword (.typeName (.type f)))
   :count (.count f)
   :size (.size f)
   :offset (.offset f)})

(defn make-event-def
  "Lays out an event and returns its definition: a map with
    :name      the name given
    :fields    a vector of {:name :type :count :size :offset}, in declaration order
    :size      the record's size in bytes
    :field-map field name -> field map

  Each field spec is [name type] or [name type count]; name is a keyword, type one of the
  keys of type-sizes, count a positive integer (an array of count elements). Fields are
  packed back to back in declaration order.

      (make-event-def 'Ev [[:pid :u32] [:comm :char 16]])
      ;=> {:name Ev, :size 20,
      ;    :fields [{:name :pid, :type :u32, :count 1, :size 4, :offset 0}
      ;             {:name :comm, :type :char, :count 16, :size 16, :offset 4}],
      ;    :field-map {...}}

  Exceptions: ex-info, with :problem
    :bad-event-name   name is not a symbol, keyword or non-empty string
    :bad-field-specs  field-specs is not a sequential collection
    :no-fields        there are no field specs
    :bad-field-spec   a spec is not a vector of 2 or 3 elements
    :bad-field-name   a field name is not a keyword
    :unknown-type     a type is not one of type-sizes' keys
    :bad-count        a count is not a positive integer
    :duplicate-field  two fields share a name
    :event-too-large  the record would exceed 2^31-1 bytes"
  [name field-specs]
  (when-not (or (symbol? name) (keyword? name) (and (string? name) (seq name)))
    (fail :bad-event-name
          (str "event name " (pr-str name) " is not a name; expected a symbol")
          {:value name :expected "a symbol (or a keyword or non-empty string)"}))
  (when-not (or (sequential? field-specs) (nil? field-specs))
    (fail :bad-field-specs
          (str "field specs of " name " are " (pr-str field-specs)
               "; expected a vector of field specs")
          {:value field-specs :expected "a vector of [name type] or [name type count]"}))
  (let [specs (into [] (map-indexed spec->core) field-specs)
        layout (core (LayoutEngine/layout (if (keyword? name) (kw-name name) (str name))
                                          specs))
        fields (mapv field->map (.fields ^EventLayout layout))]
    (with-meta {:name name
                :fields fields
                :size (.size ^EventLayout layout)
                :field-map (into {} (map (juxt :name identity)) fields)}
      {::layout layout})))

(defn- literal?
  "True when a form holds no symbol or call, so it can be laid out at macro expansion."
  [form]
  (not-any? #(or (symbol? %) (seq? %)) (tree-seq coll? seq form)))

(defmacro defevent
  "Defines Name as the event definition of the given field specs (see make-event-def).
  Bad specs are reported when the form is expanded, with the same ex-info.

      (defevent ConnectionEvent
        [:timestamp :u64] [:pid :u32] [:saddr :u32] [:daddr :u32] [:sport :u16]
        [:dport :u16] [:protocol :u8] [:direction :u8] [:padding :u8 2]
        [:comm :char 16])
      (event-size ConnectionEvent)  ;=> 44

  Exceptions: as make-event-def, at macro expansion; Name must be a symbol."
  [Name & field-specs]
  (when-not (symbol? Name)
    (fail :bad-event-name (str "defevent name " (pr-str Name) " is not a symbol; expected a symbol")
          {:value Name :expected "a symbol"}))
  (when (literal? (vec field-specs)) (make-event-def Name (vec field-specs)))
  `(def ~Name (make-event-def '~Name ~(vec field-specs))))

(defn- layout
  "The core layout behind an event definition."
  ^EventLayout [def]
  (if (and (map? def) (contains? def :fields))
    (or (::layout (meta def))
        (::layout (meta (make-event-def (:name def)
                                        (mapv (fn [f] (if (= 1 (:count f))
                                                        [(:name f) (:type f)]
                                                        [(:name f) (:type f) (:count f)]))
                                              (:fields def))))))
    (fail :not-an-event
          (str (pr-str def) " is not an event definition; expected the result of"
               " make-event-def or defevent")
          {:value def :expected "an event definition (make-event-def, defevent)"})))

(defn- field
  "The core field of def named by the keyword field-name."
  ^Field [def field-name]
  (let [l (layout def)]
    (if (keyword? field-name)
      (core (.field l (kw-name field-name)))
      (fail :unknown-field
            (str "field " (pr-str field-name) " is not a field name of " (.name l)
                 "; expected a keyword")
            {:field field-name :expected "a keyword naming a field"
             :accepted (mapv keyword (.fieldNames l))}))))

(defn event-size
  "The record's size in bytes.

      (event-size ConnectionEvent)  ;=> 44

  Exceptions: ex-info :not-an-event if def is not an event definition."
  [def]
  (.size (layout def)))

(defn event-field-offset
  "The byte offset of a field from the start of the record.

      (event-field-offset ConnectionEvent :pid)  ;=> 8

  Exceptions: ex-info :unknown-field if the event has no such field (the data's
  :accepted lists the fields); :not-an-event."
  [def field-name]
  (.offset (field def field-name)))

(defn event-field-size
  "The total bytes of a field: element size times count.

      (event-field-size ConnectionEvent :comm)  ;=> 16

  Exceptions: as event-field-offset."
  [def field-name]
  (.size (field def field-name)))

(defn event-field-type
  "The element type of a field, a keyword.

      (event-field-type ConnectionEvent :comm)  ;=> :char

  Exceptions: as event-field-offset."
  [def field-name]
  (keyword (.typeName (.type (field def field-name)))))

(defn event-fields
  "The field maps {:name :type :count :size :offset}, a vector in declaration order.

      (map :name (event-fields ConnectionEvent))  ;=> (:timestamp :pid ... :comm)

  Exceptions: ex-info :not-an-event."
  [def]
  (mapv field->map (.fields (layout def))))

;; ---------------------------------------------------------------------------
;; Instructions

(defrecord Instruction [opcode dst src offset imm])

(defn- insn->clj [^Insn i]
  (->Instruction (long (.opcode i)) (long (.dst i)) (long (.src i))
                 (long (.offset i)) (long (.imm i))))

(def ^:private insn-keys [:opcode :dst :src :offset :imm])

(def ^:private insn-expected
  "an instruction: a map of integer :opcode :dst :src :offset :imm")

(defn- insn->core
  "The core instruction for a map with the five integer keys; position is for messages."
  ^Insn [position x]
  (when-not (and (map? x) (every? #(integer? (get x %)) insn-keys))
    (fail :not-an-instruction
          (str "element " position " is " (pr-str x) "; expected " insn-expected)
          {:index position :value x :expected insn-expected}))
  (let [{:keys [opcode dst src offset imm]} x]
    (if (every? #(<= Long/MIN_VALUE % Long/MAX_VALUE) [opcode dst src offset imm])
      (try
        (Insn/of (long opcode) (long dst) (long src) (long offset) (long imm))
        (catch BpfEventsException e
          (fail :not-an-instruction
                (str "element " position " is not an instruction: " (.getMessage e))
                {:index position :value x :key (keyword (get (.data e) "key"))
                 :expected (get (.data e) "expected")})))
      (fail :not-an-instruction
            (str "element " position " is " (pr-str x) "; its fields do not fit the encoding")
            {:index position :value x :expected insn-expected}))))

(defn- insns->clj [^List insns]
  (mapv insn->clj insns))

(defmethod print-method Instruction [^Instruction i ^Writer w]
  (let [op (:opcode i)]
    (.write w (str "#bpf/insn {:opcode " (if (int? op) (format "0x%02x" op) (pr-str op))
                   ", :dst " (pr-str (:dst i)) ", :src " (pr-str (:src i))
                   ", :offset " (pr-str (:offset i)) ", :imm " (pr-str (:imm i)) "}"))))

(defn read-insn
  "Reader for the #bpf/insn tag: the printed form of an instruction reads back as an equal
  instruction.

      #bpf/insn {:opcode 0x63, :dst 6, :src 7, :offset 8, :imm 0}

  Exceptions: ex-info :not-an-instruction if the map's fields do not fit the encoding."
  [m]
  (insn->clj (insn->core 0 m)))

(defn assemble
  "Encodes instructions to a byte array of 8-byte little-endian BPF instructions, ready
  for BPF_PROG_LOAD. An instruction is any map with integer :opcode :dst :src :offset
  :imm that fit the encoding (such as the results of store-event-field).

      (vec (assemble [(store-event-field :r6 ConnectionEvent :pid :r7)]))
      ;=> [99 118 8 0 0 0 0 0]

  Exceptions: ex-info :not-an-instruction naming the position (:index) of the first
  element that is not an instruction; :not-a-sequence if insns is not sequential."
  ^bytes [insns]
  (when-not (sequential? insns)
    (fail :not-a-sequence
          (str (pr-str insns) " is not a sequence of instructions; expected a vector")
          {:value insns :expected "a sequential collection of instructions"}))
  (InsnEncoder/encode ^List (into [] (map-indexed insn->core) insns)))

(defn insn->asm
  "The instruction in the syntax of LLVM's BPF assembler and the kernel's verifier log.

      (insn->asm (store-event-field :r6 ConnectionEvent :pid :r7))
      ;=> \"*(u32 *)(r6 + 8) = r7\"
      (insn->asm (store-event-imm :r6 ConnectionEvent :protocol 6))
      ;=> \"*(u8 *)(r6 + 24) = 6\"

  Exceptions: ex-info :not-an-instruction; :unsupported-instruction for instructions
  other than memory stores."
  [insn]
  (core (AsmPrinter/print (insn->core 0 insn))))

;; ---------------------------------------------------------------------------
;; Stores

(defn store-event-field
  "One stx of the field's element width: stores the low bytes of value-reg at
  event-reg + the field's offset. For an array field, element 0.

      (insn->asm (store-event-field :r6 ConnectionEvent :pid :r7))
      ;=> \"*(u32 *)(r6 + 8) = r7\"

  Exceptions: ex-info :unknown-register (a register other than :r0..:r10, :fp),
  :unknown-field, :offset-out-of-range (offset beyond 32767), :not-an-event."
  [event-reg def field-name value-reg]
  (let [f (field def field-name)]
    (insn->clj (core (EventStores/storeField (register event-reg) (layout def) (.name f)
                                             (register value-reg))))))

(defn- immediate ^long [field-name imm]
  (if (and (integer? imm) (<= Long/MIN_VALUE imm Long/MAX_VALUE))
    (long imm)
    (fail :immediate-out-of-range
          (str "immediate " (pr-str imm) " for field " field-name " is not a 64-bit integer;"
               " expected an integer that the field's store can write")
          {:field field-name :value imm :expected "an integer"})))

(defn store-event-imm
  "One st of the field's element width: stores imm at event-reg + the field's offset.
  For a field of w < 8 bytes any integer from -2^(8w-1) to 2^(8w)-1 is accepted (both
  readings of the same bits); 8-byte fields accept -2^31 to 2^31-1, because the 64-bit
  st sign-extends its 32-bit immediate. The instruction's :imm holds the value itself,
  or for u32 values above 2^31-1 the same 32 bits read as signed (4294967295 -> -1).

      (insn->asm (store-event-imm :r6 ConnectionEvent :protocol 6))
      ;=> \"*(u8 *)(r6 + 24) = 6\"

  Exceptions: ex-info :immediate-out-of-range (with :expected the accepted range; for
  8-byte fields it says to load the value with lddw and use store-event-field),
  :unknown-field, :unknown-register, :offset-out-of-range, :not-an-event."
  [event-reg def field-name imm]
  (let [f (field def field-name)]
    (insn->clj (core (EventStores/storeImm (register event-reg) (layout def) (.name f)
                                           (immediate field-name imm))))))

(defn zero-event-field
  "Stores zero over the whole field (every element of an array), with the fewest stores
  that are each naturally aligned relative to the record's start. A vector.

      (map insn->asm (zero-event-field :r6 ConnectionEvent :padding))
      ;=> (\"*(u16 *)(r6 + 26) = 0\")

  Exceptions: as store-event-field."
  [event-reg def field-name]
  (let [f (field def field-name)]
    (insns->clj (core (EventStores/zeroField (register event-reg) (layout def) (.name f))))))

(defn zero-event
  "The fewest stores that zero the whole record: 8-byte stores, then at most one each of
  4, 2 and 1 bytes, each aligned when the record is (ring-buffer records and map values
  are 8-byte aligned). Memory from bpf_ringbuf_reserve is not zeroed: zeroing first keeps
  padding and fields the program never writes from carrying stale kernel bytes to
  userspace. A vector.

      (map insn->asm (zero-event :r6 ConnectionEvent))
      ;=> (\"*(u64 *)(r6 + 0) = 0\" ... \"*(u64 *)(r6 + 32) = 0\" \"*(u32 *)(r6 + 40) = 0\")

  Exceptions: ex-info :unknown-register, :offset-out-of-range (record beyond 32767
  bytes), :not-an-event."
  [event-reg def]
  (insns->clj (core (EventStores/zeroEvent (register event-reg) (layout def)))))

(defn- value-spec ^StoreValue [field-name v]
  (cond
    (and (map? v) (= #{:reg} (set (keys v)))) (StoreValue/reg (register (:reg v)))
    (and (map? v) (= #{:imm} (set (keys v)))) (StoreValue/imm (immediate field-name (:imm v)))
    :else (fail :bad-value-spec
                (str "value for field " field-name " is " (pr-str v)
                     "; expected exactly one of {:reg r} or {:imm v}")
                {:field field-name :value v :expected "{:reg r} or {:imm v}"})))

(defn store-event-fields
  "One store per entry of field-values, a map of field name to {:reg r} (stx) or
  {:imm v} (st). The stores come in layout order, whatever the map's order. A vector.

      (map insn->asm (store-event-fields :r6 ConnectionEvent
                                         {:protocol {:imm 6} :pid {:reg :r7}}))
      ;=> (\"*(u32 *)(r6 + 8) = r7\" \"*(u8 *)(r6 + 24) = 6\")

  Exceptions: ex-info :bad-value-spec (a value that is not exactly one of the two
  forms, or field-values not a map), and those of store-event-field and store-event-imm."
  [event-reg def field-values]
  (when-not (map? field-values)
    (fail :bad-value-spec
          (str "field values " (pr-str field-values) " are not a map; expected"
               " {field {:reg r}} or {field {:imm v}}")
          {:value field-values :expected "a map of field name to {:reg r} or {:imm v}"}))
  (let [l (layout def)
        values (into {} (map (fn [[k v]] [(.name (field def k)) (value-spec k v)]))
                     field-values)]
    (insns->clj (core (EventStores/storeFields (register event-reg) l ^Map values)))))
