package io.github.bpfevents.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.definition.EventFile;
import io.github.bpfevents.definition.EventFileReader;
import io.github.bpfevents.layout.EventLayout;
import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Bitfields, unions, anonymous members and enums through the decoder, the encoder and
 * the field handles, on records whose bytes are worked out by hand from the C layout
 * (CRoundTripTest checks the same against gcc on generated definitions).
 */
class BitfieldCodecTest {
  private static final EventFile FILE = EventFileReader.read("codec.clj", String.join("\n",
      "(defevent Addr {:kind :union :align :natural} [:v4 :u32] [:v6 :u8 16])",
      "(defevent Flags [:lo :i8 {:bits 3}] [:wide :u64 {:bits 64}] [:hi :u8 {:bits 5}])",
      "(defevent Flow {:align :natural} [Addr] [:state :i8 {:bits 4 :enum {:up 1 :down -2}}]",
      "  [:kind :u16 {:enum {:open 1 :close 2}}])").getBytes(StandardCharsets.UTF_8));

  @Test
  void aBitfieldAcrossNineBytesReadsAndWritesOnlyItsBits() {
    EventLayout flags = FILE.event("Flags");
    // packed: lo bits 0..2, wide bits 3..66 (9 bytes), hi bits 67..71
    assertEquals(9, flags.size());
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("lo", -3L);
    values.put("wide", new BigInteger("fedcba9876543210", 16));
    values.put("hi", 21L);
    byte[] bytes = EventEncoder.encode(flags, values);
    BigInteger all = BigInteger.valueOf(5) // -3 in 3 bits
        .or(new BigInteger("fedcba9876543210", 16).shiftLeft(3))
        .or(BigInteger.valueOf(21).shiftLeft(67));
    byte[] expected = new byte[9];
    for (int i = 0; i < 9; i++) {
      expected[i] = all.shiftRight(8 * i).byteValue();
    }
    assertArrayEquals(expected, bytes);
    Map<String, Object> m = EventDecoder.decode(flags, ByteBuffer.wrap(bytes), 0);
    assertEquals(-3L, m.get("lo"));
    assertEquals(new BigInteger("fedcba9876543210", 16), m.get("wide"));
    assertEquals(21L, m.get("hi"));
    FieldHandle wide = EventView.of(flags).handle("wide");
    assertTrue(wide.isBitfield());
    assertEquals(64, wide.bitWidth());
    assertEquals(0xfedcba9876543210L, wide.bits(ByteBuffer.wrap(bytes), 0));
    assertEquals(-3L, EventView.of(flags).handle("lo").bits(ByteBuffer.wrap(bytes), 0));
  }

  @Test
  void readingABitfieldAllocatesNothing() {
    EventLayout flags = FILE.event("Flags");
    FieldHandle lo = EventView.of(flags).handle("lo");
    FieldHandle wide = EventView.of(flags).handle("wide");
    ByteBuffer buf = ByteBuffer.allocateDirect(9 * 1024);
    long sum = 0;
    for (int i = 0; i < 200_000; i++) { // warm up: compiled, as in a hot loop
      sum += lo.bits(buf, (i & 1023) * 9) + wide.bits(buf, (i & 1023) * 9);
    }
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < 1_000_000; i++) {
      sum += lo.bits(buf, (i & 1023) * 9) + wide.bits(buf, (i & 1023) * 9);
    }
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertEquals(0, sum);
    assertTrue(allocated < 4096, allocated + " bytes allocated by 2,000,000 reads");
  }

  @Test
  void theTypedGettersOfABitfieldSayToReadItsBits() {
    FieldHandle lo = EventView.of(FILE.event("Flags")).handle("lo");
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> lo.i8(ByteBuffer.allocate(9), 0));
    assertEquals("wrong-type", e.problem());
    assertEquals("field lo is a bitfield of 3 bits of i8; expected bits (getLong in a view)"
        + " for a bitfield", e.getMessage());
  }

  @Test
  void unionsAnonymousMembersAndEnums() {
    EventLayout flow = FILE.event("Flow");
    byte[] bytes = new byte[flow.size()];
    bytes[0] = 10;
    bytes[3] = 1;
    bytes[16] = (byte) 0x0e; // state -2 (4 bits)
    bytes[18] = 2; // kind close
    Map<String, Object> m = EventDecoder.decode(flow, ByteBuffer.wrap(bytes), 0);
    assertEquals(List.of("v4", "v6", "state", "kind"), List.copyOf(m.keySet()));
    assertEquals(0x0100000aL, m.get("v4"));
    assertEquals(10L, ((List<?>) m.get("v6")).get(0));
    assertEquals("down", m.get("state"));
    assertEquals("close", m.get("kind"));
    Map<String, Object> back = new LinkedHashMap<>(m);
    back.remove("v6");
    assertArrayEquals(bytes, EventEncoder.encode(flow, back));
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> EventEncoder.encode(flow, m));
    assertEquals("overlapping-fields", e.problem());
    assertEquals("fields v4 and v6 of Flow would write the same bytes; expected values for"
        + " members of a union that share no bytes: one of them", e.getMessage());
    BpfEventsException bad = assertThrows(BpfEventsException.class,
        () -> EventEncoder.encode(flow, Map.of("state", 8L)));
    assertEquals("field state: value 8 does not fit; expected an integer from -8 to 7 (a"
        + " bitfield of 4 bits of i8) or one of [up, down]", bad.getMessage());
  }
}
