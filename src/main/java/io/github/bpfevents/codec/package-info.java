/**
 * Records as data and back, and reading them where they lie.
 *
 * <ul>
 *   <li>{@link io.github.bpfevents.codec.EventDecoder}: a record's bytes to a map, built
 *       in a {@link io.github.bpfevents.codec.DataModel} (Java maps, or Clojure's persistent
 *       maps), made once per layout and kept with it;
 *   <li>{@link io.github.bpfevents.codec.EventEncoder}: a map to a record's bytes;
 *   <li>{@link io.github.bpfevents.codec.FieldHandle}: the <em>read handle</em>, one
 *       scalar field resolved once, read from any record without allocating;
 *       {@link io.github.bpfevents.codec.EventView} is a flyweight over one record at a
 *       time;
 *   <li>{@link io.github.bpfevents.codec.RingBufferConsumer}: the kernel's ring-buffer
 *       protocol over the mapped memory of a {@code BPF_MAP_TYPE_RINGBUF};
 *   <li>{@link io.github.bpfevents.codec.PerfBufferConsumer}: the per-CPU rings of a
 *       {@code BPF_MAP_TYPE_PERF_EVENT_ARRAY} (samples, lost-sample records, records that
 *       wrap), read the same way;
 *   <li>{@link io.github.bpfevents.codec.Waiter}: how a consumer waits when a poll finds
 *       nothing (spin, back-off, or {@code epoll} on the map's fd from Java 22), and
 *       {@link io.github.bpfevents.codec.DrainLoop}, the poll-and-wait loop with a clean
 *       stop.
 * </ul>
 *
 * <p>Every reader and writer asks {@link io.github.bpfevents.layout.FieldType} how to read
 * and write a scalar.
 */
package io.github.bpfevents.codec;
