package io.github.bpfevents.check;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A {@code BPF_MAP_TYPE_PERF_EVENT_ARRAY} with one {@code PERF_COUNT_SW_BPF_OUTPUT} event
 * per CPU, each mapped, read back as the kernel documents {@code perf_event_mmap_page}: a
 * test reader of the samples {@code bpf_perf_event_output} writes, nothing more.
 */
public final class PerfReader implements AutoCloseable {
  private static final long SYS_PERF_EVENT_OPEN = 298;
  private static final int PERF_TYPE_SOFTWARE = 1;
  private static final int PERF_COUNT_SW_BPF_OUTPUT = 10;
  private static final long PERF_SAMPLE_RAW = 0x400;
  private static final long PERF_EVENT_IOC_ENABLE = 0x2400;
  private static final int PERF_RECORD_SAMPLE = 9;
  private static final int MAP_TYPE_PERF_EVENT_ARRAY = 4;
  private static final int DATA_PAGES = 8;

  interface C extends Library {
    C INSTANCE = Native.load("c", C.class);

    long syscall(long number, Object... args);

    Pointer mmap(Pointer addr, long length, int prot, int flags, int fd, long offset);

    int munmap(Pointer addr, long length);

    int ioctl(int fd, long request, long arg);

    int close(int fd);

    int getpagesize();
  }

  /** The perf event array. */
  public final int fd;
  private final int[] events;
  private final Pointer[] maps;
  private final long length;
  private final int page;

  private PerfReader(int fd, int[] events, Pointer[] maps, long length, int page) {
    this.fd = fd;
    this.events = events;
    this.maps = maps;
    this.length = length;
    this.page = page;
  }

  /**
   * Creates the array and an event for every CPU.
   *
   * @return the reader
   */
  public static PerfReader create() {
    int cpus = Runtime.getRuntime().availableProcessors();
    int map = Bpf.createMap(MAP_TYPE_PERF_EVENT_ARRAY, 4, 4, cpus);
    int page = C.INSTANCE.getpagesize();
    long length = (long) page * (1 + DATA_PAGES);
    int[] events = new int[cpus];
    Pointer[] maps = new Pointer[cpus];
    for (int cpu = 0; cpu < cpus; cpu++) {
      Memory attr = new Memory(128);
      attr.clear();
      attr.setInt(0, PERF_TYPE_SOFTWARE);
      attr.setInt(4, 128);
      attr.setLong(8, PERF_COUNT_SW_BPF_OUTPUT);
      attr.setLong(24, PERF_SAMPLE_RAW);
      attr.setInt(48, 1); // wakeup_events
      long efd = C.INSTANCE.syscall(SYS_PERF_EVENT_OPEN, attr, -1, cpu, -1, 8L);
      if (efd < 0) {
        throw new IllegalStateException("perf_event_open failed: errno " + Native.getLastError());
      }
      events[cpu] = (int) efd;
      maps[cpu] = C.INSTANCE.mmap(null, length, 3, 1, (int) efd, 0);
      if (Pointer.nativeValue(maps[cpu]) == -1) {
        throw new IllegalStateException("mmap of the perf buffer failed: errno "
            + Native.getLastError());
      }
      C.INSTANCE.ioctl((int) efd, PERF_EVENT_IOC_ENABLE, 0);
      Bpf.update(map, cpu, ByteBuffer.allocate(4).order(ByteOrder.nativeOrder())
          .putInt((int) efd).array());
    }
    return new PerfReader(map, events, maps, length, page);
  }

  /**
   * The raw data of every sample written so far on every CPU, consumed.
   *
   * @return the samples, CPU by CPU, each as the raw bytes the kernel wrote (padded)
   */
  public List<byte[]> drain() {
    List<byte[]> out = new ArrayList<>();
    for (Pointer m : maps) {
      ByteBuffer meta = m.getByteBuffer(0, page).order(ByteOrder.nativeOrder());
      long head = meta.getLong(1024);
      java.lang.invoke.VarHandle.acquireFence();
      long tail = meta.getLong(1032);
      long offset = meta.getLong(1040) == 0 ? page : meta.getLong(1040);
      long size = meta.getLong(1048) == 0 ? (long) page * DATA_PAGES : meta.getLong(1048);
      byte[] data = m.getByteArray(offset, (int) size);
      while (tail < head) {
        byte[] h = wrapped(data, tail, 8);
        ByteBuffer hb = ByteBuffer.wrap(h).order(ByteOrder.nativeOrder());
        int type = hb.getInt(0);
        int recordSize = Short.toUnsignedInt(hb.getShort(6));
        if (type == PERF_RECORD_SAMPLE) {
          int raw = ByteBuffer.wrap(wrapped(data, tail + 8, 4)).order(ByteOrder.nativeOrder())
              .getInt(0);
          out.add(wrapped(data, tail + 12, raw));
        }
        tail += recordSize;
      }
      java.lang.invoke.VarHandle.releaseFence();
      meta.putLong(1032, tail);
    }
    return out;
  }

  private static byte[] wrapped(byte[] data, long at, int n) {
    byte[] out = new byte[n];
    for (int i = 0; i < n; i++) {
      out[i] = data[(int) ((at + i) % data.length)];
    }
    return out;
  }

  @Override
  public void close() {
    for (int i = 0; i < events.length; i++) {
      C.INSTANCE.munmap(maps[i], length);
      C.INSTANCE.close(events[i]);
    }
    Bpf.close(fd);
  }

  @Override
  public String toString() {
    return "PerfReader" + Arrays.toString(events);
  }
}
