package io.github.bpfevents.codec;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Problem;
import java.util.Arrays;

/**
 * {@link Waiter#epoll(int...)}: an epoll instance with the maps' descriptors
 * (level-triggered, {@code EPOLLIN}) and an eventfd of its own (edge-triggered) that
 * {@link #wakeup} writes to.
 */
final class EpollWaiter implements Waiter {
  private static final long WAKE_TAG = -1L;
  private final NativeEpoll calls;
  private final int epfd;
  private final int eventfd;
  private final int max;
  private final NativeEpoll.Memory waitMemory;
  private final NativeEpoll.Memory wakeMemory;
  private volatile boolean closed;

  private EpollWaiter(NativeEpoll calls, int epfd, int eventfd, int max,
      NativeEpoll.Memory waitMemory, NativeEpoll.Memory wakeMemory) {
    this.calls = calls;
    this.epfd = epfd;
    this.eventfd = eventfd;
    this.max = max;
    this.waitMemory = waitMemory;
    this.wakeMemory = wakeMemory;
  }

  static EpollWaiter open(int... fds) {
    NativeEpoll calls = NativeEpoll.CALLS;
    if (calls == null) {
      throw Problem.EPOLL_UNAVAILABLE
          .with("reason", NativeEpoll.UNAVAILABLE.orElse("unknown"))
          .with("expected", "Java 22 or later on Linux, with native access allowed")
          .build();
    }
    if (fds == null || fds.length == 0) {
      throw Problem.BAD_WAITER_EPOLL_OVER_FDS
          .with("key", "fds")
          .with("value", fds == null ? null : Arrays.toString(fds))
          .with("expected", "at least one file descriptor")
          .build();
    }
    for (int fd : fds) {
      if (fd < 0) {
        throw Problem.BAD_WAITER_EPOLL_FD
            .with("key", "fds")
            .with("value", fd)
            .with("expected", "file descriptors, each at least 0")
            .build();
      }
    }
    int max = fds.length + 1;
    NativeEpoll.Memory waitMemory = calls.memory(max * calls.eventSize);
    NativeEpoll.Memory wakeMemory = calls.memory(16);
    int epfd = -1;
    int efd = -1;
    try {
      epfd = calls.epollCreate1(waitMemory, NativeEpoll.EPOLL_CLOEXEC);
      if (epfd < 0) {
        throw failed("epoll_create1", -1, waitMemory.errno());
      }
      efd = calls.eventfd(waitMemory, 0, NativeEpoll.EFD_CLOEXEC | NativeEpoll.EFD_NONBLOCK);
      if (efd < 0) {
        throw failed("eventfd", -1, waitMemory.errno());
      }
      add(calls, waitMemory, epfd, efd, NativeEpoll.EPOLLIN | NativeEpoll.EPOLLET, WAKE_TAG);
      for (int i = 0; i < fds.length; i++) {
        add(calls, waitMemory, epfd, fds[i], NativeEpoll.EPOLLIN, i);
      }
      return new EpollWaiter(calls, epfd, efd, max, waitMemory, wakeMemory);
    } catch (RuntimeException e) {
      if (efd >= 0) {
        calls.close(waitMemory, efd);
      }
      if (epfd >= 0) {
        calls.close(waitMemory, epfd);
      }
      waitMemory.close();
      wakeMemory.close();
      throw e;
    }
  }

  private static void add(NativeEpoll calls, NativeEpoll.Memory m, int epfd, int fd,
      int events, long tag) {
    m.buffer.putInt(0, events);
    m.buffer.putLong(calls.dataOffset, tag);
    if (calls.epollCtl(m, epfd, NativeEpoll.EPOLL_CTL_ADD, fd, m.address) < 0) {
      throw failed("epoll_ctl", fd, m.errno());
    }
  }

  private static BpfEventsException failed(String call, int fd, int errno) {
    return (fd >= 0 ? Problem.WAIT_FAILED_FD_ERRNO : Problem.WAIT_FAILED_ERRNO)
        .with("key", call)
        .with("value", fd)
        .with("errno", errno)
        .with("expected", "a pollable file descriptor (a ring buffer map, a perf event)")
        .with("call", call)
        .build();
  }

  @Override
  public boolean await(RecordSource source, long timeoutNanos) {
    if (source.hasPending()) {
      return true;
    }
    if (closed) {
      throw Problem.WAIT_FAILED_CLOSED
          .with("key", "epoll_wait")
          .with("value", epfd)
          .with("expected", "a waiter that is not closed")
          .build();
    }
    int millis;
    if (timeoutNanos < 0 || timeoutNanos == Long.MAX_VALUE) {
      millis = -1;
    } else {
      long ms = (timeoutNanos + 999_999L) / 1_000_000L; // rounded up: never early
      millis = (int) Math.min(ms, Integer.MAX_VALUE);
    }
    int n = calls.epollWait(waitMemory, epfd, waitMemory.address, max, millis);
    if (n < 0) {
      int errno = waitMemory.errno();
      if (errno == NativeEpoll.EINTR) {
        return source.hasPending();
      }
      throw failed("epoll_wait", epfd, errno);
    }
    boolean data = false;
    for (int i = 0; i < n; i++) {
      if (waitMemory.buffer.getLong(i * calls.eventSize + calls.dataOffset) != WAKE_TAG) {
        data = true;
      }
    }
    return data || source.hasPending();
  }

  @Override
  public void wakeup() {
    synchronized (wakeMemory) {
      if (closed) { // checked under the lock that close takes: never a closed or reused fd
        return;
      }
      wakeMemory.buffer.putLong(0, 1L);
      calls.write(wakeMemory, eventfd, wakeMemory.address, 8);
    }
  }

  @Override
  public Kind kind() {
    return Kind.EPOLL;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    synchronized (wakeMemory) {
      closed = true;
      calls.close(wakeMemory, eventfd);
      calls.close(wakeMemory, epfd);
    }
    waitMemory.close();
    wakeMemory.close();
  }
}
