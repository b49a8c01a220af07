package io.github.bpfevents.codec;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Problem;
import java.util.Optional;

/**
 * How a consumer waits when a poll finds nothing: the caller's choice between latency and
 * CPU.
 *
 * <ul>
 *   <li>{@link #spin()}: checks the positions in a loop ({@link Thread#onSpinWait}). The
 *       lowest latency (the time to read a cache line), one core at 100% while waiting.
 *   <li>{@link #backoff()}: spins a little, then yields, then parks for a growing time (10
 *       µs doubling up to 1 ms by default), checking the positions between. Works on any
 *       Java; idle it wakes up about 1000 times a second (a few percent of a core at most),
 *       and a record waits up to the current park time, up to 1 ms, before it is seen.
 *   <li>{@link #epoll(int...)}: sleeps in {@code epoll_wait} on the map's file descriptor
 *       (the ring buffer's, or each CPU's perf event), woken by the kernel's own
 *       notification. No CPU while idle; a wake-up costs a system call and a scheduler
 *       wake-up (microseconds). It needs Java 22 or later ({@code java.lang.foreign},
 *       reached at run time: the library itself stays on Java 17 and the JDK only) with
 *       native access allowed ({@code --enable-native-access=ALL-UNNAMED} on the command
 *       line, or the JDK's warning is printed once); {@link #epollUnavailable()} says why
 *       not otherwise.
 *   <li>{@link #kernelOrBackoff(int...)}: epoll where it can be used, else the back-off.
 *   <li>{@link #lingering(Waiter, long)}: another waiter after a linger that lets a batch
 *       gather, so that the consumer catches up with the producer, and costs it a kernel
 *       wake-up, at most once per linger.
 * </ul>
 *
 * <p>What the kernel notifies is its own choice: a ring buffer wakes its waiters when a
 * record is submitted while the consumer has caught up (or always with {@code
 * BPF_RB_FORCE_WAKEUP}, never with {@code BPF_RB_NO_WAKEUP}: a program that never wakes
 * anyone leaves an epoll waiter asleep until its timeout); a perf event after every
 * {@code wakeup_events} samples. Every wait returns at its timeout at the latest.
 *
 * <pre>{@code
 * try (Waiter waiter = Waiter.kernelOrBackoff(ringFd)) {
 *   while (running) {
 *     if (consumer.poll(handler) == 0) {
 *       waiter.await(consumer, 100_000_000L); // up to 100 ms
 *     }
 *   }
 * }
 * }</pre>
 *
 * <p>{@link #await} is called by the one consuming thread; {@link #wakeup} and {@link
 * #close} (after the consumer has stopped waiting) by any.
 */
