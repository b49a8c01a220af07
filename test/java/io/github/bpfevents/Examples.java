package io.github.bpfevents;

import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.FieldSpec;
import io.github.bpfevents.layout.FieldType;
import io.github.bpfevents.layout.LayoutEngine;
import io.github.bpfevents.layout.Packing;
import java.util.List;

/**
 * The example events of the documentation, built once through the Java API, for every
 * Java test: the same events as the Clojure tests' bpf-events.examples and the CLI's
 * built-in example file, and the 128-byte event that the ring-buffer checks and benchmarks
 * send through the kernel.
 */
public final class Examples {
  private Examples() {}

  /** The reference event: packed, 44 bytes, {@code pid} at 8. */
  public static final EventLayout CONNECTION_EVENT = LayoutEngine.layout("ConnectionEvent",
      List.of(
          FieldSpec.of("timestamp", FieldType.U64),
          FieldSpec.of("pid", FieldType.U32),
          FieldSpec.of("saddr", FieldType.U32),
          FieldSpec.of("daddr", FieldType.U32),
          FieldSpec.of("sport", FieldType.U16),
          FieldSpec.of("dport", FieldType.U16),
          FieldSpec.of("protocol", FieldType.U8),
          FieldSpec.of("direction", FieldType.U8),
          FieldSpec.of("padding", FieldType.U8, 2),
          FieldSpec.of("comm", FieldType.CHAR, 16)));

  /** A C-compatible address and port: natural, network byte order, 8 bytes. */
  public static final EventLayout ENDPOINT = LayoutEngine.layout("Endpoint", List.of(
      FieldSpec.of("addr", FieldType.BE32),
      FieldSpec.of("port", FieldType.BE16)), Packing.NATURAL);

  /** A flow of two endpoints: natural, nested, 48 bytes ({@code dst.port} at 24). */
  public static final EventLayout FLOW_EVENT = LayoutEngine.layout("FlowEvent", List.of(
      FieldSpec.of("ts", FieldType.U64),
      FieldSpec.of("protocol", FieldType.U8),
      FieldSpec.of("src", ENDPOINT, 1),
      FieldSpec.of("dst", ENDPOINT, 1),
      FieldSpec.of("pid", FieldType.U32),
      FieldSpec.of("comm", FieldType.CHAR, 16)), Packing.NATURAL);

  /**
   * A 128-byte record, natural (C) layout, the size the ring-buffer figures are quoted at:
   * {@code seq} at 0, {@code pid} at 8, {@code sport} at 16, {@code comm} at 24, a zeroed
   * {@code payload} and a {@code check} word at 120, so that a record which wraps around
   * the end of the data area has fields on both sides of the wrap.
   */
  public static final EventLayout RING_EVENT = LayoutEngine.layout("RingEvent", List.of(
      FieldSpec.of("seq", FieldType.U64),
      FieldSpec.of("pid", FieldType.U32),
      FieldSpec.of("tid", FieldType.U32),
      FieldSpec.of("sport", FieldType.U16),
      FieldSpec.of("dport", FieldType.U16),
      FieldSpec.of("protocol", FieldType.U8),
      FieldSpec.of("flags", FieldType.U8),
      FieldSpec.of("pad", FieldType.U8, 2),
      FieldSpec.of("comm", FieldType.CHAR, 16),
      FieldSpec.of("payload", FieldType.U8, 80),
      FieldSpec.of("check", FieldType.U64)), Packing.NATURAL);
}
