package io.github.bpfevents.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfevents.BpfEventsException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The consumer on ring-buffer memory laid out here as the kernel lays it: positions,
 * 8-byte headers with busy and discard bits, 8-byte alignment, the data area twice.
 */
class RingBufferConsumerTest {
  static final int PAGE = 4096;
  static final int SIZE = 4096;

  final ByteBuffer consumer = ByteBuffer.allocateDirect(PAGE).order(ByteOrder.nativeOrder());
  final ByteBuffer producer =
      ByteBuffer.allocateDirect(PAGE + 2 * SIZE).order(ByteOrder.nativeOrder());
  long prod;

  /** Writes a record at the producer position (in both copies of the data area). */
  void produce(int length, int flags, byte fill) {
    int at = (int) (prod & (SIZE - 1));
    byte[] rec = new byte[(length + 8 + 7) & ~7];
    ByteBuffer r = ByteBuffer.wrap(rec).order(ByteOrder.nativeOrder());
    r.putInt(0, length | flags);
    for (int i = 0; i < length; i++) {
      rec[8 + i] = (byte) (fill + i);
    }
    for (int i = 0; i < rec.length; i++) {
      producer.put(PAGE + (at + i) % SIZE, rec[i]);
      producer.put(PAGE + SIZE + (at + i) % SIZE, rec[i]);
    }
    if ((flags & (1 << 31)) == 0) {
      prod += rec.length;
      producer.putLong(0, prod);
    }
  }

  List<byte[]> drain(RingBufferConsumer c) {
    List<byte[]> out = new ArrayList<>();
    c.poll((buf, off, len) -> {
      byte[] b = new byte[len];
      buf.get(off, b);
      out.add(b);
    });
    return out;
  }

  @Test
  void deliversSubmittedSkipsDiscardedStopsAtBusy() {
    RingBufferConsumer c = new RingBufferConsumer(consumer, producer, PAGE, SIZE);
    produce(5, 0, (byte) 1);
    produce(16, 1 << 30, (byte) 50);
    produce(3, 0, (byte) 100);
    List<byte[]> got = drain(c);
    assertEquals(2, got.size());
    assertEquals(5, got.get(0).length);
    assertEquals(1, got.get(0)[0]);
    assertEquals(102, got.get(1)[2]);
    assertEquals(16 + 24 + 16, c.consumerPosition());
    assertEquals(c.producerPosition(), c.consumerPosition());
    produce(8, 1 << 31, (byte) 0); // busy: not yet committed
    assertEquals(0, drain(c).size());
    assertEquals(56, c.consumerPosition());
  }

  @Test
  void aRecordThatWrapsIsContiguous() {
    RingBufferConsumer c = new RingBufferConsumer(consumer, producer, PAGE, SIZE);
    int delivered = 0;
    for (int i = 0; i < 200; i++) { // 200 x 48 bytes crosses the end of the data area
      produce(40, 0, (byte) i);
      List<byte[]> got = drain(c);
      assertEquals(1, got.size());
      for (int k = 0; k < 40; k++) {
        assertEquals((byte) (i + k), got.get(0)[k]);
      }
      delivered++;
    }
    assertEquals(200, delivered);
    assertEquals(200 * 48, c.consumerPosition());
  }

  @Test
  void aCorruptLengthIsAnErrorNotALoop() {
    RingBufferConsumer c = new RingBufferConsumer(consumer, producer, PAGE, SIZE);
    produce(8, 0, (byte) 0);
    producer.putInt(PAGE, 5000); // claims more than was produced
    BpfEventsException e = assertThrows(BpfEventsException.class, () -> drain(c));
    assertEquals("corrupt-ring-buffer", e.problem());
    assertEquals(0, c.consumerPosition());
  }

  @Test
  void badGeometryIsRejected() {
    assertEquals("bad-ring-buffer", assertThrows(BpfEventsException.class,
        () -> new RingBufferConsumer(consumer, producer, PAGE, 3000)).problem());
    assertEquals("bad-ring-buffer", assertThrows(BpfEventsException.class,
        () -> new RingBufferConsumer(consumer, ByteBuffer.allocate(10), PAGE, SIZE)).problem());
  }

