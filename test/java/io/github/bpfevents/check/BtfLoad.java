package io.github.bpfevents.check;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;

/**
 * {@code BPF_BTF_LOAD} (bpf command 18) from the test tree: hands a raw BTF blob to the
 * kernel, which checks every record, size and offset, and returns a file descriptor. The
 * attribute: btf u64 @0 (the blob), btf_log_buf u64 @8, btf_size u32 @16, btf_log_size
 * u32 @20, btf_log_level u32 @24.
 */
public final class BtfLoad {
  private static final long SYS_BPF = 321;
  private static final int BTF_LOAD = 18;
  private static final int LOG_SIZE = 1 << 20;

  private BtfLoad() {}

  /**
   * Loads a blob; on refusal the exception carries errno and the kernel's log.
   *
   * @param blob raw BTF
   * @return the BTF object's file descriptor (close it with {@link Bpf#close})
   * @throws Bpf.BpfError when the kernel refuses the blob
   */
  public static int load(byte[] blob) {
    Memory data = new Memory(Math.max(1, blob.length));
    data.write(0, blob, 0, blob.length);
    Memory log = new Memory(LOG_SIZE);
    log.clear();
    Memory attr = new Memory(128);
    attr.clear();
    attr.setLong(0, Pointer.nativeValue(data));
    attr.setLong(8, Pointer.nativeValue(log));
    attr.setInt(16, blob.length);
    attr.setInt(20, LOG_SIZE);
    attr.setInt(24, 1);
    long r = Bpf.LibC.INSTANCE.syscall(SYS_BPF, (long) BTF_LOAD, attr, 28L);
    if (r < 0) {
      int errno = Native.getLastError();
      throw new Bpf.BpfError("BTF_LOAD", errno,
          log.getString(0, StandardCharsets.UTF_8.name()));
    }
    return (int) r;
  }

  /**
   * Loads a blob and closes the descriptor at once.
   *
   * @param blob raw BTF
   * @throws Bpf.BpfError when the kernel refuses the blob
   */
  public static void check(byte[] blob) {
    Bpf.close(load(blob));
  }
}
