(ns clj-ebpf.dsl.deps-edn-test
  "deps.edn really works for Clojure CLI users, the way they use it: a consumer project
  names a fresh copy of this repository (the files git tracks, no compiled classes) as a
  :local/root dependency, or a git repository made from it as a :git/url + :git/sha one;
  clojure.tools.deps.cli.api/prep (what `clojure -X:deps prep` runs) builds it through
  :deps/prep-lib, and clj-ebpf.dsl.structs works in a new JVM on the consumer's basis.

  tools.deps.cli comes from the test classpath, so no Clojure CLI is needed. The prep and
  the basis run in a child JVM started in the consumer's directory, with an empty user
  config (CLJ_CONFIG) and a temporary gitlibs directory (GITLIBS), so neither ~/.clojure
  nor ~/.gitlibs is read or written; Maven artifacts come from ~/.m2 and Maven Central."
  (:require [clojure.edn :as edn]
            [clojure.java.io :as io]
            [clojure.string :as str]
            [clojure.test :refer [deftest is]]
            [clojure.tools.deps :as deps])
  (:import (java.io File IOException)
           (java.lang ProcessHandle)
           (java.nio.file CopyOption Files FileVisitOption LinkOption Path
                          StandardCopyOption)
           (java.nio.file.attribute FileAttribute)
           (java.util Comparator List Map)
           (java.util.concurrent TimeUnit)
           (org.opentest4j TestAbortedException)))

(set! *warn-on-reflection* true)

(def ^:private project (edn/read-string (slurp "deps.edn")))