  @Test
  void theHandlersBufferStartsAtPositionZero() {
    produce(12, 0, (byte) 7);
    producer.position(100);
    RingBufferConsumer c = new RingBufferConsumer(consumer, producer, PAGE, SIZE);
    int[] seen = new int[2];
    c.poll((buf, off, len) -> {
      seen[0] = buf.position();
      seen[1] = buf.get(off);
    });
    assertEquals(0, seen[0]);
    assertEquals(7, seen[1]);
    assertEquals(100, producer.position(), "the caller's buffer is left alone");
  }

  /** Starts the ring at a position: both positions there, nothing produced. */
  void startAt(long position) {
    prod = position;
    producer.putLong(0, position);
    consumer.putLong(0, position);
  }

  /** Expects corrupt-ring-buffer from a poll that delivers nothing and publishes nothing. */
  BpfEventsException refusedWhole(RingBufferConsumer c) {
    long before = c.consumerPosition();
    int[] calls = new int[1];
    BpfEventsException e = assertTimeoutPreemptively(Duration.ofSeconds(2),
        () -> assertThrows(BpfEventsException.class, () -> c.poll((b, o, l) -> calls[0]++)));
    assertEquals("corrupt-ring-buffer", e.problem());
    assertEquals(0, calls[0], "nothing delivered");
    assertEquals(before, c.consumerPosition(), "consumer position unchanged");
    return e;
  }

  @Test
  void aProducerFarAheadOverZeroedMemoryIsCorruptAtOnce() {
    RingBufferConsumer c = new RingBufferConsumer(consumer, producer, PAGE, SIZE);
    producer.putLong(0, 1L << 40); // would be 2^37 empty "records"
    BpfEventsException e = refusedWhole(c);
    assertEquals(1L << 40, e.data().get("value"));
    assertEquals(1L << 40, e.data().get("ahead"));
    assertEquals("ring buffer producer position 1099511627776 is 1099511627776 bytes ahead of"
        + " consumer position 0; expected a multiple of 8 from 0 to 4088 bytes ahead of the"
        + " consumer (the data area holds 4096)", e.getMessage());
  }

  @Test
  void aProducerThreeDataSizesAheadIsCorrupt() {
    RingBufferConsumer c = new RingBufferConsumer(consumer, producer, PAGE, SIZE);
    producer.putLong(0, 3L * SIZE);
    refusedWhole(c);
  }

  @Test
  void theProducerIsNeverAWholeDataAreaAhead() {
    RingBufferConsumer c = new RingBufferConsumer(consumer, producer, PAGE, SIZE);
    producer.putLong(0, SIZE); // the kernel refuses the reservation that would do this
    refusedWhole(c);
    producer.putLong(0, 0);
    produce(SIZE - 16 - 8, 0, (byte) 3); // 4080 bytes
    produce(0, 0, (byte) 0); // 8 bytes: the ring as full as the kernel fills it
    assertEquals(SIZE - 8, c.producerPosition());
    List<byte[]> got = drain(c);
    assertEquals(2, got.size());
    assertEquals(SIZE - 24, got.get(0).length);
    assertEquals(0, got.get(1).length);
    assertEquals(SIZE - 8, c.consumerPosition());
  }

  @Test
  void aProducerBehindTheConsumerIsCorrupt() {
    RingBufferConsumer c = new RingBufferConsumer(consumer, producer, PAGE, SIZE);
    consumer.putLong(0, 64);
    BpfEventsException e = refusedWhole(c);
    assertEquals(64L, e.data().get("behind"));
    assertTrue(e.getMessage().contains("is 64 bytes behind consumer position 64"),
        e.getMessage());
  }

  @Test
  void aProducerPositionOffTheGrainIsCorrupt() {
    RingBufferConsumer c = new RingBufferConsumer(consumer, producer, PAGE, SIZE);
    produce(8, 0, (byte) 1);
    producer.putLong(0, prod + 4);
    refusedWhole(c);
  }

  @Test
  void positionsAreUnsignedCountersAcross2To63() {
    startAt(Long.MAX_VALUE - 15); // 2^63 - 16
    RingBufferConsumer c = new RingBufferConsumer(consumer, producer, PAGE, SIZE);
    produce(8, 0, (byte) 10); // the last 16 bytes of the data area
    produce(8, 0, (byte) 20); // the first 16, the producer at 2^63 + 16
    assertTrue(c.producerPosition() < 0, "2^63 + 16 reads as a negative long");
    List<byte[]> got = drain(c);
    assertEquals(2, got.size());
    assertEquals(10, got.get(0)[0]);
    assertEquals(20, got.get(1)[0]);
    assertEquals(Long.MIN_VALUE + 16, c.consumerPosition());
    assertEquals(0, drain(c).size());
  }

