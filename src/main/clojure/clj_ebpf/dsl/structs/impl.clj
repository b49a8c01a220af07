(ns clj-ebpf.dsl.structs.impl
  "The glue under clj-ebpf.dsl.structs: Clojure data to the Java core's forms and layouts,
  the core's errors to ex-info, and the event definition as a map that carries its layout.
  Nothing here decides a layout, an encoding or a rule of the definition grammar: the
  core (io.github.bpfevents) does."
  (:import (clojure.lang IKVReduce IMeta IObj IPersistentMap LazilyPersistentVector
                         PersistentArrayMap)
           (io.github.bpfevents BpfEventsException HostValues HostValues$Kind Notation)
           (io.github.bpfevents.asm Insn)
           (io.github.bpfevents.codec DataModel)
           (io.github.bpfevents.definition DefinitionReader Form Form$EventForm
                                           Form$IntegerForm Form$KeywordForm Form$ListForm
                                           Form$MapForm Form$OtherForm Form$StringForm
                                           Form$SymbolForm Form$VectorForm)
           (io.github.bpfevents.layout EventLayout Field LayoutEngine)
           (java.io Writer)
           (java.util IdentityHashMap List Map)))

(set! *warn-on-reflection* true)

;; ---------------------------------------------------------------------------
;; Names

(defn kw-name
  "The name a keyword stands for in the core: its text without the colon, namespace kept."
  ^String [k]
  (subs (str k) 1))

(defn excerpt
  "x as a short text for a message, as the core shows a value in its own messages
  (bounded in length and depth), so that no value (an endless seq, a deeply nested map)
  makes a message long or slow."
  ^String [x]
  (BpfEventsException/show "value" x Notation/EDN))

;; ---------------------------------------------------------------------------
;; Errors

(def ^:dynamic ^IdentityHashMap *origins*
  "While a definition is converted to forms: each form made -> the Clojure value it was
  made from, so that an error's data gives back the value as the user wrote it."
  nil)

