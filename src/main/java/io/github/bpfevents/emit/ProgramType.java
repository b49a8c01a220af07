package io.github.bpfevents.emit;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The BPF program types an event is sent from, with what their verifier lets a fragment
 * use, as the kernel's verifier decides it (checked on Linux 6.18 for every helper the
 * emitter calls, by loading a program that calls it).
 *
 * <pre>
 *   type             number  refuses
 *   socket-filter      1     -
 *   kprobe             2     -
 *   sched-cls          3     -
 *   tracepoint         5     -
 *   xdp                6     -
 *   raw-tracepoint    17     -
 *   flow-dissector    22     bpf_perf_event_output
 *   syscall           31     perf event arrays (sleepable: array, hash, ringbuf and local storage maps only)
 * </pre>
 */
public enum ProgramType {
  /** {@code BPF_PROG_TYPE_SOCKET_FILTER}: runs under {@code BPF_PROG_TEST_RUN}. */
  SOCKET_FILTER(1, false, Set.of()),
  /** {@code BPF_PROG_TYPE_KPROBE}. */
  KPROBE(2, false, Set.of()),
  /** {@code BPF_PROG_TYPE_SCHED_CLS}. */
  SCHED_CLS(3, false, Set.of()),
  /** {@code BPF_PROG_TYPE_TRACEPOINT}. */
  TRACEPOINT(5, false, Set.of()),
  /** {@code BPF_PROG_TYPE_XDP}. */
  XDP(6, false, Set.of()),
  /** {@code BPF_PROG_TYPE_RAW_TRACEPOINT}: runs under {@code BPF_PROG_TEST_RUN}. */
  RAW_TRACEPOINT(17, false, Set.of()),
  /** {@code BPF_PROG_TYPE_FLOW_DISSECTOR}. */
  FLOW_DISSECTOR(22, false, Set.of(Helpers.PERF_EVENT_OUTPUT)),
  /**
   * {@code BPF_PROG_TYPE_SYSCALL}: sleepable (loaded with {@code BPF_F_SLEEPABLE}), runs
   * under {@code BPF_PROG_TEST_RUN}.
   */
  SYSCALL(31, true, Set.of());

  private final int number;
  private final boolean sleepable;
  private final Set<Integer> refused;

  ProgramType(int number, boolean sleepable, Set<Integer> refused) {
    this.number = number;
    this.sleepable = sleepable;
    this.refused = refused;
  }

  /** @return the kernel's number of the type ({@code prog_type} of {@code BPF_PROG_LOAD}) */
  public int number() {
    return number;
  }

  /** @return whether programs of the type are sleepable (and must be loaded so) */
  public boolean sleepable() {
    return sleepable;
  }

  /** @return the name in messages and in Clojure: {@code "socket-filter"} */
  public String text() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * Whether programs of this type may call the helper.
   *
   * @param helper the helper's number
   * @return true when the verifier allows the call
   */
  public boolean allows(int helper) {
    return !refused.contains(helper);
  }

  /**
   * The type of a name, as {@link #text()} gives it.
   *
   * @param text {@code "kprobe"}, {@code "socket-filter"}, ...
   * @return the type
   * @throws BpfEventsException {@code unknown-program-type} listing the names
   */
  public static ProgramType named(String text) {
    for (ProgramType t : values()) {
      if (t.text().equals(text)) {
        return t;
      }
    }
    throw Problem.UNKNOWN_PROGRAM_TYPE
        .with("value", text)
        .with("expected", "one of {accepted}")
        .with("accepted", names())
        .build();
  }

  /** @return the names of the types, in order */
  public static List<String> names() {
    List<String> out = new ArrayList<>();
    for (ProgramType t : values()) {
      out.add(t.text());
    }
    return out;
  }

  /**
   * The types that allow a helper, for messages.
   *
   * @param helper the helper's number
   * @return their names
   */
  static List<String> allowing(int helper) {
    List<String> out = new ArrayList<>();
    for (ProgramType t : values()) {
      if (t.allows(helper)) {
        out.add(t.text());
      }
    }
    return out;
  }

  /** Helper numbers and the names the verifier's log gives them. */
  static final class Helpers {
    static final int KTIME_GET_NS = 5;
    static final int GET_SMP_PROCESSOR_ID = 8;
    static final int GET_CURRENT_PID_TGID = 14;
    static final int GET_CURRENT_UID_GID = 15;
    static final int GET_CURRENT_COMM = 16;
    static final int PERF_EVENT_OUTPUT = 25;
    static final int GET_CURRENT_TASK = 35;
    static final int GET_CURRENT_CGROUP_ID = 80;
    static final int PROBE_READ_KERNEL = 113;
    static final int PROBE_READ_KERNEL_STR = 115;
    static final int KTIME_GET_BOOT_NS = 125;
    static final int RINGBUF_OUTPUT = 130;
    static final int RINGBUF_RESERVE = 131;
    static final int RINGBUF_SUBMIT = 132;
    static final int RINGBUF_DISCARD = 133;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
        Map.entry(KTIME_GET_NS, "bpf_ktime_get_ns"),
        Map.entry(GET_SMP_PROCESSOR_ID, "bpf_get_smp_processor_id"),
        Map.entry(GET_CURRENT_PID_TGID, "bpf_get_current_pid_tgid"),
        Map.entry(GET_CURRENT_UID_GID, "bpf_get_current_uid_gid"),
        Map.entry(GET_CURRENT_COMM, "bpf_get_current_comm"),
        Map.entry(PERF_EVENT_OUTPUT, "bpf_perf_event_output"),
        Map.entry(GET_CURRENT_TASK, "bpf_get_current_task"),
        Map.entry(GET_CURRENT_CGROUP_ID, "bpf_get_current_cgroup_id"),
        Map.entry(PROBE_READ_KERNEL, "bpf_probe_read_kernel"),
        Map.entry(PROBE_READ_KERNEL_STR, "bpf_probe_read_kernel_str"),
        Map.entry(KTIME_GET_BOOT_NS, "bpf_ktime_get_boot_ns"),
        Map.entry(RINGBUF_OUTPUT, "bpf_ringbuf_output"),
        Map.entry(RINGBUF_RESERVE, "bpf_ringbuf_reserve"),
        Map.entry(RINGBUF_SUBMIT, "bpf_ringbuf_submit"),
        Map.entry(RINGBUF_DISCARD, "bpf_ringbuf_discard"));

    private Helpers() {}

    /** @return the verifier's name of a helper: {@code bpf_ktime_get_ns#5} */
    static String name(int helper) {
      return NAMES.getOrDefault(helper, "helper") + "#" + helper;
    }
  }
}
