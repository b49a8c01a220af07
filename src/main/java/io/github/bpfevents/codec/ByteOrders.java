package io.github.bpfevents.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads and writes of fixed byte order at absolute indexes of a {@link ByteBuffer},
 * whatever the buffer's own order, without allocating: records are little-endian,
 * {@code be*} fields big-endian.
 */
final class ByteOrders {
  static final VarHandle LE16 = view(short[].class, ByteOrder.LITTLE_ENDIAN);
  static final VarHandle LE32 = view(int[].class, ByteOrder.LITTLE_ENDIAN);
  static final VarHandle LE64 = view(long[].class, ByteOrder.LITTLE_ENDIAN);
  static final VarHandle BE16 = view(short[].class, ByteOrder.BIG_ENDIAN);
  static final VarHandle BE32 = view(int[].class, ByteOrder.BIG_ENDIAN);
  static final VarHandle BE64 = view(long[].class, ByteOrder.BIG_ENDIAN);

  private ByteOrders() {}

  private static VarHandle view(Class<?> array, ByteOrder order) {
    return MethodHandles.byteBufferViewVarHandle(array, order);
  }

  static short le16(ByteBuffer b, int i) {
    return (short) LE16.get(b, i);
  }

  static int le32(ByteBuffer b, int i) {
    return (int) LE32.get(b, i);
  }

  static long le64(ByteBuffer b, int i) {
    return (long) LE64.get(b, i);
  }

  static short be16(ByteBuffer b, int i) {
    return (short) BE16.get(b, i);
  }

  static int be32(ByteBuffer b, int i) {
    return (int) BE32.get(b, i);
  }

  static long be64(ByteBuffer b, int i) {
    return (long) BE64.get(b, i);
  }
}
