package io.github.bpfevents.codec;

/** {@link Waiter#spin()}: checks the source in a loop. */
final class SpinWaiter implements Waiter {
  private volatile boolean woken;

  @Override
  public boolean await(RecordSource source, long timeoutNanos) {
    long start = System.nanoTime();
    while (true) {
      if (source.hasPending()) {
        return true;
      }
      if (woken) {
        woken = false;
        return false;
      }
      if (timeoutNanos >= 0 && System.nanoTime() - start >= timeoutNanos) {
        return false;
      }
      Thread.onSpinWait();
    }
  }

  @Override
  public void wakeup() {
    woken = true;
  }

  @Override
  public Kind kind() {
    return Kind.SPIN;
  }

  @Override
  public void close() {}
}
