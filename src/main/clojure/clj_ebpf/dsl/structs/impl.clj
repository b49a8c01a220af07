(ns clj-ebpf.dsl.structs.impl
  "The glue under clj-ebpf.dsl.structs: host, the one implementation of the core's
  HostValues (what a Clojure value is, and how the core's results become Clojure data),
  the core's errors as ex-info, and the event definition as a map that carries its
  layout. Nothing here decides a layout, a limit, a message or a rule of the definition
  grammar: the core (io.github.bpfevents: HostDefinitions, HostQueries) does."
  (:import (clojure.lang IKVReduce IMeta IObj IPersistentMap LazilyPersistentVector
                         PersistentArrayMap PersistentHashMap PersistentList)
           (io.github.bpfevents BpfEventsException HostQueries HostValues HostValues$Kind Notation)
           (io.github.bpfevents.codec DataModel)
           (io.github.bpfevents.definition HostDefinitions HostDefinitions$Defined)
           (io.github.bpfevents.layout EventLayout)
           (java.io Writer)
           (java.util Arrays IdentityHashMap List Map)))

(set! *warn-on-reflection* true)

;; ---------------------------------------------------------------------------
;; Names

(defn kw-name
  "The name a keyword stands for in the core: its text without the colon, namespace kept."
  ^String [k]
  (subs (str k) 1))

(declare host)

;; ---------------------------------------------------------------------------
;; Errors

(defn ->ex-info
  "The ex-info for a core error: its message as a Clojure user reads it (:nope, :u99,
  [:src :port]) and its data under keyword keys, as the core renders them for Clojure
  (BpfEventsException.data(HostValues)). The core exception is not its cause: the REPL
  reports an error's root cause, and that must be the library's message."
  [^BpfEventsException e]
  (ex-info (.message e Notation/EDN) (.data e ^HostValues host)))

(defmacro core
  "Runs body; a core BpfEventsException becomes the equivalent ex-info."
  [& body]
  `(try ~@body (catch BpfEventsException e# (throw (->ex-info e#)))))

(defn path->core
  "A field name or path as the core's path: names as Strings, indices as Longs (or
  BigIntegers beyond a long, which the core finds out of range)."
  ^List [field-name]
  (core (HostQueries/path field-name host)))

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
  "While two definitions are compared: each nested definition already found equal -> the
  one it equals, so that definitions sharing nested events compare in time linear in the
  distinct events, not exponential in the depth."
  (ThreadLocal.))

(defn- def-equiv
  "= (or .equals, with java?) of an EventDef and anything. Two EventDefs whose layouts
  differ are unequal at once; otherwise the maps are compared, each pair of nested
  definitions once."
  [^EventDef a o java?]
  (let [^IdentityHashMap memo (.get proven)
        same (fn [x y] (if java? (.equals ^Object x y) (.equiv ^IPersistentMap x y)))]
    (cond
      (identical? a o) true
      (not (instance? EventDef o)) (same (.-m a) o)
      (and memo (identical? o (.get memo a))) true
      :else
      (do (when-not memo (.set proven (IdentityHashMap.)))
          (try
            (let [r (and (.equals (.-layout a) (.-layout ^EventDef o))
                         (same (.-m a) (.-m ^EventDef o)))]
              (when r (.put ^IdentityHashMap (.get proven) a o))
              r)
            (finally (when-not memo (.remove proven))))))))

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
    (list [_ items] (LazilyPersistentVector/createOwning ^objects items))
    (sequence [_ items] (PersistentList/create (Arrays/asList ^objects items)))
    (lookup [_ kvs] (if (<= (alength ^objects kvs) 16)
                      (PersistentArrayMap. ^objects kvs)
                      (PersistentHashMap/create ^objects kvs)))))

(def ^DataModel clojure-data
  "Records as Clojure data: keyword keys, array maps in declaration order, vectors."
  host)

(defn event-def?
  "True for a map that looks like an event definition."
  [x]
  (HostDefinitions/isDefinition x host))

(defn define
  "The definition that make-event-def returns for its arguments: the core lays the event
  out and makes the map, which is kept with its layout."
  [name specs opts]
  (let [^HostDefinitions$Defined d (core (HostDefinitions/define name specs opts host))]
    (EventDef. (.definition d) (.layout d))))

(defn layout-of
  "The core layout of an event definition: the one a definition from make-event-def
  holds, or for any other map, its :name, options and fields laid out now (and so
  checked)."
  ^EventLayout [d]
  (core (HostDefinitions/layout d host)))

(defn layouts-of
  "The core layouts of one definition or a sequence of them, nested definitions laid out
  once each."
  ^List [defs]
  (core (HostDefinitions/layouts defs host)))
