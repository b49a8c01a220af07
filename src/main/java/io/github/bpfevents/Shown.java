package io.github.bpfevents;

/**
 * A value that knows how messages show it: a type as {@code u32} or {@code :u32}, an
 * event by its name, a datum of an event file as it was written. Messages never call
 * {@code toString} on values they do not know, so that no value, however large, makes an
 * error message large or slow.
 */
public interface Shown {
  /**
   * The value as a message shows it.
   *
   * @param notation how names are written
   * @return a short text
   */
  String shown(Notation notation);
}
