package io.github.bpfevents.bench;

import clojure.java.api.Clojure;
import clojure.lang.IFn;
import clojure.lang.Keyword;
import io.github.bpfevents.codec.EventView;
import io.github.bpfevents.codec.FieldHandle;
import io.github.bpfevents.layout.EventLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Decoding one record, side by side: (a) hand-written ByteBuffer -> map, (b) the take/drop
 * seq parser, (c) event-decoder, (d) decode-event, (e) the Java view reading two fields,
 * (f) hand-written ByteBuffer getters for the same two fields. On ConnectionEvent (44
 * bytes, packed) and WideEvent (20 fields, natural, with a nested struct). (e) and (f)
 * read two fields of each of 4096 records back to back; their figures are per record.
 * (e) reads through FieldHandles; the flyweight EventView is measured beside it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DecodeBench {
  @Param({"conn", "wide"})
  public String event;

  private ByteBuffer buf;
  private byte[] bytes;
  private IFn hand;
  private IFn seq;
  private IFn decoder;
  private IFn decodeEvent;
  private EventView view;
  private FieldHandle first;
  private FieldHandle second;
  private int firstAt;
  private int secondAt;
  private boolean conn;
  private ByteBuffer many;
  private int recordSize;

  /** Records in the buffer that (e) and (f) read. */
  static final int RECORDS = 4096;

  @Setup
  public void setup() {
    conn = event.equals("conn");
    Clojure.var("clojure.core", "require").invoke(Clojure.read("bpf-events.bench"));
    Map<?, ?> s = (Map<?, ?>) Clojure.var("bpf-events.bench", "setup")
        .invoke(Keyword.intern(event));
    bytes = (byte[]) s.get(Keyword.intern("bytes"));
    buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    hand = (IFn) s.get(Keyword.intern("hand"));
    seq = (IFn) s.get(Keyword.intern("seq"));
    decoder = (IFn) s.get(Keyword.intern("decoder"));
    decodeEvent = (IFn) s.get(Keyword.intern("decode-event"));
    String ns = "bpf-events.examples";
    Object def = ((clojure.lang.IDeref) Clojure.var(ns, conn ? "ConnectionEvent" : "WideEvent")).deref();
    EventLayout layout = (EventLayout) Clojure.var("clj-ebpf.dsl.structs.impl", "layout-of")
        .invoke(def);
    view = EventView.of(layout);
    recordSize = layout.size();
    many = ByteBuffer.allocate(RECORDS * recordSize).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < RECORDS; i++) {
      many.put(i * recordSize, bytes);
    }
    first = view.handle("pid");
    second = view.handle(conn ? "sport" : "latency");
    firstAt = first.offset();
    secondAt = second.offset();
  }

  @Benchmark
  public Object a_handWrittenMap() {
    return hand.invoke(buf);
  }

  @Benchmark
  public Object b_takeDropSeq() {
    return seq.invoke(bytes);
  }

  @Benchmark
  public Object c_eventDecoder() {
    return decoder.invoke(buf);
  }

  @Benchmark
  public Object d_decodeEvent() {
    return decodeEvent.invoke(buf);
  }

  /** (e, flyweight) an EventView wrapped over each of the records; one op per record. */
  @Benchmark
  @OperationsPerInvocation(RECORDS)
  public long e_viewTwoFields() {
    long sum = 0;
    int size = recordSize;
    for (int i = 0; i < RECORDS; i++) {
      view.wrap(many, i * size);
      sum += view.getU32(first) + (conn ? view.getU16(second) : view.getU32(second));
    }
    return sum;
  }

  /**
   * (e) the Java view's handles, resolved once by name, reading two fields of each of
   * {@link #RECORDS} records back to back; one operation per record.
   */
  @Benchmark
  @OperationsPerInvocation(RECORDS)
  public long e_handlesTwoFields() {
    long sum = 0;
    int size = recordSize;
    for (int i = 0; i < RECORDS; i++) {
      int at = i * size;
      sum += first.u32(many, at) + (conn ? second.u16(many, at) : second.u32(many, at));
    }
    return sum;
  }

  /** (f) the same reads, hand-written with ByteBuffer getters. */
  @Benchmark
  @OperationsPerInvocation(RECORDS)
  public long f_handWrittenTwoGetters() {
    long sum = 0;
    int size = recordSize;
    for (int i = 0; i < RECORDS; i++) {
      int at = i * size;
      sum += Integer.toUnsignedLong(many.getInt(at + firstAt))
          + (conn ? Short.toUnsignedInt(many.getShort(at + secondAt))
              : Integer.toUnsignedLong(many.getInt(at + secondAt)));
    }
    return sum;
  }
}
