;; Nested events, arrays of events, signed and big-endian fields, and the syntax an
;; event file may use: an alias for defevent, commas, hex counts, comments.
(ns cli-test.nested
  (:require [clj-ebpf.dsl.structs :as s]))

(s/defevent Hop {:align :natural}
  [:ttl :u8] [:addr :be32])                      ; 8 bytes: ttl at 0, addr at 4

(s/defevent Route {:align :natural},
  [:id :u64], [:hops Hop 2], [:flags :u16 0x2],  ; hops at 8 and 16, flags at 24
  [:name :char 0x8])                             ; name at 28; 36 rounded up to 40

;; Packed (the default): misaligned members, and what a plain C struct would give.
(s/defevent Sample
  [:flag :u8] [:delta :i32] [:ts :i64] [:port :be16])