public sealed interface Waiter extends AutoCloseable
    permits SpinWaiter, BackoffWaiter, EpollWaiter, LingeringWaiter {

  /** The kinds of waiting. */
  enum Kind {
    /** Busy: checks the positions in a loop. */
    SPIN,
    /** Spin, yield, then park with a growing interval. */
    BACKOFF,
    /** {@code epoll_wait} on the maps' file descriptors. */
    EPOLL
  }

  /**
   * Waits until the source has something pending, the timeout passes, or {@link #wakeup} is
   * called. Returns at once if the source already has something pending.
   *
   * @param source what to check (a back-off and a spin read its positions; epoll asks the
   *     source first, then the kernel)
   * @param timeoutNanos the longest wait, in nanoseconds; 0 only checks, {@link
   *     Long#MAX_VALUE} (or any negative value) waits without limit
   * @return true if the source has (or, after an epoll notification, may have) something
   *     pending; false at the timeout or after a wakeup with nothing pending
   * @throws BpfEventsException {@code wait-failed} if the system refuses the wait
   */
  boolean await(RecordSource source, long timeoutNanos);

  /**
   * Makes the wait in progress return now, or if none is, the next one return at once.
   * From any thread.
   */
  void wakeup();

  /**
   * The kind of waiting.
   *
   * @return the kind
   */
  Kind kind();

  /** Frees what the waiter holds (for epoll, its descriptors); not the maps' descriptors. */
  @Override
  void close();

  /**
   * A waiter that spins.
   *
   * @return a new waiter
   */
  static Waiter spin() {
    return new SpinWaiter();
  }

  /**
   * A back-off: 100 spins, then 10 yields, then parks from 10 µs doubling to 1 ms.
   *
   * @return a new waiter
   */
  static Waiter backoff() {
    return new BackoffWaiter(100, 10, 10_000L, 1_000_000L);
  }

  /**
   * A back-off with its own steps.
   *
   * @param spins checks with {@link Thread#onSpinWait} before yielding, at least 0
   * @param yields checks with {@link Thread#yield} before parking, at least 0
   * @param minParkNanos the first park, at least 1
   * @param maxParkNanos the longest park, at least {@code minParkNanos}
   * @return a new waiter
   * @throws BpfEventsException {@code bad-waiter} if a step is out of range
   */
  static Waiter backoff(int spins, int yields, long minParkNanos, long maxParkNanos) {
    if (spins < 0) {
      throw BackoffWaiter.bad("spins", spins, "a count, at least 0");
    }
    if (yields < 0) {
      throw BackoffWaiter.bad("yields", yields, "a count, at least 0");
    }
    if (minParkNanos < 1) {
      throw BackoffWaiter.bad("minParkNanos", minParkNanos, "nanoseconds, at least 1");
    }
    if (maxParkNanos < minParkNanos) {
      throw BackoffWaiter.bad("maxParkNanos", maxParkNanos,
          "nanoseconds, at least minParkNanos " + minParkNanos);
    }
    return new BackoffWaiter(spins, yields, minParkNanos, maxParkNanos);
  }

  /**
   * A waiter that sleeps in {@code epoll_wait} on these file descriptors (level-triggered,
   * readable), plus an eventfd of its own for {@link #wakeup}.
   *
   * @param fds the ring buffer map's fd, or every perf event's fd; at least one
   * @return a new waiter
   * @throws BpfEventsException {@code epoll-unavailable} (with the reason) on a Java or
   *     platform without it, {@code bad-waiter} for no or negative descriptors, {@code
   *     wait-failed} if the kernel refuses a descriptor
   */
  static Waiter epoll(int... fds) {
    return EpollWaiter.open(fds);
  }

  /**
   * Another waiter that first lets a batch gather: each wait parks for {@code lingerNanos}
   * (returning early only at a {@link #wakeup}), then waits with {@code inner} if nothing
   * has come. A consumer that is caught up costs the producer a kernel wake-up on its next
   * submit (the ring buffer's adaptive policy queues one whenever the record lands at the
   * consumer position; in a virtual machine one costs microseconds of the producer's CPU),
   * so catching up at most once per linger bounds those wake-ups to one per linger, at the
   * price of up to a linger of latency.
   *
   * @param inner the waiter to wait with after the linger
   * @param lingerNanos how long to let a batch gather, at least 1 (100 µs bounds the
   *     wake-ups to 10,000 a second)
   * @return a new waiter of inner's kind; closing it closes inner
   * @throws BpfEventsException {@code bad-waiter} for a null inner or a linger below 1
   */
  static Waiter lingering(Waiter inner, long lingerNanos) {
    if (inner == null || lingerNanos < 1) {
      boolean noInner = inner == null;
      throw (noInner ? Problem.BAD_WAITER_LINGERING_NULL : Problem.BAD_WAITER_LINGERING)
          .with("key", noInner ? "inner" : "lingerNanos")
          .with("value", noInner ? null : lingerNanos)
          .with("expected", noInner ? "a Waiter" : "nanoseconds, at least 1")
          .build();
    }
    return new LingeringWaiter(inner, lingerNanos);
  }

  /**
   * {@link #epoll} where it can be used, else {@link #backoff()}.
   *
   * @param fds the ring buffer map's fd, or every perf event's fd; at least one
   * @return a new waiter; see {@link #kind()}
   * @throws BpfEventsException as {@link #epoll} does, but for {@code epoll-unavailable}
   */
  static Waiter kernelOrBackoff(int... fds) {
    return epollUnavailable().isPresent() ? backoff() : epoll(fds);
  }

  /**
   * Why {@link #epoll} cannot be used here (the Java version, the platform, native access
   * denied), or empty when it can.
   *
   * @return the reason, or empty
   */
  static Optional<String> epollUnavailable() {
    return NativeEpoll.UNAVAILABLE;
  }
}
