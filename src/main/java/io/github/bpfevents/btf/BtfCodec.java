package io.github.bpfevents.btf;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Problem;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;

/**
 * The wire form of one BTF type record, both ways: {@link #check} (the reader's pass over
 * a type section, allocating nothing), {@link #decode} (bytes to a {@link BtfType}) and
 * {@link #encode} (a {@link BtfType} to bytes). The reader and the writer use this one
 * class, so what is read is what is written: for every record {@link #check} accepts,
 * {@code encode(decode(bytes))} is those bytes.
 *
 * <p>A record is 12 bytes ({@code name_off}, {@code info}, {@code size} or {@code type})
 * and its kind's data ({@link BtfKind#trailingBytes}). What {@link #check} accepts is what
 * the kernel's BTF checker accepts of a record's own words, since only that has a record
 * to hold it:
 *
 * <ul>
 *   <li>{@code info}: a kind from 1 to 19 in bits 24 to 28, bits 16 to 23 and 29 to 30
 *       clear, a vlen only for the kinds that have one (and FUNC, whose vlen is its
 *       linkage), the kind flag only for STRUCT, UNION, ENUM, ENUM64, FWD, DECL_TAG and
 *       TYPE_TAG;
 *   <li>no name for PTR, ARRAY, VOLATILE, CONST, RESTRICT and FUNC_PROTO; a third word of
 *       0 for ARRAY and FWD; an INT's data word with its unused bits (8 to 15, 28 to 31)
 *       clear;
 *   <li>every name offset inside the string section, every name shorter than
 *       {@link BtfStrings#KSYM_NAME_LEN} bytes.
 * </ul>
 *
 * <p>Type ids a record refers to are not checked here: {@link Btf#type} refuses an id
 * outside the table when it is followed.
 */
final class BtfCodec {
  /** The bytes of {@code struct btf_type}. */
  static final int RECORD = 12;

  private static final int INFO_UNUSED = 0x60ff0000;
  private static final int INT_UNUSED = 0xf000ff00;

  private BtfCodec() {}

  /**
   * The bytes of a record whose info word this is (its kind known).
   *
   * @param info the info word
   * @return 12 plus its kind's data
   */
  static long length(int info) {
    BtfKind kind = BtfKind.of((info >>> 24) & 0x1f);
    return RECORD + kind.trailingBytes(info & 0xffff);
  }

  /** Whether the kind has a vlen of items (FUNC's vlen is its linkage, kept too). */
  private static boolean hasVlen(BtfKind k) {
    return switch (k) {
      case STRUCT, UNION, ENUM, ENUM64, FUNC_PROTO, DATASEC, FUNC -> true;
      default -> false;
    };
  }

  private static boolean hasKindFlag(BtfKind k) {
    return switch (k) {
      case STRUCT, UNION, ENUM, ENUM64, FWD, DECL_TAG, TYPE_TAG -> true;
      default -> false;
    };
  }

  /** Whether records of the kind have a name (the others' name_off is 0). */
  static boolean named(BtfKind k) {
    return switch (k) {
      case PTR, ARRAY, VOLATILE, CONST, RESTRICT, FUNC_PROTO -> false;
      default -> true;
    };
  }

