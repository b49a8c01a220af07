package io.github.bpfevents.emit;

/**
 * Whether committing a record wakes the ring buffer's waiters (the flags of
 * {@code bpf_ringbuf_submit} and {@code bpf_ringbuf_output}).
 *
 * <ul>
 *   <li>{@link #ADAPTIVE} (0): the kernel wakes waiters only when the record is the first
 *       one the consumer has not seen, so a consumer that keeps up is woken once per batch.
 *       Right for almost every program.
 *   <li>{@link #NO_WAKEUP} ({@code BPF_RB_NO_WAKEUP}, 1): never; for a consumer that polls
 *       on its own schedule or busy-spins, and for bursts where another record (sent with a
 *       wake-up) follows soon.
 *   <li>{@link #FORCE_WAKEUP} ({@code BPF_RB_FORCE_WAKEUP}, 2): always; for rare events that
 *       must reach a sleeping consumer at once, at the cost of a wake-up per record.
 * </ul>
 */
public enum Wakeup {
  /** The kernel's default: wake when the consumer has caught up. */
  ADAPTIVE(0),
  /** {@code BPF_RB_NO_WAKEUP}. */
  NO_WAKEUP(1),
  /** {@code BPF_RB_FORCE_WAKEUP}. */
  FORCE_WAKEUP(2);

  private final int flags;

  Wakeup(int flags) {
    this.flags = flags;
  }

  /** @return the flags argument of the helper */
  public int flags() {
    return flags;
  }
}