(def ^:private name-keys
  "Data keys whose String values, alone or in a list, are names: keywords in Clojure."
  #{"field" "type" "register" "key" "member" "step" "path" "at" "accepted"})

(declare bounded)

(defn form->clj
  "The Clojure value a form was made from (bounded), or the value it reads as."
  [^Form f]
  (or (when-let [o *origins*] (some-> (.get o f) bounded))
      (condp instance? f
        Form$KeywordForm (keyword (.name ^Form$KeywordForm f))
        Form$SymbolForm (symbol (.name ^Form$SymbolForm f))
        Form$IntegerForm (.value ^Form$IntegerForm f)
        Form$StringForm (.value ^Form$StringForm f)
        Form$VectorForm (mapv form->clj (.items ^Form$VectorForm f))
        Form$ListForm (apply list (map form->clj (.items ^Form$ListForm f)))
        Form$MapForm (apply array-map (map form->clj (.items ^Form$MapForm f)))
        Form$EventForm (symbol (.name (.event ^Form$EventForm f)))
        (.show f))))

(defn- value->clj
  "A core data value as Clojure data."
  [k v]
  (cond
    (instance? Form v) (form->clj v)
    (and (name-keys k) (string? v)) (keyword v)
    (instance? EventLayout v) (symbol (.name ^EventLayout v))
    (instance? Insn v) (let [^Insn i v]
                         {:opcode (long (.opcode i)) :dst (long (.dst i)) :src (long (.src i))
                          :offset (long (.offset i)) :imm (long (.imm i))})
    (or (seq? v) (instance? clojure.lang.IPersistentCollection v)) (bounded v)
    (and (instance? List v) (name-keys k)) (mapv #(if (string? %) (keyword %) %) v)
    (instance? List v) (mapv #(value->clj nil %) v)
    :else v))

(defn ->ex-info
  "The ex-info for a core error: its message as a Clojure user reads it (:nope, :u99,
  [:src :port]) and its data under keyword keys. The core exception is not its cause: the
  REPL reports an error's root cause, and that must be the library's message."
  [^BpfEventsException e]
  (let [data (.data e)
        d (persistent!
           (reduce (fn [m [^String k v]]
                     (assoc! m (keyword k)
                             (case k
                               "problem" (keyword v)
                               "expected" (.render e ^String v Notation/EDN)
                               (value->clj k v))))
                   (transient {}) data))]
    (ex-info (.message e Notation/EDN)
             (cond-> d
               (and (= :bad-path (:problem d)) (string? (:value d))) (update :value keyword)))))

(defmacro core
  "Runs body; a core BpfEventsException becomes the equivalent ex-info."
  [& body]
  `(try ~@body (catch BpfEventsException e# (throw (->ex-info e#)))))

(defn bounded
  "x, or for a sequence without a count (an endless one, say) its first elements and the
  symbol ..., so that error data can be printed."
  [x]
  (if (and (seq? x) (not (counted? x)))
    (let [head (doall (take 9 x))]
      (if (< (count head) 9) head (concat (take 8 head) '[...])))
    x))

(defn fail
  "Throws an ex-info for bad input found in the glue (a Clojure-shaped argument)."
  [problem message data]
  (throw (ex-info message (-> data
                              (assoc :problem problem)
                              (cond-> (contains? data :value) (update :value bounded))))))

(defn path->core
  "A field name or path as the core's path: names as Strings, indices as Longs (or
  BigIntegers beyond a long, which the core finds out of range)."
  ^List [field-name]
  (cond
    (keyword? field-name) [(kw-name field-name)]
    (and (vector? field-name) (seq field-name)
         (every? #(or (keyword? %) (integer? %)) field-name))
    (mapv #(if (keyword? %) (kw-name %)
               (if (<= Long/MIN_VALUE % Long/MAX_VALUE) (long %) (biginteger %)))
          field-name)
    :else (fail :unknown-field
                (str "field " (excerpt field-name) " is not a field name or path;"
                     " expected a keyword or a vector of keywords and indices")
                {:field field-name
                 :expected "a keyword, or a path such as [:src :port] or [:hops 2 :ttl]"})))

;; ---------------------------------------------------------------------------
;; The definition map

(declare edited def-equiv)

(deftype TransientEventDef [^IPersistentMap m
                            ^:unsynchronized-mutable ^clojure.lang.ITransientMap t
                            ^EventLayout layout]
  ;; The transient of a definition (into, transient): edits go to the map's transient;
  ;; persistent! gives an EventDef again when the keys that decide the layout are
  ;; unchanged, as assoc does.
  clojure.lang.ITransientMap
  (assoc [this k v] (set! t (.assoc t k v)) this)
  (without [this k] (set! t (.without t k)) this)
  (conj [this o] (set! t (.conj t o)) this)
  (persistent [_] (edited m (.persistent t) layout))
  (valAt [_ k] (.valAt t k))
  (valAt [_ k nf] (.valAt t k nf))
  (count [_] (.count t)))

(deftype EventDef [^IPersistentMap m ^EventLayout layout]
  ;; A definition as make-event-def returns it: the map {:name :align :fields :size
  ;; :field-map} in every respect (=, hash, printing, assoc...), holding the core layout
  ;; it describes. An edit that keeps :name, :align and :fields keeps the layout; any
  ;; other edit gives a plain map, which is laid out again wherever it is used.
  IPersistentMap
  (assoc [_ k v] (edited m (.assoc m k v) layout))
  (assocEx [_ k v] (edited m (.assocEx m k v) layout))
  (without [_ k] (edited m (.without m k) layout))
  (containsKey [_ k] (.containsKey m k))
  (entryAt [_ k] (.entryAt m k))
  (count [_] (.count m))
  (cons [_ o] (edited m (.cons m o) layout))
  (empty [_] (.empty m))
  (equiv [this o] (def-equiv this o false))
  (seq [_] (.seq m))
  (valAt [_ k] (.valAt m k))
  (valAt [_ k nf] (.valAt m k nf))
  (iterator [_] (.iterator m))

  clojure.lang.IFn
  (invoke [_ k] (.valAt m k))
  (invoke [_ k nf] (.valAt m k nf))
  (applyTo [this args] (clojure.lang.AFn/applyToHelper this args))

  clojure.lang.IEditableCollection
  (asTransient [_] (TransientEventDef. m (.asTransient ^clojure.lang.IEditableCollection m)
                                       layout))

  IObj
  (withMeta [_ mm] (EventDef. (.withMeta ^IObj m mm) layout))
  IMeta
  (meta [_] (.meta ^IMeta m))

  clojure.lang.MapEquivalence
  clojure.lang.IHashEq
  (hasheq [_] (.hasheq ^clojure.lang.IHashEq m))
  IKVReduce
  (kvreduce [_ f init] (.kvreduce ^IKVReduce m f init))

  Map
  (size [_] (.count m))
  (isEmpty [_] (zero? (.count m)))
  (containsValue [_ v] (.containsValue ^Map m v))
  (get [_ k] (.valAt m k))
  (keySet [_] (.keySet ^Map m))
  (values [_] (.values ^Map m))
  (entrySet [_] (.entrySet ^Map m))
  (put [_ _ _] (throw (UnsupportedOperationException.)))
  (remove [_ _] (throw (UnsupportedOperationException.)))
  (putAll [_ _] (throw (UnsupportedOperationException.)))
  (clear [_] (throw (UnsupportedOperationException.)))

  Object
  (equals [this o] (def-equiv this o true))
  (hashCode [_] (.hashCode m))
  (toString [_] (.toString m)))

(alter-meta! #'->EventDef assoc :private true)

(def ^:private ^ThreadLocal proven
  "While two definitions are compared: the pairs of nested definitions already found
  equal, so that definitions sharing nested events compare in time linear in the distinct
  events, not exponential in the depth."
  (ThreadLocal.))

(defn- def-equiv
  "= (or .equals, with java?) of an EventDef and anything. Two EventDefs whose layouts
  differ are unequal at once; otherwise the maps are compared, each pair of nested
  definitions once."
  [^EventDef a o java?]
  (cond
    (identical? a o) true
    (instance? EventDef o)
    (let [^EventDef b o
          ^IdentityHashMap memo (.get proven)
          top? (nil? memo)
          memo (or memo (IdentityHashMap.))]
      (when top? (.set proven memo))
      (try
        (let [^java.util.Set known (.get memo a)]
          (if (and known (.contains known b))
            true
            (let [r (and (.equals (.-layout a) (.-layout b))
                         (if java?
                               (.equals ^Object (.-m a) (.-m b))
                               (.equiv ^IPersistentMap (.-m a) (.-m b))))]
              (when r
                (.add ^java.util.Set (or known (let [s (java.util.Collections/newSetFromMap
                                                       (IdentityHashMap.))]
                                                 (.put memo a s)
                                                 s))
                      b))
              r)))
        (finally (when top? (.remove proven)))))
    java? (.equals ^Object (.-m a) o)
    :else (.equiv ^IPersistentMap (.-m a) o)))

(defn- edited
  "The result of an edit: still an EventDef when the keys that decide the layout are the
  same values, else the plain map."
  [^IPersistentMap old new ^EventLayout layout]
  (if (and (instance? IPersistentMap new)
           (identical? (.valAt old :fields) (.valAt ^IPersistentMap new :fields))
           (identical? (.valAt old :align) (.valAt ^IPersistentMap new :align))
           (identical? (.valAt old :name) (.valAt ^IPersistentMap new :name)))
    (EventDef. new layout)
    new))

(defmethod print-method EventDef [^EventDef d ^Writer w]
  (print-method (.-m d) w))

(defn event-def?
  "True for a map that looks like an event definition."
  [x]
  (or (instance? EventDef x) (and (map? x) (contains? x :fields))))

(defn spec-type
  "The type a field spec gives, as the user wrote it: the second element of
  [name type ...], the first of an unnamed [type] or [type {:bits w}]."
  [spec]
  (if (and (vector? spec) (or (= 1 (count spec))
                              (and (= 2 (count spec)) (map? (nth spec 1))
                                   (not (event-def? (nth spec 1))))))
    (nth spec 0)
    (when (sequential? spec) (second spec))))

(defn spec-options
  "The options map {:bits :enum :to :kind :aligned} that ends a field spec, or nil."
  [spec]
  (when (and (vector? spec) (>= (count spec) 2))
    (let [o (peek spec)]
      (when (and (map? o) (not (event-def? o))) o))))

(defn field->map
  "A placed field as the definition shows it, t the type as the user gave it, opts its
  options: {:name :type :count :size :offset}, and as they apply :bits and :bit-offset
  (a bitfield), :enum, :to, :kind and :aligned (as given). An anonymous member or an
  unnamed bitfield has :name nil; a flexible array :count 0 and :flexible true."
  ([^Field f t] (field->map f t nil))
  ([^Field f t opts]
   (cond-> {:name (some-> (.name f) keyword)
            :type t
            :count (.count f)
            :size (.size f)
            :offset (.offset f)}
     (.isBitfield f) (assoc :bits (.bits f) :bit-offset (.bitOffset f))
     (.isFlexible f) (assoc :flexible true)
     (contains? opts :enum) (assoc :enum (:enum opts))
     (contains? opts :to) (assoc :to (:to opts))
     (contains? opts :kind) (assoc :kind (:kind opts))
     (contains? opts :aligned) (assoc :aligned (:aligned opts)))))

(defn definition
  "The definition map of a layout: types as the user gave them (a keyword, or a nested
  event's definition), in declaration order; :kind and :aligned only where the options
  gave them."
  ([name ^EventLayout l types] (definition name l types (repeat nil) nil))
  ([name ^EventLayout l types optss opts]
   (let [fields (mapv field->map (.fields l) types optss)]
     (EventDef. (cond-> {:name name
                         :align (keyword (.optionName (.packing l)))}
                  (contains? opts :kind) (assoc :kind (:kind opts))
                  (contains? opts :aligned) (assoc :aligned (:aligned opts))
                  true (assoc :fields fields
                              :size (.size l)
                              :field-map (into {} (comp (filter :name)
                                                        (map (juxt :name identity)))
                                               fields)))
                l))))

(def ^:private ^java.util.concurrent.atomic.AtomicReference last-expanded
  "The latest definition that a defevent expansion laid out, with its arguments."
  (java.util.concurrent.atomic.AtomicReference.))

(defn expanded!
  "Keeps the definition d that a defevent expansion laid out from args."
  [args d]
  (.set last-expanded [args d]))

(defn expanded-or
  "The definition of args [name specs opts] that the latest defevent expansion laid out
  when args are what it laid out (a top-level form is evaluated right after it is
  expanded), so that a defevent lays out once; else (apply make args)."
  [make & args]
  (let [[a d] (.getAndSet last-expanded nil)]
    (if (and d (= a args)) d (apply make args))))

;; ---------------------------------------------------------------------------
;; Clojure data as forms

(def ^:private max-items
  "The most elements of a sequence converted: one past the most fields an event may
  have, so that an endless sequence is cut and reported, never walked to its end."
  (inc LayoutEngine/MAX_FIELDS))

(declare layout-of ->form)

(defn- remember ^Form [^Form f x]
  (when-let [o *origins*] (.put o f x))
  f)

(defn- forms
  "The first n elements of xs as forms, and the form ... when there are more."
  [xs n depth]
  (let [head (into [] (take (inc n)) xs)]
    (cond-> (mapv #(->form % depth) (take n head))
      (> (count head) n) (conj (Form$OtherForm. 0 "...")))))

(defn ->form
  "x as a core form, as the user wrote it; sequences are cut after a bound."
  ^Form [x depth]
  (remember
   (cond
     (keyword? x) (Form$KeywordForm. 0 (kw-name x))
     (symbol? x) (Form$SymbolForm. 0 (str x))
     (string? x) (Form$StringForm. 0 x)
     (and (integer? x) (<= Long/MIN_VALUE x Long/MAX_VALUE)) (Form$IntegerForm. 0 (long x))
     (> depth 4) (Form$OtherForm. 0 (excerpt x))
     (vector? x) (Form$VectorForm. 0 (forms x 8 (inc depth)))
     (map? x) (Form$MapForm. 0 (forms (mapcat identity (take 8 x)) 16 (inc depth)))
     (sequential? x) (Form$ListForm. 0 (forms x 8 (inc depth)))
     :else (Form$OtherForm. 0 (excerpt x)))
   x))

(defn- type-form
  "A spec's type as a form: an event definition becomes its layout."
  ^Form [t depth seen]
  (if (event-def? t)
    (remember (Form$EventForm. 0 (layout-of t (inc depth) seen)) t)
    (->form t 0)))

(defn- enum-form
  "An :enum map as a form, every enumerator (up to max-items, then the form ... that the
  core refuses): unlike other maps, it is not cut short for a message."
  ^Form [m]
  (if (map? m)
    (let [head (into [] (take (inc max-items)) m)]
      (remember (Form$MapForm. 0 (cond-> (into [] (mapcat (fn [[k v]] [(->form k 0)
                                                                        (->form v 0)]))
                                               (take max-items head))
                                   (> (count head) max-items)
                                   (conj (Form$OtherForm. 0 "...") (Form$OtherForm. 0 "..."))))
                m))
    (->form m 0)))

(defn- options-of
  "A field's options map as a form, an event definition under :to as its layout, an
  :enum map whole; a map of more than 8 entries ends in the form ..., which the core
  refuses as an unknown option."
  ^Form [m depth seen]
  (let [head (into [] (take 9) m)]
    (remember (Form$MapForm. 0 (cond-> (into [] (mapcat (fn [[k v]]
                                                          [(->form k 0)
                                                           (if (= :enum k)
                                                             (enum-form v)
                                                             (type-form v depth seen))]))
                                             (take 8 head))
                                 (> (count head) 8)
                                 (conj (Form$OtherForm. 0 "...") (Form$OtherForm. 0 "..."))))
              m)))

(defn- spec-form
  "A field spec as a form: [name type count? opts?], or unnamed [type opts?]; the type
  (and an option's value) may be an event definition."
  ^Form [spec depth seen]
  (if (and (vector? spec) (<= 1 (count spec) 4))
    (remember (Form$VectorForm. 0 (into [] (map-indexed
                                            (fn [i x]
                                              (cond
                                                (and (map? x) (not (event-def? x)) (pos? i))
                                                (options-of x depth seen)
                                                (<= i 1) (type-form x depth seen)
                                                :else (->form x 0))))
                                        spec))
              spec)
    (->form spec 0)))

(defn- lazy-forms
  "The first max-items of xs as a java.util.List of forms, each made by f when the core
  asks for it: the core checks the count first, so a sequence cut at the limit costs no
  conversion."
  ^List [xs f]
  (let [v (into [] (take max-items) xs)]
    (proxy [java.util.AbstractList java.util.RandomAccess] []
      (size [] (count v))
      (get [i] (f (nth v i))))))

(defn specs-form
  "The field specs of a definition as a form: a vector of spec forms, cut one past the
  most fields an event may have."
  ^Form [specs depth seen]
  (if (or (sequential? specs) (instance? List specs) (nil? specs))
    (remember (Form$VectorForm. 0 (lazy-forms specs #(spec-form % depth seen))) specs)
    (->form specs 0)))

(defn options-form
  "The options of a definition as a form."
  ^Form [opts]
  (->form opts 0))

(defn field-specs
  "The field specs [name type count?] a definition map declares, hand-made or edited,
  whether its :fields are specs or field maps."
  [d]
  (let [fields (:fields d)]
    (if (or (sequential? fields) (instance? List fields) (nil? fields))
      (eduction (take max-items)
                (map (fn [f] (if (and (map? f) (contains? f :name) (contains? f :type))
                               (let [opts (not-empty (select-keys f [:bits :enum :to :kind
                                                                     :aligned]))]
                                 (cond
                                   (nil? (:name f)) (cond-> [(:type f)] opts (conj opts))
                                   (and (:flexible f) (= 0 (:count f)))
                                   (cond-> [(:name f) (:type f) []]
                                                      opts (conj opts))
                                   (not (contains? f :count))
                                   (cond-> [(:name f) (:type f)] opts (conj opts))
                                   :else (cond-> [(:name f) (:type f) (:count f)]
                                           opts (conj opts))))
                               f)))
                fields)
      fields)))

(defn layout-of
  "The core layout of an event definition: the one a definition from make-event-def
  holds, or for any other map, its :name, :align and each field's :name, :type and
  :count laid out now (and so checked). Nested definitions are converted once each per
  call (seen, by identity); nesting deeper than the core allows, a cycle included, is an
  error."
  (^EventLayout [d]
   (if (instance? EventDef d)
     (.-layout ^EventDef d)
     (layout-of d 0 (IdentityHashMap.))))
  (^EventLayout [d depth ^IdentityHashMap seen]
   (cond
     (instance? EventDef d) (.-layout ^EventDef d)
     (.containsKey seen d) (.get seen d)
     (not (event-def? d))
     (fail :not-an-event
           (str (excerpt d) " is not an event definition; expected the result of"
                " make-event-def or defevent")
           {:value d :expected "an event definition (make-event-def, defevent)"})
     (>= depth LayoutEngine/MAX_DEPTH)
     (fail :too-deep
           (str "event " (excerpt (:name d)) " nests events more than "
                LayoutEngine/MAX_DEPTH " deep (or holds itself); expected events nested at"
                " most " LayoutEngine/MAX_DEPTH " deep")
           {:value (:name d) :expected (str "events nested at most " LayoutEngine/MAX_DEPTH
                                            " deep")})
     :else
     (let [l (binding [*origins* (or *origins* (IdentityHashMap.))]
               (core (DefinitionReader/define (->form (:name d) 0)
                                              (specs-form (field-specs d) depth seen)
                                              (->form (select-keys d [:align :kind
                                                                      :aligned])
                                                      0)
                                              nil)))]
       (.put seen d l)
       l))))

(defn layouts-of
  "The core layouts of one definition or a sequence of them, at most as many as an event
  may hold fields, nested definitions converted once each."
  ^List [defs]
  (let [ds (if (event-def? defs) [defs] defs)]
    (when-not (and (sequential? ds) (seq ds))
      (fail :no-events (str (excerpt defs) " holds no event definitions; expected one or a"
                            " sequence of them")
            {:value defs :expected "an event definition or a sequence of them"}))
    (let [limit LayoutEngine/MAX_FIELDS
          head (into [] (take (inc limit)) ds)
          seen (IdentityHashMap.)]
      ;; what is no definition at all is named first (a seq of numbers is not "too many
      ;; events"); the count is checked before any definition is laid out
      (some-> (first (remove event-def? head)) (layout-of 0 seen))
      (when (> (count head) limit)
        (fail :too-many-events
              (str "more than " limit " event definitions; expected at most " limit)
              {:value defs :expected (str "at most " limit " event definitions")}))
      (mapv #(layout-of % 0 seen) head))))

;; ---------------------------------------------------------------------------
;; Records as Clojure data

(def ^HostValues host
  "The core's view of Clojure values (io.github.bpfevents.HostValues), the one
  implementation: what a value is, names as keywords, records as array maps in
  declaration order and vectors."
  (reify HostValues
    (kind [_ x]
      (cond
        (nil? x) HostValues$Kind/NIL
        (keyword? x) HostValues$Kind/KEYWORD
        (symbol? x) HostValues$Kind/SYMBOL
        (string? x) HostValues$Kind/STRING
        (integer? x) HostValues$Kind/INTEGER
        (boolean? x) HostValues$Kind/BOOLEAN
        (instance? EventDef x) HostValues$Kind/EVENT
        (or (vector? x) (and (instance? List x) (instance? java.util.RandomAccess x)))
        HostValues$Kind/VECTOR
        (map? x) HostValues$Kind/MAP
        (or (sequential? x) (instance? List x)) HostValues$Kind/SEQUENCE
        :else HostValues$Kind/OTHER))
    (text [_ x] (cond (string? x) x (keyword? x) (kw-name x) (symbol? x) (str x)))
    (integer [_ x]
      (when (integer? x)
        (if (<= Long/MIN_VALUE x Long/MAX_VALUE) (Long/valueOf (long x)) (biginteger x))))
    (items [_ x limit] (when (or (sequential? x) (instance? List x)) (into [] (take limit) x)))
    (entries [_ x limit] (when (map? x) (into [] (take limit) x)))
    (get [_ m k] (when (map? m) (get m (keyword k))))
    (has [_ m k] (and (map? m) (contains? m (keyword k))))
    (event [_ x] (when (instance? EventDef x) (.-layout ^EventDef x)))
    (keyword [_ n] (keyword n))
    (symbol [_ n] (symbol n))
    (key [_ field-name] (keyword field-name))
    (name [_ k] (when (keyword? k) (kw-name k)))
    (map [_ kvs] (PersistentArrayMap. ^objects kvs))
    (list [_ items] (LazilyPersistentVector/createOwning ^objects items))))

(def ^DataModel clojure-data
  "Records as Clojure data: keyword keys, array maps in declaration order, vectors."
  host)
