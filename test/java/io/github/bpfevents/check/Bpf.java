package io.github.bpfevents.check;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;

/**
 * The {@code bpf(2)} syscall from the test tree (JNA), with the attribute layouts of the
 * kernel's UAPI: create an array map, write and read its value, load a program and run it
 * with {@code BPF_PROG_TEST_RUN}. x86-64 only (syscall number 321).
 */
public final class Bpf {
  private static final long SYS_BPF = 321;
  private static final int MAP_CREATE = 0;
  private static final int MAP_LOOKUP_ELEM = 1;
  private static final int MAP_UPDATE_ELEM = 2;
  private static final int PROG_LOAD = 5;
  private static final int PROG_TEST_RUN = 10;
  private static final int MAP_TYPE_ARRAY = 2;
  /** {@code BPF_MAP_TYPE_RINGBUF}. */
  public static final int MAP_TYPE_RINGBUF = 27;
  /** {@code BPF_PROG_TYPE_SOCKET_FILTER}: runs under test-run, may call map helpers. */
  public static final int PROG_TYPE_SOCKET_FILTER = 1;
  /** {@code BPF_F_STRICT_ALIGNMENT}. */
  public static final int F_STRICT_ALIGNMENT = 1;
  private static final int EPERM = 1;
  private static final int ENOSYS = 38;

  interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

    long syscall(long number, Object... args);

