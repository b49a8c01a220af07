package io.github.bpfevents.codec;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

/**
 * The C library's {@code epoll_create1}, {@code epoll_ctl}, {@code epoll_wait}, {@code
 * eventfd}, {@code write} and {@code close}, called through {@code java.lang.foreign} (final
 * in Java 22) without being compiled against it: the classes are looked up by name once,
 * and the calls go through method handles whose types use only {@code int}, {@code long}
 * and {@code Object}. The library is built for Java 17 and so runs there; this class is
 * only used where {@link #UNAVAILABLE} is empty.
 *
 * <p>Pointers are passed as {@code long} addresses (the same register as a pointer on the
 * 64-bit ABIs), into memory allocated from a shared arena and viewed as a ByteBuffer. Each
 * call captures {@code errno} into a segment of the caller's own ({@link Memory}), so calls
 * from several threads do not share one.
 */
final class NativeEpoll {
  static final int EPOLL_CTL_ADD = 1;
  static final int EPOLLIN = 0x001;
  static final int EPOLLET = 1 << 31;
  static final int EPOLL_CLOEXEC = 0x80000;
  static final int EFD_CLOEXEC = 0x80000;
  static final int EFD_NONBLOCK = 0x800;
  static final int EINTR = 4;

  /** Why epoll cannot be used here; empty when it can. */
  static final Optional<String> UNAVAILABLE;
  /** The calls, or null. */
  static final NativeEpoll CALLS;

  static {
    NativeEpoll calls = null;
    String why = null;
    try {
      calls = new NativeEpoll();
    } catch (Throwable e) { // any linkage or access failure means: not here
      why = reason(e);
    }
    CALLS = calls;
    UNAVAILABLE = Optional.ofNullable(why);
  }

  /** Size of {@code struct epoll_event}: packed on x86-64 (12 bytes), 16 elsewhere. */
  final int eventSize;
  /** Offset of the event's {@code data} (u64). */
  final int dataOffset;
  private final Class<?> arenaClass;
  private final Method ofShared;
  private final Method allocate;
  private final Method address;
  private final Method asByteBuffer;
  private final Method closeArena;
  private final long captureSize;
  private final int errnoOffset;
  private final MethodHandle create1;
  private final MethodHandle ctl;
  private final MethodHandle wait;
  private final MethodHandle eventfd;
  private final MethodHandle write;
  private final MethodHandle close;

