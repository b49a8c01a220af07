package io.github.bpfevents.check;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.github.bpfevents.codec.PerfBufferConsumer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code BPF_MAP_TYPE_PERF_EVENT_ARRAY} with its perf events: one per online CPU ({@code
 * perf_event_open} of the software event {@code BPF_OUTPUT}, {@code PERF_SAMPLE_RAW},
 * sample period 1, {@code wakeup_events} as given), each mapped (the metadata page and
 * {@code pages} data pages, read-write, shared) and stored in the map at its CPU's index,
 * so that {@code bpf_perf_event_output(ctx, map, BPF_F_CURRENT_CPU, ...)} writes into
 * {@link #rings} and a {@link PerfBufferConsumer} reads them back.
 *
 * <pre>{@code
 * try (PerfEventArray perf = PerfEventArray.create(8, 1)) {
 *   // load a program that outputs to perf.map, run it
 *   new PerfBufferConsumer(perf.rings, perf.pageSize).poll((data, offset, length) -> ...);
 * }
 * }</pre>
 */
public final class PerfEventArray implements AutoCloseable {
  private static final long SYS_PERF_EVENT_OPEN = 298;
  private static final int MAP_TYPE_PERF_EVENT_ARRAY = 4;
  private static final int PERF_TYPE_SOFTWARE = 1;
  private static final long PERF_COUNT_SW_BPF_OUTPUT = 10;
  private static final long PERF_SAMPLE_RAW = 0x400;
  private static final long PERF_FLAG_FD_CLOEXEC = 8;
  private static final int PROT_READ = 1;
  private static final int PROT_WRITE = 2;
  private static final int MAP_SHARED = 1;

  interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

    long syscall(long number, Object... args);

    Pointer mmap(Pointer addr, long length, int prot, int flags, int fd, long offset);

    int munmap(Pointer addr, long length);

    int getpagesize();
  }

  /** The CPUs, 0 to cpus - 1. */
  public final int cpus;
  /** The page size. */
  public final int pageSize;
  /** Each CPU's perf event fd. */
  public final int[] fds;
  /** Each CPU's mapping: the metadata page and the data pages. */
  public final List<ByteBuffer> rings;
  /** The perf event array map. */
  public final int map;
  private final Pointer[] maps;
  private final long length;

  private PerfEventArray(int cpus, int pageSize, int[] fds, Pointer[] maps, long length,
      int map) {
    this.cpus = cpus;
    this.pageSize = pageSize;
    this.fds = fds;
    this.maps = maps;
    this.length = length;
    this.map = map;
    List<ByteBuffer> r = new ArrayList<>();
    for (Pointer p : maps) {
      r.add(p.getByteBuffer(0, length));
    }
    this.rings = List.copyOf(r);
  }

  /** The online CPUs, from /sys (0-N). */
  public static int onlineCpus() {
    try {
      String s = Files.readString(Paths.get("/sys/devices/system/cpu/online")).trim();
      String last = s.substring(s.lastIndexOf('-') + 1);
      if (s.contains(",")) {
        throw new IllegalStateException("online CPUs not 0-N: " + s);
      }
      return Integer.parseInt(last) + 1;
    } catch (IOException e) {
      return Runtime.getRuntime().availableProcessors();
    }
  }

  /**
   * Creates the map, opens and maps a perf event on every online CPU and stores each in the
   * map at its CPU's index. What was opened before a failure is closed again.
   *
   * @param pages data pages per CPU, a power of two
   * @param wakeupEvents the kernel wakes a ring's waiters after this many samples
   * @return the array
   */
  public static PerfEventArray create(int pages, int wakeupEvents) {
    int cpus = onlineCpus();
    int page = LibC.INSTANCE.getpagesize();
    long length = (long) page * (1 + pages);
    int[] fds = new int[cpus];
    java.util.Arrays.fill(fds, -1);
    Pointer[] maps = new Pointer[cpus];
    int map = Bpf.createMap(MAP_TYPE_PERF_EVENT_ARRAY, 4, 4, cpus);
    try {
      for (int cpu = 0; cpu < cpus; cpu++) {
        Memory attr = new Memory(128);
        attr.clear();
        attr.setInt(0, PERF_TYPE_SOFTWARE);
        attr.setInt(4, 128); // size
        attr.setLong(8, PERF_COUNT_SW_BPF_OUTPUT);
        attr.setLong(16, 1); // sample_period
        attr.setLong(24, PERF_SAMPLE_RAW);
        attr.setInt(48, wakeupEvents);
        long fd = LibC.INSTANCE.syscall(SYS_PERF_EVENT_OPEN, attr, -1, cpu, -1,
            PERF_FLAG_FD_CLOEXEC);
        if (fd < 0) {
          throw new IllegalStateException("perf_event_open on CPU " + cpu + ": errno "
              + Native.getLastError());
        }
        fds[cpu] = (int) fd;
        Pointer m = LibC.INSTANCE.mmap(null, length, PROT_READ | PROT_WRITE, MAP_SHARED,
            (int) fd, 0);
        if (Pointer.nativeValue(m) == -1) {
          throw new IllegalStateException("mmap of the perf event on CPU " + cpu + ": errno "
              + Native.getLastError());
        }
        maps[cpu] = m;
        Bpf.update(map, cpu, ByteBuffer.allocate(4).order(ByteOrder.nativeOrder())
            .putInt(0, (int) fd).array());
      }
    } catch (RuntimeException e) {
      release(fds, maps, length, map);
      throw e;
    }
    return new PerfEventArray(cpus, page, fds, maps, length, map);
  }

  private static void release(int[] fds, Pointer[] maps, long length, int map) {
    for (int cpu = 0; cpu < fds.length; cpu++) {
      if (maps[cpu] != null) {
        LibC.INSTANCE.munmap(maps[cpu], length);
      }
      if (fds[cpu] >= 0) {
        Bpf.close(fds[cpu]);
      }
    }
    Bpf.close(map);
  }

  @Override
  public void close() {
    release(fds, maps, length, map);
  }
}
