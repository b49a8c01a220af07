package io.github.bpfevents.emit;

import io.github.bpfevents.emit.ProgramType.Helpers;
import java.util.Locale;

/**
 * A value a kernel helper gives the program: what it is, which helper gives it, and how
 * many bytes it needs in the record.
 *
 * <pre>
 *   value          helper                        bytes  what
 *   KTIME_NS       bpf_ktime_get_ns (5)            8    monotonic time, ns
 *   KTIME_BOOT_NS  bpf_ktime_get_boot_ns (125)     8    time since boot, suspend included, ns
 *   PID_TGID       bpf_get_current_pid_tgid (14)   8    tgid &lt;&lt; 32 | pid
 *   PID            bpf_get_current_pid_tgid (14)   4    the thread's id (lower half)
 *   TGID           bpf_get_current_pid_tgid (14)   4    the process's id (upper half)
 *   UID_GID        bpf_get_current_uid_gid (15)    8    gid &lt;&lt; 32 | uid
 *   UID            bpf_get_current_uid_gid (15)    4    lower half
 *   GID            bpf_get_current_uid_gid (15)    4    upper half
 *   COMM           bpf_get_current_comm (16)      16    the task's name, written into the record
 *   CPU            bpf_get_smp_processor_id (8)    4    the CPU the program runs on
 *   CGROUP_ID      bpf_get_current_cgroup_id (80)  8    the task's cgroup v2 id
 * </pre>
 *
 * <p>A field at least as wide as the value takes it (a 4-byte value zero-extended into
 * an 8-byte field); a narrower one is an error.
 */
public enum HelperValue {
  /** Monotonic time in nanoseconds. */
  KTIME_NS(Helpers.KTIME_GET_NS, 8, Part.WHOLE),
  /** Time since boot in nanoseconds, suspend included. */
  KTIME_BOOT_NS(Helpers.KTIME_GET_BOOT_NS, 8, Part.WHOLE),
  /** The thread group id in the upper 32 bits, the thread id in the lower. */
  PID_TGID(Helpers.GET_CURRENT_PID_TGID, 8, Part.WHOLE),
  /** The thread's id (what userspace calls the tid). */
  PID(Helpers.GET_CURRENT_PID_TGID, 4, Part.LOW),
  /** The thread group's id (what userspace calls the pid). */
  TGID(Helpers.GET_CURRENT_PID_TGID, 4, Part.HIGH),
  /** The gid in the upper 32 bits, the uid in the lower. */
  UID_GID(Helpers.GET_CURRENT_UID_GID, 8, Part.WHOLE),
  /** The uid. */
  UID(Helpers.GET_CURRENT_UID_GID, 4, Part.LOW),
  /** The gid. */
  GID(Helpers.GET_CURRENT_UID_GID, 4, Part.HIGH),
  /** The task's name, {@code TASK_COMM_LEN} (16) bytes with its NUL, zero-padded. */
  COMM(Helpers.GET_CURRENT_COMM, 16, Part.INTO_RECORD),
  /** The CPU's number. */
  CPU(Helpers.GET_SMP_PROCESSOR_ID, 4, Part.WHOLE),
  /** The cgroup v2 id of the task. */
  CGROUP_ID(Helpers.GET_CURRENT_CGROUP_ID, 8, Part.WHOLE);

  /** Which part of the helper's result the value is. */
  enum Part { WHOLE, LOW, HIGH, INTO_RECORD }

  private final int helper;
  private final int bytes;
  private final Part part;

  HelperValue(int helper, int bytes, Part part) {
    this.helper = helper;
    this.bytes = bytes;
    this.part = part;
  }

  /** @return the helper's number ({@code call} immediate) */
  public int helper() {
    return helper;
  }

  /** @return the verifier's name of the helper: {@code bpf_ktime_get_ns#5} */
  public String helperName() {
    return Helpers.name(helper);
  }

  /** @return the fewest bytes of the field that takes the value */
  public int bytes() {
    return bytes;
  }

  /** @return the name in messages and in Clojure: {@code "ktime-ns"} */
  public String text() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  Part part() {
    return part;
  }
}
