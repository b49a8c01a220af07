package io.github.bpfevents.bench;

import io.github.bpfevents.Examples;
import io.github.bpfevents.codec.EventView;
import io.github.bpfevents.codec.FieldHandle;
import io.github.bpfevents.codec.RingBufferConsumer;
import io.github.bpfevents.layout.EventLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * (g) The consumer alone: a 1 MiB data area in direct memory, laid out here as the kernel
 * lays it out (8-byte headers, the data area twice), holding {@link #RECORDS} 128-byte
 * RingEvents (136 bytes with the header) that start half way and wrap around the end. Each
 * invocation rewinds the consumer position and drains them all, reading two fields of each
 * (pid, sport): with RingBufferConsumer and FieldHandles, publishing after each record or
 * once per poll, and with the hand-written loop. One operation is one record.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RingBench {
  static final int PAGE = 4096;
  static final int SIZE = 1 << 20;
  static final EventLayout EVENT = Examples.RING_EVENT;
  static final int RECORD = (EVENT.size() + 8 + 7) & ~7;
  static final int RECORDS = 7000;
  static final long START = SIZE / 2;

  private ByteBuffer consumerPage;
  private RingBufferConsumer eachRecord;
  private RingBufferConsumer oncePerPoll;
  private HandWritten hand;
  private RingBufferConsumer.RecordHandler handler;
  private long sum;

  @Setup
  public void setup() {
    consumerPage = ByteBuffer.allocateDirect(PAGE).order(ByteOrder.nativeOrder());
    ByteBuffer producer = ByteBuffer.allocateDirect(PAGE + 2 * SIZE)
        .order(ByteOrder.nativeOrder());
    FieldHandle pid = EventView.of(EVENT).handle("pid");
    FieldHandle sport = EventView.of(EVENT).handle("sport");
    long pos = START;
    for (int i = 0; i < RECORDS; i++) {
      ByteBuffer rec = ByteBuffer.allocate(RECORD).order(ByteOrder.nativeOrder());
      rec.putInt(0, EVENT.size());
      rec.putInt(8 + pid.offset(), i);
      rec.putShort(8 + sport.offset(), (short) 443);
      for (int k = 0; k < RECORD; k++) {
        int at = (int) ((pos + k) & (SIZE - 1));
        producer.put(PAGE + at, rec.get(k));
        producer.put(PAGE + SIZE + at, rec.get(k));
      }
      pos += RECORD;
    }
    producer.putLong(0, pos);
    eachRecord = new RingBufferConsumer(consumerPage, producer, PAGE, SIZE);
    oncePerPoll = new RingBufferConsumer(consumerPage, producer, PAGE, SIZE,
        RingBufferConsumer.ONCE_PER_POLL);
    hand = new HandWritten(consumerPage, producer, PAGE, SIZE, pid.offset(), sport.offset());
    handler = (buf, offset, length) -> sum += pid.u32(buf, offset) + sport.u16(buf, offset);
  }

  private void rewind() {
    consumerPage.putLong(0, START);
  }

  /** (g) poll + two FieldHandle reads, the position published after each record. */
  @Benchmark
  @OperationsPerInvocation(RECORDS)
  public long g_pollHandles() {
    rewind();
    eachRecord.poll(handler);
    return sum;
  }

  /** (g) the same, the position published once per poll. */
  @Benchmark
  @OperationsPerInvocation(RECORDS)
  public long g_pollHandlesOncePerPoll() {
    rewind();
    oncePerPoll.poll(handler);
    return sum;
  }

  /** (g) the hand-written loop over the same memory. */
  @Benchmark
  @OperationsPerInvocation(RECORDS)
  public long g_handWritten() {
    rewind();
    hand.drain();
    return hand.sum;
  }
}
