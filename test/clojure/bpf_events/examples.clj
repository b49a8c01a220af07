(ns bpf-events.examples
  "The example events of the documentation, defined once for every Clojure test: the same
  events as the Java tests' io.github.bpfevents.Examples and the command-line tool's
  built-in example file."
  (:require [clj-ebpf.dsl.structs :refer [defevent]]))

;; The reference event: packed, 44 bytes, :pid at 8.
(defevent ConnectionEvent
  [:timestamp :u64] [:pid :u32] [:saddr :u32] [:daddr :u32] [:sport :u16]
  [:dport :u16] [:protocol :u8] [:direction :u8] [:padding :u8 2] [:comm :char 16])

;; C-compatible records: natural alignment, network byte order, nested events.
(defevent Endpoint {:align :natural} [:addr :be32] [:port :be16])

(defevent FlowEvent {:align :natural}
  [:ts :u64] [:protocol :u8] [:src Endpoint] [:dst Endpoint] [:pid :u32] [:comm :char 16])

(defevent Hop {:align :natural} [:ttl :u8] [:ifindex :u32])

;; Nested events and an array of them, with holes: :dst :port at 20, :hops at 28.
(defevent Flow {:align :natural}
  [:flags :u8] [:ts :u64] [:src Endpoint] [:dst Endpoint] [:hops Hop 4] [:comm :char 16])

;; Twenty fields, natural, with nested events: the benchmarks' wide record.
(defevent WideEvent {:align :natural}
  [:ts :u64] [:pid :u32] [:tid :u32] [:uid :u32] [:gid :u32] [:cpu :u16] [:flags :u16]
  [:src Endpoint] [:dst Endpoint] [:bytes :u64] [:packets :u64] [:latency :u32]
  [:retries :u16] [:state :u8] [:proto :u8] [:ifindex :u32] [:mark :u32] [:cgroup :u64]
  [:prio :i32] [:comm :char 16])
