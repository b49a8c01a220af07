package io.github.bpfevents.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfevents.check.Bpf;
import io.github.bpfevents.check.RingFeed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Waiting on a real {@code BPF_MAP_TYPE_RINGBUF} fed by {@link RingFeed}'s program: on Java
 * 22 and later the wait is {@code epoll_wait} on the map's fd and returns before its
 * timeout because the kernel notified it when the program submitted; on 17 the back-off
 * sees the producer position move. The drain loop, stopped and started again while the
 * program runs on another thread, delivers every record once, in order, byte for byte.
 */
@Tag("kernel")
class RingBufferWaitKernelTest {
  static Waiter waiterFor(int fd) {
    if (Runtime.version().feature() >= 22) {
      Waiter w = Waiter.epoll(fd); // must work here: no silent fallback
      assertEquals(Waiter.Kind.EPOLL, w.kind());
      return w;
    }
    return Waiter.kernelOrBackoff(fd);
  }

  @Test
  void aWaitReturnsBeforeItsTimeoutBecauseTheProgramSubmitted() throws Exception {
    Bpf.requirePermitted();
    int size = 64 << 10;
    try (RingFeed feed = RingFeed.create(size, RingBufferKernelTest.EVENT);
        Waiter w = waiterFor(feed.ring.fd)) {
      RingBufferConsumer c = new RingBufferConsumer(feed.ring.consumer, feed.ring.producer,
          feed.ring.pageSize, size);
      RingBufferKernelTest.Checker checker =
          new RingBufferKernelTest.Checker(feed.ring.pageSize, size);
      // nothing submitted: the whole timeout
      long start = System.nanoTime();
      assertFalse(w.await(c, 200_000_000L));
      long idle = System.nanoTime() - start;
      assertTrue(idle >= 200_000_000L, "an empty ring waited " + idle + " ns of 200 ms");
      for (int round = 1; round <= 3; round++) {
        Thread runner = new Thread(() -> {
          WaiterTest.sleep(200);
          feed.run(1);
        });
        runner.start();
        start = System.nanoTime();
        boolean woken = w.await(c, TimeUnit.SECONDS.toNanos(30));
        long took = System.nanoTime() - start;
        runner.join();
        assertTrue(woken, "round " + round + ": the wait saw the record");
        assertTrue(took < TimeUnit.SECONDS.toNanos(10), "round " + round + ": woken after "
            + took / 1_000_000 + " ms of a 30 s timeout");
        assertTrue(took >= 150_000_000L, "round " + round + ": the wait waited for the run ("
            + took / 1_000_000 + " ms)");
        assertEquals(1, c.poll(checker));
        System.out.printf("[kernel] ring buffer %s wait, round %d: woken %.1f ms after it"
            + " began, the program ran at 200 ms%n", w.kind(), round, took / 1e6);
      }
      assertEquals(3, checker.delivered);
    }
  }

  /** How many times the drain loop is stopped and started while the program runs. */
  private static final int MIN_RESTARTS = 5;

  @Test
  void theDrainLoopStoppedAndStartedWhileTheProgramRunsLosesAndDoublesNothing()
      throws Exception {
    Bpf.requirePermitted();
    int size = 256 << 10;
    int chunks = 200;
    int perChunk = 2000;
    try (RingFeed feed = RingFeed.create(size, RingBufferKernelTest.EVENT);
        Waiter w = waiterFor(feed.ring.fd)) {
      RingBufferConsumer c = new RingBufferConsumer(feed.ring.consumer, feed.ring.producer,
          feed.ring.pageSize, size);
      RingBufferKernelTest.Checker checker =
          new RingBufferKernelTest.Checker(feed.ring.pageSize, size);
      AtomicReference<Throwable> failure = new AtomicReference<>();
      // the program runs in chunks until both the chunks are done and the loop has been
      // stopped and started a few times while it ran, however fast the machine is
      AtomicInteger restarts = new AtomicInteger();
      AtomicInteger runs = new AtomicInteger();
      Thread producer = new Thread(() -> {
        for (int i = 0; i < chunks || restarts.get() < MIN_RESTARTS; i++) {
          feed.run(perChunk);
          runs.incrementAndGet();
          if (i % 10 == 0) {
            WaiterTest.sleep(5);
          }
        }
      }, "bpf-prog-test-run");
      producer.start();
      int loops = 0;
      while (producer.isAlive() || c.hasPending()) {
        DrainLoop loop = new DrainLoop(c, checker, w);
        Thread t = new Thread(() -> {
          try {
            loop.run();
          } catch (Throwable e) {
            failure.set(e);
          }
        }, "drain-loop");
        t.start();
        WaiterTest.sleep(loops % 3 == 0 ? 1 : 7);
        loop.stop();
        t.join(30_000);
        assertFalse(t.isAlive(), "the loop stopped");
        if (failure.get() != null) {
          throw new AssertionError("the loop failed", failure.get());
        }
        loops++;
        if (producer.isAlive()) {
          restarts.incrementAndGet();
        }
      }
      producer.join();
      c.poll(checker);
      long reserved = feed.reserved();
      assertEquals((long) runs.get() * perChunk, reserved + feed.refused());
      assertEquals(RingFeed.submittedOf(reserved), checker.delivered,
          "every submitted record once, in order, across " + loops + " loops");
      assertEquals(c.producerPosition(), c.consumerPosition());
      assertTrue(restarts.get() >= MIN_RESTARTS, "the loop was stopped and started "
          + restarts.get() + " times while the program ran");
      System.out.printf("[kernel] drain loop (%s): %d records delivered once and in order"
          + " across %d stops and starts, %d refused while the ring was full%n", w.kind(),
          checker.delivered, loops, feed.refused());
    }
  }
}
