(ns bpf-events.bench
  "The decoders that the benchmarks compare: (a) hand-written ByteBuffer -> map code, the
  best a careful Clojure programmer writes; (b) the take/drop seq parser users copy from
  tutorials; and the library's event-decoder and decode-event."
  (:require [bpf-events.examples :refer [ConnectionEvent WideEvent]]
            [clj-ebpf.dsl.structs :as s])
  (:import (java.nio ByteBuffer ByteOrder)
           (java.nio.charset StandardCharsets)))

(set! *warn-on-reflection* true)

(defn- cstring [^ByteBuffer b at n]
  (let [at (int at) n (int n)
        len (loop [i (int 0)] (if (and (< i n) (not (zero? (.get b (+ at i))))) (recur (inc i)) i))
        arr (byte-array len)]
    (.get (.duplicate b) (int at) arr)
    (String. arr StandardCharsets/UTF_8)))

(defn hand-conn
  "(a) for ConnectionEvent: a little-endian ByteBuffer, absolute getters, a map literal."
  [^ByteBuffer b]
  {:timestamp (.getLong b 0)
   :pid (Integer/toUnsignedLong (.getInt b 8))
   :saddr (Integer/toUnsignedLong (.getInt b 12))
   :daddr (Integer/toUnsignedLong (.getInt b 16))
   :sport (Short/toUnsignedInt (.getShort b 20))
   :dport (Short/toUnsignedInt (.getShort b 22))
   :protocol (Byte/toUnsignedInt (.get b 24))
   :direction (Byte/toUnsignedInt (.get b 25))
   :padding [(Byte/toUnsignedInt (.get b 26)) (Byte/toUnsignedInt (.get b 27))]
   :comm (cstring b 28 16)})

(defn hand-wide
  "(a) for WideEvent."
  [^ByteBuffer b]
  {:ts (.getLong b 0)
   :pid (Integer/toUnsignedLong (.getInt b 8))
   :tid (Integer/toUnsignedLong (.getInt b 12))
   :uid (Integer/toUnsignedLong (.getInt b 16))
   :gid (Integer/toUnsignedLong (.getInt b 20))
   :cpu (Short/toUnsignedInt (.getShort b 24))
   :flags (Short/toUnsignedInt (.getShort b 26))
   :src {:addr (Integer/toUnsignedLong (Integer/reverseBytes (.getInt b 28)))
         :port (Short/toUnsignedInt (Short/reverseBytes (.getShort b 32)))}
   :dst {:addr (Integer/toUnsignedLong (Integer/reverseBytes (.getInt b 36)))
         :port (Short/toUnsignedInt (Short/reverseBytes (.getShort b 40)))}
   :bytes (.getLong b 48)
   :packets (.getLong b 56)
   :latency (Integer/toUnsignedLong (.getInt b 64))
   :retries (Short/toUnsignedInt (.getShort b 68))
   :state (Byte/toUnsignedInt (.get b 70))
   :proto (Byte/toUnsignedInt (.get b 71))
   :ifindex (Integer/toUnsignedLong (.getInt b 72))
   :mark (Integer/toUnsignedLong (.getInt b 76))
   :cgroup (.getLong b 80)
   :prio (.getInt b 88)
   :comm (cstring b 92 16)})

;; (b) the take/drop parser

(defn- le [bs] (reduce (fn [acc b] (+ (* acc 256) (bit-and (long b) 0xff))) 0 (reverse bs)))
(defn- be [bs] (le (reverse bs)))
(defn- text [bs] (String. (byte-array (take-while #(not (zero? %)) bs)) StandardCharsets/UTF_8))

(defn seq-conn
  "(b) for ConnectionEvent."
  [^bytes arr]
  (let [s (seq arr)]
    {:timestamp (le (take 8 s))
     :pid (le (take 4 (drop 8 s)))
     :saddr (le (take 4 (drop 12 s)))
     :daddr (le (take 4 (drop 16 s)))
     :sport (le (take 2 (drop 20 s)))
     :dport (le (take 2 (drop 22 s)))
     :protocol (le (take 1 (drop 24 s)))
     :direction (le (take 1 (drop 25 s)))
     :padding [(le (take 1 (drop 26 s))) (le (take 1 (drop 27 s)))]
     :comm (text (take 16 (drop 28 s)))}))

(defn seq-wide
  "(b) for WideEvent."
  [^bytes arr]
  (let [s (seq arr)
        f (fn [off n] (le (take n (drop off s))))]
    {:ts (f 0 8) :pid (f 8 4) :tid (f 12 4) :uid (f 16 4) :gid (f 20 4) :cpu (f 24 2)
     :flags (f 26 2)
     :src {:addr (be (take 4 (drop 28 s))) :port (be (take 2 (drop 32 s)))}
     :dst {:addr (be (take 4 (drop 36 s))) :port (be (take 2 (drop 40 s)))}
     :bytes (f 48 8) :packets (f 56 8) :latency (f 64 4) :retries (f 68 2) :state (f 70 1)
     :proto (f 71 1) :ifindex (f 72 4) :mark (f 76 4) :cgroup (f 80 8)
     :prio (let [v (f 88 4)] (if (>= v 2147483648) (- v 4294967296) v))
     :comm (text (take 16 (drop 92 s)))}))

(def sample-values
  {:conn {:timestamp 123456789012 :pid 4242 :saddr 167772161 :daddr 167772162 :sport 51234
          :dport 443 :protocol 6 :direction 1 :padding [0 0] :comm "curl"}
   :wide {:ts 123456789012 :pid 4242 :tid 4243 :uid 1000 :gid 1000 :cpu 3 :flags 17
          :src {:addr 167772161 :port 51234} :dst {:addr 167772162 :port 443}
          :bytes 1500000 :packets 1000 :latency 250 :retries 2 :state 1 :proto 6
          :ifindex 2 :mark 7 :cgroup 99999 :prio -20 :comm "nginx"}})

(defn setup
  "For :conn or :wide: the record's bytes, (a), (b), (c) and (d) as functions of a
  little-endian ByteBuffer (b takes the array)."
  [which]
  (let [def ({:conn ConnectionEvent :wide WideEvent} which)
        arr (s/encode-event def (sample-values which))
        decoder (s/event-decoder def)]
    (assert (= (decoder arr) ((if (= which :conn) hand-conn hand-wide)
                              (.order (ByteBuffer/wrap arr) ByteOrder/LITTLE_ENDIAN))
               ((if (= which :conn) seq-conn seq-wide) arr))
            "the decoders agree")
    {:bytes arr
     :hand (if (= which :conn) hand-conn hand-wide)
     :seq (if (= which :conn) seq-conn seq-wide)
     :decoder (fn [b] (decoder b 0))
     :decode-event (fn [b] (s/decode-event def b 0))}))
