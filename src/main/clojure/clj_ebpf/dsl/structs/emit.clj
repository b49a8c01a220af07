(ns clj-ebpf.dsl.structs.emit
  "Sending an event from BPF: the fragment of instructions that reserves a record in a ring
  buffer, zeroes what no source fills, fills each field from where its value is, and
  submits it. A thin layer over the core's io.github.bpfevents.emit.EventEmitter;
  clj-ebpf.dsl.structs exposes emit-event.

  Where each field comes from is data:

      :ktime-ns :ktime-boot-ns :pid-tgid :pid :tgid :uid-gid :uid :gid :comm :cpu :cgroup-id
                                          a helper's result (see sources)
      {:reg :r7}  {:imm 6}                a register (r6 to r9), a constant
      {:probe-read :r7 :offset 16}        kernel memory at r7 + 16, the field's size
      {:probe-read-str :r7 :offset 0}     a NUL-terminated string there
      [:task_struct :real_parent :tgid]   a path through kernel structs from the current task
      {:path [:sock :__sk_common :skc_num] :from :r7}   ... from a pointer in r7"
  (:require [clj-ebpf.dsl.structs.impl :as impl])
  (:import (io.github.bpfevents.asm Insn Program)
           (io.github.bpfevents.emit HostEmitter HostEmitter$Result)))

(set! *warn-on-reflection* true)

(def sources
  "The helper sources: keyword -> {:helper the helper's name and number, :bytes the fewest
  bytes of the field that takes the value}.

      (:bytes (sources :ktime-ns))  ;=> 8
      (:helper (sources :tgid))     ;=> \"bpf_get_current_pid_tgid#14\""
  (HostEmitter/sources impl/host))

(def ^:private insn->clj (delay (requiring-resolve 'clj-ebpf.dsl.structs/->clj)))

(defn- record
  "The namespace's instruction for a core one; a jump to a label outside the fragment
  carries it under :goto."
  [^Insn i label]
  (cond-> (@insn->clj i) label (assoc :goto label)))

(defn emit-event
  "The instructions that send one event of event-def: reserve a record in a ring buffer
  (bpf_ringbuf_reserve), jump past the rest when the ring is full, zero the bytes no source
  fills (the fewest aligned stores), fill each field from its source, submit. A vector of
  instructions, to splice into a program beside clj-ebpf's own; its metadata says which
  registers it :uses and :clobbers, the :record-reg, and the :relocations of map
  placeholders ({:name :slot}).

  opts:
  - :program-type  (required) :socket-filter :kprobe :sched-cls :tracepoint :xdp
                   :raw-tracepoint :flow-dissector :syscall; decides which helpers it may call
  - :map           (required) the ring buffer's fd, or a placeholder's name (a keyword) a
                   loader patches; for :perf-output the perf event array
  - :fields        field (keyword or path) -> source, see the namespace docstring
  - :delivery      :reserve (default), :ring-output (built on the stack, bpf_ringbuf_output)
                   or :perf-output (stack, bpf_perf_event_output to the current CPU)
  - :context-reg   for :perf-output, where the caller keeps the program's context (r6-r9)
  - :record-reg    where the reserved record is kept, :r6 by default (r6-r9)
  - :live          registers the caller needs afterwards; refused among those it clobbers
  - :on-failure    a label to jump to when the ring is full (the jump carries :goto label);
                   by default the fragment ends
  - :wakeup        :adaptive (default: wake the consumer when it has caught up),
                   :no-wakeup (BPF_RB_NO_WAKEUP) or :force-wakeup (BPF_RB_FORCE_WAKEUP)
  - :submit-if     [op reg imm]: submit when the comparison holds, else discard
                   ([:jset :r8 3] submits when r8 & 3 is not zero)
  - :btf           the BTF file kernel paths resolve in, \"/sys/kernel/btf/vmlinux\" by default
  - :stack-top     the stack above fp - stack-top is the caller's (0 by default)

      (defevent Exec [:ts :u64] [:tgid :u32] [:ppid :u32] [:comm :char 16])
      (insn->asm (emit-event Exec {:program-type :kprobe :map 5
                                   :fields {:ts :ktime-ns :tgid :tgid}}))
      ;=> [\"ld_pseudo\\tr1, 1, 5\" \"r2 = 32\" \"r3 = 0\" \"call 131\" \"if r0 == 0 goto +13\"
      ;    \"r6 = r0\" \"*(u32 *)(r6 + 12) = 0\" ... \"call 132\"]

  Exceptions: ex-info :unknown-source (naming the field, listing the sources),
  :unknown-field, :field-too-small (a 4-byte field for :ktime-ns), :duplicate-field,
  :helper-not-allowed (naming the program types that allow the helper),
  :register-collision (saying which registers are free), :unknown-register,
  :unknown-member (a kernel path through a member the struct lacks, listing its members),
  :unknown-struct, :bad-kernel-path (a bitfield, a step past a scalar),
  :misaligned-field, :stack-too-small, :missing-argument, :bad-option (naming the option
  and listing what it takes), :bad-map, :bad-label, :bad-btf-source, :bad-stack,
  :immediate-out-of-range, :offset-out-of-range (an offset past 32 bits). Registers are
  keywords (:r7) or, as clj-ebpf writes them, the integers 0 to 10."
  [event-def opts]
  (impl/core
   (let [^HostEmitter$Result r (HostEmitter/fragment opts (impl/layout-of event-def) impl/host
                                                     record)]
     (with-meta (.insns r) (.meta r)))))

(defn link
  "A program's instructions with every :goto resolved: items are instructions and labels
  ({:label :name}); an instruction carrying :goto :name (a jump emit-event leaves for a
  label outside the fragment) gets the offset to the label, and loses the key. Sequences
  are spliced.

      (link [(emit-event Exec {:program-type :kprobe :map 5 :on-failure :full
                               :fields {:ts :ktime-ns}})
             {:label :full}])

  Exceptions: ex-info :unknown-label for a :goto to no label, :duplicate-label,
  :bad-label (a label that is not a keyword), :not-a-sequence, :too-many-instructions
  (beyond the kernel's 1,000,000), :too-deeply-nested (beyond 64), :not-an-instruction (a
  :goto on something that is no instruction), :offset-out-of-range (a jump farther than
  32767 slots)."
  [items]
  (impl/core (Program/link items impl/host record)))
