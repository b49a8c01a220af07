;; The built-in example of bpf-events: the events that the tool uses when no event file
;; is given. Copy it to start your own; `bpf-events example > events.clj`.
;;
;; An event file is read as data, never run: it holds defevent forms (and an ns form,
;; which is ignored), so the same file also loads in Clojure.
(ns bpf-events.example
  (:require [clj-ebpf.dsl.structs :refer [defevent]]))

;; A packed record (the default layout): fields back to back, 44 bytes, pid at 8.
(defevent ConnectionEvent
  [:timestamp :u64] [:pid :u32] [:saddr :u32] [:daddr :u32] [:sport :u16]
  [:dport :u16] [:protocol :u8] [:direction :u8] [:padding :u8 2] [:comm :char 16])

;; A C-compatible record: natural alignment, network byte order, nested events.
(defevent Endpoint {:align :natural} [:addr :be32] [:port :be16])

(defevent FlowEvent {:align :natural}
  [:ts :u64] [:protocol :u8] [:src Endpoint] [:dst Endpoint] [:pid :u32] [:comm :char 16])
