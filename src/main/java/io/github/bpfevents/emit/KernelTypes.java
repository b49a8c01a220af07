package io.github.bpfevents.emit;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Problem;
import io.github.bpfevents.btf.Btf;
import io.github.bpfevents.btf.BtfKind;
import io.github.bpfevents.btf.BtfType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Kernel struct paths resolved over a BTF type table: {@code [task_struct, real_parent,
 * tgid]} becomes the offsets of the pointers to follow and of the value at the end.
 *
 * <p>Members are found by name through typedefs and {@code const}/{@code volatile}/
 * {@code restrict}/type-tag chains, inside anonymous struct and union members as C11
 * reaches them (by their own names); a step after a pointer follows it (one kernel read
 * per hop). A bitfield cannot be read by whole bytes and is refused.
 */
final class KernelTypes {
  private static final int MAX_CHAIN = 32;
  /** The most steps a path may take (each pointer hop is a kernel read). */
  static final int MAX_STEPS = 64;

  private KernelTypes() {}

  /**
   * A path resolved: read 8 bytes at {@code base + hops[0]} to get the next base, and so on;
   * then {@code size} bytes at {@code base + offset}.
   *
   * @param path the path as given
   * @param hops the offsets of the pointers followed, in order
   * @param offset the value's offset from the last base
   * @param size the value's size in bytes
   * @param type the value's type as C writes it
   */
  record Resolved(List<String> path, List<Long> hops, long offset, long size, String type) {}

  /**
   * Resolves a path.
   *
   * @param btf the type table
   * @param path a struct name, then member names
   * @return the hops, offset and size
   * @throws BpfEventsException {@code unknown-struct}, {@code unknown-member} (naming the
   *     struct and listing its members), {@code bad-kernel-path}
   */
  static Resolved resolve(Btf btf, List<String> path) {
    if (path == null || path.size() < 2 || path.size() > MAX_STEPS
        || path.stream().anyMatch(java.util.Objects::isNull)) {
      throw Problem.BAD_KERNEL_PATH
          .with("value", path)
            .with("path", path)
          .with("expected", "a struct name, then at least one member name")
          .build();
    }
    int type = btf.requireStruct(path.get(0));
    String where = "struct " + path.get(0);
    List<Long> hops = new ArrayList<>();
    long offset = 0;
    for (int i = 1; i < path.size(); i++) {
      String name = path.get(i);
      int t = strip(btf, type);
      BtfType tt = t == 0 ? null : btf.type(t);
      if (tt != null && tt.kind() == BtfKind.PTR) {
        hops.add(offset);
        offset = 0;
        t = strip(btf, tt.type());
        tt = t == 0 ? null : btf.type(t);
      }
      if (tt == null || (tt.kind() != BtfKind.STRUCT && tt.kind() != BtfKind.UNION)) {
        throw Problem.BAD_KERNEL_PATH_MEMBERS
            .with("value", path)
            .with("path", path)
            .with("member", name)
            .with("type", btf.describe(type))
            .with("expected", "a struct or union, or a pointer to one, before each member")
            .with("where", where)
            .with("described", btf.describe(type))
            .build();
      }
      long[] found = new long[2];
      if (!find(btf, tt, name, 0, found, 0)) {
        List<String> names = new ArrayList<>();
        memberNames(btf, tt, names, 0);
        throw Problem.UNKNOWN_MEMBER
            .with("value", path)
            .with("path", path)
            .with("struct", btf.describe(t))
            .with("member", name)
            .with("expected", "one of {accepted}")
            .with("accepted", names)
            .build();
      }
      BtfType.Member m = memberAt(btf, tt, name, 0);
      if (m.bitfieldSize() != 0 || found[0] % 8 != 0 || partialInt(btf, m.type())) {
        throw Problem.BAD_KERNEL_PATH_MEMBER_BITFIELD
            .with("value", path)
            .with("path", path)
            .with("member", name)
            .with("struct", btf.describe(t))
            .with("expected", "a member of whole bytes")
            .build();
      }
      offset += found[0] / 8;
      type = (int) found[1];
      where = "member " + name;
    }
    long size = sizeOf(btf, type, 0);
    if (size <= 0) {
      throw Problem.BAD_KERNEL_PATH_ENDS_SIZE
          .with("value", path)
            .with("path", path)
          .with("type", btf.describe(type))
          .with("expected", "a path ending at a value with a size")
          .with("described", btf.describe(type))
          .build();
    }
    return new Resolved(List.copyOf(path), Collections.unmodifiableList(hops), offset, size,
        btf.describe(type));
  }

