;; The events of a TCP connect tracer: what its BPF program writes into a ring buffer for
;; each connect(2), and what userspace reads back.
;;
;; Both sides use this file: `bpf-events c-header` writes the struct for the C program,
;; `bpf-events stores` the instructions for a program built on the JVM, and
;; `bpf-events decode` reads the records back. In Clojure it loads as it is.
(ns examples.connection
  (:require [clj-ebpf.dsl.structs :refer [defevent]]))

;; An IPv4 endpoint as the kernel holds it: address and port in network byte order.
(defevent Addr {:align :natural}
  [:ip :be32] [:port :be16])

;; One connect(2): laid out as a C compiler lays out the struct, so the C side needs no
;; packed attribute.
(defevent TcpConnect {:align :natural}
  [:ts-ns :u64]        ; bpf_ktime_get_ns()
  [:pid :u32]
  [:uid :u32]
  [:src Addr]
  [:dst Addr]
  [:retval :i32]       ; what connect returned: 0, or -errno
  [:comm :char 16])    ; bpf_get_current_comm()
