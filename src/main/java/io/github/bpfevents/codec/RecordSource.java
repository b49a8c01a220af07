package io.github.bpfevents.codec;

/**
 * Something a {@link DrainLoop} polls and a {@link Waiter} waits on: {@link
 * RingBufferConsumer} (a {@code BPF_MAP_TYPE_RINGBUF}) and {@link PerfBufferConsumer} (the
 * per-CPU rings of a {@code BPF_MAP_TYPE_PERF_EVENT_ARRAY}).
 *
 * <pre>{@code
 * RecordSource source = new RingBufferConsumer(consumerPage, producer, pageSize, dataSize);
 * int n = source.poll((data, offset, length) -> handle(data, offset, length));
 * }</pre>
 */
public interface RecordSource {
  /**
   * Hands every record available when the poll starts to the handler, in order, and gives
   * their space back to the kernel. Never waits: 0 means nothing was there.
   *
   * @param handler receives each record
   * @return how many records were handed over
   * @throws io.github.bpfevents.BpfEventsException if the handler is null or the memory
   *     cannot be the kernel's (the implementation says what is delivered then)
   */
  int poll(RingBufferConsumer.RecordHandler handler);

  /**
   * Whether a poll now would find something to do (a record to deliver or skip, or memory
   * it would refuse). Reads the positions only; cheap enough to call in a spin loop.
   *
   * @return true if a poll would not return at once with nothing done
   */
  boolean hasPending();
}
