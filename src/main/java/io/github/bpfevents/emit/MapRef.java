package io.github.bpfevents.emit;

import io.github.bpfevents.Problem;

/**
 * The map an event goes to: its file descriptor, loaded with the two-slot {@code lddw}
 * whose {@code src} is {@code BPF_PSEUDO_MAP_FD}, or a named placeholder (the same
 * instruction with immediate 0) that a loader patches; {@link Fragment#relocations()} says
 * where.
 *
 * @param fd the descriptor, or -1 for a placeholder
 * @param placeholder the placeholder's name, or null
 */
public record MapRef(int fd, String placeholder) {
  /**
   * A map, checked.
   *
   * @param fd the descriptor (0 or more), or -1 with a placeholder name
   * @param placeholder the name, or null with a descriptor
   */
  public MapRef {
    if ((placeholder == null) == (fd < 0) || (placeholder != null && placeholder.isEmpty())) {
      throw Problem.BAD_MAP
          .with("value", placeholder == null ? (Object) fd : placeholder)
          .with("expected", "a file descriptor (0 or more), or a placeholder's name")
          .build();
    }
  }

  /**
   * @param fd the map's file descriptor
   * @return the reference
   */
  public static MapRef fd(int fd) {
    return new MapRef(fd, null);
  }

  /**
   * @param name the name a loader knows the map by
   * @return the reference
   */
  public static MapRef placeholder(String name) {
    return new MapRef(-1, name);
  }
}
