package io.github.bpfevents.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The baseline the consumer is measured against: the kernel's ring-buffer protocol written
 * out by hand for one event, with the same acquire and release accesses as
 * RingBufferConsumer (producer position, each header, the consumer position published after
 * each record) and two ByteBuffer getters in place of the handles. No checks beyond the
 * busy and discard bits.
 */
final class HandWritten {
  private static final VarHandle LONG =
      MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
  private static final VarHandle INT =
      MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

  private final ByteBuffer consumerPage;
  private final ByteBuffer producer;
  private final int pageSize;
  private final long mask;
  private final int pidAt;
  private final int sportAt;
  long sum;

  /**
   * @param producer the producer region; read little-endian from a duplicate
   * @param pidAt offset of the u32 field in the sample
   * @param sportAt offset of the u16 field in the sample
   */
  HandWritten(ByteBuffer consumerPage, ByteBuffer producer, int pageSize, int dataSize,
      int pidAt, int sportAt) {
    this.consumerPage = consumerPage.duplicate();
    this.producer = producer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    this.pageSize = pageSize;
    this.mask = dataSize - 1L;
    this.pidAt = pidAt;
    this.sportAt = sportAt;
  }

  /** Reads every submitted record available; returns how many. */
  int drain() {
    ByteBuffer p = producer;
    long cons = (long) LONG.getAcquire(consumerPage, 0);
    long prod = (long) LONG.getAcquire(p, 0);
    int n = 0;
    long s = sum;
    while (cons != prod) {
      int header = pageSize + (int) (cons & mask);
      int len = (int) INT.getAcquire(p, header);
      if (len < 0) { // busy
        break;
      }
      int sample = len & 0x3fffffff;
      if ((len & (1 << 30)) == 0) {
        int at = header + 8;
        s += Integer.toUnsignedLong(p.getInt(at + pidAt))
            + Short.toUnsignedInt(p.getShort(at + sportAt));
        n++;
      }
      cons += (sample + 15) & ~7L;
      LONG.setRelease(consumerPage, 0, cons);
    }
    sum = s;
    return n;
  }
}
