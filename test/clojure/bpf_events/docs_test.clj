(ns bpf-events.docs-test
  "Every example of README.md and the guide (doc/*.md, in the order doc/cljdoc.edn gives)
  runs as pasted:

  - each ```clojure block is evaluated, form by form, in order within its file, in a
    fresh namespace per file; a form followed by a comment `;=> value` must give that
    value (compared as printed, `...` standing for anything), one followed by
    `;; ExceptionInfo: message` must throw the library's ex-info with that message;
  - each ```java block compiles, as a whole program or as statements after the imports it
    shows, and runs; a statement ending in `// => value` must give that value;
  - each ```sh block's `bpf-events` commands run (the tool's Main, in this JVM) and
    succeed, and when a ```text block follows, print it;
  - each ```edn block reads as EDN.

  The test prints how many blocks and results it checked."
  (:require [clojure.edn :as edn]
            [clojure.java.io :as io]
            [clojure.string :as str]
            [clojure.test :refer [deftest is testing]])
  (:import (clojure.lang LineNumberingPushbackReader)
           (io.github.bpfevents.cli Main)
           (java.io ByteArrayInputStream ByteArrayOutputStream PrintStream StringReader)
           (java.net URLClassLoader)
           (java.nio.charset StandardCharsets)
           (java.nio.file Files Path)
           (java.nio.file.attribute FileAttribute)
           (javax.tools ToolProvider)))

(set! *warn-on-reflection* true)

;; ---------------------------------------------------------------------------
;; The documents and their blocks

(defn documents
  "README.md, then the guide's articles in cljdoc.edn's order."
  []
  (let [cljdoc (io/file "doc/cljdoc.edn")
        files (when (.exists cljdoc)
                (->> (edn/read-string (slurp cljdoc))
                     :cljdoc.doc/tree
                     (tree-seq vector? #(filter vector? %))
                     (keep #(when (map? (second %)) (:file (second %))))))]
    (distinct (cons "README.md" files))))

(defn blocks
  "The fenced blocks of a markdown text: [{:lang :text :line}], in order."
  [text]
  (loop [lines (map-indexed vector (str/split-lines text)) open nil acc [] out []]
    (if-let [[[n line] & more] (seq lines)]
      (cond
        (and (nil? open) (re-matches #"```(\S*)\s*" line))
        (recur more {:lang (second (re-matches #"```(\S*)\s*" line)) :line (+ n 2)} [] out)
        (and open (re-matches #"```\s*" line))
        (recur more nil [] (conj out (assoc open :text (str/join "\n" acc))))
        open (recur more open (conj acc line) out)
        :else (recur more nil acc out))
      out)))

;; ---------------------------------------------------------------------------
;; Results as the documents write them

(defn- wildcard-pattern
  "A regex for an expected text in which `...` stands for anything; whitespace runs match
  any whitespace."
  [expected]
  (re-pattern (str "(?s)\\A"
                   (->> (str/split (str/trim expected) #"\.\.\." -1)
                        (map (fn [part] (->> (str/split part #"\s+")
                                             (remove str/blank?)
                                             (map #(java.util.regex.Pattern/quote %))
                                             (str/join "\\s*"))))
                        (str/join "[\\s\\S]*?"))
                   "\\z")))

(defn matches?
  "Whether a printed value matches the documented one."
  [printed expected]
  (boolean (re-find (wildcard-pattern expected) (str/trim printed))))

(defn- annotations
  "The comment after a form that ends at (line, column), on its last line or on the lines
  after it up to the next code: {:result text} for `;=>`, {:error text} for
  `;; ExceptionInfo: ` (each with their continuation comment lines), or nil."
  [lines line column]
  (let [rest-of-line (let [l (get lines (dec line) "")]
                       (subs l (min (count l) (max 0 (dec column)))))
        following (cons rest-of-line (drop line lines))
        comment? #(re-matches #"\s*;.*" %)
        comments (vec (take-while #(or (comment? %) (str/blank? %)) following))
        start (first (keep-indexed (fn [i l] (when (re-find #"^\s*;+\s*(=>|ExceptionInfo:)" l) i))
                                   comments))]
    (when start
      (let [head (comments start)
            cont (take-while #(re-matches #"\s*;;?\s{2,}\S.*|\s*;\s+\S.*" %)
                             (subvec comments (inc start)))
            cont (take-while #(not (re-find #"^\s*;+\s*(=>|ExceptionInfo:)" %)) cont)
            body (str/join " " (map #(str/replace % #"^\s*;+\s?" "") (cons head cont)))]
        (if-let [[_ r] (re-find #"^\s*=>\s?([\s\S]*)" body)]
          {:result r}
          {:error (str/replace body #"^\s*ExceptionInfo:\s*" "")})))))

;; ---------------------------------------------------------------------------
;; Clojure blocks

(defn- eval-clojure-block
  "Evaluates a block's forms in ns, checking each annotated result. Returns
  {:forms n :checked n :failures [...]}."
  [ns {:keys [text line]} file]
  (let [lines (vec (str/split-lines text))
        rdr (LineNumberingPushbackReader. (StringReader. text))]
    (binding [*ns* ns *1 nil *2 nil *3 nil *e nil
              *data-readers* (merge *data-readers*
                                    {'bpf/insn (requiring-resolve 'clj-ebpf.dsl.structs/read-insn)})]
      (loop [forms 0 checked 0 failures []]
        (let [form (read {:eof ::eof} rdr)]
          (if (= ::eof form)
            {:forms forms :checked checked :failures failures}
            (let [end-line (.getLineNumber rdr)
                  ann (annotations lines end-line (.getColumnNumber rdr))
                  where (str file ":" (+ line end-line -1))
                  outcome (try {:value (binding [*out* (java.io.StringWriter.)] (eval form))}
                               (catch Throwable e {:error e}))
                  _ (when (contains? outcome :value)
                      ;; as a REPL does, so that an example may use *1
                      (set! *3 *2) (set! *2 *1) (set! *1 (:value outcome)))]
              (cond
                (:error ann)
                (let [e (:error outcome)
                      lib (first (filter #(:problem (ex-data %))
                                         (take-while some? (iterate ex-cause e))))]
                  (recur (inc forms) (inc checked)
                         (cond-> failures
                           (not (and lib (matches? (ex-message lib) (:error ann))))
                           (conj (str where ": " (pr-str form) " should throw the library's "
                                      (:error ann) "; got "
                                      (if e (str (class e) " " (ex-message e)) "no error"))))))

                (:error outcome)
                (recur (inc forms) checked
                       (conj failures (str where ": " (pr-str form) " threw "
                                           (class (:error outcome)) " "
                                           (ex-message (:error outcome)))))

                (:result ann)
                (let [printed (binding [*print-namespace-maps* false]
                                (pr-str (let [v (:value outcome)]
                                          (if (bytes? v) (vec v) v))))]
                  (recur (inc forms) (inc checked)
                         (cond-> failures
                           (not (matches? printed (:result ann)))
                           (conj (str where ": " (pr-str form) " gave " printed
                                      ", the document says " (:result ann))))))

                :else (recur (inc forms) checked failures)))))))))

;; ---------------------------------------------------------------------------
;; Java blocks

(defn- java-source
  "A block as a compilable class: a whole program as it is, or the statements after its
  imports wrapped in a method, each `expr; // => value` checked."
  [{:keys [text]} class-name]
  (if (re-find #"(?m)^\s*(public\s+)?(final\s+)?class\s+\w+" text)
    {:program true
     :name (second (re-find #"(?m)^\s*(?:public\s+)?(?:final\s+)?class\s+(\w+)" text))
     :source text}
    (let [lines (str/split-lines text)
          imports (filter #(re-matches #"\s*import\s+.*;\s*" %) lines)
          body (remove #(re-matches #"\s*import\s+.*;\s*" %) lines)
          checked (map (fn [l]
                         (if-let [[_ indent decl var expr want]
                                  (re-matches #"(\s*)([\w.<>\[\], ?]+\s+)(\w+)\s*=\s*(.*);\s*// => (.*)" l)]
                           (str indent decl var " = " expr "; check(" var ", \""
                                (str/escape want {\" "\\\"" \\ "\\\\"}) "\");")
                           (if-let [[_ indent expr want] (re-matches #"(\s*)(.*);\s*// => (.*)" l)]
                             (str indent "check(" expr ", \""
                                  (str/escape want {\" "\\\"" \\ "\\\\"}) "\");")
                             l)))
                       body)]
      {:program false
       :name class-name
       :checks (count (filter #(re-find #"// => " %) body))
       :source (str (str/join "\n" imports)
                    "\nimport java.util.*;\n"
                    "public class " class-name " {\n"
                    "  static void check(Object got, String want) {\n"
                    "    String shown = got instanceof String s ? \"\\\"\" + s + \"\\\"\" : String.valueOf(got);\n"
                    "    String re = \"(?s)\" + java.util.Arrays.stream(want.trim().split(\"\\\\.\\\\.\\\\.\", -1))\n"
                    "        .map(java.util.regex.Pattern::quote).reduce((a, b) -> a + \".*?\" + b).orElse(\"\");\n"
                    "    if (!shown.trim().matches(re)) {\n"
                    "      throw new AssertionError(\"got \" + shown + \", the document says \" + want);\n"
                    "    }\n"
                    "  }\n"
                    "  public static void run() throws Exception {\n"
                    (str/join "\n" checked)
                    "\n  }\n}\n")})))

(defn- compile-and-run-java
  "Compiles and runs a Java block; returns nil or a failure text."
  [block where n]
  (let [{:keys [name source program]} (java-source block (str "DocExample" n))
        dir (Files/createTempDirectory "bpf-events-doc" (make-array FileAttribute 0))
        file (.toFile (.resolve dir (str name ".java")))
        compiler (ToolProvider/getSystemJavaCompiler)
        err (ByteArrayOutputStream.)]
    (spit file source)
    (if-not (zero? (.run compiler nil nil err
                         (into-array String ["-d" (str dir) "-cp" (System/getProperty "java.class.path")
                                             "-proc:none" (str file)])))
      (str where ": the Java example does not compile:\n" (.toString err "UTF-8") "\n" source)
      (with-open [loader (URLClassLoader. (into-array [(.toURL (.toUri dir))])
                                          (.getContextClassLoader (Thread/currentThread)))]
        (try
          (let [c (Class/forName name true loader)]
            (if program
              (let [m (.getMethod c "main" (into-array Class [(class (make-array String 0))]))
                    out System/out]
                (try
                  (System/setOut (PrintStream. (ByteArrayOutputStream.)))
                  (.invoke m nil (object-array [(make-array String 0)]))
                  (finally (System/setOut out))))
              (.invoke (.getMethod c "run" (make-array Class 0)) nil (object-array 0)))
            nil)
          (catch java.lang.reflect.InvocationTargetException e
            (str where ": the Java example fails: " (.getCause e))))))))

;; ---------------------------------------------------------------------------
;; Shell blocks

(defn- shell-words
  "A command line split as a shell splits it (quotes, no expansion)."
  [line]
  (map (fn [[_ a b c]] (or a b c)) (re-seq #"\"([^\"]*)\"|'([^']*)'|(\S+)" line)))

(defn- tool
  "Runs the tool's Main on args in this JVM: {:exit :out :err}."
  [args]
  (let [out (ByteArrayOutputStream.) err (ByteArrayOutputStream.)
        exit (Main/run (into-array String args) (ByteArrayInputStream. (byte-array 0))
                       (PrintStream. out true "UTF-8") (PrintStream. err true "UTF-8"))]
    {:exit exit :out (.toString out "UTF-8") :err (.toString err "UTF-8")}))

(defn- run-shell-block
  "Runs a block's bpf-events commands; returns {:commands n :failures [...]}."
  [{:keys [text]} next-block where]
  (let [commands (keep (fn [l]
                         (when-let [[_ cmd] (re-matches #"\s*(?:\$\s*)?(?:bin/)?bpf-events\s+([^#]*?)\s*(?:#.*)?" l)]
                           cmd))
                       (str/split-lines text))
        results (mapv #(tool (shell-words %)) commands)
        failures (vec (keep-indexed (fn [i r] (when-not (zero? (:exit r))
                                                (str where ": bpf-events " (nth commands i)
                                                     " exited " (:exit r) ": " (:err r))))
                                    results))
        shown (when (and (= 1 (count commands)) (= "text" (:lang next-block))) (:text next-block))]
    {:commands (count commands)
     :failures (cond-> failures
                 (and shown (empty? failures) (not (matches? (:out (first results)) shown)))
                 (conj (str where ": bpf-events " (first commands) " printed\n"
                            (:out (first results)) "\nthe document shows\n" shown)))}))

;; ---------------------------------------------------------------------------

(deftest every-example-runs-as-pasted
  (let [totals (atom {:clojure 0 :forms 0 :results 0 :java 0 :java-checks 0 :sh 0 :commands 0
                      :edn 0 :files 0})
        java-n (atom 0)]
    (doseq [file (documents)
            :let [text (slurp file)
                  bs (blocks text)
                  ns (create-ns (symbol (str "doc." (str/replace file #"[^A-Za-z0-9]+" "-"))))]]
      (binding [*ns* ns] (refer-clojure))
      (swap! totals update :files inc)
      (doseq [[i b] (map-indexed vector bs)
              :let [where (str file ":" (:line b))]]
        (case (:lang b)
          "clojure" (let [{:keys [forms checked failures]} (eval-clojure-block ns b file)]
                      (swap! totals #(-> % (update :clojure inc) (update :forms + forms)
                                         (update :results + checked)))
                      (doseq [f failures] (is false f)))
          "java" (let [failure (compile-and-run-java b where (swap! java-n inc))]
                   (swap! totals #(-> % (update :java inc)
                                      (update :java-checks + (count (re-seq #"// => " (:text b))))))
                   (is (nil? failure) failure))
          "sh" (let [{:keys [commands failures]} (run-shell-block b (get bs (inc i)) where)]
                 (swap! totals #(-> % (update :sh inc) (update :commands + commands)))
                 (doseq [f failures] (is false f)))
          "edn" (do (swap! totals update :edn inc)
                    (is (some? (try (edn/read-string (str "[" (:text b) "]"))
                                    (catch Exception e (println where e) nil)))
                        (str where ": not EDN")))
          nil)))
    (let [t @totals]
      (is (pos? (:clojure t)))
      (println "[docs]" (:clojure t) "clojure blocks in" (:files t) "files:" (:forms t)
               "forms evaluated," (:results t) "documented results checked;" (:java t)
               "java blocks compiled and run," (:java-checks t) "results checked;" (:sh t)
               "shell blocks," (:commands t) "bpf-events commands run;" (:edn t)
               "edn blocks read"))))