  @Test
  void positionsWrapAt2To64() {
    startAt(-16); // 2^64 - 16
    RingBufferConsumer c = new RingBufferConsumer(consumer, producer, PAGE, SIZE);
    produce(8, 0, (byte) 1);
    produce(8, 1 << 30, (byte) 2);
    produce(8, 0, (byte) 3);
    assertEquals(32, c.producerPosition());
    List<byte[]> got = drain(c);
    assertEquals(2, got.size());
    assertEquals(3, got.get(1)[0]);
    assertEquals(32, c.consumerPosition());
  }

  @Test
  void positionsBeyond2To63AreShownUnsigned() {
    startAt(-16);
    RingBufferConsumer c = new RingBufferConsumer(consumer, producer, PAGE, SIZE);
    producer.putLong(0, -16 + 3L * SIZE);
    BpfEventsException e = refusedWhole(c);
    assertEquals(new java.math.BigInteger("18446744073709551600"), e.data().get("consumer"));
  }

  @Test
  void aConsumerPositionOffTheGrainIsTheLibrarysError() {
    RingBufferConsumer c = new RingBufferConsumer(consumer, producer, PAGE, SIZE);
    produce(8, 0, (byte) 1);
    produce(8, 0, (byte) 2);
    consumer.putLong(0, 3);
    BpfEventsException e = refusedWhole(c);
    assertEquals("consumer position", e.data().get("key"));
    assertEquals("ring buffer consumer position 3 is not 8-byte aligned; expected a multiple"
        + " of 8", e.getMessage());
  }

  @Test
  void aNullHandlerIsTheLibrarysErrorAndConsumesNothing() {
    RingBufferConsumer c = new RingBufferConsumer(consumer, producer, PAGE, SIZE);
    produce(8, 0, (byte) 1);
    BpfEventsException e = assertThrows(BpfEventsException.class, () -> c.poll(null));
    assertEquals("missing-argument", e.problem());
    assertEquals("handler", e.data().get("key"));
    assertEquals(0, c.consumerPosition());
    assertEquals(1, drain(c).size());
  }

