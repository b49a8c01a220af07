package io.github.bpfevents.codec;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Problem;

/**
 * Polls a source and waits when it is empty, until stopped: the receive loop of a consumer
 * thread.
 *
 * <pre>{@code
 * RingBufferConsumer ring = new RingBufferConsumer(consumerPage, producer, pageSize, size);
 * try (Waiter waiter = Waiter.kernelOrBackoff(ringFd)) {
 *   DrainLoop loop = new DrainLoop(ring, (data, offset, length) -> handle(data, offset, length),
 *       waiter);
 *   Thread t = new Thread(loop::run);
 *   t.start();
 *   // ... later, from any thread:
 *   loop.stop();
 *   t.join();
 * }
 * }</pre>
 *
 * <h2>Stopping</h2>
 *
 * <p>{@link #stop} sets a flag and wakes the waiter. The loop checks the flag between
 * polls, never within one, so a poll in progress finishes: every record it handed over is
 * consumed (its space given back) and every record it did not reach stays in the ring for
 * the next reader. No record is lost and none is delivered twice, whenever stop comes. A
 * loop stops once: {@link #run} after {@link #stop} returns at once (so a stop that comes
 * before the thread has started is not missed); start another loop to read on.
 *
 * <h2>Errors</h2>
 *
 * <p>A handler that throws, or a poll that finds the memory corrupt, ends {@link #run} with
 * that exception; the records before it are consumed, as {@link RecordSource#poll} says.
 *
 * <p>Latency against CPU is the waiter's: see {@link Waiter}.
 */
public final class DrainLoop {
  private final RecordSource source;
  private final RingBufferConsumer.RecordHandler handler;
  private final Waiter waiter;
  private final long maxWait;
  private volatile boolean stopped;
  private volatile long delivered;

  /**
   * A loop over a source.
   *
   * @param source the ring buffer or perf buffer consumer
   * @param handler receives each record
   * @param waiter how to wait when a poll finds nothing
   * @throws BpfEventsException {@code missing-argument} if any is null
   */
  public DrainLoop(RecordSource source, RingBufferConsumer.RecordHandler handler,
      Waiter waiter) {
    this(source, handler, waiter, Long.MAX_VALUE);
  }

  /**
   * A loop over a source whose every wait lasts at most {@code maxWaitNanos}: for a kernel
   * that may not notify (a program that submits with {@code BPF_RB_NO_WAKEUP}, a perf
   * event whose {@code wakeup_events} is above 1), so that the records no one was woken
   * for are read within that time.
   *
   * @param source the ring buffer or perf buffer consumer
   * @param handler receives each record
   * @param waiter how to wait when a poll finds nothing
   * @param maxWaitNanos the longest wait, at least 1; {@link Long#MAX_VALUE} for no bound
   * @throws BpfEventsException {@code missing-argument} if any is null, {@code
   *     bad-waiter} for a bound below 1
   */
  public DrainLoop(RecordSource source, RingBufferConsumer.RecordHandler handler,
      Waiter waiter, long maxWaitNanos) {
    this.source = required("source", source, "a RecordSource");
    this.handler = required("handler", handler, "a RecordHandler");
    this.waiter = required("waiter", waiter, "a Waiter");
    if (maxWaitNanos < 1) {
      throw Problem.BAD_WAITER_DRAIN_LOOP
          .with("key", "maxWaitNanos")
          .with("value", maxWaitNanos)
          .with("expected", "nanoseconds, at least 1")
          .build();
    }
    this.maxWait = maxWaitNanos;
  }

  private static <T> T required(String key, T value, String expected) {
    if (value == null) {
      throw Problem.MISSING_ARGUMENT_DRAIN_LOOP_NULL
          .with("key", key)
          .with("value", null)
          .with("expected", expected)
          .build();
    }
    return value;
  }

  /**
   * Polls and waits, in the calling thread, until {@link #stop}.
   *
   * @return the records this run delivered
   * @throws BpfEventsException if a poll finds the memory corrupt, or the wait fails
   */
  public long run() {
    long n = 0;
    try {
      while (!stopped) {
        int got = source.poll(handler);
        n += got;
        delivered = n;
        if (got == 0 && !stopped) {
          waiter.await(source, maxWait);
        }
      }
    } finally {
      delivered = n;
    }
    return n;
  }

  /** Stops the loop: from any thread, at any time, more than once if need be. */
  public void stop() {
    stopped = true;
    waiter.wakeup();
  }

  /**
   * Whether {@link #stop} has been called.
   *
   * @return true once stopped
   */
  public boolean stopped() {
    return stopped;
  }

  /**
   * Records delivered so far by the run in progress (or the last one), as seen from any
   * thread.
   *
   * @return the count
   */
  public long delivered() {
    return delivered;
  }
}
