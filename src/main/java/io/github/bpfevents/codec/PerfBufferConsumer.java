package io.github.bpfevents.codec;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Problem;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Consumes the per-CPU rings of a {@code BPF_MAP_TYPE_PERF_EVENT_ARRAY} from their memory
 * mappings, by the kernel's protocol, with the JDK only. Each ring is the mapping of one
 * perf event ({@code perf_event_open} of the software event {@code BPF_OUTPUT} with
 * {@code PERF_SAMPLE_RAW}, usually one per CPU, its fd stored in the map at the CPU's
 * index): one metadata page ({@code struct perf_event_mmap_page}) followed by 2<sup>n</sup>
 * data pages, mapped read-write. A program writes to it with {@code bpf_perf_event_output}.
 *
 * <pre>
 *   metadata page: data_head u64 @1024 (the kernel's), data_tail u64 @1032 (ours),
 *                  data_offset u64 @1040, data_size u64 @1048
 *   record: [type u32 | misc u16 | size u16] then size - 8 bytes, 8-byte aligned;
 *           it may wrap around the end of the data area, which is mapped once
 *   PERF_RECORD_SAMPLE (9) with PERF_SAMPLE_RAW: [header][raw size u32][raw bytes]
 *   PERF_RECORD_LOST (2): [header][id u64][lost u64]
 * </pre>
 *
 * <h2>The protocol</h2>
 *
 * <p>{@link #poll} reads, for each ring in turn, {@code data_head} (acquire) and {@code
 * data_tail}, walks the records between them, hands the raw bytes of each sample to the
 * handler, adds up lost-sample records, skips any other record type, and writes {@code
 * data_tail} past each record (release), which gives the space back to the kernel. A
 * record that wraps around the end of the data area is copied, in two parts, into a
 * buffer of this consumer (at most 64 KiB, the largest record) and handed over from there;
 * a record that does not wrap is handed over where it lies. The positions are unsigned
 * 64-bit counters compared by their difference. One poll walks at most what was produced
 * in each ring when it reached that ring, so it returns in bounded time.
 *
 * <p>The raw size the kernel reports, and so the length the handler gets, is the
 * program's size rounded up so that the size field and the bytes end on an 8-byte
 * boundary: a 128-byte event arrives as 132 bytes. The kernel skips the padding without
 * writing it, so those last bytes are whatever the ring held before (seen here: bytes of
 * older records): a handler reads its event's own size and never the padding.
 *
 * <h2>Lost samples</h2>
 *
 * <p>When a ring is full the kernel drops the sample ({@code bpf_perf_event_output}
 * returns an error) and, once there is space, writes a {@code PERF_RECORD_LOST} that
 * counts the samples dropped. {@link #lost()} and {@link #lost(int)} add them up; a
 * {@link LostHandler}, if given, is told each one as it is read.
 *
 * <h2>What is refused</h2>
 *
 * <p>The kernel never lets {@code data_head} get more than the data area ahead of {@code
 * data_tail}, and keeps records 8-byte aligned and at least 8 bytes long. A poll that finds
 * otherwise (a tail that is not a multiple of 8, a head behind the tail or more than the
 * data area ahead, a record shorter than its header, not a multiple of 8 or longer than
 * what was produced, a sample whose raw size does not fit its record, a lost record too
 * short to hold its count) throws {@link BpfEventsException} {@code corrupt-perf-buffer}
 * naming the ring. Wrong positions deliver nothing and leave the tail as it was; a bad
 * record stops the walk before it, with the records before it delivered and their space
 * given back; the rings after it are not read in that poll. Regions that cannot be a perf
 * event's mapping are refused by the constructor ({@code bad-perf-buffer}).
 *
 * <h2>Waiting</h2>
 *
 * <p>As for the ring buffer: a {@link Waiter} ({@code Waiter.kernelOrBackoff(fds)} with
 * every ring's perf event fd) and a {@link DrainLoop}. The kernel wakes a perf event's
 * waiters after every {@code wakeup_events} samples (1: every sample), so a larger value
 * saves wake-ups (each costs the producer microseconds in a virtual machine) and leaves up
 * to that many samples unseen until the waiter's timeout: give the loop a bound ({@link
 * DrainLoop#DrainLoop(RecordSource, RingBufferConsumer.RecordHandler, Waiter, long)}).
 *
 * <pre>{@code
 * // one mapping per CPU: (1 + 2^n) pages of that CPU's perf event fd, PROT_READ|PROT_WRITE
 * PerfBufferConsumer perf = new PerfBufferConsumer(mappings, pageSize);
 * try (Waiter waiter = Waiter.kernelOrBackoff(perfFds)) {
 *   new DrainLoop(perf, (data, offset, length) -> {
 *     int cpu = perf.currentRing();
 *     handle(cpu, data, offset);
 *   }, waiter).run();
 * }
 * }</pre>
 *
 * <p>One consumer per perf event array; not thread-safe.
 */
public final class PerfBufferConsumer implements RecordSource {
  private static final VarHandle LONG =
      MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
  private static final VarHandle INT =
      MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
  /** Offset of {@code data_head} in the metadata page. */
  public static final int DATA_HEAD = 1024;
  /** Offset of {@code data_tail} in the metadata page. */
  public static final int DATA_TAIL = 1032;
  /** Offset of {@code data_offset} in the metadata page. */
  public static final int DATA_OFFSET = 1040;
  /** Offset of {@code data_size} in the metadata page. */
  public static final int DATA_SIZE = 1048;
  /** {@code PERF_RECORD_LOST}. */
  public static final int PERF_RECORD_LOST = 2;
  /** {@code PERF_RECORD_SAMPLE}. */
  public static final int PERF_RECORD_SAMPLE = 9;
  private static final int HEADER = 8;
  private static final int MAX_RECORD = 0xffff;

  /** Told of each lost-sample record. */
  @FunctionalInterface
  public interface LostHandler {
    /**
     * The kernel dropped samples of this ring because it was full.
     *
     * @param ring the ring's index in the list the consumer was made with
     * @param lost how many samples this record counts
     */
    void onLost(int ring, long lost);
  }

  private final ByteBuffer[] rings;
  private final ByteBuffer[] views;
  private final int[] dataOffset;
  private final long[] mask;
  private final long[] lost;
  private final LostHandler lostHandler;
  private final ByteBuffer scratch;
  private final ByteBuffer scratchView;
  private long lostTotal;
  private int current = -1;

  /**
   * A consumer over the mappings of the perf events, that counts lost samples.
   *
   * @param rings each perf event's mapping: the metadata page then the data pages, at
   *     position 0, read-write, 8-byte aligned; their index is the ring's number
   * @param pageSize the page size, a power of two, at least 2048
   * @throws BpfEventsException {@code bad-perf-buffer} if a mapping will not do
   */
  public PerfBufferConsumer(List<ByteBuffer> rings, int pageSize) {
    this(rings, pageSize, null);
  }

  /**
   * A consumer over the mappings of the perf events, that also tells a handler of each
   * lost-sample record.
   *
   * @param rings each perf event's mapping: the metadata page then the data pages, at
   *     position 0, read-write, 8-byte aligned; their index is the ring's number
   * @param pageSize the page size, a power of two, at least 2048
   * @param lostHandler told of each lost-sample record, or null
   * @throws BpfEventsException {@code bad-perf-buffer} if a mapping will not do
   */
  public PerfBufferConsumer(List<ByteBuffer> rings, int pageSize, LostHandler lostHandler) {
    if (pageSize < 2048 || Integer.bitCount(pageSize) != 1) {
      throw Problem.BAD_PERF_BUFFER_PAGE_SIZE
          .with("key", "pageSize")
          .with("value", pageSize)
          .with("index", -1)
          .with("expected", "a power of two, at least 2048 (the metadata page holds data_size at 1048)")
          .build();
    }
    if (rings == null || rings.isEmpty()) {
      throw Problem.BAD_PERF_BUFFER_RINGS
          .with("key", "rings")
          .with("value", rings == null ? null : "[]")
          .with("index", -1)
          .with("expected", "one mapping per perf event, at least one")
          .build();
    }
    int n = rings.size();
    this.rings = new ByteBuffer[n];
    this.views = new ByteBuffer[n];
    this.dataOffset = new int[n];
    this.mask = new long[n];
    this.lost = new long[n];
    List<ByteBuffer> copy = new ArrayList<>(rings); // one look at the caller's list
    for (int i = 0; i < n; i++) {
      ByteBuffer b = copy.get(i);
      if (b == null) {
        throw Problem.BAD_PERF_BUFFER_RING_NULL
            .with("key", "ring")
            .with("value", null)
            .with("index", i)
            .with("expected", "a perf event's mapping")
            .build();
      }
      if (b.isReadOnly()) {
        throw Problem.BAD_PERF_BUFFER_RING_READ_ONLY
            .with("key", "ring")
            .with("value", b)
            .with("index", i)
            .with("expected", "a writable mapping: data_tail is written there")
            .build();
      }
      if (b.limit() < 2L * pageSize) {
        throw Problem.BAD_PERF_BUFFER_RING_TOO_SMALL
            .with("key", "ring")
            .with("value", b)
            .with("index", i)
            .with("expected", "the metadata page of " + pageSize + " and at least one data page")
            .with("limit", b.limit())
            .build();
      }
      boolean misaligned;
      try {
        misaligned = b.alignmentOffset(0, 8) != 0;
      } catch (UnsupportedOperationException e) {
        misaligned = true;
      }
      if (misaligned) {
        throw Problem.BAD_PERF_BUFFER_RING_MISALIGNED
            .with("key", "ring")
            .with("value", b)
            .with("index", i)
            .with("expected", "8-byte aligned memory: a perf event's mapping")
            .build();
      }
      ByteBuffer ring = b.duplicate().position(0).order(ByteOrder.nativeOrder());
      long off = (long) LONG.getAcquire(ring, DATA_OFFSET);
      long size = (long) LONG.getAcquire(ring, DATA_SIZE);
      if (off == 0 && size == 0) { // kernels before 4.1: the data follows the page
        off = pageSize;
        size = Long.highestOneBit(b.limit() - (long) pageSize);
      }
      if (off < pageSize || size < HEADER || Long.bitCount(size) != 1
          || size > b.limit() || off > b.limit() - size || (off & 7) != 0) {
        throw Problem.BAD_PERF_BUFFER_RING_DATA_AREA
            .with("key", "data area")
            .with("value", "data_offset " + off + ", data_size " + size)
            .with("index", i)
            .with("expected", "a power-of-two data_size after the metadata page,"
                + " within the mapping's " + b.limit() + " bytes")
            .build();
      }
      this.rings[i] = ring;
      this.views[i] = b.asReadOnlyBuffer().position(0).order(ByteOrder.nativeOrder());
      this.dataOffset[i] = (int) off;
      this.mask[i] = size - 1;
    }
    this.lostHandler = lostHandler;
    this.scratch = ByteBuffer.allocate(MAX_RECORD + 1).order(ByteOrder.nativeOrder());
    this.scratchView = scratch.asReadOnlyBuffer().order(ByteOrder.nativeOrder());
  }

  private static Object unsigned(long position) {
    return position >= 0 ? (Object) position : new BigInteger(Long.toUnsignedString(position));
  }

  /**
   * How many rings.
   *
   * @return the number of mappings given
   */
  public int rings() {
    return rings.length;
  }

  /**
   * The ring of the record being handed over, during a handler's call; -1 outside one.
   *
   * @return the ring's index (usually its CPU)
   */
  public int currentRing() {
    return current;
  }

  /**
   * Samples the kernel reported lost, in every ring, so far.
   *
   * @return the sum of the lost-sample records read
   */
  public long lost() {
    return lostTotal;
  }

  /**
   * Samples the kernel reported lost in one ring, so far.
   *
   * @param ring the ring's index
   * @return the sum of its lost-sample records read
   * @throws BpfEventsException {@code bad-perf-buffer} for an index out of range
   */
  public long lost(int ring) {
    return lost[index(ring)];
  }

  /**
   * A ring's {@code data_head}, as the kernel last published it.
   *
   * @param ring the ring's index
   * @return the position, an unsigned 64-bit counter
   * @throws BpfEventsException {@code bad-perf-buffer} for an index out of range
   */
  public long dataHead(int ring) {
    return (long) LONG.getAcquire(rings[index(ring)], DATA_HEAD);
  }

  /**
   * A ring's {@code data_tail}, as last published.
   *
   * @param ring the ring's index
   * @return the position, an unsigned 64-bit counter
   * @throws BpfEventsException {@code bad-perf-buffer} for an index out of range
   */
  public long dataTail(int ring) {
    return (long) LONG.getAcquire(rings[index(ring)], DATA_TAIL);
  }

  private int index(int ring) {
    if (ring < 0 || ring >= rings.length) {
      throw Problem.BAD_PERF_BUFFER_RING_INDEX
          .with("key", "ring index")
          .with("value", ring)
          .with("index", -1)
          .with("expected", "0 to " + (rings.length - 1))
          .build();
    }
    return ring;
  }

  /**
   * Whether a poll now would find a record in some ring (or positions it would refuse).
   *
   * @return true if some ring's head is not its tail
   */
  @Override
  public boolean hasPending() {
    for (ByteBuffer r : rings) {
      if ((long) LONG.getAcquire(r, DATA_HEAD) != (long) LONG.getAcquire(r, DATA_TAIL)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Polls every ring once, in order, handing each sample's raw bytes to the handler.
   *
   * @param handler receives each sample ({@link #currentRing} says whose)
   * @return how many samples were handed over (lost-sample records are not counted)
   * @throws BpfEventsException if the handler is null, or a ring's positions or a record
   *     cannot be right ({@code corrupt-perf-buffer}: see the class comment)
   */
  @Override
  public int poll(RingBufferConsumer.RecordHandler handler) {
    requireHandler(handler);
    int n = 0;
    for (int i = 0; i < rings.length; i++) {
      n += pollRing(i, handler);
    }
    return n;
  }

  /**
   * Polls one ring.
   *
   * @param ring the ring's index
   * @param handler receives each sample
   * @return how many samples were handed over
   * @throws BpfEventsException as {@link #poll}, and {@code bad-perf-buffer} for an index
   *     out of range
   */
  public int poll(int ring, RingBufferConsumer.RecordHandler handler) {
    requireHandler(handler);
    return pollRing(index(ring), handler);
  }

  private static void requireHandler(RingBufferConsumer.RecordHandler handler) {
    if (handler == null) {
      throw Problem.MISSING_ARGUMENT_PERF_BUFFER_RECORD
          .with("key", "handler")
          .with("value", null)
          .with("expected", "a RecordHandler")
          .build();
    }
  }

  private int pollRing(int i, RingBufferConsumer.RecordHandler handler) {
    ByteBuffer ring = rings[i];
    long head = (long) LONG.getAcquire(ring, DATA_HEAD);
    long tail = (long) LONG.getAcquire(ring, DATA_TAIL);
    if (head == tail) {
      return 0;
    }
    long m = mask[i];
    long dataSize = m + 1;
    if ((tail & 7) != 0) {
      throw Problem.CORRUPT_PERF_BUFFER_TAIL_MISALIGNED
          .with("key", "data_tail")
          .with("value", unsigned(tail))
          .with("index", i)
          .with("expected", "a multiple of 8")
          .build();
    }
    long ahead = head - tail;
    if (Long.compareUnsigned(ahead, dataSize) > 0) {
      boolean behind = ahead < 0;
      throw (behind ? Problem.CORRUPT_PERF_BUFFER_HEAD_BEHIND
          : Problem.CORRUPT_PERF_BUFFER_HEAD_AHEAD)
          .with("key", "data_head")
          .with("value", unsigned(head))
          .with("index", i)
          .with("expected", "0 to " + dataSize + " bytes ahead of the tail (the data area holds "
              + dataSize + ")")
          .with("behind", String.valueOf(unsigned(-ahead)))
          .with("position", String.valueOf(unsigned(tail)))
          .with("ahead", String.valueOf(unsigned(ahead)))
          .build();
    }
    int base = dataOffset[i];
    int delivered = 0;
    long published = tail;
    current = i;
    try {
      while (tail != head) {
        int off = (int) (tail & m);
        int at = base + off;
        int type = (int) INT.get(ring, at);
        int size = Short.toUnsignedInt(ring.getShort(at + 6));
        if (size < HEADER || (size & 7) != 0 || size > head - tail) {
          throw Problem.CORRUPT_PERF_BUFFER_RECORD_POSITION_CLAIMS
              .with("key", "record size")
              .with("value", size)
              .with("index", i)
              .with("expected", "a multiple of 8 from 8 to the " + (head - tail)
                  + " bytes produced")
              .with("position", String.valueOf(unsigned(tail)))
              .build();
        }
        ByteBuffer data = views[i];
        int start = at;
        if (off + size > dataSize) { // wraps: copy both parts
          int first = (int) (dataSize - off);
          scratch.clear();
          scratch.put(0, ring, at, first);
          scratch.put(first, ring, base, size - first);
          data = scratchView;
          start = 0;
        }
        data.limit(data.capacity()).position(0);
        data.order(ByteOrder.nativeOrder());
        long next = tail + size;
        if (type == PERF_RECORD_SAMPLE) {
          if (size < HEADER + 4) {
            throw Problem.CORRUPT_PERF_BUFFER_SAMPLE_POSITION_BYTES
                .with("key", "record size")
                .with("value", size)
                .with("index", i)
                .with("expected", "at least 12 bytes")
                .with("position", String.valueOf(unsigned(tail)))
                .build();
          }
          long raw = Integer.toUnsignedLong(data.getInt(start + HEADER));
          if (raw > size - HEADER - 4) {
            throw Problem.CORRUPT_PERF_BUFFER_SAMPLE_POSITION_CLAIMS
                .with("key", "raw size")
                .with("value", raw)
                .with("index", i)
                .with("expected", "at most " + (size - HEADER - 4))
                .with("position", String.valueOf(unsigned(tail)))
                .with("size", size)
                .build();
          }
          int sample = start + HEADER + 4;
          data.limit(sample + (int) raw).position(0);
          tail = next;
          delivered++;
          handler.onRecord(data, sample, (int) raw);
        } else if (type == PERF_RECORD_LOST) {
          if (size < HEADER + 16) {
            throw Problem.CORRUPT_PERF_BUFFER_LOST_RECORD_POSITION
                .with("key", "record size")
                .with("value", size)
                .with("index", i)
                .with("expected", "at least 24 bytes")
                .with("position", String.valueOf(unsigned(tail)))
                .build();
          }
          long count = data.getLong(start + HEADER + 8);
          tail = next;
          lost[i] += count;
          lostTotal += count;
          if (lostHandler != null) {
            lostHandler.onLost(i, count);
          }
        } else {
          tail = next;
        }
        LONG.setRelease(ring, DATA_TAIL, tail);
        published = tail;
      }
    } finally {
      current = -1;
      if (published != tail) {
        LONG.setRelease(ring, DATA_TAIL, tail);
      }
    }
    return delivered;
  }
}