(deftest deps-edn-declares-paths-deps-prep-and-aliases
  (is (= ["src/main/clojure" "target/classes"] (:paths project)))
  (is (contains? (:deps project) 'org.clojure/clojure))
  (is (= {:alias :build :fn 'compile-java :ensure "target/classes"} (:deps/prep-lib project)))
  (is (= 'build (get-in project [:aliases :build :ns-default])))
  (is (contains? (:aliases project) :test))
  (is (contains? (:aliases project) :bench)))

(deftest tools-deps-resolves-the-project
  (let [b (deps/create-basis {:user nil :project "deps.edn"})
        roots (:classpath-roots b)]
    (is (some #{"src/main/clojure"} roots))
    (is (some #{"target/classes"} roots))
    (is (some #(re-find #"clojure-1\.12\.\d+\.jar$" %) roots))
    (is (= (get-in project [:deps 'org.clojure/clojure :mvn/version])
           (get-in b [:libs 'org.clojure/clojure :mvn/version])))))

;; --- processes ---------------------------------------------------------------------

(def ^:private timeout-minutes 5)

(defn- run
  "Runs args in dir with env added to this process's environment. Returns {:exit :out},
  :out being stdout and stderr together (also those of the process's own children)."
  [^File dir env args]
  (let [log (File/createTempFile "bpf-events-deps" ".log")
        pb (doto (ProcessBuilder. ^List (vec args))
             (.directory dir)
             (.redirectErrorStream true)
             (.redirectOutput log))
        _ (.putAll ^Map (.environment pb) ^Map env)
        p (.start pb)]
    (try
      (if (.waitFor p timeout-minutes TimeUnit/MINUTES)
        {:exit (.exitValue p) :out (slurp log)}
        (do (run! #(.destroyForcibly ^ProcessHandle %) (iterator-seq (.iterator (.descendants p))))
            (.destroyForcibly p)
            {:exit -1 :out (str (slurp log) "\ntimed out after " timeout-minutes " min: " args)}))
      (finally (.delete log)))))

(defn- git [^File dir & args]
  (let [r (run dir {} (concat ["git" "-c" "user.name=bpf-events test"
                               "-c" "user.email=test@bpf-events.invalid"
                               "-c" "commit.gpgsign=false"]
                              args))]
    (when-not (zero? (:exit r))
      (throw (ex-info (str "git " (str/join " " args) " failed:\n" (:out r)) r)))
    (:out r)))

(def ^:private java-bin (str (System/getProperty "java.home") File/separator "bin"))
(def ^:private java-cmd (str java-bin File/separator "java"))

(defn- child-env
  "No user deps.edn, gitlibs under tmp, and this JVM's java first on the PATH (prep
  starts `java` for the prep function)."
  [^File tmp]
  (let [config (io/file tmp "clj-config")]
    (.mkdirs config)
    {"CLJ_CONFIG" (str config)
     "GITLIBS" (str (io/file tmp "gitlibs"))
     "PATH" (str java-bin File/pathSeparator (System/getenv "PATH"))}))

;; --- the repository copy and the consumer ---------------------------------------------

(defn- temp-dir ^File []
  (.toFile (Files/createTempDirectory "bpf-events-deps" (make-array FileAttribute 0))))

(defn- delete-tree [^File dir]
  (with-open [s (Files/walk (.toPath dir) (make-array FileVisitOption 0))]
    (doseq [^Path p (-> s (.sorted (Comparator/reverseOrder)) .iterator iterator-seq)]
      (Files/deleteIfExists p))))

(defn- tracked-files
  "The files `git ls-files` lists, or an abort (skip) when this is no git work tree."
  []
  (let [r (try (run (io/file ".") {} ["git" "-c" "safe.directory=*" "ls-files" "-z"])
               (catch IOException e {:exit -1 :out (str e)}))]
    (when-not (zero? (:exit r))
      (let [why (str "[deps.edn] skipped: `git ls-files` failed here: " (str/trim (:out r)))]
        (println why)
        (throw (TestAbortedException. why))))
    (remove str/blank? (str/split (:out r) #"\u0000"))))

(defn- copy-repository
  "Copies the tracked files, as they are in the working tree, to dir."
  ^File [^File dir]
  (doseq [f (tracked-files)
          :let [src (.toPath (io/file f))
                dst (.toPath (io/file dir f))]
          :when (Files/exists src (make-array LinkOption 0))]
    (Files/createDirectories (.getParent dst) (make-array FileAttribute 0))
    (Files/copy src dst ^"[Ljava.nio.file.CopyOption;"
                (into-array CopyOption [StandardCopyOption/COPY_ATTRIBUTES
                                        LinkOption/NOFOLLOW_LINKS])))
  dir)

(def ^:private lib 'io.github.bpf-events/bpf-events)

(defn- write-consumer
  "A consumer project in dir whose deps.edn depends on this library through coord."
  ^File [^File dir coord]
  (.mkdirs dir)
  (spit (io/file dir "deps.edn") (pr-str {:deps {lib coord}}))
  dir)

(def ^:private classpath-file "basis-classpath.txt")

(defn- prep-and-basis-code
  "What the child JVM runs: `clojure -X:deps prep`'s function, then the consumer's basis
  (user deps off), whose classpath it writes to classpath-file."
  []
  (pr-str `(do (require 'clojure.tools.deps.cli.api 'clojure.tools.deps)
               (clojure.tools.deps.cli.api/prep {})
               (spit ~classpath-file
                     (clojure.tools.deps/join-classpath
                      (:classpath-roots (clojure.tools.deps/create-basis {:user nil}))))
               nil)))

(def ^:private api-code
  (pr-str '(do (require '[clj-ebpf.dsl.structs :as s
                          :refer [defevent event-size event-field-offset]])
               (defevent ConnectionEvent
                 [:timestamp :u64] [:pid :u32] [:saddr :u32] [:daddr :u32]
                 [:sport :u16] [:dport :u16] [:protocol :u8] [:direction :u8]
                 [:padding :u8 2] [:comm :char 16])
               (prn {:e-size (s/event-size (s/make-event-def 'E [[:a :u32] [:b :u8]]))
                     :size (event-size ConnectionEvent)
                     :pid (event-field-offset ConnectionEvent :pid)
                     :core (-> io.github.bpfevents.layout.LayoutEngine
                               .getProtectionDomain .getCodeSource .getLocation str)})
               nil)))

(defn- last-line [s] (last (str/split-lines (str/trim s))))

(defn- prep-and-load
  "Preps the consumer in a child JVM on the test classpath, then runs the API in a new
  JVM on the consumer's basis. lib-root is where tools.deps puts the library. Returns a
  summary for the log line."
  [^File tmp ^File consumer ^File lib-root]
  (let [env (child-env tmp)
        classes (io/file lib-root "target/classes")
        engine (io/file classes "io/github/bpfevents/layout/LayoutEngine.class")
        start (System/nanoTime)
        prep (run consumer env [java-cmd "-cp" (System/getProperty "java.class.path")
                                "clojure.main" "-e" (prep-and-basis-code)])
        cp-file (io/file consumer classpath-file)]
    (is (zero? (:exit prep)) (:out prep))
    (is (str/includes? (:out prep) (str "Prepping " lib " in ")) (:out prep))
    (is (.isFile engine) (str engine " after prep:\n" (:out prep)))
    (when (and (zero? (:exit prep)) (.isFile cp-file))
      (let [cp (slurp cp-file)
            api (run consumer env [java-cmd "-cp" cp "clojure.main" "-e" api-code])
            result (when (zero? (:exit api)) (edn/read-string (last-line (:out api))))]
        (is (zero? (:exit api)) (:out api))
        (is (= {:e-size 5 :size 44 :pid 8} (dissoc result :core)) (:out api))
        (is (= (.getCanonicalFile classes)
               (some-> ^String (:core result) java.net.URI. io/file .getCanonicalFile))
            (str "the Java core comes from the classes the prep compiled: " (:core result)))
        (format "%d .class files compiled, ConnectionEvent %s bytes, :pid at %s (%.1f s)"
                (count (filter #(str/ends-with? (.getName ^File %) ".class") (file-seq classes)))
                (:size result) (:pid result) (/ (- (System/nanoTime) start) 1e9))))))

(deftest a-local-root-dependency-preps-and-loads
  (let [tmp (temp-dir)]
    (try
      (let [copy (copy-repository (io/file tmp "bpf-events"))
            consumer (write-consumer (io/file tmp "app") {:local/root "../bpf-events"})]
        (is (not (.exists (io/file copy "target"))) "the copy starts without classes")
        (when-let [summary (prep-and-load tmp consumer copy)]
          (println "[deps.edn] prep via clojure.tools.deps.cli.api/prep, :local/root dependency:"
                   summary)))
      (finally (delete-tree tmp)))))

(deftest a-git-dependency-preps-and-loads
  (let [tmp (temp-dir)]
    (try
      (let [repo (copy-repository (io/file tmp "bpf-events.git-src"))
            _ (git repo "init" "-q")
            _ (git repo "add" "-A")
            _ (git repo "commit" "-q" "-m" "snapshot")
            sha (str/trim (git repo "rev-parse" "HEAD"))
            consumer (write-consumer (io/file tmp "app")
                                     {:git/url (str "file://" (.getCanonicalPath repo))
                                      :git/sha sha})
            checkout (io/file tmp "gitlibs" "libs" (namespace lib) (name lib) sha)]
        (when-let [summary (prep-and-load tmp consumer checkout)]
          (println "[deps.edn] prep via clojure.tools.deps.cli.api/prep, :git/url + :git/sha"
                   "dependency (file URL, gitlibs checkout):" summary)))
      (finally (delete-tree tmp)))))
