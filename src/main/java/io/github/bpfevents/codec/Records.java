package io.github.bpfevents.codec;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.FieldType;
import java.nio.ByteBuffer;

/** Checks shared by the readers and writers of records. */
public final class Records {
  private Records() {}

  /**
   * Checks that a record of {@code event} fits at absolute index {@code at} of
   * {@code buf}, below its limit.
   *
   * @param event the layout
   * @param buf the buffer
   * @param at the record's first byte
   * @throws BpfEventsException naming the offset, the record's size and the limit
   */
  public static void check(EventLayout event, ByteBuffer buf, int at) {
    if (event == null) {
      throw BpfEventsException.of("not-an-event")
          .with("value", null)
          .with("expected", "an event layout")
          .message("event is null; expected an event layout");
    }
    if (buf == null) {
      throw BpfEventsException.of("buffer-too-short")
          .with("value", null)
          .with("expected", "a buffer of at least " + event.size() + " bytes")
          .message("buffer is null; expected a buffer of at least " + event.size() + " bytes");
    }
    long end = (long) at + event.size();
    if (at < 0 || end > buf.limit()) {
      throw BpfEventsException.of("buffer-too-short")
          .with("event", event.name())
          .with("offset", at)
          .with("size", event.size())
          .with("value", buf.limit())
          .with("expected", "at least " + end + " bytes")
          .message("a " + event.name() + " record (" + event.size() + " bytes) at offset "
              + at + " needs " + end + " bytes, but the buffer has " + buf.limit()
              + "; expected at least " + end + " bytes");
    }
  }

  /**
   * Whether a field of the type is text: {@code char}, decoded to a String.
   *
   * @param t the type
   * @return true for char
   */
  public static boolean isText(FieldType t) {
    return t == FieldType.CHAR;
  }
}