  private static String reason(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t != t.getCause()) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
  }

  private NativeEpoll() throws ReflectiveOperationException {
    if (Runtime.version().feature() < 22) {
      throw new UnsupportedOperationException("java.lang.foreign is final from Java 22; this"
          + " is Java " + Runtime.version().feature());
    }
    if (!System.getProperty("os.name", "").equals("Linux")) {
      throw new UnsupportedOperationException("epoll is Linux's; this is "
          + System.getProperty("os.name"));
    }
    String arch = System.getProperty("os.arch", "");
    if (arch.equals("amd64") || arch.equals("x86_64")) {
      eventSize = 12;
      dataOffset = 4;
    } else if (arch.equals("aarch64") || arch.equals("riscv64")) {
      eventSize = 16;
      dataOffset = 8;
    } else {
      throw new UnsupportedOperationException("the layout of struct epoll_event on " + arch
          + " is not known here");
    }
    ClassLoader boot = null;
    Class<?> linkerC = Class.forName("java.lang.foreign.Linker", true, boot);
    Class<?> optionC = Class.forName("java.lang.foreign.Linker$Option", true, boot);
    Class<?> segmentC = Class.forName("java.lang.foreign.MemorySegment", true, boot);
    Class<?> descC = Class.forName("java.lang.foreign.FunctionDescriptor", true, boot);
    Class<?> layoutC = Class.forName("java.lang.foreign.MemoryLayout", true, boot);
    Class<?> valueC = Class.forName("java.lang.foreign.ValueLayout", true, boot);
    Class<?> pathC = Class.forName("java.lang.foreign.MemoryLayout$PathElement", true, boot);
    Class<?> lookupC = Class.forName("java.lang.foreign.SymbolLookup", true, boot);
    arenaClass = Class.forName("java.lang.foreign.Arena", true, boot);
    ofShared = arenaClass.getMethod("ofShared");
    allocate = arenaClass.getMethod("allocate", long.class, long.class);
    closeArena = arenaClass.getMethod("close");
    address = segmentC.getMethod("address");
    asByteBuffer = segmentC.getMethod("asByteBuffer");

    Object linker = linkerC.getMethod("nativeLinker").invoke(null);
    Object lookup = linkerC.getMethod("defaultLookup").invoke(linker);
    Object jint = valueC.getField("JAVA_INT").get(null);
    Object jlong = valueC.getField("JAVA_LONG").get(null);
    Object[] options = (Object[]) Array.newInstance(optionC, 1);
    options[0] = optionC.getMethod("captureCallState", String[].class)
        .invoke(null, (Object) new String[] {"errno"});
    Object stateLayout = optionC.getMethod("captureStateLayout").invoke(null);
    captureSize = (long) layoutC.getMethod("byteSize").invoke(stateLayout);
    Object[] path = (Object[]) Array.newInstance(pathC, 1);
    path[0] = pathC.getMethod("groupElement", String.class).invoke(null, "errno");
    errnoOffset = (int) (long) layoutC.getMethod("byteOffset", path.getClass())
        .invoke(stateLayout, (Object) path);
    Method find = lookupC.getMethod("find", String.class);
    Method of = descC.getMethod("of", layoutC, layoutC.arrayType());
    Method downcall = linkerC.getMethod("downcallHandle", segmentC, descC, options.getClass());

    class Binder {
      MethodHandle bind(String name, Object ret, Class<?> retType, Object... args)
          throws ReflectiveOperationException {
        Object symbol = ((Optional<?>) find.invoke(lookup, name)).orElseThrow(
            () -> new UnsupportedOperationException("the C library has no " + name));
        Object[] argLayouts = (Object[]) Array.newInstance(layoutC, args.length);
        System.arraycopy(args, 0, argLayouts, 0, args.length);
        Object desc = of.invoke(null, ret, argLayouts);
        MethodHandle h = (MethodHandle) downcall.invoke(linker, symbol, desc, options);
        // (MemorySegment state, args...) -> ret, seen as (Object state, args...) -> ret
        MethodType t = h.type().changeParameterType(0, Object.class);
        if (t.returnType() != retType) {
          throw new IllegalStateException(name + " returns " + t.returnType());
        }
        return h.asType(t);
      }
    }
    Binder b = new Binder();
    create1 = b.bind("epoll_create1", jint, int.class, jint);
    ctl = b.bind("epoll_ctl", jint, int.class, jint, jint, jint, jlong);
    wait = b.bind("epoll_wait", jint, int.class, jint, jlong, jint, jint);
    eventfd = b.bind("eventfd", jint, int.class, jint, jint);
    write = b.bind("write", jlong, long.class, jint, jlong, jlong);
    close = b.bind("close", jint, int.class, jint);
    // one round trip, so that a refusal (native access denied) shows here and not later
    try (Memory m = memory(16)) {
      int fd = eventfd(m, 0, EFD_CLOEXEC | EFD_NONBLOCK);
      if (fd < 0) {
        throw new IllegalStateException("eventfd failed: errno " + m.errno());
      }
      close(m, fd);
    }
  }

  /** Native memory of one owner: a buffer and the errno capture, freed by close. */
  final class Memory implements AutoCloseable {
    private final Object arena;
    private final Object state;
    /** The buffer's address. */
    final long address;
    /** The buffer, in the machine's byte order. */
    final ByteBuffer buffer;
    private final ByteBuffer stateView;

    Memory(int bytes) throws ReflectiveOperationException {
      arena = ofShared.invoke(null);
      Object seg = allocate.invoke(arena, (long) bytes, 8L);
      address = (long) NativeEpoll.this.address.invoke(seg);
      buffer = ((ByteBuffer) asByteBuffer.invoke(seg)).order(ByteOrder.nativeOrder());
      state = allocate.invoke(arena, captureSize, 8L);
      stateView = ((ByteBuffer) asByteBuffer.invoke(state)).order(ByteOrder.nativeOrder());
    }

    /** The errno captured by the last call made with this memory. */
    int errno() {
      return stateView.getInt(errnoOffset);
    }

    @Override
    public void close() {
      try {
        closeArena.invoke(arena);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  Memory memory(int bytes) {
    try {
      return new Memory(bytes);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("native memory for epoll: " + reason(e), e);
    }
  }

  int epollCreate1(Memory m, int flags) {
    try {
      return (int) create1.invokeExact(m.state, flags);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  int epollCtl(Memory m, int epfd, int op, int fd, long event) {
    try {
      return (int) ctl.invokeExact(m.state, epfd, op, fd, event);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  int epollWait(Memory m, int epfd, long events, int max, int timeoutMillis) {
    try {
      return (int) wait.invokeExact(m.state, epfd, events, max, timeoutMillis);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  int eventfd(Memory m, int initval, int flags) {
    try {
      return (int) eventfd.invokeExact(m.state, initval, flags);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  long write(Memory m, int fd, long buf, long count) {
    try {
      return (long) write.invokeExact(m.state, fd, buf, count);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  int close(Memory m, int fd) {
    try {
      return (int) close.invokeExact(m.state, fd);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  private static RuntimeException rethrow(Throwable t) {
    if (t instanceof RuntimeException) {
      return (RuntimeException) t;
    }
    if (t instanceof Error) {
      throw (Error) t;
    }
    return new IllegalStateException(t);
  }
}