  /** The id past typedefs and qualifiers. */
  private static int strip(Btf btf, int id) {
    int at = id;
    for (int n = 0; at != 0 && n <= MAX_CHAIN; n++) {
      BtfType t = btf.type(at);
      if (t.kind() != BtfKind.TYPEDEF && !t.kind().qualifier()) {
        return at;
      }
      at = t.type();
    }
    return at == 0 ? 0 : badChain(btf, id);
  }

  private static int badChain(Btf btf, int id) {
    throw Problem.BAD_BTF_TYPEDEF_CHAIN
        .with("source", btf.source())
        .with("value", id)
        .with("expected", "chains of at most " + MAX_CHAIN + " typedefs and qualifiers")
        .with("max-chain", MAX_CHAIN)
        .build();
  }

  /** Finds a member by name, into anonymous members; found = {bit offset, type id}. */
  private static boolean find(Btf btf, BtfType s, String name, long base, long[] found,
      int depth) {
    if (depth > MAX_CHAIN) {
      return false;
    }
    for (BtfType.Member m : s.members()) {
      long bits = base + m.bitOffset();
      if (m.name().equals(name)) {
        found[0] = bits;
        found[1] = m.type();
        return true;
      }
      if (m.name().isEmpty()) {
        int t = strip(btf, m.type());
        if (t != 0) {
          BtfType inner = btf.type(t);
          if ((inner.kind() == BtfKind.STRUCT || inner.kind() == BtfKind.UNION)
              && find(btf, inner, name, bits, found, depth + 1)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static BtfType.Member memberAt(Btf btf, BtfType s, String name, int depth) {
    for (BtfType.Member m : s.members()) {
      if (m.name().equals(name)) {
        return m;
      }
      if (m.name().isEmpty() && depth <= MAX_CHAIN) {
        int t = strip(btf, m.type());
        if (t != 0) {
          BtfType inner = btf.type(t);
          if (inner.kind() == BtfKind.STRUCT || inner.kind() == BtfKind.UNION) {
            BtfType.Member in = memberAt(btf, inner, name, depth + 1);
            if (in != null) {
              return in;
            }
          }
        }
      }
    }
    return null;
  }

  private static void memberNames(Btf btf, BtfType s, List<String> out, int depth) {
    for (BtfType.Member m : s.members()) {
      if (!m.name().isEmpty()) {
        out.add(m.name());
      } else if (depth <= MAX_CHAIN) {
        int t = strip(btf, m.type());
        if (t != 0) {
          BtfType inner = btf.type(t);
          if (inner.kind() == BtfKind.STRUCT || inner.kind() == BtfKind.UNION) {
            memberNames(btf, inner, out, depth + 1);
          }
        }
      }
    }
  }

  /** Whether the type is an INT narrower than its bytes or not at bit 0 (an old-style bitfield). */
  private static boolean partialInt(Btf btf, int id) {
    int t = strip(btf, id);
    if (t == 0) {
      return false;
    }
    return btf.type(t) instanceof BtfType.Int i
        && (i.bitOffset() != 0 || i.bits() != 8 * i.size());
  }

  private static long sizeOf(Btf btf, int id, int depth) {
    int t = strip(btf, id);
    if (t == 0 || depth > MAX_CHAIN) {
      return 0;
    }
    BtfType tt = btf.type(t);
    if (tt instanceof BtfType.Array a) {
      return a.count() * sizeOf(btf, a.elementType(), depth + 1);
    }
    return switch (tt.kind()) {
      case INT, ENUM, ENUM64, STRUCT, UNION, FLOAT -> tt.size();
      case PTR -> 8;
      default -> 0;
    };
  }
}
