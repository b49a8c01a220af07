package io.github.bpfevents.codec;

import io.github.bpfevents.BpfEventsException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Consumes a {@code BPF_MAP_TYPE_RINGBUF} from its memory mapping, by the kernel's
 * protocol, with the JDK only. The caller maps the ring buffer with any loader and hands
 * over the two regions:
 *
 * <pre>
 *   consumer page (read-write, mmap offset 0):      [consumer position u64]
 *   producer region (read-only, mmap offset page):  [producer position u64 ...] one page,
 *                                                   then the data area, mapped twice
 *   record in the data area: [len u32: bit 31 busy, bit 30 discard | pg_off u32][sample]
 *                            occupying round_up(len + 8, 8) bytes
 * </pre>
 *
 * <p>{@link #poll} reads the producer position (acquire), walks records from the consumer
 * position, stops at a busy record, hands each submitted sample to the handler (the
 * double mapping makes a record that wraps contiguous), skips discarded ones, and
 * publishes the new consumer position (release) after each record. It never reads past a
 * record; a length that cannot be right is an error, not an endless loop. One consumer
 * per ring buffer; not thread-safe.
 */
public final class RingBufferConsumer {
  private static final VarHandle LONG =
      MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
  private static final VarHandle INT =
      MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
  private static final int BUSY = 1 << 31;
  private static final int DISCARD = 1 << 30;
  private static final int HEADER = 8;

  /** Receives each submitted sample. */
  @FunctionalInterface
  public interface RecordHandler {
    /**
     * One sample.
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
  private final int pageSize;
  private final int dataSize;
  private final long mask;

  /**
   * A consumer over the mapped regions.
   *
   * @param consumerPage the read-write page at mmap offset 0 (at least 8 bytes)
   * @param producer the read-only region at mmap offset {@code pageSize}: one page, then
   *     the data area twice ({@code pageSize + 2 * dataSize} bytes)
   * @param pageSize the page size, a power of two
   * @param dataSize the ring buffer's size ({@code max_entries}): a power of two, a
   *     multiple of the page size
   * @throws BpfEventsException if a size is not as described or a region is too small
   */
  public RingBufferConsumer(ByteBuffer consumerPage, ByteBuffer producer, int pageSize,
      int dataSize) {
    if (pageSize <= 0 || Integer.bitCount(pageSize) != 1) {
      throw bad("pageSize", pageSize, "a power of two");
    }
    if (dataSize < pageSize || Integer.bitCount(dataSize) != 1) {
      throw bad("dataSize", dataSize, "a power of two and a multiple of the page size");
    }
    if (consumerPage == null || consumerPage.capacity() < 8) {
      throw bad("consumerPage", consumerPage == null ? null : consumerPage.capacity(),
          "a buffer of at least 8 bytes");
    }
    long need = (long) pageSize + 2L * dataSize;
    if (producer == null || producer.capacity() < need) {
      throw bad("producer", producer == null ? null : producer.capacity(),
          "a buffer of at least " + need + " bytes (a page and the data area twice)");
    }
    this.consumerPage = consumerPage;
    // a view of the caller's buffer at position 0, so that the absolute offsets handed to
    // the handler are also offsets from the position (as decode-event counts them)
    this.producer = producer.duplicate().position(0);
    this.pageSize = pageSize;
    this.dataSize = dataSize;
    this.mask = dataSize - 1L;
  }

  private static BpfEventsException bad(String key, Object value, String expected) {
    return BpfEventsException.of("bad-ring-buffer")
        .with("key", key)
        .with("value", value)
        .with("expected", expected)
        .message("ring buffer " + key + " " + value + " will not do; expected " + expected);
  }

  /** @return the consumer position, as last published */
  public long consumerPosition() {
    return (long) LONG.getAcquire(consumerPage, 0);
  }

  /** @return the producer position, as the kernel last published it */
  public long producerPosition() {
    return (long) LONG.getAcquire(producer, 0);
  }

  /**
   * Hands every available submitted sample to the handler, in order.
   *
   * @param handler receives each sample
   * @return how many samples were handed over (discarded records are not counted)
   * @throws BpfEventsException if a record's length cannot be right (the consumer
   *     position then stays before that record)
   */
  public int poll(RecordHandler handler) {
    long cons = (long) LONG.getAcquire(consumerPage, 0);
    long prod = (long) LONG.getAcquire(producer, 0);
    int delivered = 0;
    while (cons < prod) {
      int header = pageSize + (int) (cons & mask);
      int len = (int) INT.getAcquire(producer, header);
      if ((len & BUSY) != 0) {
        break;
      }
      int sample = len & ~(BUSY | DISCARD);
      long size = ((long) sample + HEADER + 7) & ~7L;
      if (size > dataSize || cons + size > prod) {
        throw BpfEventsException.of("corrupt-ring-buffer")
            .with("offset", cons)
            .with("value", sample)
            .with("expected", "a record within the " + (prod - cons) + " produced bytes")
            .message("record at position " + cons + " claims " + sample + " bytes, beyond the "
                + (prod - cons) + " bytes produced; expected a record within them");
      }
      if ((len & DISCARD) == 0) {
        handler.onRecord(producer, header + HEADER, sample);
        delivered++;
      }
      cons += size;
      LONG.setRelease(consumerPage, 0, cons);
    }
    return delivered;
  }
}
