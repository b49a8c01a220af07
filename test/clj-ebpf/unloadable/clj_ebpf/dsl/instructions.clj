(ns clj-ebpf.dsl.instructions
  "Test stand-in of a clj-ebpf that does not load on this JDK (see
  test/clj-ebpf/README.md).")

(System/setProperty "clj-ebpf.load-attempts"
                    (str (inc (Long/parseLong (System/getProperty "clj-ebpf.load-attempts" "0")))))

(throw (UnsupportedClassVersionError.
        "clj_ebpf/dsl/instructions__init has been compiled by a more recent version of the Java Runtime (class file version 65.0)"))
