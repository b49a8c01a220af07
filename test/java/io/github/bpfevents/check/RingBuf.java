package io.github.bpfevents.check;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;

/**
 * A {@code BPF_MAP_TYPE_RINGBUF} created with bpf(2) and mapped into this process with
 * mmap(2), as the kernel documents it: the consumer page read-write at offset 0, the
 * producer page and the data area (mapped twice) read-only from offset one page.
 */
public final class RingBuf implements AutoCloseable {
  private static final int PROT_READ = 1;
  private static final int PROT_WRITE = 2;
  private static final int MAP_SHARED = 1;

  interface Mm extends Library {
    Mm INSTANCE = Native.load("c", Mm.class);

    Pointer mmap(Pointer addr, long length, int prot, int flags, int fd, long offset);

    int munmap(Pointer addr, long length);

    int getpagesize();
  }

  /** The map's file descriptor. */
  public final int fd;
  /** The page size. */
  public final int pageSize;
  /** The data area's size (max_entries). */
  public final int size;
  /** The consumer page, read-write. */
  public final ByteBuffer consumer;
  /** The producer page and the data area twice, read-only. */
  public final ByteBuffer producer;
  private final Pointer consumerMap;
  private final Pointer producerMap;

  private RingBuf(int fd, int pageSize, int size, Pointer c, Pointer p) {
    this.fd = fd;
    this.pageSize = pageSize;
    this.size = size;
    this.consumerMap = c;
    this.producerMap = p;
    this.consumer = c.getByteBuffer(0, pageSize);
    this.producer = p.getByteBuffer(0, pageSize + 2L * size);
  }

  /**
   * Creates and maps a ring buffer.
   *
   * @param size the data area's size: a power of two, a multiple of the page size
   * @return the mapped ring buffer
   */
  public static RingBuf create(int size) {
    int fd = Bpf.createMap(Bpf.MAP_TYPE_RINGBUF, 0, 0, size);
    int page = Mm.INSTANCE.getpagesize();
    Pointer c = Mm.INSTANCE.mmap(null, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    Pointer p = Mm.INSTANCE.mmap(null, page + 2L * size, PROT_READ, MAP_SHARED, fd, page);
    if (Pointer.nativeValue(c) == -1 || Pointer.nativeValue(p) == -1) {
      Bpf.close(fd);
      throw new IllegalStateException("mmap of the ring buffer failed: errno "
          + Native.getLastError());
    }
    return new RingBuf(fd, page, size, c, p);
  }

  @Override
  public void close() {
    Mm.INSTANCE.munmap(consumerMap, pageSize);
    Mm.INSTANCE.munmap(producerMap, pageSize + 2L * size);
    Bpf.close(fd);
  }
}
