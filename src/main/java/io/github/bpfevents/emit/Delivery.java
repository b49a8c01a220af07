package io.github.bpfevents.emit;

/** How the record reaches userspace. */
public enum Delivery {
  /**
   * {@code bpf_ringbuf_reserve}, the fields stored into the reserved record, then
   * {@code bpf_ringbuf_submit}: no copy.
   */
  RESERVE,
  /** The record built on the stack, then copied by {@code bpf_ringbuf_output}. */
  RING_OUTPUT,
  /**
   * The record built on the stack, then {@code bpf_perf_event_output} to the current CPU's
   * entry ({@code BPF_F_CURRENT_CPU}) of a {@code BPF_MAP_TYPE_PERF_EVENT_ARRAY}.
   */
  PERF_OUTPUT
}
