(ns build
  "Build tasks for Clojure CLI users. Maven (pom.xml) is the main build; this compiles the
  Java core so that deps.edn users (and :deps/prep-lib) get the classes."
  (:require [clojure.tools.build.api :as b]))

(def class-dir "target/classes")

(defn compile-java
  "Compiles src/main/java into target/classes (or opts' :class-dir) for Java 17."
  [opts]
  (b/javac {:src-dirs ["src/main/java"]
            :class-dir (:class-dir opts class-dir)
            :basis (b/create-basis {:project "deps.edn"})
            :javac-opts ["--release" "17" "-Xlint:all"]}))
