package io.github.bpfevents.bench;

import io.github.bpfevents.Examples;
import io.github.bpfevents.check.Bpf;
import io.github.bpfevents.check.RingFeed;
import io.github.bpfevents.codec.EventView;
import io.github.bpfevents.codec.FieldHandle;
import io.github.bpfevents.codec.RingBufferConsumer;
import io.github.bpfevents.layout.EventLayout;
import java.util.concurrent.Semaphore;

/**
 * What the kernel-fed benchmarks share: a real {@code BPF_MAP_TYPE_RINGBUF} of 64 MiB,
 * mapped as the kernel requires, fed by the BPF program of {@link RingFeed} (reserve,
 * zero-event, the library's stores, submit; every fourth discarded), {@link #RUNS} runs of
 * {@code BPF_PROG_TEST_RUN} at a time, so {@link #DELIVERED} 128-byte RingEvents (136-byte
 * records, some across the end of the data area). The ring holds them all, so the kernel
 * never refuses one and every invocation delivers the same number. The consumers read two
 * fields (pid, sport) of each record.
 */
final class KernelRing implements AutoCloseable {
  static final int SIZE = 64 << 20;
  static final EventLayout EVENT = Examples.RING_EVENT;
  static final int RECORD = (EVENT.size() + 8 + 7) & ~7;
  static final int RUNS = 400_000;
  static final int DELIVERED = RUNS - RUNS / RingFeed.DISCARD_EVERY;

  final RingFeed feed;
  final RingBufferConsumer eachRecord;
  final RingBufferConsumer oncePerPoll;
  final HandWritten hand;
  final RingBufferConsumer.RecordHandler handler;
  long sum;
  private final Thread producer;
  private final Semaphore go = new Semaphore(0);
  private final Semaphore ran = new Semaphore(0);
  private volatile boolean closing;

  KernelRing() {
    Bpf.requirePermitted();
    feed = RingFeed.create(SIZE, EVENT);
    eachRecord = new RingBufferConsumer(feed.ring.consumer, feed.ring.producer,
        feed.ring.pageSize, SIZE);
    oncePerPoll = new RingBufferConsumer(feed.ring.consumer, feed.ring.producer,
        feed.ring.pageSize, SIZE, RingBufferConsumer.ONCE_PER_POLL);
    FieldHandle pid = EventView.of(EVENT).handle("pid");
    FieldHandle sport = EventView.of(EVENT).handle("sport");
    hand = new HandWritten(feed.ring.consumer, feed.ring.producer, feed.ring.pageSize, SIZE,
        pid.offset(), sport.offset());
    handler = (buf, offset, length) -> sum += pid.u32(buf, offset) + sport.u16(buf, offset);
    producer = new Thread(() -> {
      while (true) {
        go.acquireUninterruptibly();
        if (closing) {
          return;
        }
        feed.run(RUNS);
        ran.release();
      }
    }, "bpf-prog-test-run");
    producer.setDaemon(true);
    producer.start();
  }

  /** Runs the program {@link #RUNS} times in this thread; the ring must be empty before. */
  void fill() {
    long before = eachRecord.producerPosition();
    feed.run(RUNS);
    if (eachRecord.producerPosition() - before != (long) RUNS * RECORD) {
      throw new IllegalStateException("the kernel refused reservations: " + feed.refused());
    }
  }

  /** Gives the whole ring back to the kernel without reading it. */
  void skipAll() {
    feed.ring.consumer.putLong(0, eachRecord.producerPosition());
  }

  /** Starts {@link #RUNS} runs of the program on the producer thread. */
  void startProducer() {
    go.release();
  }

  /** Waits until the runs started last have returned. */
  void awaitProducer() {
    ran.acquireUninterruptibly();
  }

  static int expect(int got) {
    if (got != DELIVERED) {
      throw new IllegalStateException("delivered " + got + ", expected " + DELIVERED);
    }
    return got;
  }

  @Override
  public void close() {
    closing = true;
    go.release();
    try {
      producer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    feed.close();
  }
}
