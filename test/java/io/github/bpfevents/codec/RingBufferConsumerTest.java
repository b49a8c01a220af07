package io.github.bpfevents.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.bpfevents.BpfEventsException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
}
