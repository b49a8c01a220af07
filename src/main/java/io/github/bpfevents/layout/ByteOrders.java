package io.github.bpfevents.layout;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Views of a {@link ByteBuffer} at absolute indexes with a fixed byte order, whatever the
 * buffer's own order, without allocating: records are little-endian, {@code be*} fields
 * big-endian. The readers and writers of {@link FieldType} use them.
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
}