  /**
   * Checks the record at an offset of a type section and says where the next one starts.
   *
   * @param b the bytes, little-endian
   * @param at where the record starts
   * @param end where the type section ends
   * @param id the record's type id, for messages
   * @param strings the string section, for its names
   * @param source the blob's name, for messages
   * @return the offset after the record
   * @throws BpfEventsException naming the type id and what is wrong
   */
  static int check(ByteBuffer b, int at, int end, int id, BtfStrings strings,
      String source) {
    if (end - at < RECORD) {
      throw Problem.BAD_BTF_TYPE_CUT_SHORT
          .with("source", source)
          .with("value", end - at)
          .with("expected", "whole type records")
          .with("id", id)
          .build();
    }
    int nameOff = b.getInt(at);
    int info = b.getInt(at + 4);
    int third = b.getInt(at + 8);
    int code = (info >>> 24) & 0x1f;
    if (code == 0 || code > 19) {
      throw Problem.BAD_BTF_TYPE_UNKNOWN_KIND
          .with("source", source)
          .with("value", code)
          .with("expected", "a kind from 1 (INT) to 19 (ENUM64)")
          .with("id", id)
          .build();
    }
    BtfKind kind = BtfKind.of(code);
    int vlen = info & 0xffff;
    if ((info & INFO_UNUSED) != 0) {
      throw Problem.BAD_BTF_INFO_UNUSED_BITS
          .with("source", source)
          .with("value", String.format("0x%08x", info))
          .with("expected", "bits 16 to 23 and 29 to 30 clear")
          .with("id", id)
          .with("kind", String.valueOf(kind))
          .build();
    }
    if (vlen != 0 && !hasVlen(kind)) {
      throw Problem.BAD_BTF_TYPE_VLEN
          .with("source", source)
          .with("value", vlen)
          .with("expected", "vlen 0 for a " + kind)
          .with("id", id)
          .with("kind", String.valueOf(kind))
          .build();
    }
    if (info < 0 && !hasKindFlag(kind)) {
      throw Problem.BAD_BTF_KIND_FLAG
          .with("source", source)
          .with("value", 1)
          .with("expected", "kind flag 0 for a " + kind)
          .with("id", id)
          .with("kind", String.valueOf(kind))
          .build();
    }
    long next = (long) at + RECORD + kind.trailingBytes(vlen);
    if (next > end) {
      throw Problem.BAD_BTF_TYPE_PAST_END
          .with("source", source)
          .with("value", next - end)
          .with("expected", "whole type records")
          .with("id", id)
          .with("kind", String.valueOf(kind))
          .with("vlen", vlen)
          .build();
    }
    if (nameOff != 0 && !named(kind)) {
      throw Problem.BAD_BTF_TYPE_NAME_OFFSET
          .with("source", source)
          .with("value", nameOff & 0xffffffffL)
          .with("expected", "no name for a " + kind + ", as the kernel requires")
          .with("id", id)
          .with("kind", String.valueOf(kind))
          .build();
    }
    strings.check(nameOff & 0xffffffffL, id);
    if (third != 0 && (kind == BtfKind.ARRAY || kind == BtfKind.FWD)) {
      throw Problem.BAD_BTF_TYPE_SIZE_WORD
          .with("source", source)
          .with("value", third & 0xffffffffL)
          .with("expected", "0 for a " + kind + ", as the kernel requires")
          .with("id", id)
          .with("kind", String.valueOf(kind))
          .build();
    }
    int data = at + RECORD;
    switch (kind) {
      case INT -> {
        int word = b.getInt(data);
        if ((word & INT_UNUSED) != 0) {
          throw Problem.BAD_BTF_INT_UNUSED_BITS
              .with("source", source)
              .with("value", String.format("0x%08x", word))
              .with("expected", "bits 8 to 15 and 28 to 31 clear")
              .with("id", id)
              .build();
        }
      }
      case STRUCT, UNION, ENUM, ENUM64, FUNC_PROTO -> {
        int step = (int) kind.trailingBytes(1);
        for (int i = 0; i < vlen; i++) {
          strings.check(b.getInt(data + step * i) & 0xffffffffL, id);
        }
      }
      default -> { }
    }
    return (int) next;
  }

