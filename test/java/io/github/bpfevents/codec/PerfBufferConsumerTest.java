package io.github.bpfevents.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfevents.BpfEventsException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The perf buffer consumer on memory laid out here as the kernel lays out a perf event's
 * mapping: the metadata page (data_head, data_tail, data_offset, data_size), then a data
 * area mapped once, records that wrap its end, samples with a raw size, lost records.
 * (The kernel itself writes them in PerfBufferKernelTest.)
 */
class PerfBufferConsumerTest {
  static final int PAGE = 4096;
  static final int SIZE = 4096;

  /** One ring and its producer side. */
  static final class Ring {
    final ByteBuffer mem = ByteBuffer.allocateDirect(PAGE + SIZE).order(ByteOrder.nativeOrder());
    long head;

    Ring() {
      mem.putLong(PerfBufferConsumer.DATA_OFFSET, PAGE);
      mem.putLong(PerfBufferConsumer.DATA_SIZE, SIZE);
    }

    void at(long head) {
      this.head = head;
      mem.putLong(PerfBufferConsumer.DATA_HEAD, head);
      mem.putLong(PerfBufferConsumer.DATA_TAIL, head);
    }

    /** Writes one record of these bytes (header included) at the head, wrapping. */
    void write(byte[] rec) {
      for (int i = 0; i < rec.length; i++) {
        mem.put(PAGE + (int) ((head + i) & (SIZE - 1)), rec[i]);
      }
      head += rec.length;
      mem.putLong(PerfBufferConsumer.DATA_HEAD, head);
    }

    /** A sample of {@code n} bytes (fill, fill+1, ...), raw size padded as the kernel does. */
    void sample(int n, int fill) {
      int raw = ((n + 4 + 7) & ~7) - 4;
      byte[] rec = new byte[8 + 4 + raw];
      ByteBuffer b = ByteBuffer.wrap(rec).order(ByteOrder.nativeOrder());
      b.putInt(0, PerfBufferConsumer.PERF_RECORD_SAMPLE).putShort(6, (short) rec.length);
      b.putInt(8, raw);
      for (int i = 0; i < n; i++) {
        rec[12 + i] = (byte) (fill + i);
      }
      write(rec);
    }

    void lost(long count) {
      byte[] rec = new byte[24];
      ByteBuffer.wrap(rec).order(ByteOrder.nativeOrder()).putInt(0, 2).putShort(6, (short) 24)
          .putLong(8, 77).putLong(16, count);
      write(rec);
    }

    void raw(int type, int size, int extra) {
      byte[] rec = new byte[Math.max(8, extra)];
      ByteBuffer.wrap(rec).order(ByteOrder.nativeOrder()).putInt(0, type)
          .putShort(6, (short) size);
      write(rec);
    }

    long tail() {
      return mem.getLong(PerfBufferConsumer.DATA_TAIL);
    }
  }