  @Test
  void regionsThatCannotBeARingBufferAreRefused() {
    ByteBuffer readOnly = consumer.asReadOnlyBuffer();
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> new RingBufferConsumer(readOnly, producer, PAGE, SIZE));
    assertEquals("bad-ring-buffer", e.problem());
    assertEquals("consumerPage", e.data().get("key"));
    ByteBuffer shortLimit = producer.duplicate().limit(PAGE + SIZE); // capacity is enough
    e = assertThrows(BpfEventsException.class,
        () -> new RingBufferConsumer(consumer, shortLimit, PAGE, SIZE));
    assertEquals("producer", e.data().get("key"));
    assertEquals("ring buffer producer java.nio.DirectByteBuffer[pos=0 lim=8192 cap=12288] has"
        + " 8192 bytes below its limit; expected at least 12288 bytes: the region at mmap"
        + " offset one page: a page of 4096 and the data area of 4096 twice", e.getMessage());
    ByteBuffer tinyPage = consumer.duplicate().limit(4);
    assertEquals("consumerPage", assertThrows(BpfEventsException.class,
        () -> new RingBufferConsumer(tinyPage, producer, PAGE, SIZE)).data().get("key"));
    ByteBuffer offGrain = ByteBuffer.allocateDirect(PAGE + 2 * SIZE + 8).position(4).slice();
    assertEquals("producer", assertThrows(BpfEventsException.class,
        () -> new RingBufferConsumer(consumer, offGrain, PAGE, SIZE)).data().get("key"));
    assertEquals("consumerPage", assertThrows(BpfEventsException.class,
        () -> new RingBufferConsumer(null, producer, PAGE, SIZE)).data().get("key"));
    assertEquals("producer", assertThrows(BpfEventsException.class,
        () -> new RingBufferConsumer(consumer, null, PAGE, SIZE)).data().get("key"));
    assertEquals("pageSize", assertThrows(BpfEventsException.class,
        () -> new RingBufferConsumer(consumer, producer, 4, SIZE)).data().get("key"));
    assertEquals("publishEvery", assertThrows(BpfEventsException.class,
        () -> new RingBufferConsumer(consumer, producer, PAGE, SIZE, 0)).data().get("key"));
  }

  @Test
  void aHandlerCannotDisturbTheNextRecord() {
    RingBufferConsumer c = new RingBufferConsumer(consumer, producer, PAGE, SIZE);
    produce(12, 0, (byte) 1);
    produce(20, 0, (byte) 50);
    produce(4, 0, (byte) 90);
    List<String> seen = new ArrayList<>();
    int delivered = c.poll((buf, off, len) -> {
      seen.add(buf.position() + " " + buf.limit() + " " + (off + len) + " " + buf.get(off)
          + " " + buf.order() + " " + buf.isReadOnly());
      assertThrows(ReadOnlyBufferException.class, () -> buf.put(off, (byte) 0));
      buf.limit(0);
      buf.position(0);
      buf.order(ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN
          ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
    });
    assertEquals(3, delivered);
    String order = ByteOrder.nativeOrder().toString();
    assertEquals(List.of(
        "0 " + (PAGE + 20) + " " + (PAGE + 20) + " 1 " + order + " true",
        "0 " + (PAGE + 52) + " " + (PAGE + 52) + " 50 " + order + " true",
        "0 " + (PAGE + 68) + " " + (PAGE + 68) + " 90 " + order + " true"), seen);
  }

  @Test
  void aHandlersExceptionConsumesItsRecordOnly() {
    RingBufferConsumer c = new RingBufferConsumer(consumer, producer, PAGE, SIZE,
        RingBufferConsumer.ONCE_PER_POLL);
    produce(8, 0, (byte) 1);
    produce(8, 0, (byte) 2);
    produce(8, 0, (byte) 3);
    IllegalStateException boom = new IllegalStateException("boom");
    List<Integer> seen = new ArrayList<>();
    IllegalStateException thrown = assertThrows(IllegalStateException.class,
        () -> c.poll((buf, off, len) -> {
          seen.add((int) buf.get(off));
          if (buf.get(off) == 2) {
            throw boom;
          }
        }));
    assertSame(boom, thrown);
    assertEquals(32, c.consumerPosition(), "published past the record that threw");
    c.poll((buf, off, len) -> seen.add((int) buf.get(off)));
    assertEquals(List.of(1, 2, 3), seen);
  }

  @Test
  void thePositionIsPublishedAsAsked() {
    for (int every : new int[] {1, 2, RingBufferConsumer.ONCE_PER_POLL}) {
      consumer.putLong(0, 0);
      producer.putLong(0, 0);
      prod = 0;
      RingBufferConsumer c = new RingBufferConsumer(consumer, producer, PAGE, SIZE, every);
      assertEquals(every, c.publishEvery());
      produce(8, 0, (byte) 0);
      produce(8, 1 << 30, (byte) 0); // discarded: counts as a record walked
      produce(8, 0, (byte) 0);
      produce(8, 0, (byte) 0);
      produce(8, 0, (byte) 0);
      List<Long> published = new ArrayList<>();
      assertEquals(4, c.poll((buf, off, len) -> published.add(c.consumerPosition())));
      List<Long> expected = every == 1 ? List.of(0L, 32L, 48L, 64L)
          : every == 2 ? List.of(0L, 32L, 32L, 64L) : List.of(0L, 0L, 0L, 0L);
      assertEquals(expected, published, "publishEvery " + every);
      assertEquals(80, c.consumerPosition(), "every poll publishes before it returns");
    }
  }

  @Test
  void aBadRecordStopsTheWalkAfterPublishingTheGoodOnes() {
    RingBufferConsumer c = new RingBufferConsumer(consumer, producer, PAGE, SIZE,
        RingBufferConsumer.ONCE_PER_POLL);
    produce(8, 0, (byte) 1);
    produce(8, 0, (byte) 2);
    producer.putInt(PAGE + 16, 4000); // the second claims more than was produced
    int[] calls = new int[1];
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> c.poll((b, o, l) -> calls[0]++));
    assertEquals("record length", e.data().get("key"));
    assertEquals(1, calls[0]);
    assertEquals(16, c.consumerPosition(), "published up to the bad record");
    assertFalse(e.getMessage().isEmpty());
  }
}