  /**
   * Decodes the record at an offset, which {@link #check} accepted.
   *
   * @param b the bytes, little-endian
   * @param at where the record starts
   * @param names the name at a {@code name_off}
   * @return the record
   */
  static BtfType decode(ByteBuffer b, int at, IntFunction<String> names) {
    int info = b.getInt(at + 4);
    BtfKind kind = BtfKind.of((info >>> 24) & 0x1f);
    int vlen = info & 0xffff;
    boolean flag = info < 0;
    int third = b.getInt(at + 8);
    long size = third & 0xffffffffL;
    int data = at + RECORD;
    String name = named(kind) ? names.apply(b.getInt(at)) : "";
    return switch (kind) {
      case INT -> {
        int w = b.getInt(data);
        yield new BtfType.Int(name, size, (w >>> 24) & 0xf, (w >>> 16) & 0xff, w & 0xff);
      }
      case PTR -> new BtfType.Ptr(third);
      case ARRAY -> new BtfType.Array(b.getInt(data), b.getInt(data + 4),
          b.getInt(data + 8) & 0xffffffffL);
      case STRUCT, UNION -> {
        List<BtfType.Member> ms = new ArrayList<>(vlen);
        for (int i = 0; i < vlen; i++) {
          int m = data + 12 * i;
          long off = b.getInt(m + 8) & 0xffffffffL;
          ms.add(new BtfType.Member(names.apply(b.getInt(m)), b.getInt(m + 4),
              flag ? off & 0xffffff : off, flag ? (int) (off >>> 24) : 0));
        }
        yield kind == BtfKind.STRUCT ? new BtfType.Struct(name, size, flag, ms)
            : new BtfType.Union(name, size, flag, ms);
      }
      case ENUM -> {
        List<BtfType.Enumerator> vs = new ArrayList<>(vlen);
        for (int i = 0; i < vlen; i++) {
          int v = b.getInt(data + 8 * i + 4);
          vs.add(new BtfType.Enumerator(names.apply(b.getInt(data + 8 * i)),
              flag ? v : v & 0xffffffffL));
        }
        yield new BtfType.Enum(name, size, flag, vs);
      }
      case ENUM64 -> {
        List<BtfType.Enumerator> vs = new ArrayList<>(vlen);
        for (int i = 0; i < vlen; i++) {
          int e = data + 12 * i;
          long v = (b.getInt(e + 4) & 0xffffffffL) | (long) b.getInt(e + 8) << 32;
          vs.add(new BtfType.Enumerator(names.apply(b.getInt(e)), v));
        }
        yield new BtfType.Enum64(name, size, flag, vs);
      }
      case FWD -> new BtfType.Fwd(name, flag);
      case TYPEDEF -> new BtfType.Typedef(name, third);
      case VOLATILE -> new BtfType.Volatile(third);
      case CONST -> new BtfType.Const(third);
      case RESTRICT -> new BtfType.Restrict(third);
      case FUNC -> new BtfType.Func(name, third, vlen);
      case FUNC_PROTO -> {
        List<BtfType.Param> ps = new ArrayList<>(vlen);
        for (int i = 0; i < vlen; i++) {
          ps.add(new BtfType.Param(names.apply(b.getInt(data + 8 * i)),
              b.getInt(data + 8 * i + 4)));
        }
        yield new BtfType.FuncProto(third, ps);
      }
      case VAR -> new BtfType.Var(name, third, b.getInt(data));
      case DATASEC -> {
        List<BtfType.SecInfo> vs = new ArrayList<>(vlen);
        for (int i = 0; i < vlen; i++) {
          int v = data + 12 * i;
          vs.add(new BtfType.SecInfo(b.getInt(v), b.getInt(v + 4) & 0xffffffffL,
              b.getInt(v + 8) & 0xffffffffL));
        }
        yield new BtfType.Datasec(name, size, vs);
      }
      case FLOAT -> new BtfType.Float(name, size);
      case DECL_TAG -> new BtfType.DeclTag(name, third, b.getInt(data), flag);
      case TYPE_TAG -> new BtfType.TypeTag(name, third, flag);
    };
  }

  /**
   * The bytes a record takes on the wire.
   *
   * @param t the record
   * @return 12 plus its kind's data
   */
  static long length(BtfType t) {
    return RECORD + t.kind().trailingBytes(t.kind() == BtfKind.FUNC ? 0 : t.vlen());
  }

