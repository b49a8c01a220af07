package io.github.bpfevents.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfevents.BpfEventsException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The waiters and the drain loop over a source whose readiness the test controls: waits
 * return when data appears, at their timeout, or at a wakeup, never later; the loop stops
 * cleanly from another thread. (The kernel's own notification: RingBufferWaitKernelTest.)
 */
class WaiterTest {
  /** A source with a count of pending records, set from any thread. */
  static class Counter implements RecordSource {
    final AtomicLong pending = new AtomicLong();
    final AtomicLong next = new AtomicLong();

    @Override
    public int poll(RingBufferConsumer.RecordHandler handler) {
      int n = (int) pending.getAndSet(0);
      for (int i = 0; i < n; i++) {
        handler.onRecord(java.nio.ByteBuffer.allocate(8).putLong(0, next.incrementAndGet()),
            0, 8);
      }
      return n;
    }

    @Override
    public boolean hasPending() {
      return pending.get() > 0;
    }
  }

  static Waiter make(Waiter.Kind kind) {
    switch (kind) {
      case SPIN:
        return Waiter.spin();
      case BACKOFF:
        return Waiter.backoff();
      default:
        throw new IllegalArgumentException("" + kind);
    }
  }

  @ParameterizedTest
  @EnumSource(value = Waiter.Kind.class, names = {"SPIN", "BACKOFF"})
  void aWaitReturnsAtOnceWhenSomethingIsPendingAndAtItsTimeoutWhenNot(Waiter.Kind kind) {
    try (Waiter w = make(kind)) {
      assertEquals(kind, w.kind());
      Counter c = new Counter();
      c.pending.set(1);
      assertTrue(w.await(c, 0));
      c.pending.set(0);
      assertFalse(w.await(c, 0));
      long start = System.nanoTime();
      assertFalse(w.await(c, 50_000_000L));
      long took = System.nanoTime() - start;
      assertTrue(took >= 50_000_000L, "waited " + took + " ns of 50 ms");
    }
  }

  @ParameterizedTest
  @EnumSource(value = Waiter.Kind.class, names = {"SPIN", "BACKOFF"})
  void aWaitReturnsWhenDataArrivesOrAtAWakeup(Waiter.Kind kind) throws Exception {
    try (Waiter w = make(kind)) {
      Counter c = new Counter();
      Thread t = new Thread(() -> {
        sleep(100);
        c.pending.set(3);
      });
      t.start();
      long start = System.nanoTime();
      assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertTrue(w.await(c, -1)));
      assertTrue(System.nanoTime() - start >= 90_000_000L);
      t.join();
      c.pending.set(0);
      Thread waker = new Thread(() -> {
        sleep(100);
        w.wakeup();
      });
      waker.start();
      assertTimeoutPreemptively(Duration.ofSeconds(20),
          () -> assertFalse(w.await(c, Long.MAX_VALUE)));
      waker.join();
      // a wakeup with no wait in progress makes the next wait return at once
      w.wakeup();
      assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertFalse(w.await(c, -1)));
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void backoffStepsOutOfRangeAreRefused() {
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> Waiter.backoff(-1, 0, 1, 1));
    assertEquals("bad-waiter", e.problem());
    assertEquals("back-off spins -1 will not do; expected a count, at least 0", e.getMessage());
    assertEquals("bad-waiter", assertThrows(BpfEventsException.class,
        () -> Waiter.backoff(0, -1, 1, 1)).problem());
    assertEquals("bad-waiter", assertThrows(BpfEventsException.class,
        () -> Waiter.backoff(0, 0, 0, 1)).problem());
    e = assertThrows(BpfEventsException.class, () -> Waiter.backoff(0, 0, 10, 9));
    assertEquals("back-off maxParkNanos 9 will not do; expected nanoseconds, at least"
        + " minParkNanos 10", e.getMessage());
    // the largest park does not overflow into a busy loop
    try (Waiter w = Waiter.backoff(0, 0, Long.MAX_VALUE / 2 + 1, Long.MAX_VALUE)) {
      assertFalse(w.await(new Counter(), 20_000_000L));
    }
  }

  @Test
  void aLingeringWaiterLetsABatchGatherThenWaitsWithTheOther() throws Exception {
    try (Waiter w = Waiter.lingering(Waiter.backoff(), 30_000_000L)) {
      assertEquals(Waiter.Kind.BACKOFF, w.kind());
      Counter c = new Counter();
      c.pending.set(1);
      long start = System.nanoTime();
      assertTrue(w.await(c, -1));
      long took = System.nanoTime() - start;
      assertTrue(took >= 30_000_000L, "lingered " + took + " ns of 30 ms before returning");
      c.pending.set(0);
      start = System.nanoTime();
      assertFalse(w.await(c, 10_000_000L), "the timeout bounds the linger too");
      took = System.nanoTime() - start;
      assertTrue(took >= 10_000_000L && took < 25_000_000L, "waited " + took + " ns");
      // nothing after the linger: the inner waiter waits on, and sees what arrives
      Thread t = new Thread(() -> {
        sleep(100);
        c.pending.set(2);
      });
      t.start();
      assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertTrue(w.await(c, -1)));
      t.join();
      // a wakeup cuts the linger short
      c.pending.set(0);
      try (Waiter longer = Waiter.lingering(Waiter.spin(), 60_000_000_000L)) {
        Thread waker = new Thread(() -> {
          sleep(50);
          longer.wakeup();
        });
        waker.start();
        assertTimeoutPreemptively(Duration.ofSeconds(20),
            () -> assertFalse(longer.await(c, -1)));
        waker.join();
      }
    }
    assertEquals("lingering waiter inner is null; expected a Waiter", assertThrows(
        BpfEventsException.class, () -> Waiter.lingering(null, 1)).getMessage());
    assertEquals("lingering waiter lingerNanos 0 will not do; expected nanoseconds, at least 1",
        assertThrows(BpfEventsException.class,
            () -> Waiter.lingering(Waiter.spin(), 0)).getMessage());
  }

  @Test
  void epollIsThereFromJava22AndSaysWhyNotBefore() {
    if (Runtime.version().feature() >= 22) {
      assertEquals("", Waiter.epollUnavailable().orElse(""),
          "java.lang.foreign is final on Java " + Runtime.version().feature());
      try (Waiter w = Waiter.kernelOrBackoff(0)) {
        assertEquals(Waiter.Kind.EPOLL, w.kind());
      }
      BpfEventsException e = assertThrows(BpfEventsException.class, () -> Waiter.epoll());
      assertEquals("bad-waiter", e.problem());
      Waiter closed = Waiter.epoll(0);
      closed.close();
      closed.wakeup(); // a no-op once closed: its eventfd is gone
      closed.close();
      assertEquals("wait-failed", assertThrows(BpfEventsException.class,
          () -> closed.await(new Counter(), 0)).problem());
      e = assertThrows(BpfEventsException.class, () -> Waiter.epoll(-3));
      assertEquals("epoll waiter fd -3 will not do; expected file descriptors, each at least 0",
          e.getMessage());
    } else {
      String why = Waiter.epollUnavailable().orElseThrow();
      assertTrue(why.contains("Java 22"), why);
      BpfEventsException e = assertThrows(BpfEventsException.class, () -> Waiter.epoll(0));
      assertEquals("epoll-unavailable", e.problem());
      assertTrue(e.getMessage().startsWith("epoll cannot be used here: "), e.getMessage());
      try (Waiter w = Waiter.kernelOrBackoff(0)) {
        assertEquals(Waiter.Kind.BACKOFF, w.kind());
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = Waiter.Kind.class, names = {"SPIN", "BACKOFF"})
  void theDrainLoopStopsCleanlyAndLosesOrDoublesNothing(Waiter.Kind kind) throws Exception {
    Counter c = new Counter();
    List<Long> got = new ArrayList<>();
    AtomicBoolean producing = new AtomicBoolean(true);
    Thread producer = new Thread(() -> {
      for (int i = 0; i < 2000; i++) {
        c.pending.incrementAndGet();
        if (i % 100 == 0) {
          sleep(1);
        }
      }
      producing.set(false);
    });
    producer.start();
    try (Waiter w = make(kind)) {
      while (producing.get() || c.hasPending()) {
        DrainLoop loop = new DrainLoop(c, (b, off, len) -> got.add(b.getLong(off)), w);
        Thread t = new Thread(loop::run);
        t.start();
        sleep(3);
        loop.stop();
        t.join(20_000);
        assertFalse(t.isAlive(), "the loop stopped");
        assertTrue(loop.stopped());
      }
    }
    producer.join();
    assertEquals(2000, got.size());
    for (int i = 0; i < got.size(); i++) {
      assertEquals(i + 1L, got.get(i));
    }
  }

  @Test
  void aLoopStoppedBeforeItRunsReturnsAtOnceAndNullsAreRefused() {
    Counter c = new Counter();
    c.pending.set(5);
    DrainLoop loop = new DrainLoop(c, (b, off, len) -> { }, Waiter.spin());
    loop.stop();
    assertEquals(0, loop.run());
    assertEquals(5, c.pending.get(), "nothing polled after the stop");
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> new DrainLoop(null, (b, off, len) -> { }, Waiter.spin()));
    assertEquals("drain loop source is null; expected a RecordSource", e.getMessage());
    assertEquals("missing-argument", assertThrows(BpfEventsException.class,
        () -> new DrainLoop(c, null, Waiter.spin())).problem());
    assertEquals("missing-argument", assertThrows(BpfEventsException.class,
        () -> new DrainLoop(c, (b, off, len) -> { }, null)).problem());
  }

  @Test
  void aBoundedLoopReadsRecordsNoOneWasWokenFor() throws Exception {
    // a source whose records the waiter cannot see: only polling finds them
    Counter c = new Counter() {
      @Override
      public boolean hasPending() {
        return false;
      }
    };
    List<Long> got = new ArrayList<>();
    try (Waiter w = Waiter.backoff()) {
      DrainLoop loop = new DrainLoop(c, (b, off, len) -> got.add(b.getLong(off)), w,
          20_000_000L);
      Thread t = new Thread(loop::run);
      t.start();
      sleep(50);
      c.pending.set(3);
      long start = System.nanoTime();
      while (got.size() < 3 && System.nanoTime() - start < 10_000_000_000L) {
        sleep(5);
      }
      loop.stop();
      t.join(20_000);
      assertFalse(t.isAlive());
    }
    assertEquals(List.of(1L, 2L, 3L), got);
    assertEquals("drain loop maxWaitNanos 0 will not do; expected nanoseconds, at least 1",
        assertThrows(BpfEventsException.class, () -> new DrainLoop(c, (b, off, len) -> { },
            Waiter.spin(), 0)).getMessage());
  }

  @Test
  void aHandlerThatThrowsEndsTheRun() {
    Counter c = new Counter();
    c.pending.set(2);
    DrainLoop loop = new DrainLoop(c, (b, off, len) -> {
      throw new IllegalStateException("bad record");
    }, Waiter.spin());
    assertThrows(IllegalStateException.class, loop::run);
  }
}
