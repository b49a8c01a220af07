(ns clj-ebpf.dsl.structs
  "Event structures for BPF programs: declare the record a BPF program writes into a ring
  buffer once, and get its layout, the BPF store instructions that fill it, the C header
  and the decoder that reads it back.

      (defevent ConnectionEvent
        [:timestamp :u64] [:pid :u32] [:saddr :u32] [:daddr :u32] [:sport :u16]
        [:dport :u16] [:protocol :u8] [:direction :u8] [:padding :u8 2] [:comm :char 16])
      (event-size ConnectionEvent)                      ;=> 44
      (event-field-offset ConnectionEvent :pid)         ;=> 8
      (insn->asm (store-event-field :r6 ConnectionEvent :pid :r7))
      ;=> \"*(u32 *)(r6 + 8) = r7\"

  Layout is packed by default (fields back to back in declaration order);
  {:align :natural} places fields as a C compiler does.

  The instructions returned are clj-ebpf's own records (clj_ebpf.dsl.instructions.
  Instruction) when clj-ebpf.dsl.instructions is loaded or on the classpath, else this
  namespace's Instruction of the same keys; registers are :r0 to :r10, :fp or 0 to 10.

  This namespace is a thin layer over the Java core (io.github.bpfevents): it turns
  Clojure data into core calls and core results into Clojure data. Every bad input is an
  ex-info whose message names the offending value as it was written (:nope, :u99, :r11)
  and whose data holds :problem (a keyword such as :unknown-type) and, as they apply,
  :field, :type, :register, :value, :expected and :accepted."
  (:require [clojure.spec.alpha :as spec]
            [clojure.walk :as walk]
            [clj-ebpf.dsl.structs.impl :as impl :refer [core]])
  (:import (io.github.bpfevents HostQueries)
           (io.github.bpfevents.asm AsmDialect AsmPrinter Insn InsnEncoder InsnReader)
           (io.github.bpfevents.codec EventDecoder)
           (io.github.bpfevents.definition HostDefinitions)
           (io.github.bpfevents.layout EventLayout FieldRef)
           (io.github.bpfevents.report LayoutReport PaholeText)
           (io.github.bpfevents.store HostStores)
           (java.io Writer)
           (java.util List)))

(set! *warn-on-reflection* true)

;; ---------------------------------------------------------------------------
;; Types

(def type-sizes
  "Size in bytes of one element of each field type (:i128 and :u128, C's __int128 and
  unsigned __int128, are 16, 16-byte aligned).

      (type-sizes :u32)   ;=> 4
      (type-sizes :char)  ;=> 1
      (type-sizes :u128)  ;=> 16"
  (HostQueries/typeSizes impl/host))

(def type-load-store-size
  "The width of the load or store that moves one element of each field type:
  :b (1 byte), :h (2), :w (4) or :dw (8). BPF has no 16-byte load or store: an :i128 or
  :u128 element moves as two :dw halves (the low one first, at the lower address), so its
  width here is :dw; store-event-field and store-event-imm refuse such a field, and
  zero-event-field zeroes it with two :dw stores.

      (type-load-store-size :u16)   ;=> :h
      (type-load-store-size :ptr)   ;=> :dw
      (type-load-store-size :i128)  ;=> :dw"
  (HostQueries/loadStoreSizes impl/host))

;; ---------------------------------------------------------------------------
;; Event definitions