    int close(int fd);
  }

  private Bpf() {}

  /** A failed bpf(2) call: the command, errno and, for loads, the verifier's log. */
  public static final class BpfError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** The errno. */
    public final int errno;

    BpfError(String what, int errno, String log) {
      super(what + " failed: errno " + errno + (log.isEmpty() ? "" : "\nverifier log:\n" + log));
      this.errno = errno;
    }
  }

  private static int call(int cmd, Memory attr, String what, String log) {
    long r = LibC.INSTANCE.syscall(SYS_BPF, (long) cmd, attr, attr.size());
    if (r < 0) {
      throw new BpfError(what, Native.getLastError(), log);
    }
    return (int) r;
  }

  private static Memory attr() {
    Memory m = new Memory(128);
    m.clear();
    return m;
  }

  /**
   * Skips (or under CI fails) the calling test if bpf(2) is not permitted here; the reason
   * is printed.
   */
  public static void requirePermitted() {
    if (!System.getProperty("os.arch").equals("amd64")
        || !System.getProperty("os.name").equals("Linux")) {
      Tools.unavailable("the bpf(2) checks run on x86-64 Linux only");
    }
    try {
      close(createArrayMap(8));
    } catch (BpfError e) {
      if (e.errno == EPERM || e.errno == ENOSYS) {
        Tools.unavailable("bpf(2) is not permitted here: " + e.getMessage());
      }
      throw e;
    }
  }

  /**
   * Creates an array map of one entry with a 4-byte key; the value starts zeroed.
   *
   * @param valueSize bytes of the value
   * @return the map's file descriptor
   */
  public static int createArrayMap(int valueSize) {
    return createMap(MAP_TYPE_ARRAY, 4, valueSize, 1);
  }

  /**
   * Creates a map.
   *
   * @param type the map type
   * @param keySize bytes of a key
   * @param valueSize bytes of a value
   * @param maxEntries entries (a ring buffer's data size)
   * @return the map's file descriptor
   */
  public static int createMap(int type, int keySize, int valueSize, int maxEntries) {
    Memory a = attr();
    a.setInt(0, type);
    a.setInt(4, keySize);
    a.setInt(8, valueSize);
    a.setInt(12, maxEntries);
    return call(MAP_CREATE, a, "MAP_CREATE", "");
  }

  /**
   * Writes entry 0 of an array map.
   *
   * @param mapFd the map
   * @param value exactly the value size
   */
  public static void update(int mapFd, byte[] value) {
    Memory key = new Memory(4);
    key.setInt(0, 0);
    Memory val = new Memory(value.length);
    val.write(0, value, 0, value.length);
    Memory a = attr();
    a.setInt(0, mapFd);
    a.setLong(8, Pointer.nativeValue(key));
    a.setLong(16, Pointer.nativeValue(val));
    call(MAP_UPDATE_ELEM, a, "MAP_UPDATE_ELEM", "");
  }

  /**
   * Writes one entry of a map with a 4-byte key (an array, a perf event array).
   *
   * @param mapFd the map
   * @param key the key
   * @param value exactly the value size
   */
  public static void update(int mapFd, int key, byte[] value) {
    Memory k = new Memory(4);
    k.setInt(0, key);
    Memory val = new Memory(value.length);
    val.write(0, value, 0, value.length);
    Memory a = attr();
    a.setInt(0, mapFd);
    a.setLong(8, Pointer.nativeValue(k));
    a.setLong(16, Pointer.nativeValue(val));
    call(MAP_UPDATE_ELEM, a, "MAP_UPDATE_ELEM", "");
  }

  /**
   * Reads entry 0 of an array map.
   *
   * @param mapFd the map
   * @param valueSize the value size
   * @return the value's bytes
   */
  public static byte[] lookup(int mapFd, int valueSize) {
    Memory key = new Memory(4);
    key.setInt(0, 0);
    Memory val = new Memory(valueSize);
    Memory a = attr();
    a.setInt(0, mapFd);
    a.setLong(8, Pointer.nativeValue(key));
    a.setLong(16, Pointer.nativeValue(val));
    call(MAP_LOOKUP_ELEM, a, "MAP_LOOKUP_ELEM", "");
    return val.getByteArray(0, valueSize);
  }

  /**
   * Loads a program; on rejection the exception carries the verifier's log.
   *
   * @param progType for example {@link #PROG_TYPE_SOCKET_FILTER}
   * @param code encoded instructions
   * @param progFlags for example {@link #F_STRICT_ALIGNMENT}, or 0
   * @return the program's file descriptor
   */
  public static int load(int progType, byte[] code, int progFlags) {
    Memory insns = new Memory(code.length);
    insns.write(0, code, 0, code.length);
    Memory license = new Memory(4);
    license.setString(0, "GPL", StandardCharsets.US_ASCII.name());
    int logSize = 1 << 20;
    Memory log = new Memory(logSize);
    log.clear();
    Memory a = attr();
    a.setInt(0, progType);
    a.setInt(4, code.length / 8);
    a.setLong(8, Pointer.nativeValue(insns));
    a.setLong(16, Pointer.nativeValue(license));
    a.setInt(24, 1);
    a.setInt(28, logSize);
    a.setLong(32, Pointer.nativeValue(log));
    a.setInt(44, progFlags);
    long r = LibC.INSTANCE.syscall(SYS_BPF, (long) PROG_LOAD, a, a.size());
    if (r < 0) {
      int errno = Native.getLastError();
      throw new BpfError("PROG_LOAD", errno, log.getString(0, StandardCharsets.UTF_8.name()));
    }
    return (int) r;
  }

  /**
   * Runs a program once with {@code BPF_PROG_TEST_RUN} on 64 zero bytes of packet data.
   * (The kernel waits for nothing: a run is synchronous, whatever other threads do.)
   *
   * @param progFd the program
   * @return the program's return value
   */
  public static int testRun(int progFd) {
    return testRun(progFd, 1);
  }

  /**
   * Runs a program {@code repeat} times in one {@code BPF_PROG_TEST_RUN} on 64 zero bytes
   * of packet data.
   *
   * @param progFd the program
   * @param repeat how many runs (the kernel loops; a u32)
   * @return the last run's return value
   */
  public static int testRun(int progFd, int repeat) {
    Memory data = new Memory(64);
    data.clear();
    Memory a = attr();
    a.setInt(0, progFd);
    a.setInt(8, 64);
    a.setLong(16, Pointer.nativeValue(data));
    a.setInt(32, repeat);
    call(PROG_TEST_RUN, a, "PROG_TEST_RUN", "");
    return a.getInt(4);
  }

  /**
   * Runs a program once with {@code BPF_PROG_TEST_RUN} without packet data or context, as
   * raw-tracepoint and syscall programs are run.
   *
   * @param progFd the program
   * @return the program's return value
   */
  public static int testRunNoData(int progFd) {
    Memory a = attr();
    a.setInt(0, progFd);
    call(PROG_TEST_RUN, a, "PROG_TEST_RUN", "");
    return a.getInt(4);
  }

  /**
   * Closes a file descriptor.
   *
   * @param fd the descriptor
   */
  public static void close(int fd) {
    LibC.INSTANCE.close(fd);
  }
}
