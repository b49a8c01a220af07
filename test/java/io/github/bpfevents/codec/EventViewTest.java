package io.github.bpfevents.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Examples;
import io.github.bpfevents.layout.Packing;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.FieldSpec;
import io.github.bpfevents.layout.FieldType;
import io.github.bpfevents.layout.LayoutEngine;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The zero-copy view and the Java decoder, on records written byte by byte. */
class EventViewTest {
  private static final EventLayout CONN = Examples.CONNECTION_EVENT;

  /** ConnectionEvent with pid 0x11223344, sport 0xfffe, comm "curl", at offset 5. */
  static ByteBuffer record(ByteOrder order) {
    byte[] b = new byte[5 + 44 + 3];
    b[5 + 0] = (byte) 0xff; // timestamp = 0x80000000000000ff
    b[5 + 7] = (byte) 0x80;
    b[5 + 8] = 0x44;
    b[5 + 9] = 0x33;
    b[5 + 10] = 0x22;
    b[5 + 11] = 0x11;
    b[5 + 20] = (byte) 0xfe;
    b[5 + 21] = (byte) 0xff;
    b[5 + 28] = 'c';
    b[5 + 29] = 'u';
    b[5 + 30] = 'r';
    b[5 + 31] = 'l';
    return ByteBuffer.wrap(b).order(order);
  }

  @Test
  void readsByNameAndHandleWhateverTheBufferOrder() {
    for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
      EventView v = EventView.of(CONN).wrap(record(order), 5);
      assertEquals(0x11223344L, v.getU32("pid"));
      assertEquals(0x11223344L, v.getU32(v.handle("pid")));
      assertEquals(0xfffeL, v.getU16(v.handle("sport")));
      assertEquals(0x80000000000000ffL, v.getU64("timestamp"));
      assertEquals("curl", v.getString("comm"));
      assertEquals(0x11223344L, v.getLong("pid"));
    }
  }

  @Test
  void everyGetterByNameReadsWhatItsHandleReads() {
    EventLayout all = LayoutEngine.layout("All", List.of(
        FieldSpec.of("a", FieldType.I8), FieldSpec.of("b", FieldType.I16),
        FieldSpec.of("c", FieldType.BE64), FieldSpec.of("d", FieldType.U8, 3)), Packing.PACKED);
    byte[] b = {-2, -3, -1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
    EventView v = EventView.of(all).wrap(ByteBuffer.wrap(b), 0);
    assertEquals(-2L, v.getI8("a"));
    assertEquals(-3L, v.getI16("b"));
    assertEquals(0x0102030405060708L, v.getBe64("c"));
    assertEquals(v.getI8(v.handle("a")), v.getI8("a"));
    assertEquals(10L, v.getU8(v.handle(List.of("d", 1))));
    assertEquals(v.handle("d", 2).offset(), v.handle(List.of("d", 2L)).offset());
    assertEquals("index-out-of-range", assertThrows(BpfEventsException.class,
        () -> v.handle(List.of("d", new BigInteger("99999999999999999999")))).problem());
  }

  @Test
  void decoderGivesUnsignedValuesStringsAndLists() {
    Map<String, Object> m = EventDecoder.decode(CONN, record(ByteOrder.BIG_ENDIAN), 5);
    assertEquals(new BigInteger("9223372036854776063"), m.get("timestamp"));
    assertEquals(0x11223344L, m.get("pid"));
    assertEquals(65534L, m.get("sport"));
    assertEquals(List.of(0L, 0L), m.get("padding"));
    assertEquals("curl", m.get("comm"));
    assertEquals(List.copyOf(CONN.fieldNames()), List.copyOf(m.keySet()));
  }

  @Test
  void networkOrderAndSignedFields() {
    EventLayout e = LayoutEngine.layout("E", List.of(FieldSpec.of("port", FieldType.BE16),
        FieldSpec.of("addr", FieldType.BE32), FieldSpec.of("d", FieldType.I32)),
        Packing.NATURAL);
    ByteBuffer b = ByteBuffer.wrap(new byte[] {0x01, (byte) 0xbb, 0, 0, 10, 0, 0, 1,
        (byte) 0xfe, (byte) 0xff, (byte) 0xff, (byte) 0xff});
    EventView v = EventView.of(e).wrap(b, 0);
    assertEquals(443, v.getBe16("port"));
    assertEquals(0x0a000001L, v.getBe32("addr"));
    assertEquals(-2, v.getI32("d"));
  }

  @Test
  void badUseGetsTheLibrarysError() {
    EventView v = EventView.of(CONN);
    assertEquals("not-wrapped",
        assertThrows(BpfEventsException.class, () -> v.getU32("pid")).problem());
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> v.wrap(ByteBuffer.allocate(50), 10));
    assertEquals("buffer-too-short", e.problem());
    assertEquals(50, e.data().get("value"));
    v.wrap(ByteBuffer.allocate(44), 0);
    assertEquals("wrong-type",
        assertThrows(BpfEventsException.class, () -> v.getU16("pid")).problem());
    assertEquals("unknown-field",
        assertThrows(BpfEventsException.class, () -> v.getU32("nope")).problem());
    assertEquals("bad-value", assertThrows(BpfEventsException.class,
        () -> EventEncoder.encode(CONN, Map.of("pid", -1L))).problem());
  }

  @Test
  void aNullHandleOrPath() {
    EventView v = EventView.of(CONN).wrap(record(ByteOrder.LITTLE_ENDIAN), 5);
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> v.getU32((FieldHandle) null));
    assertEquals("not-a-handle", e.problem());
    assertEquals("not-a-handle", assertThrows(BpfEventsException.class,
        () -> v.getString((FieldHandle) null)).problem());
    assertEquals("unknown-field", assertThrows(BpfEventsException.class,
        () -> v.handle((Object[]) null)).problem());
    assertEquals("not-an-event", assertThrows(BpfEventsException.class,
        () -> EventView.of(null)).problem());
  }
}
