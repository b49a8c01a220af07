package io.github.bpfevents.codec;

import java.util.concurrent.locks.LockSupport;

/**
 * {@link Waiter#lingering}: lets a batch gather before each wait of another waiter, so that
 * the consumer catches up with the producer at most once per linger.
 */
final class LingeringWaiter implements Waiter {
  private final Waiter inner;
  private final long linger;
  private volatile boolean woken;
  private volatile Thread waiting;

  LingeringWaiter(Waiter inner, long linger) {
    this.inner = inner;
    this.linger = linger;
  }

  @Override
  public boolean await(RecordSource source, long timeoutNanos) {
    long start = System.nanoTime();
    boolean forever = timeoutNanos < 0 || timeoutNanos == Long.MAX_VALUE;
    long first = forever ? linger : Math.min(linger, timeoutNanos);
    waiting = Thread.currentThread();
    try {
      long left = first;
      while (left > 0 && !woken) {
        LockSupport.parkNanos(this, left);
        left = first - (System.nanoTime() - start);
      }
    } finally {
      waiting = null;
    }
    if (woken) {
      woken = false;
      return source.hasPending();
    }
    if (source.hasPending()) {
      return true;
    }
    long rest = forever ? timeoutNanos : timeoutNanos - (System.nanoTime() - start);
    return !forever && rest <= 0 ? false : inner.await(source, rest);
  }

  @Override
  public void wakeup() {
    woken = true;
    Thread t = waiting;
    if (t != null) {
      LockSupport.unpark(t);
    }
    inner.wakeup();
  }

  @Override
  public Kind kind() {
    return inner.kind();
  }

  @Override
  public void close() {
    inner.close();
  }
}