(defn make-event-def
  "Lays out an event and returns its definition: a map with
    :name      the name given
    :align     :packed or :natural, how the fields were placed
    :fields    a vector of {:name :type :count :size :offset}, in declaration order
    :size      the record's size in bytes
    :field-map field name -> field map

  Each field spec is [name type] or [name type count]; name is a keyword, type one of the
  keys of type-sizes or another event definition (nested; :type then holds that
  definition), count an integer from 1 to 2^31-1 (an array of count elements) or []
  (an array of no elements: C99's flexible array member data[] when last in a struct after
  a named field, GNU C's zero-length array data[0] anywhere else; see doc/12).

  Options (a map, optional):
    :align :packed   fields back to back, no padding (the default)
    :align :natural  as a C compiler places them for BPF and x86-64: each field at a
                     multiple of its alignment, the size rounded up to the largest one

      (make-event-def 'Ev [[:pid :u32] [:comm :char 16]])
      ;=> {:name Ev, :align :packed,
      ;    :fields [{:name :pid, :type :u32, :count 1, :size 4, :offset 0}
      ;             {:name :comm, :type :char, :count 16, :size 16, :offset 4}],
      ;    :size 20, :field-map {...}}
      (:size (make-event-def 'Ev [[:flag :u8] [:ts :u64]] {:align :natural}))  ;=> 16

  The definition is a map like any other (=, assoc, printing); it also holds its layout,
  so the functions of this namespace do not lay it out again. A map whose :name, :align
  or :fields are edited, or one made by hand, is laid out (and checked) where it is used.

  Exceptions: ex-info, with :problem
    :bad-event-name   name is not a symbol, keyword or non-empty string
    :bad-field-specs  field-specs is not a sequential collection
    :no-fields        there are no field specs
    :too-many-fields  more than 65535 field specs (an endless sequence included)
    :bad-field-spec   a spec is not a vector of 2 or 3 elements
    :bad-field-name   a field name is not a keyword
    :unknown-type     a type is not one of type-sizes' keys nor an event definition
    :bad-count        a count is not an integer from 1 to 2^31-1
    :duplicate-field  two fields share a name
    :bad-option       an unknown option key or value (:accepted lists the choices)
    :too-deep         events nested more than 32 deep
    :event-too-large  the record would exceed 2^31-1 bytes"
  ([name field-specs] (make-event-def name field-specs {}))
  ([name field-specs opts] (impl/define name field-specs opts)))

(defn- literal-form
  "The form with each symbol that names a var holding an event definition replaced by the
  definition, or nil when the form holds any other symbol or a call (it is then laid out
  when evaluated)."
  [form]
  (let [ok (volatile! true)
        value (walk/postwalk
               (fn [x]
                 (cond
                   (seq? x) (do (vreset! ok false) x)
                   (symbol? x) (let [v (resolve x)]
                                 (if (and (var? v) (impl/event-def? @v)) @v
                                     (do (vreset! ok false) x)))
                   :else x))
               form)]
    (when @ok value)))

;; The specs check a form's shape only; its values (a count of 0, an unknown type) are
;; make-event-def's to judge, with its own messages.
(spec/def ::field-type (spec/alt :type keyword? :event symbol? :form (some-fn seq? map?)))

(spec/def ::field-count
  (spec/alt :count integer? :flexible #(= [] %) :form (some-fn symbol? seq?)))

;; three shapes, so that spec explains a bad count as it did before options existed
(spec/def ::field-spec
  (spec/or :named (spec/and vector? (spec/cat :name keyword? :type ::field-type
                                              :count (spec/? ::field-count)))
           :with-options (spec/and vector? (spec/cat :name keyword? :type ::field-type
                                                     :count (spec/? ::field-count)
                                                     :options map?))
           :unnamed (spec/and vector? (spec/cat :type ::field-type :options (spec/? map?)))))

(spec/def ::defevent-args
  (spec/cat :name symbol?
            :options (spec/? map?)
            :fields (spec/* ::field-spec)))

(defn- check-defevent-form
  "Checks a defevent form's arguments against ::defevent-args; on failure throws the
  library's message (where make-event-def can say more) followed by spec's explanation. A
  form too large to walk (an endless sequence built into it) gets the library's message
  alone."
  [args]
  (let [small? (.bounded impl/host args 64 1048576)]
    (when-not (and small? (spec/valid? ::defevent-args args))
      (let [[n & more] args
            [opts specs] (if (map? (first more)) [(first more) (rest more)] [{} more])
            lib (or (try (make-event-def n (if small? (vec specs) specs) opts) nil
                         (catch clojure.lang.ExceptionInfo e e))
                    (impl/->ex-info (HostDefinitions/malformedDefevent)))
            ;; spec's explanation of the first bad field spec says more than "Extra input"
            bad-field (when small? (first (remove #(spec/valid? ::field-spec %) specs)))
            [sp x] (if bad-field [::field-spec bad-field] [::defevent-args args])]
        (throw (if small?
                 (ex-info (str (ex-message lib) "\n" (spec/explain-str sp x))
                          (assoc (ex-data lib) :spec (spec/explain-data sp x)))
                 lib))))))

(defmacro defevent
  "Defines Name as the event definition of the given field specs (see make-event-def),
  with an optional options map first. Bad specs are reported when the form is expanded,
  with the same ex-info.

      (defevent ConnectionEvent
        [:timestamp :u64] [:pid :u32] [:saddr :u32] [:daddr :u32] [:sport :u16]
        [:dport :u16] [:protocol :u8] [:direction :u8] [:padding :u8 2]
        [:comm :char 16])
      (event-size ConnectionEvent)  ;=> 44

      (defevent Endpoint {:align :natural} [:addr :be32] [:port :be16])
      (defevent Flow {:align :natural} [:ts :u64] [:src Endpoint] [:dst Endpoint])
      (event-field-offset Flow [:dst :port])  ;=> 20

  The form is checked against the spec :clj-ebpf.dsl.structs/defevent-args at macro
  expansion: a malformed form fails with the library's message and spec's explanation
  (the ex-data's :spec holds spec's explain-data).

  Exceptions: as make-event-def, at macro expansion; Name must be a symbol."
  [Name & args]
  (core (HostDefinitions/requireSymbol Name impl/host))
  (check-defevent-form (cons Name args))
  (let [[opts specs] (if (map? (first args)) [(first args) (rest args)] [{} args])]
    (when-let [[o s] (literal-form [opts (vec specs)])]
      (impl/expanded! [Name s o] (make-event-def Name s o)))
    `(def ~Name (impl/expanded-or make-event-def '~Name ~(vec specs) ~opts))))

(defn- layout
  "The core layout behind an event definition."
  ^EventLayout [def]
  (impl/layout-of def))

(defn- field
  "What field-name (a keyword or a path) names in the layout l, as a core FieldRef."
  ^FieldRef [^EventLayout l field-name]
  (core (.resolve l (impl/path->core field-name))))

(defn event-size
  "Get the total size of an event structure in bytes.

  Parameters:
  - event-def: Event definition from defevent

      (event-size ConnectionEvent)  ;=> 44

  Exceptions: ex-info :not-an-event if event-def is not an event definition."
  [event-def]
  (.size (layout event-def)))

(defn event-field-offset
  "Get the byte offset of a field within an event structure, or of what a path names:
  [:src :port] (a field of a nested event), [:hops 2 :ttl] (a field of an element of an
  array of events), [:comm 3] (an element of an array).

  Parameters:
  - event-def: Event definition from defevent
  - field-name: Field name keyword, or a path

      (event-field-offset ConnectionEvent :pid)  ;=> 8
      (event-field-offset ConnectionEvent [:comm 3])  ;=> 31

  Exceptions: ex-info :unknown-field if the event has no such field (the data's
  :accepted lists the fields there), :bad-path (an index where a name must be, or the
  reverse), :index-out-of-range, :not-an-event."
  [event-def field-name]
  (.offset (field (layout event-def) field-name)))

(defn event-field-size
  "Get the size of a field in bytes: element size times count, or the size of what a
  path names.

  Parameters:
  - event-def: Event definition from defevent
  - field-name: Field name keyword, or a path

      (event-field-size ConnectionEvent :comm)  ;=> 16
      (event-field-size ConnectionEvent [:comm 0])  ;=> 1

  Exceptions: as event-field-offset."
  [event-def field-name]
  (.size (field (layout event-def) field-name)))

(defn event-field-bit-offset
  "Get the bit offset of a field (or of what a path names) from the record's first bit,
  counting from the least significant bit of each byte, as x86-64 and BPF place
  bitfields: 8 times the byte offset for a field that is no bitfield.

      (defevent Tcp [:sport :u16] [:fin :u8 {:bits 1}] [:syn :u8 {:bits 1}])
      (event-field-bit-offset Tcp :syn)  ;=> 17

  Exceptions: as event-field-offset."
  [event-def field-name]
  (.bitOffset (field (layout event-def) field-name)))

(defn event-field-bits
  "Get the width of a field (or of what a path names) in bits: a bitfield's declared
  width, 8 times the size of anything else.

      (event-field-bits Tcp :syn)    ;=> 1
      (event-field-bits Tcp :sport)  ;=> 16

  Exceptions: as event-field-offset."
  [event-def field-name]
  (let [^FieldRef r (field (layout event-def) field-name)]
    (if (.isBitfield r) (.bits r) (* 8 (.size r)))))

(defn event-field-type
  "Get the type of a field: a type keyword, or for a nested event its definition; also of
  what a path names.

  Parameters:
  - event-def: Event definition from defevent
  - field-name: Field name keyword, or a path

      (event-field-type ConnectionEvent :pid)  ;=> :u32
      (event-field-type ConnectionEvent :comm)  ;=> :char

  Exceptions: as event-field-offset."
  [event-def field-name]
  (core (HostQueries/fieldType event-def field-name impl/host)))

(defn event-field-maps
  "The field maps {:name :type :count :size :offset} of an event, a vector in
  declaration order (the definition's :fields, laid out).

      (:offset (second (event-field-maps ConnectionEvent)))  ;=> 8

  Exceptions: ex-info :not-an-event."
  [event-def]
  (core (HostDefinitions/fieldMaps event-def impl/host)))

(defn event-fields
  "Get list of all field names in an event: a vector of keywords, in declaration order.

  Parameters:
  - event-def: Event definition from defevent

      (event-fields ConnectionEvent) ;=> [:timestamp :pid :saddr :daddr :sport :dport
                                     ;    :protocol :direction :padding :comm]

  The field maps are event-field-maps. An anonymous member's fields are listed in its
  place (they are reached by their own names); unnamed bitfields are not listed.

  Exceptions: ex-info :not-an-event."
  [event-def]
  (mapv keyword (.fieldNames (layout event-def))))

(defn event-misaligned-fields
  "The scalar fields whose offset is not a multiple of their natural alignment (possible
  in packed layouts, and where a packed event is nested). These are exactly the stores
  that the kernel's verifier rejects under strict alignment (BPF_F_STRICT_ALIGNMENT, and on
  architectures without efficient unaligned access). A sequence of
  {:field :path :offset :size :alignment :type}, in layout order; nested events are
  walked down to their scalars, each element of an array of events separately. The
  sequence is lazy and computed on demand: a packed array of a million events has a
  million entries, and (first ...) or (take 10 ...) costs no more than a small event.

      (event-misaligned-fields (make-event-def 'E [[:flag :u8] [:pid :u32]]))
      ;=> ({:field :pid, :path [:pid], :offset 1, :size 4, :alignment 4, :type :u32})

  Exceptions: ex-info :not-an-event."
  [event-def]
  (map #(HostQueries/fieldRef % impl/host) (.misalignedFields (layout event-def))))

;; ---------------------------------------------------------------------------
;; Instructions

(defrecord Instruction [opcode dst src offset imm])

(def ^:private clj-ebpf-instruction
  "clj-ebpf's own constructor of its record clj_ebpf.dsl.instructions.Instruction, when
  the namespace clj-ebpf.dsl.instructions is loaded or on the classpath (then loaded
  here, once); nil when it is absent, does not load (it needs Java 21 or later; what it
  left of a namespace is removed) or builds no record of the five keys, and this
  namespace's Instruction stands in."
  (let [n 'clj-ebpf.dsl.instructions
        f (try (when-not (find-ns n) (require n)) (some-> (ns-resolve n '->Instruction) deref)
               (catch Throwable _ (remove-ns n) nil))]
    (when (= [:opcode :dst :src :offset :imm] (try (keys (f 0 0 0 0 0)) (catch Exception _)))
      f)))

(defn- ->clj
  "A core instruction as a record: clj-ebpf's, of the field types its make-instruction
  gives (Byte, Byte, Byte, Short, Integer), when clj-ebpf is here, else this namespace's
  Instruction of Longs; a list of them as a vector of records."
  [x]
  (if (instance? List x)
    (mapv ->clj x)
    (apply (or clj-ebpf-instruction ->Instruction) (.values ^Insn x (some? clj-ebpf-instruction)))))

(defmethod print-method Instruction [i ^Writer w]
  (let [[[_ op] & more] (seq i)]
    (.write w (str "#bpf/insn {:opcode "
                   (if (and (int? op) (<= 0 op 255)) (format "0x%02x" op) (pr-str op))))
    (doseq [[k v] more] (.write w (str ", " (pr-str k) " " (pr-str v))))
    (.write w "}")))

(defn read-insn
  "Reader for the #bpf/insn tag: the printed form of an instruction reads back as an equal
  instruction, keys beyond the five kept.

      #bpf/insn {:opcode 0x63, :dst 6, :src 7, :offset 8, :imm 0}

  Exceptions: ex-info :not-an-instruction if the map's fields do not fit the encoding."
  [m]
  (let [i (->clj (core (InsnReader/read m impl/host 0)))]
    (into i (apply dissoc m (keys i)))))

(defn assemble
  "Encodes instructions to a byte array of 8-byte little-endian BPF instructions, ready
  for BPF_PROG_LOAD. An instruction is any map with integer :opcode :dst :src :offset :imm
  that fit the encoding: the results of store-event-field and the other stores, and
  clj-ebpf's instructions (an unchecked byte opcode such as -73 for 0xb7, byte registers,
  a short offset, an int imm). Nested sequences are spliced in place, so a two-slot lddw
  given as a vector of two instructions, or the vector zero-event returns, can stand as
  one element.

      (vec (assemble [(store-event-field :r6 ConnectionEvent :pid :r7)]))
      ;=> [99 118 8 0 0 0 0 0]

  Exceptions: ex-info :not-an-instruction naming the position (:index) of the first
  element that is not an instruction; :not-a-sequence if insns is not sequential;
  :too-many-instructions beyond 1,000,000 (the kernel's limit on a program);
  :too-deeply-nested for sequences nested more than 64 deep."
  ^bytes [insns]
  (core (InsnEncoder/encode (InsnReader/flatten insns impl/host))))

(defn insn->asm
  "The instruction's text, exactly as LLVM's BPF disassembler prints it
  (llvm-mc -disassemble -triple=bpfel -mcpu=v4 -mattr=-alu32), for every instruction of
  the BPF ISA: ALU and jumps, calls, loads and stores, atomics, byte swaps, the two-slot
  lddw. Given a sequence of instructions (nested sequences spliced, as assemble does), a
  vector of lines, one per instruction; a two-slot lddw is one line.

  Option {:dialect :alu32} gives the text of -mcpu=v4 with alu32 (LLVM's default for v4),
  which names the register of an 8-, 16- or 32-bit load, store or atomic wN; the default
  {:dialect :no-alu32} names it rN, as the kernel's verifier log does.

      (insn->asm (store-event-field :r6 ConnectionEvent :pid :r7))
      ;=> \"*(u32 *)(r6 + 8) = r7\"
      (insn->asm (store-event-imm :r6 ConnectionEvent :protocol 6))
      ;=> \"*(u8 *)(r6 + 24) = 6\"
      (insn->asm (store-event-field :r6 ConnectionEvent :pid :r7) {:dialect :alu32})
      ;=> \"*(u32 *)(r6 + 8) = w7\"
      (insn->asm [{:opcode 0xb7 :dst 0 :src 0 :offset 0 :imm 0}
                  {:opcode 0x95 :dst 0 :src 0 :offset 0 :imm 0}])
      ;=> [\"r0 = 0\" \"exit\"]

  Exceptions: ex-info :not-an-instruction; :unsupported-instruction for an encoding
  LLVM does not decode either (or a lddw without its second slot), :bad-option; for a
  sequence, those of assemble (:too-many-instructions, :too-deeply-nested)."
  ([insn] (insn->asm insn {}))
  ([insn opts]
   (core (let [d (AsmDialect/read opts impl/host)]
           (if (sequential? insn)
             (vec (AsmPrinter/printAll (InsnReader/flatten insn impl/host) d))
             (AsmPrinter/print (InsnReader/read insn impl/host 0) d))))))

;; ---------------------------------------------------------------------------
;; Stores

(defn store-event-field
  "Generate instruction to store a value to an event field: one stx of the field's
  element width, storing the low bytes of value-reg at event-reg + the field's offset.

  Parameters:
  - event-reg: Register containing event buffer pointer (:r0 to :r10, or :fp; or as
    clj-ebpf takes them, the integers 0 to 10, here and wherever a register is taken)
  - event-def: Event definition from defevent
  - field-name: Field name keyword, or a path ([:src :port], [:hops 2 :ttl], [:comm 3])
  - value-reg: Register containing value to store

  For an array field, element 0 unless the path has an index. The register is stored as
  it is: for a :be16/:be32/:be64 field the program must have byte-swapped it already.

      (store-event-field :r6 ConnectionEvent :pid :r7)
      ;; Stores r7 to r6 + 8 (pid offset)
      (insn->asm (store-event-field :r6 ConnectionEvent :pid :r7))
      ;=> \"*(u32 *)(r6 + 8) = r7\"

  Exceptions: ex-info :unknown-register (a register other than :r0..:r10, :fp, 0..10),
  :unknown-field (as clj-ebpf's: the message begins \"Unknown field: :nope\", the data
  holds :event, the definition's :name, :field and :available-fields, with the library's
  :accepted, :path, :expected), :bad-path, :index-out-of-range, :not-a-scalar (the path
  names a nested event), :offset-out-of-range (offset beyond 32767), :not-an-event."
  [event-reg event-def field-name value-reg]
  (->clj (core (HostStores/storeField event-reg (layout event-def) event-def field-name
                                      value-reg impl/host))))

(defn store-event-imm
  "Generate instruction to store an immediate value to an event field: one st of the
  field's element width at event-reg + the field's offset.

  Parameters:
  - event-reg: Register containing event buffer pointer
  - event-def: Event definition from defevent
  - field-name: Field name keyword, or a path (as store-event-field)
  - imm-value: Immediate value to store

  For a field of w < 8 bytes any integer from -2^(8w-1) to 2^(8w)-1 is accepted (both
  readings of the same bits); 8-byte fields accept -2^31 to 2^31-1, because the 64-bit st
  sign-extends its 32-bit immediate, and so also 2^64-2^31 to 2^64-1, the same 64 bits
  read unsigned (0xffffffffffffffff is stored as -1). The instruction's :imm holds the
  value itself, or for u32 values above 2^31-1 (and u64 values above 2^63-1) the same
  bits read as signed (4294967295 -> -1).

  On :be16/:be32/:be64 fields imm is the number as you read it (port 80) and the
  immediate is byte-swapped, so that memory holds it in network order; a :be64 value is
  accepted when its swapped form fits the sign-extended 32-bit immediate.

      (store-event-imm :r6 ConnectionEvent :protocol 6)
      ;; Stores immediate 6 to protocol field
      (insn->asm (store-event-imm :r6 ConnectionEvent :protocol 6))
      ;=> \"*(u8 *)(r6 + 24) = 6\"

  Exceptions: ex-info :immediate-out-of-range (naming the value as written, with
  :expected the accepted range; for 8-byte fields it says to load the value with lddw and
  use store-event-field), and those of store-event-field."
  [event-reg event-def field-name imm-value]
  (->clj (core (HostStores/storeImm event-reg (layout event-def) event-def field-name
                                    imm-value impl/host))))

(defn store-event-bits
  "Generate instructions that store into a field, a bitfield included, changing only the
  field's bits: value is {:reg r} or {:imm v}; scratch a register the instructions may
  use (its value is lost; event-reg and the value register keep theirs). A vector.

  For a field that is no bitfield: the one store of store-event-field or store-event-imm.
  For a bitfield: one store where the aligned unit around its bits holds nothing else;
  else, for an immediate, a load, clear, set and store through scratch; for a register,
  two atomic operations on the aligned 32-bit word (clear the bits, set the value's,
  shifted and masked in scratch). The record is taken to start 8-byte aligned, as ring
  buffer and map memory does.

      (defevent Tcp [:sport :u16] [:fin :u8 {:bits 1}] [:syn :u8 {:bits 1}] [:ttl :u8])
      (insn->asm (store-event-bits :r6 Tcp :syn {:imm 1} :r1))
      ;=> [\"r1 = *(u8 *)(r6 + 2)\" \"w1 &= -3\" \"w1 |= 2\" \"*(u8 *)(r6 + 2) = r1\"]
      (insn->asm (store-event-bits :r6 Tcp :syn {:reg :r7} :r1) {:dialect :alu32})
      ;=> [\"w1 = -131073\" \"lock *(u32 *)(r6 + 0) &= w1\" \"r1 = r7\" \"r1 <<= 17\"
      ;    \"w1 &= 131072\" \"lock *(u32 *)(r6 + 0) |= w1\"]

  The 32-bit atomics print only in the :alu32 dialect (LLVM without alu32 has no text
  for them); the kernel runs them either way.

  Exceptions: ex-info :bad-value-spec, :bad-immediate (an immediate that does not fit the
  bitfield's width), :bad-register (scratch is event-reg, the value's register or r10),
  :unsupported-member (a register's value into bits whose aligned 32-bit word passes the
  record's end: store an immediate), and those of store-event-field."
  [event-reg event-def field-name value scratch]
  (->clj (core (HostStores/storeBits event-reg (layout event-def) event-def field-name
                                     value scratch impl/host))))

(defn zero-event-field
  "Generate instruction to zero an event field: stores zero over the whole field (every
  element of an array), or over what a path names (an element, a nested event), with the
  fewest stores that are each naturally aligned relative to the record's start.

  Returns st instruction storing 0 whenever one store zeroes the whole field: a field of
  1, 2, 4 or 8 bytes at an offset that is a multiple of its size (each scalar of a
  natural layout; :padding below). Only where one store cannot (a 16-byte :comm, a field
  a packed layout misaligns) a vector of stores, which assemble and insn->asm splice
  where it stands in a program.

  Parameters:
  - event-reg: Register containing event buffer pointer
  - event-def: Event definition from defevent
  - field-name: Field name keyword, or a path

      (zero-event-field :r6 ConnectionEvent :padding)
      (insn->asm (zero-event-field :r6 ConnectionEvent :padding))
      ;=> \"*(u16 *)(r6 + 26) = 0\"
      (insn->asm (zero-event-field :r6 ConnectionEvent :comm))
      ;=> [\"*(u32 *)(r6 + 28) = 0\" \"*(u64 *)(r6 + 32) = 0\" \"*(u32 *)(r6 + 40) = 0\"]

  Exceptions: as store-event-field, but a nested event is welcome."
  [event-reg event-def field-name]
  (->clj (core (HostStores/zeroField event-reg (layout event-def) event-def field-name
                                     impl/host))))

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
  [event-reg event-def]
  (->clj (core (HostStores/zeroEvent event-reg (layout event-def) impl/host))))

(defn store-event-fields
  "Generate instructions to store multiple fields at once: one store per entry of
  field-values, a map of field name (or path) to {:reg r} (stx) or {:imm v} (st). The
  stores come in layout order, whatever the map's order. A vector.

  Parameters:
  - event-reg: Register containing event buffer pointer
  - event-def: Event definition from defevent
  - field-values: Map of field-name to {:reg reg} or {:imm value}

      (store-event-fields :r6 ConnectionEvent
        {:pid {:reg :r7}
         :protocol {:imm 6}
         :direction {:imm 0}})
      (map insn->asm (store-event-fields :r6 ConnectionEvent
                                         {:protocol {:imm 6} :pid {:reg :r7}}))
      ;=> (\"*(u32 *)(r6 + 8) = r7\" \"*(u8 *)(r6 + 24) = 6\")

  Exceptions: ex-info :bad-value-spec (a value that is not exactly one of the two
  forms, or field-values not a map), :duplicate-field (two entries that name the same
  field, such as :pid and [:pid]), and those of store-event-field and store-event-imm."
  [event-reg event-def field-values]
  (->clj (core (HostStores/storeFields event-reg (layout event-def) event-def field-values
                                       impl/host))))

;; ---------------------------------------------------------------------------
;; Layout report and C header

(defn describe-event
  "The layout report of an event, as data:
    :name :align :size :alignment  the event; :alignment is the struct's (1 if packed)
    :members   [{:name :offset :size :count :alignment :c-type :misaligned?}] in layout order
    :holes     [{:offset :size :after}] unused bytes between members
    :padding   unused bytes after the last member
    :cacheline-boundaries  offsets 64, 128, ... inside the record
    :totals    {:size :members :sum-members :holes :sum-holes :padding :cachelines
                :last-cacheline}
    :misaligned  the first 32 of event-misaligned-fields; :misaligned-count, all of them
    :plain-c   (packed events) {:size :moved [{:name :offset :c-offset}]}: the same fields
               as a plain C struct, with the compiler's alignment
    :suggested (when it helps) {:order [field ...] :size n}: fields sorted by alignment,
               largest first, and the C struct's size in that order

      (:plain-c (describe-event ConnectionEvent))  ;=> {:size 48, :moved []}

  Exceptions: ex-info :not-an-event."
  [event-def]
  (core (HostQueries/describe event-def impl/host)))

(defn event-report
  "The layout report as text in the style of pahole: each member with its offset and
  size, holes (/* XXX 3 bytes hole, try to pack */), cache-line boundaries, a summary,
  misaligned members, and for a packed event what the same fields give as a plain C
  struct.

      (print (event-report ConnectionEvent))
      ;; struct connection_event { ... } __attribute__((__packed__));

  Exceptions: ex-info :not-an-event."
  [event-def]
  (core (PaholeText/render (LayoutReport/of (layout event-def)))))

(defn print-event
  "Prints event-report's text to *out*.

      (print-event ConnectionEvent)
      ;; struct connection_event {
      ;;         __u64                      timestamp;            /*     0     8 */
      ;;         ...
      ;;         /* size: 44, cachelines: 1, members: 10 */
      ;;         /* last cacheline: 44 bytes */
      ;; } __attribute__((__packed__));
      ;; /* as a plain C struct (natural alignment): 48 bytes, no member moves; ... */

  Exceptions: ex-info :not-an-event."
  [event-def]
  (print (event-report event-def))
  (flush))

(defn c-header
  "The text of a self-contained C header for one event definition or a sequence of them:
  an include guard, <linux/types.h> types (__u32, __be16, char comm[16]), nested structs
  before their users (each once), __attribute__((packed)) where the layout is packed and
  packing changes anything, and _Static_asserts on sizeof, _Alignof and the offsetof of
  every member, so that a C compiler rejects a header that disagrees with the layout.

  Names become C identifiers: hyphens become underscores, an uppercase letter that starts
  a word gets an underscore before it, all is lowercased (ConnectionEvent ->
  struct connection_event, :src-port -> src_port).

  Options: {:guard \"MY_EVENTS_H\"} (default BPF_EVENTS_<FIRST EVENT>_H).

      (println (c-header ConnectionEvent))

  Exceptions: ex-info :bad-c-name (a name that becomes no C identifier, or a C keyword),
  :c-name-clash (two fields of a struct, or two different events, with the same C name),
  :bad-option, :no-events, :not-an-event."
  ([defs] (c-header defs {}))
  ([defs opts] (core (HostQueries/cHeader defs opts impl/host))))

;; ---------------------------------------------------------------------------
;; Reading and writing records

(defn- decode-with
  "Decodes the record at offset of bytes (a byte array, or a ByteBuffer whose position
  the offset counts from) with the decoder d."
  [d bytes offset]
  (core (HostQueries/decode d bytes offset impl/host)))

(defn event-decoder
  "A function for hot loops that decodes records of def: (f bytes) and (f bytes offset)
  decode as decode-event does, with the decoder found once.

      (def decode-conn (event-decoder ConnectionEvent))
      (decode-conn (encode-event ConnectionEvent {:pid 7}))  ;=> {:timestamp 0, :pid 7, ...}

  Exceptions: ex-info :not-an-event; the function throws as decode-event."
  [event-def]
  (let [d (EventDecoder/of (layout event-def) impl/clojure-data)]
    (fn decode
      ([bytes] (decode-with d bytes 0))
      ([bytes offset] (decode-with d bytes offset)))))

(defn decode-event
  "The record's bytes as data: a map from field name to value, in declaration order.
  bytes is a byte array or a java.nio.ByteBuffer (its position and limit respected, its
  byte order ignored: records are little-endian, :be* fields big-endian); offset (default
  0) counts from the array's start or the buffer's position.

  Values: unsigned types as their unsigned value (:u32 0xffffffff is 4294967295); :u64,
  :ptr and :be64 at or above 2^63 as a java.math.BigInteger; signed types as signed;
  :char fields as a String up to the first NUL (UTF-8, invalid bytes replaced by
  U+FFFD); other arrays as vectors; nested events as nested maps. A union is a map of
  every member's reading of the same bytes; an anonymous member's fields are at the
  enclosing level; a bitfield is the integer C reads (sign-extended when signed); a field
  with an :enum is its enumerator's keyword when one names the value, else the integer.

      (decode-event ConnectionEvent (encode-event ConnectionEvent {:pid 7 :comm \"sh\"}))
      ;=> {:timestamp 0, :pid 7, ... :comm \"sh\"}

  The decoder is made once per layout, in the Java core, and kept with it.

  Exceptions: ex-info :buffer-too-short (the record does not fit: says the offset, the
  size and the buffer's length), :not-a-buffer, :bad-offset, :not-an-event."
  ([event-def bytes] (decode-event event-def bytes 0))
  ([event-def bytes offset]
   (decode-with (EventDecoder/of (layout event-def) impl/clojure-data) bytes offset)))

(defn encode-event
  "The record's bytes (a byte array of the event's size) for a map of field values; a
  missing field is zero. Each value must fit its field's type: :u8 0..255, :i8 -128..127,
  ... :u64 0..2^64-1; a :char field takes a string whose UTF-8 bytes fit the array (no
  NUL); another array exactly its count of elements in order (a vector, a seq or a Java
  array; not a set); a nested event a map.
  (decode-event def (encode-event def m)) gives back m, with every missing field at its
  zero value (0, \"\", a vector of zeros). A union takes one member (two members that
  would write the same bytes are refused: :overlapping-fields); an anonymous member's
  fields are given at the enclosing level; a bitfield takes an integer that fits its
  width; an :enum field its enumerator's keyword or an integer.

      (vec (encode-event (make-event-def 'P [[:port :be16] [:n :u16]]) {:port 80 :n 1}))
      ;=> [0 80 1 0]

  Exceptions: ex-info :bad-value (a value that does not fit, naming the field and the
  value), :unknown-field (a key the event does not have), :not-an-event."
  [event-def m]
  (core (HostQueries/encode event-def m impl/host)))

;; ---------------------------------------------------------------------------
;; BTF: the kernel's type format (io.github.bpfevents.btf)

(defn event-btf
  "The raw BTF (the kernel's type format: header, type section, string section,
  little-endian, version 1) of one event definition or a sequence of them, as a byte
  array: what BPF_BTF_LOAD takes, and what `bpftool btf dump file F format c` and
  `pahole -F btf F` read. Each event is a STRUCT named as in c-header (ConnectionEvent ->
  connection_event), its members at their bit offsets; nested events are written once
  each, before their users; scalars are INTs of their size and signedness, :char a char,
  :be16 :be32 :be64 the typedefs __be16 ... over __u16 ..., :ptr the typedef __u64; a
  packed event has the offsets it has (BTF has no packed flag), and so has one with
  {:aligned N}. The rest of the C type model: a {:kind :union} event is a UNION; an
  anonymous member a member without a name, of a STRUCT or UNION without one; a struct
  with bitfields has the kind_flag encoding, each member's offset with its width (unnamed
  bitfields, which only pad, are left out, as clang leaves them); an {:enum ...} field an
  ENUM of its size and signedness (ENUM64 when a value needs more than 32 bits), named as
  c-header names it (an enum bitfield wider than 32 bits, and in a struct with bitfields
  an enum field narrower than 4 bytes, stay INTs: the kernel's checker takes no others);
  a flexible array an ARRAY of 0; a {:to ...} pointer a PTR to the target's STRUCT or
  UNION, or to a FWD when only its name is known; an empty event a STRUCT of size 0.

      (defevent Addr {:kind :union :align :natural} [:v4 :u32] [:v6 :u8 16])
      (defevent TcpFlow {:align :natural}
        [:saddr Addr] [:fin :u8 {:bits 1}] [:syn :u8 {:bits 1}] [:u8 {:bits 0}]
        [:kind :u8 {:enum {:open 1 :close 2}}] [:sk :ptr {:to \"sock\"}] [:data :u8 []])
      (check-event TcpFlow (event-btf TcpFlow))  ;=> []

      (count (event-btf FlowEvent))            ;=> 448  (FlowEvent and its Endpoint)
      (clojure.java.io/copy (event-btf [ConnectionEvent FlowEvent])
                            (clojure.java.io/file \"events.btf\"))
      ;; $ bpftool btf dump file events.btf format c

  Exceptions: ex-info :no-events (no definition), :not-an-event, :bad-c-name (a name
  that becomes no C identifier), :c-name-clash (two fields, or two different events,
  with one C name), :btf-too-large (a field beyond 512 MiB, or more types than BTF
  numbers)."
  [defs]
  (core (io.github.bpfevents.btf.BtfWriter/write (impl/layouts-of defs))))

(defn check-event
  "Checks an event definition against a struct of BTF, field by field: the userspace
  declaration against what the C compiler made of the struct the program writes. source
  is the path (String or File) of an object compiled with `clang-19 -g -target bpf -c`
  (its .BTF section), of raw BTF such as /sys/kernel/btf/vmlinux, or the bytes of either.
  The struct is the event's C name (as c-header writes it) unless struct-name is given.

  Returns a vector of mismatches, [] when they agree. Each is a map:
    :path        the field's path, [:src :port]; [] for the record's total size
    :struct      the BTF struct holding the member, a string
    :mismatch    :offset :size :count :signedness :byte-order :bitfield :type :enum, :missing
                 (the struct has no such member) or :extra (the definition has no such
                 field)
    :definition  what the definition says: a number, :signed/:unsigned,
                 :big-endian/:little-endian, a type keyword or nested event's symbol
    :btf         what the BTF says: the same kinds, or the C type as text
  Byte order is big-endian where the C type says so through __be16, __be32 or __be64.
  The C type model is compared too: a bitfield's bit offset and width (:bitfield names
  the widths, :offset a bit offset as \"bit 33\"), a union against a struct (:type),
  an anonymous member's fields among the struct's members through its anonymous members,
  and an enum field's values against an ENUM's (:enum, the first value one side lacks,
  as \"NAME = value\").
  :u64 against a pointer or __u64, and :ptr against __u64, agree; a C char has no
  signedness to disagree with. A nested event is compared with its struct once.

      (check-event ConnectionEvent \"probe.bpf.o\")  ;=> []
      (check-event Ev (event-btf Ev))               ;=> []
      (check-event (make-event-def 'ethhdr [[:h_dest :u8 6] [:h_source :u8 6]
                                            [:h_proto :u16]] {:align :natural})
                   \"/sys/kernel/btf/vmlinux\")
      ;=> [{:path [:h_proto], :struct \"ethhdr\", :mismatch :byte-order,
      ;     :definition :little-endian, :btf :big-endian}]

  Exceptions: ex-info :unknown-struct (no struct of the name: the message names it),
  :bad-btf-source, :unreadable-file, :bad-elf, :no-btf (an object without .BTF),
  :bad-btf (malformed BTF), :not-an-event."
  ([event-def source] (check-event event-def source nil))
  ([event-def source struct-name]
   (core (HostQueries/check event-def source struct-name impl/host))))

(defn btf->events
  "The defevent forms that declare structs of BTF: data, never evaluated. source is as
  check-event's; names is a collection of struct names (strings or symbols). The forms
  declare the named structs and every struct they nest, each once, each after the
  events it nests, with {:align :natural} or {:align :packed} as the offsets require
  (natural when both fit). Members become fields of their names: integers and
  enumerations the type of their size and signedness, __be16/__be32/__be64 typedefs
  :be16/:be32/:be64, C char arrays :char arrays, pointers (but to structs) :ptr, arrays
  of arrays one array, struct members nested events. The head of each form is
  clj-ebpf.dsl.structs/defevent, so evaluating the forms in order defines the events in
  the current namespace.

      (btf->events \"/sys/kernel/btf/vmlinux\" [\"ethhdr\"])
      ;=> [(clj-ebpf.dsl.structs/defevent ethhdr {:align :natural}
      ;      [:h_dest :u8 6] [:h_source :u8 6] [:h_proto :be16])]
      (run! eval (btf->events \"/sys/kernel/btf/vmlinux\" '[ethhdr]))
      (event-size ethhdr)  ;=> 14

  The C type model comes back too: a union an event of {:kind :union}, an anonymous
  struct or union member an anonymous member (its event named after the struct and the
  member's index), bitfields in either BTF encoding [:ihl :u8 {:bits 4}], a pointer to a
  struct, union or forward declaration a :ptr field {:to \"name\"}, an array of 0
  elements [] (a flexible array member when last, a GNU zero-length array anywhere
  else), an empty struct an empty event; where C's alignment
  attributes or unnamed bitfields moved members, {:aligned N} and unnamed bitfields put
  them where the BTF has them. An enum member comes back as its integer with {:enum
  {...}}, the constants in lower case without the TAG_ of the enum's tag.

      (last (btf->events \"/sys/kernel/btf/vmlinux\" [\"iphdr\"]))
      ;=> (clj-ebpf.dsl.structs/defevent iphdr {:align :natural}
      ;     [:ihl :u8 {:bits 4}] [:version :u8 {:bits 4}] ... [iphdr_anon9])

  Exceptions: ex-info :cannot-import naming :struct, :member and, below the struct
  named, :reached, the path to it as text (\"task_struct.se.avg\") (a float, a struct that
  holds itself, offsets that no packing and alignment gives);
  :unknown-struct, :no-events (no names), and the source errors of check-event."
  [source names]
  (core (HostQueries/events source names impl/host)))

;; ---------------------------------------------------------------------------
;; Sending events (clj-ebpf.dsl.structs.emit)

(require 'clj-ebpf.dsl.structs.emit)

(def ^{:arglists '([event-def opts])} emit-event
  "See clj-ebpf.dsl.structs.emit/emit-event."
  clj-ebpf.dsl.structs.emit/emit-event)

(alter-meta! #'emit-event merge (select-keys (meta #'clj-ebpf.dsl.structs.emit/emit-event)
                                             [:doc :arglists]))