  /**
   * Encodes a record.
   *
   * @param t the record
   * @param id its type id, for messages
   * @param count the ids the table holds: every id a record refers to is at most this
   * @param names the {@code name_off} of a name
   * @param out where to put it, little-endian, at its position
   * @throws BpfEventsException for a value that does not fit its word, or an id past the
   *     table
   */
  static void encode(BtfType t, int id, int count, ToIntFunction<String> names,
      ByteBuffer out) {
    BtfKind kind = t.kind();
    if (t.vlen() < 0 || t.vlen() > 0xffff) {
      throw tooLarge(id, "vlen", t.vlen(), "at most 65535 (BTF_MAX_VLEN) items");
    }
    int info = kind.code() << 24 | t.vlen() | (t.kindFlag() ? 1 << 31 : 0);
    out.putInt(named(kind) ? names.applyAsInt(t.name()) : 0).putInt(info);
    if (t instanceof BtfType.Int i) {
      out.putInt(u32(i.size(), id, "size")).putInt(i.intData());
    } else if (t instanceof BtfType.Array a) {
      out.putInt(0).putInt(ref(a.elementType(), id, count))
          .putInt(ref(a.indexType(), id, count)).putInt(u32(a.count(), id, "count"));
    } else if (t instanceof BtfType.Struct || t instanceof BtfType.Union) {
      out.putInt(u32(t.size(), id, "size"));
      long limit = t.kindFlag() ? 0xffffff : 0xffffffffL;
      for (BtfType.Member m : t.members()) {
        int maxBits = t.kindFlag() ? 0xff : 0;
        if (m.bitOffset() < 0 || m.bitOffset() > limit || m.bitfieldSize() < 0
            || m.bitfieldSize() > maxBits) {
          throw Problem.BTF_TOO_LARGE_TYPE_MEMBER_BIT
              .with("value", m.bitOffset())
              .with("member", m.name())
              .with("expected", "a bit offset of at most " + limit + " and a bitfield size"
                  + " of at most " + maxBits + " (kind flag " + (t.kindFlag() ? 1 : 0) + ")")
              .with("id", id)
              .with("bitfield-size", String.valueOf(m.bitfieldSize()))
              .build();
        }
        long word = t.kindFlag() ? (long) m.bitfieldSize() << 24 | m.bitOffset()
            : m.bitOffset();
        out.putInt(names.applyAsInt(m.name())).putInt(ref(m.type(), id, count))
            .putInt((int) word);
      }
    } else if (t instanceof BtfType.Enum e) {
      out.putInt(u32(e.size(), id, "size"));
      for (BtfType.Enumerator v : e.values()) {
        out.putInt(names.applyAsInt(v.name())).putInt((int) v.value());
      }
    } else if (t instanceof BtfType.Enum64 e) {
      out.putInt(u32(e.size(), id, "size"));
      for (BtfType.Enumerator v : e.values()) {
        out.putInt(names.applyAsInt(v.name())).putInt((int) v.value())
            .putInt((int) (v.value() >>> 32));
      }
    } else if (t instanceof BtfType.Fwd) {
      out.putInt(0);
    } else if (t instanceof BtfType.FuncProto p) {
      out.putInt(ref(p.returnType(), id, count));
      for (BtfType.Param a : p.params()) {
        out.putInt(names.applyAsInt(a.name())).putInt(ref(a.type(), id, count));
      }
    } else if (t instanceof BtfType.Var v) {
      out.putInt(ref(v.type(), id, count)).putInt(v.linkage());
    } else if (t instanceof BtfType.Datasec d) {
      out.putInt(u32(d.size(), id, "size"));
      for (BtfType.SecInfo v : d.vars()) {
        out.putInt(ref(v.type(), id, count)).putInt(u32(v.offset(), id, "offset"))
            .putInt(u32(v.size(), id, "size"));
      }
    } else if (t instanceof BtfType.Float f) {
      out.putInt(u32(f.size(), id, "size"));
    } else if (t instanceof BtfType.DeclTag d) {
      out.putInt(ref(d.type(), id, count)).putInt(d.componentIdx());
    } else if (t instanceof BtfType.Func f) {
      if (f.linkage() < 0 || f.linkage() > 0xffff) {
        throw tooLarge(id, "linkage", f.linkage(), "at most 65535 (it is the vlen)");
      }
      out.putInt(ref(f.type(), id, count));
    } else {
      // PTR, TYPEDEF, VOLATILE, CONST, RESTRICT, TYPE_TAG: one type id
      out.putInt(ref(t.type(), id, count));
    }
  }

  private static int u32(long v, int id, String what) {
    if (v < 0 || v > 0xffffffffL) {
      throw tooLarge(id, what, v, "an unsigned 32-bit value");
    }
    return (int) v;
  }

  private static BpfEventsException tooLarge(int id, String what, long v, String expected) {
    return Problem.BTF_TOO_LARGE_TYPE_FIT
        .with("value", v)
        .with("expected", expected)
        .with("id", id)
        .with("what", what)
        .build();
  }

  private static int ref(int target, int id, int count) {
    if (target < 0 || target > count) {
      throw Problem.BAD_BTF_REFERS_UNWRITTEN
          .with("value", target & 0xffffffffL)
          .with("expected", "an id from 0 to " + count)
          .with("id", id)
          .build();
    }
    return target;
  }
}
