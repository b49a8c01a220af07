package io.github.bpfevents.codec;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Problem;
import java.util.concurrent.locks.LockSupport;

/** {@link Waiter#backoff()}: spin, yield, then park with an interval that doubles. */
final class BackoffWaiter implements Waiter {
  private final int spins;
  private final int yields;
  private final long minPark;
  private final long maxPark;
  private volatile boolean woken;
  private volatile Thread waiting;

  BackoffWaiter(int spins, int yields, long minPark, long maxPark) {
    this.spins = spins;
    this.yields = yields;
    this.minPark = minPark;
    this.maxPark = maxPark;
  }

  static BpfEventsException bad(String key, Object value, String expected) {
    return Problem.BAD_WAITER_BACK_OFF
        .with("key", key)
        .with("value", value)
        .with("expected", expected)
        .build();
  }

  @Override
  public boolean await(RecordSource source, long timeoutNanos) {
    long start = System.nanoTime();
    boolean forever = timeoutNanos < 0 || timeoutNanos == Long.MAX_VALUE;
    long park = minPark;
    waiting = Thread.currentThread();
    try {
      for (long i = 0; ; i++) {
        if (source.hasPending()) {
          return true;
        }
        if (woken) {
          woken = false;
          return false;
        }
        long left = forever ? Long.MAX_VALUE : timeoutNanos - (System.nanoTime() - start);
        if (left <= 0) {
          return false;
        }
        if (i < spins) {
          Thread.onSpinWait();
        } else if (i < (long) spins + yields) {
          Thread.yield();
        } else {
          LockSupport.parkNanos(this, Math.min(park, left));
          park = park > maxPark / 2 ? maxPark : park * 2;
        }
      }
    } finally {
      waiting = null;
    }
  }

  @Override
  public void wakeup() {
    woken = true;
    Thread t = waiting;
    if (t != null) {
      LockSupport.unpark(t);
    }
  }

  @Override
  public Kind kind() {
    return Kind.BACKOFF;
  }

  @Override
  public void close() {}
}
