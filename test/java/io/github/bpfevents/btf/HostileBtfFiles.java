package io.github.bpfevents.btf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Hostile BTF, built here (no binaries in the repository): one file or more for each way
 * a file can cost a reader memory or time out of proportion, or fail to come back from an
 * import. Each is raw BTF, as {@link BtfWriter#encode} writes records (so names are in the
 * string section once and shared by offset) or as {@link #raw} puts bytes together.
 */
public final class HostileBtfFiles {
  private HostileBtfFiles() {}

  /** A name of n bytes. */
  static String name(char c, int n) {
    return String.valueOf(c).repeat(n);
  }

  static BtfType.Member m(String name, int type, long bitOffset) {
    return new BtfType.Member(name, type, bitOffset, 0);
  }

  /**
   * Raw BTF of a type section and a string section as given, the writer's header.
   *
   * @param types the type section
   * @param strings the string section
   * @return the blob
   */
  public static byte[] raw(byte[] types, byte[] strings) {
    ByteBuffer b = ByteBuffer.allocate(24 + types.length + strings.length)
        .order(ByteOrder.LITTLE_ENDIAN);
    b.putShort((short) 0xeb9f).put((byte) 1).put((byte) 0).putInt(24);
    b.putInt(0).putInt(types.length).putInt(types.length).putInt(strings.length);
    b.put(types).put(strings);
    return b.array();
  }

  /** 1. One 1 MiB name named by 1,000 records (refused: longer than KSYM_NAME_LEN). */
  static byte[] hugeNameManyReferences() {
    List<BtfType> t = new ArrayList<>();
    String big = name('n', 1 << 20);
    for (int i = 0; i < 1000; i++) {
      t.add(new BtfType.Typedef(big, 0));
    }
    return BtfWriter.encode(t);
  }

  /** 1. 65,535 members named by one 511-byte name (the longest accepted), one offset. */
  static byte[] oneNameManyMembers() {
    List<BtfType.Member> ms = new ArrayList<>();
    String n = name('m', BtfStrings.KSYM_NAME_LEN - 1);
    for (int i = 0; i < 0xffff; i++) {
      ms.add(m(n, 1, 32L * i));
    }
    return BtfWriter.encode(List.of(BtfType.integer("int", 4, BtfType.INT_SIGNED),
        BtfType.struct("wide", 4L * 0xffff, ms)));
  }

  /**
   * 1. 65,535 members named by 65,535 overlapping names: each offset one past the last, in
   * runs of 510 letters, so that the names together are 250 times the string section.
   */
  static byte[] overlappingNames() {
    int members = 0xffff;
    byte[] strings = new byte[members + members / 500 * 8 + 2048];
    for (int i = 1; i < strings.length - 1; i++) {
      int p = i % 511;
      int run = i / 511;
      // the last four letters of a run spell its number: no two names are the same
      strings[i] = (byte) (p == 0 ? 0 : p < 507 ? 'a' + p % 26
          : 'a' + run / (int) Math.pow(26, 510 - p) % 26);
    }
    ByteBuffer b = ByteBuffer.allocate(16 + 16 + 12 * members).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(0).putInt(1 << 24).putInt(1).putInt(8);                       // 1: an INT
    b.putInt(1).putInt(4 << 24 | members).putInt(members);                   // 2: a struct
    int n = 0;
    for (int off = 1; n < members; off++) {
      if (off % 511 == 0 || off % 511 > 506) {
        continue; // not a name of five letters or more (an empty one is anonymous)
      }
      b.putInt(off).putInt(1).putInt(8 * n);
      n++;
    }
    return raw(java.util.Arrays.copyOf(b.array(), b.position()), strings);
  }

  /**
   * 1 and 7. 65,535 members of distinct 240-byte names: 15.8 MB, near BTF_MAX_SIZE, every
   * byte of the string section a name that import, check and the writer see.
   */
  static byte[] longDistinctNames() {
    List<BtfType.Member> ms = new ArrayList<>();
    for (int i = 0; i < 0xffff; i++) {
      String n = "m" + i + "_";
      ms.add(m(n + name('z', 240 - n.length()), 1, 8L * i));
    }
    return BtfWriter.encode(List.of(BtfType.integer("unsigned char", 1, 0),
        BtfType.struct("names", 0xffff, ms)));
  }

  /**
   * 2 and 3. A struct of 65,535 members, each of one of 20,000 typedefs of 500-byte names
   * over {@code unsigned int}: every member's description is long, and distinct.
   */
  static byte[] longTypeNames() {
    List<BtfType> t = new ArrayList<>();
    t.add(BtfType.integer("unsigned int", 4, 0));
    int typedefs = 20_000;
    for (int i = 0; i < typedefs; i++) {
      String n = "t" + i + "_";
      t.add(new BtfType.Typedef(n + name('x', 500 - n.length()), 1));
    }
    List<BtfType.Member> ms = new ArrayList<>();
    for (int i = 0; i < 0xffff; i++) {
      ms.add(m("m" + i, 2 + i % typedefs, 32L * i));
    }
    t.add(BtfType.struct("described", 4L * 0xffff, ms));
    return BtfWriter.encode(t);
  }

  /** 4. 65,535 structs all named {@code x}, each a member of {@code top}. */
  static byte[] sameNames() {
    return sameNames(0xffff);
  }

  /** 4. n structs all named {@code x}, each a member of {@code top}. */
  static byte[] sameNames(int n) {
    List<BtfType> t = new ArrayList<>();
    t.add(BtfType.integer("unsigned char", 1, 0));
    List<BtfType.Member> ms = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      t.add(BtfType.struct("x", 1, List.of(m("b", 1, 0))));
      ms.add(m("m" + i, t.size(), 8L * i));
    }
    t.add(BtfType.struct("top", n, ms));
    return BtfWriter.encode(t);
  }

  /** 5. 65,534 members of one struct of a 500-byte name: text far beyond the BTF's size. */
  static byte[] textOutOfProportion() {
    String n = name('s', 500);
    List<BtfType.Member> ms = new ArrayList<>();
    for (int i = 0; i < 0xfffe; i++) {
      ms.add(m("m" + i, 2, 8L * i));
    }
    return BtfWriter.encode(List.of(BtfType.integer("unsigned char", 1, 0),
        BtfType.struct(n, 1, List.of(m("b", 1, 0))), BtfType.struct("top", 0xfffe, ms)));
  }

  /** 6. Names the event-file language cannot hold as written. */
  static byte[] unreadableNames() {
    return BtfWriter.encode(List.of(BtfType.integer("unsigned char", 1, 0),
        BtfType.struct("'x", 1, List.of(m("b", 1, 0))),
        BtfType.struct("nil", 1, List.of(m("b", 1, 0))),
        BtfType.struct("q", 1, List.of(m("'b", 1, 0))),
        BtfType.struct("brace{x}", 1, List.of(m("b", 1, 0)))));
  }

  /** 7. A million records (12 MB): 999,998 pointers, an INT and a struct. */
  static byte[] millionRecords() {
    return manyPointers(999_998);
  }

  /** 7. One record more than BTF_MAX_TYPE. */
  static byte[] pastTheTypeLimit() {
    return manyPointers(BtfWriter.MAX_TYPES - 1);
  }

  private static byte[] manyPointers(int pointers) {
    byte[] strings = "\0int\0s\0p\0".getBytes();
    ByteBuffer b = ByteBuffer.allocate(16 + 12 * pointers + 24)
        .order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(1).putInt(1 << 24).putInt(4).putInt(0x01000020);               // 1: int
    b.putInt(5).putInt(4 << 24 | 1).putInt(8).putInt(7).putInt(3).putInt(0); // 2: s { p }
    for (int i = 0; i < pointers; i++) {
      b.putInt(0).putInt(2 << 24).putInt(i == 0 ? 1 : 2 + i);  // 3...: a chain of pointers
    }
    return raw(b.array(), strings);
  }

  /** 7 and limits. Chains past MAX_RESOLVE_DEPTH, loops, and a vlen past the section. */
  static byte[] deepAndCyclic() {
    List<BtfType> t = new ArrayList<>();
    t.add(BtfType.integer("int", 4, BtfType.INT_SIGNED));                  // 1
    for (int i = 0; i < 40; i++) {
      t.add(new BtfType.Typedef("d" + i, t.size()));                      // 2..41
    }
    t.add(BtfType.struct("deep", 4, List.of(m("a", t.size(), 0))));       // 42
    t.add(new BtfType.Typedef("loop_a", 44));                             // 43
    t.add(new BtfType.Typedef("loop_b", 43));                             // 44
    t.add(BtfType.struct("loop", 4, List.of(m("a", 43, 0))));             // 45
    t.add(new BtfType.Array(46, 1, 2));                                   // 46: itself
    t.add(BtfType.struct("selfarray", 8, List.of(m("a", 46, 0))));        // 47
    t.add(BtfType.struct("me", 4, List.of(m("me", 48, 0))));              // 48
    t.add(new BtfType.Ptr(49));                                           // 49: itself
    t.add(BtfType.struct("selfptr", 8, List.of(m("p", 49, 0))));          // 50
    return BtfWriter.encode(t);
  }

  /** A record claiming 65,535 members with the section holding one. */
  static byte[] vlenPastTheEnd() {
    byte[] ok = BtfWriter.encode(List.of(BtfType.integer("int", 4, 1),
        BtfType.struct("s", 4, List.of(m("a", 1, 0)))));
    ByteBuffer.wrap(ok).order(ByteOrder.LITTLE_ENDIAN).putInt(24 + 16 + 4, 4 << 24 | 0xffff);
    return ok;
  }

  /**
   * Writes every hostile blob into a directory, one file each, named by its class.
   *
   * @param dir the directory
   * @return the files
   * @throws java.io.IOException if one cannot be written
   */
  public static List<java.nio.file.Path> write(java.nio.file.Path dir)
      throws java.io.IOException {
    List<java.nio.file.Path> out = new ArrayList<>();
    for (Map.Entry<String, Supplier<byte[]>> e : all().entrySet()) {
      java.nio.file.Path f = dir.resolve(e.getKey() + ".btf");
      java.nio.file.Files.write(f, e.getValue().get());
      out.add(f);
    }
    return out;
  }

  /** Every hostile BTF blob by name, each built when asked for, for the bounded runs. */
  public static Map<String, Supplier<byte[]>> all() {
    Map<String, Supplier<byte[]>> m = new LinkedHashMap<>();
    m.put("huge-name-many-references", HostileBtfFiles::hugeNameManyReferences);
    m.put("one-name-many-members", HostileBtfFiles::oneNameManyMembers);
    m.put("overlapping-names", HostileBtfFiles::overlappingNames);
    m.put("long-distinct-names", HostileBtfFiles::longDistinctNames);
    m.put("long-type-names", HostileBtfFiles::longTypeNames);
    m.put("same-names", HostileBtfFiles::sameNames);
    m.put("text-out-of-proportion", HostileBtfFiles::textOutOfProportion);
    m.put("unreadable-names", HostileBtfFiles::unreadableNames);
    m.put("million-records", HostileBtfFiles::millionRecords);
    m.put("past-the-type-limit", HostileBtfFiles::pastTheTypeLimit);
    m.put("deep-and-cyclic", HostileBtfFiles::deepAndCyclic);
    m.put("vlen-past-the-end", HostileBtfFiles::vlenPastTheEnd);
    return m;
  }
}
