;; ConnectionEvent exactly as in the README.
(ns cli-test.connection
  (:require [clj-ebpf.dsl.structs :refer [defevent]]))

(defevent ConnectionEvent
  [:timestamp :u64] [:pid :u32] [:saddr :u32] [:daddr :u32] [:sport :u16]
  [:dport :u16] [:protocol :u8] [:direction :u8] [:padding :u8 2] [:comm :char 16])
