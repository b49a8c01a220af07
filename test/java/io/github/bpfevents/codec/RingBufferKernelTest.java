package io.github.bpfevents.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfevents.Examples;
import io.github.bpfevents.check.Bpf;
import io.github.bpfevents.check.RingFeed;
import io.github.bpfevents.layout.EventLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RingBufferConsumer on a real {@code BPF_MAP_TYPE_RINGBUF}, mapped as the kernel requires
 * and filled by a BPF program built with the project's stores ({@link RingFeed}): reserve,
 * zero-event, store the fields, submit, every fourth discarded. BPF_PROG_TEST_RUN runs it
 * many times (the kernel writes every record, many of them across the end of the data
 * area) while a consumer thread drains the ring. Every submitted record must arrive once,
 * in order, byte for byte as the program wrote it; no discarded one; none lost.
 */
@Tag("kernel")
class RingBufferKernelTest {
  static final EventLayout EVENT = Examples.RING_EVENT;
  static final int RECORD = (EVENT.size() + 8 + 7) & ~7;

  /** Checks each record as it arrives; fails at the first one that is not as written. */
  static final class Checker implements RingBufferConsumer.RecordHandler {
    /** The record as 8-byte words (x86-64: little-endian), but for seq, pid and check. */
    final long[] template = words(RingFeed.template(EVENT));
    final long[] expected = template.clone();
    final FieldHandle seq = EventView.of(EVENT).handle("seq");
    final int pageSize;
    final int dataSize;
    long last;
    long delivered;
    long wrapped;

    Checker(int pageSize, int dataSize) {
      this.pageSize = pageSize;
      this.dataSize = dataSize;
    }

    static long[] words(byte[] b) {
      long[] w = new long[b.length / 8];
      ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(w);
      return w;
    }

    @Override
    public void onRecord(ByteBuffer data, int offset, int length) {
      if (length != EVENT.size()) {
        throw new AssertionError("record of " + length + " bytes after number " + last);
      }
      long n = seq.u64(data, offset);
      long want = last + 1;
      while (!RingFeed.submitted(want)) {
        want++;
      }
      if (n != want) {
        throw new AssertionError("record number " + n + " after " + last + "; expected " + want);
      }
      // every byte as the program stored it: seq = n, pid = low 32 bits of n, check = ~n,
      // the constants, zero elsewhere
      expected[0] = n;
      expected[1] = (template[1] & 0xffffffff00000000L) | (n & 0xffffffffL);
      expected[15] = ~n;
      for (int i = 0; i < expected.length; i++) {
        long got = data.getLong(offset + 8 * i);
        if (got != expected[i]) {
          throw new AssertionError(String.format("record %d: bytes %d..%d are %016x, expected"
              + " %016x", n, 8 * i, 8 * i + 7, got, expected[i]));
        }
      }
      int header = offset - 8 - pageSize;
      if (header + RECORD > dataSize) {
        wrapped++;
      }
      last = n;
      delivered++;
    }
  }

  /** Polls until told to stop and the ring is empty; backs off when a poll finds nothing. */
  static Thread drainer(RingBufferConsumer c, Checker checker, AtomicBoolean stop,
      AtomicReference<Throwable> failure) {
    Thread t = new Thread(() -> {
      try {
        long idle = 0;
        while (!stop.get() || c.consumerPosition() != c.producerPosition()) {
          if (c.poll(checker) > 0) {
            idle = 0;
          } else if (++idle < 100) {
            Thread.onSpinWait();
          } else {
            LockSupport.parkNanos(Math.min(1_000_000L, 1000L << Math.min(10, idle - 100)));
          }
        }
      } catch (Throwable e) {
        failure.set(e);
      }
    }, "ring-drainer");
    t.setDaemon(true);
    return t;
  }

  @ParameterizedTest(name = "publishEvery {0}")
  @ValueSource(ints = {1, 64, RingBufferConsumer.ONCE_PER_POLL})
  void theKernelFillsTheRingWhileTheJvmDrainsIt(int publishEvery) throws Exception {
    Bpf.requirePermitted();
    int size = 4 << 20;
    int runs = 1_000_000;
    try (RingFeed feed = RingFeed.create(size, EVENT)) {
      RingBufferConsumer c = new RingBufferConsumer(feed.ring.consumer, feed.ring.producer,
          feed.ring.pageSize, size, publishEvery);
      Checker checker = new Checker(feed.ring.pageSize, size);
      AtomicBoolean stop = new AtomicBoolean();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread t = drainer(c, checker, stop, failure);
      t.start();
      long start = System.nanoTime();
      // in chunks with a pause between, so that the consumer runs while the program does
      // even on a machine busy enough to keep it off the CPU for one long run
      for (int i = 0; i < 20; i++) {
        feed.run(runs / 20);
        LockSupport.parkNanos(2_000_000L);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      stop.set(true);
      t.join(TimeUnit.SECONDS.toMillis(60));
      if (failure.get() != null) {
        throw new AssertionError("the consumer failed", failure.get());
      }
      assertTrue(!t.isAlive(), "the consumer drained the ring");
      long reserved = feed.reserved();
      long refused = feed.refused();
      assertEquals(runs, reserved + refused, "every run reserved a record or was refused");
      assertEquals(RingFeed.submittedOf(reserved), checker.delivered,
          "every submitted record delivered once, no discarded one");
      assertEquals(reserved * RECORD, c.consumerPosition(), "the consumer walked every record");
      assertEquals(c.producerPosition(), c.consumerPosition());
      assertTrue(reserved * RECORD > 2L * size,
          "the kernel reserved " + reserved * RECORD + " bytes in a ring of " + size
              + ", so the consumer gave space back while the program ran");
      assertTrue(checker.wrapped > 0, "records wrapped around the end of the data area");
      System.out.printf("[kernel] ring buffer (publishEvery %s): %d runs in %.3f s, %d records"
              + " reserved (%d refused, ring full), %d delivered in order as stored,"
              + " %d discarded skipped, %d across the end of the data area, the %d MiB ring"
              + " passed %d times%n",
          publishEvery == RingBufferConsumer.ONCE_PER_POLL ? "once per poll" : publishEvery,
          runs, seconds, reserved, refused, checker.delivered,
          reserved - checker.delivered, checker.wrapped, size >> 20,
          reserved * RECORD / size);
    }
  }

  @Test
  void aFullRingRefusesReservationsAndLosesNothingItAccepted() {
    Bpf.requirePermitted();
    int size = 64 << 10;
    try (RingFeed feed = RingFeed.create(size, EVENT)) {
      RingBufferConsumer c = new RingBufferConsumer(feed.ring.consumer, feed.ring.producer,
          feed.ring.pageSize, size);
      Checker checker = new Checker(feed.ring.pageSize, size);
      int total = 0;
      for (int round = 0; round < 5; round++) {
        feed.run(1000); // more than the ring holds: the kernel refuses the rest
        total += 1000;
        assertTrue(c.producerPosition() - c.consumerPosition() < size);
        c.poll(checker);
        assertEquals(c.producerPosition(), c.consumerPosition());
      }
      long reserved = feed.reserved();
      assertEquals(total, reserved + feed.refused());
      assertEquals(5L * ((size - 8) / RECORD), reserved,
          "each round fills the ring as far as the kernel allows");
      assertEquals(RingFeed.submittedOf(reserved), checker.delivered);
      assertTrue(checker.wrapped > 0);
    }
  }
}
