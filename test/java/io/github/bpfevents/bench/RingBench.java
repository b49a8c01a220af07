package io.github.bpfevents.bench;

import io.github.bpfevents.codec.EventView;
import io.github.bpfevents.codec.FieldHandle;
import io.github.bpfevents.codec.RingBufferConsumer;
import io.github.bpfevents.Examples;
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
 * (g) RingBufferConsumer walking a full 1 MiB data area of 128-byte records (an 8-byte
 * header and a 120-byte sample holding a ConnectionEvent, laid out as the kernel lays
 * them, the data area mapped twice) and reading two fields of each with the view. One
 * operation is one record.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RingBench {
  static final int PAGE = 4096;
  static final int SIZE = 1 << 20;
  static final int RECORD = 128;
  static final int RECORDS = SIZE / RECORD;

  private ByteBuffer consumerPage;
  private RingBufferConsumer consumer;
  private RingBufferConsumer.RecordHandler handler;
  private long sum;

  @Setup
  public void setup() {
    consumerPage = ByteBuffer.allocateDirect(PAGE).order(ByteOrder.nativeOrder());
    ByteBuffer producer = ByteBuffer.allocateDirect(PAGE + 2 * SIZE).order(ByteOrder.nativeOrder());
    for (int i = 0; i < RECORDS; i++) {
      for (int copy = 0; copy < 2; copy++) {
        int at = PAGE + copy * SIZE + i * RECORD;
        producer.putInt(at, RECORD - 8);
        producer.putInt(at + 8 + 8, i); // pid
        producer.putShort(at + 8 + 20, (short) 443); // sport
      }
    }
    producer.putLong(0, SIZE);
    consumer = new RingBufferConsumer(consumerPage, producer, PAGE, SIZE);
    EventView view = EventView.of(Examples.CONNECTION_EVENT);
    FieldHandle pid = view.handle("pid");
    FieldHandle sport = view.handle("sport");
    handler = (buf, offset, length) -> {
      view.wrap(buf, offset);
      sum += view.getU32(pid) + view.getU16(sport);
    };
  }

  @Benchmark
  @OperationsPerInvocation(RECORDS)
  public long g_ringBufferWalkTwoFields() {
    consumerPage.putLong(0, 0);
    consumer.poll(handler);
    return sum;
  }
}