  static byte[] bytes(int n, int fill) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (fill + i);
    }
    return b;
  }

  static List<byte[]> drain(PerfBufferConsumer c) {
    List<byte[]> out = new ArrayList<>();
    c.poll((buf, off, len) -> {
      byte[] b = new byte[len];
      buf.get(off, b);
      out.add(b);
    });
    return out;
  }

  @Test
  void samplesArriveInOrderWithTheirPaddedRawSizeAndWrappedOnesWhole() {
    Ring r = new Ring();
    r.at(SIZE - 40); // the second sample wraps the end of the data area
    PerfBufferConsumer c = new PerfBufferConsumer(List.of(r.mem), PAGE);
    r.sample(12, 1);   // 8 + 4 + 12 = 24
    r.sample(128, 50); // 8 + 4 + 132 = 144, across the end
    r.sample(3, 9);
    List<byte[]> got = drain(c);
    assertEquals(3, got.size());
    assertArrayEquals(bytes(12, 1), got.get(0));
    assertEquals(132, got.get(1).length, "128 bytes come with the kernel's 4 of padding");
    byte[] want = new byte[132];
    System.arraycopy(bytes(128, 50), 0, want, 0, 128);
    assertArrayEquals(want, got.get(1));
    assertEquals(4, got.get(2).length);
    assertEquals(r.head, r.tail());
    assertEquals(0, c.poll((b, o, l) -> { }));
    assertFalse(c.hasPending());
  }

  @Test
  void randomSizesAcrossManyWrapsAreDeliveredByteForByte() {
    for (long seed = 1; seed <= 20; seed++) {
      Random rnd = new Random(seed);
      Ring r = new Ring();
      r.at(rnd.nextLong() & ~7L); // any start, past 2^63 too
      PerfBufferConsumer c = new PerfBufferConsumer(List.of(r.mem), PAGE);
      List<byte[]> sent = new ArrayList<>();
      List<byte[]> got = new ArrayList<>();
      for (int round = 0; round < 200; round++) {
        int room = SIZE;
        int k = rnd.nextInt(5);
        for (int i = 0; i < k; i++) {
          int n = rnd.nextInt(700);
          int rec = 8 + ((n + 4 + 7) & ~7);
          if (rec > room) {
            break;
          }
          room -= rec;
          int fill = rnd.nextInt(256);
          r.sample(n, fill);
          byte[] w = new byte[((n + 4 + 7) & ~7) - 4];
          System.arraycopy(bytes(n, fill), 0, w, 0, n);
          sent.add(w);
        }
        got.addAll(drain(c));
        assertEquals(r.head, r.tail());
      }
      assertEquals(sent.size(), got.size(), "seed " + seed);
      for (int i = 0; i < sent.size(); i++) {
        assertArrayEquals(sent.get(i), got.get(i), "seed " + seed + " sample " + i);
      }
    }
  }

  @Test
  void lostRecordsAreCountedAndReportedAndOtherTypesSkipped() {
    Ring a = new Ring();
    Ring b = new Ring();
    a.at(0);
    b.at(SIZE - 8); // the lost record wraps
    List<String> told = new ArrayList<>();
    PerfBufferConsumer c = new PerfBufferConsumer(List.of(a.mem, b.mem), PAGE,
        (ring, n) -> told.add(ring + ":" + n));
    a.sample(4, 0);
    a.lost(5);
    a.raw(14, 16, 16); // PERF_RECORD_SAMPLE's neighbours: another type, skipped
    b.lost(7);
    b.sample(4, 0);
    List<Integer> rings = new ArrayList<>();
    assertEquals(2, c.poll((buf, off, len) -> rings.add(c.currentRing())));
    assertEquals(List.of(0, 1), rings);
    assertEquals(-1, c.currentRing());
    assertEquals(List.of("0:5", "1:7"), told);
    assertEquals(12, c.lost());
    assertEquals(5, c.lost(0));
    assertEquals(7, c.lost(1));
    assertEquals(a.head, c.dataTail(0));
    assertEquals(b.head, c.dataHead(1));
    assertEquals(2, c.rings());
    b.sample(8, 0);
    assertTrue(c.hasPending());
    assertEquals(0, c.poll(0, (buf, off, len) -> { }));
    assertEquals(1, c.poll(1, (buf, off, len) -> { }));
    BpfEventsException e = assertThrows(BpfEventsException.class, () -> c.lost(2));
    assertEquals("perf buffer ring index 2 is out of range; expected 0 to 1", e.getMessage());
  }

  @Test
  void wrongPositionsDeliverNothingAndLeaveTheTail() {
    Ring r = new Ring();
    r.at(64);
    PerfBufferConsumer c = new PerfBufferConsumer(List.of(r.mem), PAGE);
    r.sample(4, 0);
    r.mem.putLong(PerfBufferConsumer.DATA_HEAD, 64 + SIZE + 8);
    BpfEventsException e = assertThrows(BpfEventsException.class, () -> drain(c));
    assertEquals("corrupt-perf-buffer", e.problem());
    assertEquals("perf buffer ring 0 data_head 4168 is 4104 bytes ahead of data_tail 64;"
        + " expected 0 to 4096 bytes ahead of the tail (the data area holds 4096)",
        e.getMessage());
    assertEquals(64, r.tail());
    r.mem.putLong(PerfBufferConsumer.DATA_HEAD, 32);
    e = assertThrows(BpfEventsException.class, () -> drain(c));
    assertTrue(e.getMessage().contains("is 32 bytes behind data_tail 64"), e.getMessage());
    r.mem.putLong(PerfBufferConsumer.DATA_HEAD, 88);
    r.mem.putLong(PerfBufferConsumer.DATA_TAIL, 68);
    e = assertThrows(BpfEventsException.class, () -> drain(c));
    assertEquals("perf buffer ring 0 data_tail 68 is not 8-byte aligned; expected a multiple"
        + " of 8", e.getMessage());
    r.mem.putLong(PerfBufferConsumer.DATA_TAIL, -8L);
    r.mem.putLong(PerfBufferConsumer.DATA_HEAD, 1L << 40);
    e = assertThrows(BpfEventsException.class, () -> drain(c));
    assertTrue(e.getMessage().contains("ahead of data_tail 18446744073709551608"),
        e.getMessage());
    assertEquals(-8L, r.tail());
  }

  @Test
  void aBadRecordStopsTheWalkBeforeItWithTheOnesBeforeDelivered() {
    int[][] bad = {
      {PerfBufferConsumer.PERF_RECORD_SAMPLE, 0, 8},   // shorter than its header
      {PerfBufferConsumer.PERF_RECORD_SAMPLE, 12, 16}, // not a multiple of 8
      {PerfBufferConsumer.PERF_RECORD_SAMPLE, 4000, 16}, // longer than produced
      {PerfBufferConsumer.PERF_RECORD_SAMPLE, 8, 8},   // a sample with no raw size
      {PerfBufferConsumer.PERF_RECORD_LOST, 16, 16},   // a lost record with no count
    };
    for (int[] b : bad) {
      Ring r = new Ring();
      r.at(SIZE - 16);
      PerfBufferConsumer c = new PerfBufferConsumer(List.of(r.mem), PAGE);
      r.sample(4, 3);
      long before = r.head;
      r.raw(b[0], b[1], b[2]);
      r.sample(4, 3);
      List<byte[]> got = new ArrayList<>();
      BpfEventsException e = assertThrows(BpfEventsException.class, () -> c.poll(
          (buf, off, len) -> got.add(new byte[len])));
      assertEquals("corrupt-perf-buffer", e.problem(), e.getMessage());
      assertEquals(1, got.size(), "the sample before the bad record");
      assertEquals(before, r.tail(), "the tail stops at the bad record");
    }
    // a raw size that does not fit its record
    Ring r = new Ring();
    r.at(0);
    PerfBufferConsumer c = new PerfBufferConsumer(List.of(r.mem), PAGE);
    byte[] rec = new byte[24];
    ByteBuffer.wrap(rec).order(ByteOrder.nativeOrder()).putInt(0, 9).putShort(6, (short) 24)
        .putInt(8, 13);
    r.write(rec);
    BpfEventsException e = assertThrows(BpfEventsException.class, () -> drain(c));
    assertEquals("perf buffer ring 0 sample at position 0 claims 13 raw bytes in a record of"
        + " 24; expected at most 12", e.getMessage());
    assertEquals(0, r.tail());
  }

  @Test
  void aHandlerThatThrowsConsumesItsRecordAndAPollIsBounded() {
    Ring r = new Ring();
    r.at(0);
    PerfBufferConsumer c = new PerfBufferConsumer(List.of(r.mem), PAGE);
    r.sample(4, 1);
    r.sample(4, 2);
    assertThrows(IllegalStateException.class, () -> c.poll((buf, off, len) -> {
      throw new IllegalStateException("bad");
    }));
    assertEquals(16, r.tail(), "the record the handler refused is consumed");
    assertEquals(1, drain(c).size());
    // a producer that writes while the handler runs does not keep the poll going
    r.sample(4, 1);
    int n = c.poll((buf, off, len) -> {
      if (r.head < 40 * 24) {
        r.sample(4, 1);
      }
    });
    assertEquals(1, n);
    assertTrue(c.hasPending());
  }

  @Test
  void mappingsThatCannotBeAPerfEventsAreRefused() {
    Ring r = new Ring();
    assertEquals("perf buffer pageSize 1000 will not do; expected a power of two, at least 2048"
        + " (the metadata page holds data_size at 1048)", assertThrows(BpfEventsException.class,
            () -> new PerfBufferConsumer(List.of(r.mem), 1000)).getMessage());
    assertEquals("bad-perf-buffer", assertThrows(BpfEventsException.class,
        () -> new PerfBufferConsumer(List.of(), PAGE)).problem());
    assertEquals("bad-perf-buffer", assertThrows(BpfEventsException.class,
        () -> new PerfBufferConsumer(null, PAGE)).problem());
    List<ByteBuffer> withNull = new ArrayList<>();
    withNull.add(null);
    assertEquals("perf buffer ring 0 ring is null; expected a perf event's mapping",
        assertThrows(BpfEventsException.class,
            () -> new PerfBufferConsumer(withNull, PAGE)).getMessage());
    assertTrue(assertThrows(BpfEventsException.class,
        () -> new PerfBufferConsumer(List.of(r.mem.asReadOnlyBuffer()), PAGE)).getMessage()
        .contains("is read-only"));
    assertTrue(assertThrows(BpfEventsException.class,
        () -> new PerfBufferConsumer(List.of(ByteBuffer.allocateDirect(PAGE)), PAGE))
        .getMessage().contains("at least one data page"));
    r.mem.putLong(PerfBufferConsumer.DATA_SIZE, 3000);
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> new PerfBufferConsumer(List.of(r.mem), PAGE));
    assertEquals("perf buffer ring 0 data area \"data_offset 4096, data_size 3000\" will not do;"
        + " expected a power-of-two data_size after the metadata page, within the mapping's"
        + " 8192 bytes", e.getMessage());
    r.mem.putLong(PerfBufferConsumer.DATA_SIZE, 8192);
    assertEquals("bad-perf-buffer", assertThrows(BpfEventsException.class,
        () -> new PerfBufferConsumer(List.of(r.mem), PAGE)).problem());
    // data_offset + data_size past 2^63 wraps negative: still outside the mapping
    r.mem.putLong(PerfBufferConsumer.DATA_OFFSET, 1L << 62).putLong(PerfBufferConsumer.DATA_SIZE,
        1L << 62);
    assertEquals("bad-perf-buffer", assertThrows(BpfEventsException.class,
        () -> new PerfBufferConsumer(List.of(r.mem), PAGE)).problem());
    r.mem.putLong(PerfBufferConsumer.DATA_OFFSET, Long.MAX_VALUE & ~7L)
        .putLong(PerfBufferConsumer.DATA_SIZE, SIZE);
    assertEquals("bad-perf-buffer", assertThrows(BpfEventsException.class,
        () -> new PerfBufferConsumer(List.of(r.mem), PAGE)).problem());
    assertEquals("perf buffer record handler is null; expected a RecordHandler",
        assertThrows(BpfEventsException.class, () -> new PerfBufferConsumer(
            List.of(new Ring().mem), PAGE).poll(null)).getMessage());
  }
}
