package io.github.bpfevents.codec;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Problem;
import io.github.bpfevents.layout.EventLayout;
import java.nio.ByteBuffer;

/** The checks shared by the readers and writers of records. */
final class Records {
  private Records() {}

  /**
   * Checks that the event is given.
   *
   * @param event the layout
   * @throws BpfEventsException if it is null
   */
  static void checkEvent(EventLayout event) {
    if (event == null) {
      throw Problem.NOT_AN_EVENT
          .with("value", null)
          .with("expected", "an event layout")
          .build();
    }
  }

  /**
   * The error for a record said to start before the buffer does.
   *
   * @param key what the record is: {@code "event"} or {@code "field"}
   * @param what its name or path
   * @param at the negative offset, as the caller was given it (an int or a long)
   * @param buf the buffer
   * @return the exception, to be thrown by the caller
   */
  static BpfEventsException negativeOffset(String key, Object what, Number at, ByteBuffer buf) {
    return Problem.BUFFER_NEGATIVE_OFFSET
        .with(key, what)
        .with("offset", at)
        .with("value", buf.limit())
        .with("expected", "a record offset from 0")
        .build();
  }

  /**
   * Checks that a record of {@code event} fits at absolute index {@code at} of
   * {@code buf}, below its limit.
   *
   * @param event the layout
   * @param buf the buffer
   * @param at the record's first byte
   * @throws BpfEventsException naming the offset, the record's size and the limit
   */
  static void check(EventLayout event, ByteBuffer buf, long at) {
    checkEvent(event);
    if (buf == null) {
      throw Problem.NOT_A_BUFFER
          .with("value", null)
          .with("expected", "a buffer of at least " + event.size() + " bytes")
          .build();
    }
    if (at < 0) {
      throw negativeOffset("event", event.name(), at, buf);
    }
    if (at > buf.limit() - event.size()) {
      long end = at > Long.MAX_VALUE - event.size() ? Long.MAX_VALUE : at + event.size();
      throw Problem.BUFFER_TOO_SHORT_BYTES_OFFSET_NEEDS
          .with("event", event.name())
          .with("offset", at)
          .with("size", event.size())
          .with("value", buf.limit())
          .with("expected", "at least " + end + " bytes")
          .with("end", end)
          .build();
    }
  }
}
