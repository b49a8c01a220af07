package io.github.bpfevents.codec;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Problem;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Consumes a {@code BPF_MAP_TYPE_RINGBUF} from its memory mapping, by the kernel's
 * protocol, with the JDK only. The caller maps the ring buffer with any loader and hands
 * over the two regions as {@link ByteBuffer}s:
 *
 * <pre>
 *   consumer page (read-write, mmap offset 0):      [consumer position u64]
 *   producer region (read-only, mmap offset page):  [producer position u64 ...] one page,
 *                                                   then the data area, mapped twice
 *   record in the data area: [len u32: bit 31 busy, bit 30 discard | pg_off u32][sample]
 *                            occupying round_up(len + 8, 8) bytes
 * </pre>
 *
 * <h2>The protocol</h2>
 *
 * <p>{@link #poll} reads the consumer position, then the producer position (acquire), walks
 * the records between them, stops at a busy record (reserved, not yet submitted), hands
 * each submitted sample to the handler (the double mapping makes a record that wraps
 * around the end of the data area contiguous), skips discarded ones, and publishes the new
 * consumer position (release), which gives the space back to the kernel. Positions are
 * unsigned 64-bit counters compared by their difference, as the kernel compares them, so
 * they may cross 2<sup>63</sup> and 2<sup>64</sup>. One poll walks at most what was produced
 * when it started, so it returns in bounded time however fast the producer is.
 *
 * <h2>What is refused</h2>
 *
 * <p>The kernel never lets the producer get a whole data area ahead of the consumer (a
 * reservation that would is refused), and keeps both positions and every record 8-byte
 * aligned. A poll that finds otherwise (a consumer position that is not a multiple of 8, a
 * producer behind the consumer or more than {@code dataSize - 8} bytes ahead of it, a
 * record longer than what was produced) throws {@link BpfEventsException} {@code
 * corrupt-ring-buffer}. When the positions are wrong nothing is delivered and the consumer
 * position is left as it was; a bad record stops the walk before it, with the records
 * before it delivered and their space given back. Regions that cannot be a ring buffer's
 * are refused by the constructor ({@code bad-ring-buffer}).
 *
 * <h2>When the position is published</h2>
 *
 * <p>By default after every record, as libbpf does: the kernel gets each record's space
 * back as soon as the handler returns, which matters when the producer is faster than the
 * consumer. {@link #RingBufferConsumer(ByteBuffer, ByteBuffer, int, int, int)} takes
 * {@code publishEvery}: publish after every N records, or {@link #ONCE_PER_POLL}; every
 * poll publishes before it returns, also when it ends by an exception. (On x86-64, where a
 * release store is a plain store, publishing once per poll measured no faster, alone or
 * with the kernel writing on another core: see the README's Figures section.) A handler that
 * throws ends the poll; its record counts as consumed (the next poll starts after it, so
 * that one bad record cannot stop the ring), as libbpf does.
 *
 * <h2>Between polls</h2>
 *
 * <p>The kernel signals new data only through {@code epoll} on the map's file descriptor,
 * and, unless the program submits with {@code BPF_RB_FORCE_WAKEUP}, only when a record is
 * submitted while the consumer has caught up (it wakes no one while the consumer lags).
 * This class never waits itself: when {@code poll} returns 0 the caller waits with a
 * {@link Waiter} (spin, back-off, or {@code epoll} on the map's fd on Java 22 and later),
 * or lets a {@link DrainLoop} poll and wait until stopped:
 *
 * <pre>{@code
 * try (Waiter waiter = Waiter.kernelOrBackoff(ringFd)) {
 *   DrainLoop loop = new DrainLoop(consumer, handler, waiter);
 *   loop.run(); // until loop.stop() from another thread
 * }
 * }</pre>
 *
 * <p>A wait is correct after a poll that returned 0 (which has published the position):
 * the ring's epoll readiness is level-triggered on unconsumed data, so a record submitted
 * between the poll and the wait is not missed.
 *
 * <h2>Regions from a loader</h2>
 *
 * <p>Any loader will do: the consumer page is the mapping of the map's file descriptor at
 * offset 0 (one page, {@code PROT_READ | PROT_WRITE}), the producer region the mapping at
 * offset one page ({@code pageSize + 2 * dataSize} bytes, {@code PROT_READ}; the kernel
 * maps the data area twice behind the producer page). A ByteBuffer holds at most
 * 2<sup>31</sup>-1 bytes, so the data area can be up to 512 MiB. A loader that hands out
 * {@code java.lang.foreign.MemorySegment}s (Java 21+, a preview API in 21 and final from
 * 22; clj-ebpf does) gives the regions with {@code asByteBuffer()}:
 *
 * <pre>{@code
 * // consumerSeg: the mapping at offset 0; producerSeg: the mapping at offset pageSize
 * new RingBufferConsumer(
 *     consumerSeg.asByteBuffer(),
 *     producerSeg.reinterpret(pageSize + 2L * dataSize).asByteBuffer(),
 *     pageSize, dataSize);
 * }</pre>
 *
 * <p>The producer segment must start at the producer page (a segment that starts at the
 * data area is one page too late) and span both copies of the data area: a loader that
 * sizes it to the producer page alone, or to one copy, leaves it to be widened with
 * {@code reinterpret}, a restricted method (native access must be enabled). This class
 * stays on Java 17 and never sees the segments. The byte order of the buffers does not
 * matter: positions and headers are read in the machine's order, as the kernel writes them.
 *
 * <p>One consumer per ring buffer; not thread-safe.
 */
public final class RingBufferConsumer implements RecordSource {
  private static final VarHandle LONG =
      MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
  private static final VarHandle INT =
      MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
  private static final int BUSY = 1 << 31;
  private static final int DISCARD = 1 << 30;
  private static final int HEADER = 8;

  /**
   * The {@code publishEvery} that publishes the consumer position once, at the end of each
   * poll.
   */
  public static final int ONCE_PER_POLL = Integer.MAX_VALUE;

  /** Receives each submitted sample. */
  @FunctionalInterface
  public interface RecordHandler {
    /**
     * One sample. The buffer is a read-only view of the producer region, in the machine's
     * byte order, at position 0 with its limit at the end of the sample; it is reset before
     * every record, so whatever the handler does to its position, limit or order does not
     * reach the next record. The view and the sample are valid during the call only: the
     * kernel reuses the space once the consumer position is published.
     *
     * @param data the producer region, at position 0; the sample is
     *     {@code data[offset, offset+length)}
     * @param offset absolute index of the sample's first byte
     * @param length the sample's length in bytes
     */
    void onRecord(ByteBuffer data, int offset, int length);
  }

  private final ByteBuffer consumerPage;
  private final ByteBuffer producer;
  private final ByteBuffer view;
  private final int pageSize;
  private final int dataSize;
  private final long mask;
  private final int publishEvery;

  /**
   * A consumer over the mapped regions that publishes the consumer position after every
   * record.
   *
   * @param consumerPage the read-write page at mmap offset 0 (at least 8 bytes below its
   *     limit, 8-byte aligned)
   * @param producer the read-only region at mmap offset {@code pageSize}: one page, then
   *     the data area twice ({@code pageSize + 2 * dataSize} bytes below its limit, 8-byte
   *     aligned)
   * @param pageSize the page size, a power of two, at least 8
   * @param dataSize the ring buffer's size ({@code max_entries}): a power of two, a
   *     multiple of the page size
   * @throws BpfEventsException if a size is not as described or a region will not do
   */
  public RingBufferConsumer(ByteBuffer consumerPage, ByteBuffer producer, int pageSize,
      int dataSize) {
    this(consumerPage, producer, pageSize, dataSize, 1);
  }

  /**
   * A consumer over the mapped regions that publishes the consumer position after every
   * {@code publishEvery} records (discarded ones count), and at the end of every poll.
   *
   * @param consumerPage the read-write page at mmap offset 0 (at least 8 bytes below its
   *     limit, 8-byte aligned)
   * @param producer the read-only region at mmap offset {@code pageSize}: one page, then
   *     the data area twice ({@code pageSize + 2 * dataSize} bytes below its limit, 8-byte
   *     aligned)
   * @param pageSize the page size, a power of two, at least 8
   * @param dataSize the ring buffer's size ({@code max_entries}): a power of two, a
   *     multiple of the page size
   * @param publishEvery 1 to publish after each record, N after every N records,
   *     {@link #ONCE_PER_POLL} once per poll
   * @throws BpfEventsException if a size is not as described or a region will not do
   */
  public RingBufferConsumer(ByteBuffer consumerPage, ByteBuffer producer, int pageSize,
      int dataSize, int publishEvery) {
    if (pageSize < 8 || Integer.bitCount(pageSize) != 1) {
      throw Problem.BAD_RING_BUFFER_PAGE_SIZE
          .with("key", "pageSize")
          .with("value", pageSize)
          .with("expected", "a power of two, at least 8")
          .build();
    }
    if (dataSize < pageSize || Integer.bitCount(dataSize) != 1) {
      throw Problem.BAD_RING_BUFFER_DATA_SIZE
          .with("key", "dataSize")
          .with("value", dataSize)
          .with("expected", "a power of two and a multiple of the page size " + pageSize)
          .build();
    }
    if (publishEvery < 1) {
      throw Problem.BAD_RING_BUFFER_PUBLISH_EVERY
          .with("key", "publishEvery")
          .with("value", publishEvery)
          .with("expected", "a count of records, at least 1")
          .build();
    }
    region("consumerPage", consumerPage, 8, "the read-write page at mmap offset 0");
    if (consumerPage.isReadOnly()) {
      throw Problem.BAD_RING_BUFFER_CONSUMER_PAGE_READ_ONLY
          .with("key", "consumerPage")
          .with("value", consumerPage)
          .with("expected", "a writable buffer: the consumer position is written there")
          .build();
    }
    long need = (long) pageSize + 2L * dataSize;
    region("producer", producer, need, "the region at mmap offset one page: a page of "
        + pageSize + " and the data area of " + dataSize + " twice");
    // Views of the caller's buffers: what the caller later does to their position or limit
    // changes nothing here.
    this.consumerPage = consumerPage.duplicate();
    this.producer = producer.duplicate().position(0);
    this.view = producer.asReadOnlyBuffer().position(0).order(ByteOrder.nativeOrder());
    this.pageSize = pageSize;
    this.dataSize = dataSize;
    this.mask = dataSize - 1L;
    this.publishEvery = publishEvery;
  }

  /** A region: present, {@code need} bytes below its limit, 8-byte aligned memory. */
  private static void region(String key, ByteBuffer b, long need, String what) {
    if (b == null) {
      throw Problem.BAD_RING_BUFFER_NULL
          .with("key", key)
          .with("value", null)
          .with("expected", what)
          .with("region", key)
          .build();
    }
    if (b.limit() < need) {
      throw Problem.BAD_RING_BUFFER_TOO_SMALL
          .with("key", key)
          .with("value", b)
          .with("expected", "at least " + need + " bytes: " + what)
          .with("region", key)
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
      throw Problem.BAD_RING_BUFFER_MISALIGNED
          .with("key", key)
          .with("value", b)
          .with("expected", "8-byte aligned memory: " + what)
          .with("region", key)
          .build();
    }
  }

  /** A position as the unsigned counter it is: a Long, or a BigInteger from 2^63 on. */
  private static Object unsigned(long position) {
    return position >= 0 ? (Object) position : new BigInteger(Long.toUnsignedString(position));
  }

  /**
   * The consumer position, as last published.
   *
   * @return the position, an unsigned 64-bit counter (see {@link Long#toUnsignedString})
   */
  public long consumerPosition() {
    return (long) LONG.getAcquire(consumerPage, 0);
  }

  /**
   * The producer position, as the kernel last published it.
   *
   * @return the position, an unsigned 64-bit counter (see {@link Long#toUnsignedString})
   */
  public long producerPosition() {
    return (long) LONG.getAcquire(producer, 0);
  }

  /**
   * Whether a poll now would deliver or skip a record, or refuse the positions: the
   * producer is ahead and the record at the consumer position is not busy. Reads two
   * positions and a header, writes nothing.
   *
   * @return true if a poll would find something
   */
  @Override
  public boolean hasPending() {
    long cons = (long) LONG.getAcquire(consumerPage, 0);
    long prod = (long) LONG.getAcquire(producer, 0);
    long ahead = prod - cons;
    if (ahead == 0) {
      return false;
    }
    if (Long.compareUnsigned(ahead, dataSize) >= 0 || ((ahead | cons) & 7) != 0) {
      return true; // a poll refuses these
    }
    int len = (int) INT.getAcquire(producer, pageSize + (int) (cons & mask));
    return (len & BUSY) == 0;
  }

  /**
   * How often the consumer position is published.
   *
   * @return records between publications; {@link #ONCE_PER_POLL} for once per poll
   */
  public int publishEvery() {
    return publishEvery;
  }

  /**
   * Hands every submitted sample available when the poll starts to the handler, in order,
   * and publishes the consumer position past them. Never waits: 0 means nothing was there.
   *
   * @param handler receives each sample
   * @return how many samples were handed over (discarded records are not counted)
   * @throws BpfEventsException if the handler is null, or the positions or a record's
   *     length cannot be right ({@code corrupt-ring-buffer}: see the class comment for
   *     what is then delivered and published)
   */
  @Override
  public int poll(RecordHandler handler) {
    if (handler == null) {
      throw Problem.MISSING_ARGUMENT_RING_BUFFER_RECORD
          .with("key", "handler")
          .with("value", null)
          .with("expected", "a RecordHandler")
          .build();
    }
    long cons = (long) LONG.getAcquire(consumerPage, 0);
    if ((cons & 7) != 0) {
      throw Problem.CORRUPT_RING_BUFFER_CONSUMER_MISALIGNED
          .with("key", "consumer position")
          .with("value", unsigned(cons))
          .with("expected", "a multiple of 8")
          .build();
    }
    long prod = (long) LONG.getAcquire(producer, 0);
    long ahead = prod - cons;
    if (Long.compareUnsigned(ahead, dataSize) >= 0 || (ahead & 7) != 0) {
      boolean behind = ahead < 0;
      throw (behind ? Problem.CORRUPT_RING_BUFFER_PRODUCER_BYTES_BEHIND
          : Problem.CORRUPT_RING_BUFFER_PRODUCER_BYTES_AHEAD)
          .with("key", "producer position")
          .with("value", unsigned(prod))
          .with("consumer", unsigned(cons))
          .with(behind ? "behind" : "ahead", behind ? unsigned(-ahead) : unsigned(ahead))
          .with("expected", "a multiple of 8 from 0 to " + (dataSize - 8)
              + " bytes ahead of the consumer (the data area holds " + dataSize + ")")
          .build();
    }
    int delivered = 0;
    int unpublished = 0;
    long published = cons;
    try {
      while (cons != prod) {
        int header = pageSize + (int) (cons & mask);
        int len = (int) INT.getAcquire(producer, header);
        if ((len & BUSY) != 0) {
          break;
        }
        int sample = len & ~(BUSY | DISCARD);
        long size = ((long) sample + HEADER + 7) & ~7L;
        if (size > prod - cons) {
          throw Problem.CORRUPT_RING_BUFFER_RECORD_CLAIMS_BYTES
              .with("key", "record length")
              .with("value", sample)
              .with("offset", unsigned(cons))
              .with("expected", "a record within the " + (prod - cons) + " bytes produced")
              .build();
        }
        cons += size;
        if ((len & DISCARD) == 0) {
          int at = header + HEADER;
          view.limit(at + sample).position(0);
          view.order(ByteOrder.nativeOrder());
          delivered++;
          handler.onRecord(view, at, sample);
        }
        if (++unpublished >= publishEvery) {
          LONG.setRelease(consumerPage, 0, cons);
          published = cons;
          unpublished = 0;
        }
      }
    } finally {
      if (published != cons) {
        LONG.setRelease(consumerPage, 0, cons);
      }
    }
    return delivered;
  }
}
