package io.github.bpfevents.btf;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Problem;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A BTF type table, read ({@link BtfReader}): the type records by id (1 to
 * {@link #count()}; 0 is {@code void}) and where they came from. Immutable, and safe to
 * share between threads.
 *
 * <pre>{@code
 * Btf vmlinux = BtfReader.read(Path.of("/sys/kernel/btf/vmlinux"));
 * BtfType eth = vmlinux.type(vmlinux.struct("ethhdr"));
 * if (eth instanceof BtfType.Struct s) { s.members(); }
 * }</pre>
 *
 * <p>The table keeps the bytes it was read from and one offset per record; a record is
 * decoded ({@link BtfCodec}) when it is asked for, its names decoded once per string
 * offset and shared. So a table takes the heap of its BTF bytes and four bytes per type,
 * whatever the records hold, and a lookup by name ({@link #struct}) compares bytes without
 * decoding the names it passes over.
 */
public final class Btf {
  /** How many typedefs and qualifiers are followed before a chain counts as a loop. */
  static final int MAX_CHAIN = 32;

  private final String source;
  private final byte[] data;
  private final ByteBuffer buf;
  private final int[] offsets;
  private final BtfStrings strings;
  private final int seed = ThreadLocalRandom.current().nextInt() | 1;
  private volatile int[] structIndex;
  private volatile int[] typedefIndex;
  private volatile int[] unionIndex;
  private volatile Map<Integer, Map<String, Set<Integer>>> declTags;

  Btf(String source, byte[] data, int[] offsets, BtfStrings strings) {
    this.source = source;
    this.data = data;
    this.buf = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    this.offsets = offsets;
    this.strings = strings;
  }

  /** @return where the table was read from: a path, or a name given with the bytes */
  public String source() {
    return source;
  }

  /** @return the number of type records; the largest id */
  public int count() {
    return offsets.length;
  }

  /**
   * The record of an id, decoded from the table's bytes.
   *
   * @param id 1 to {@link #count()}
   * @return the record
   * @throws BpfEventsException for 0 ({@code void}, no record) or an id past the table
   */
  public BtfType type(int id) {
    return BtfCodec.decode(buf, at(id), strings::at);
  }

  /**
   * The kind of an id's record, decoding nothing else.
   *
   * @param id 1 to {@link #count()}
   * @return its kind
   * @throws BpfEventsException for 0 or an id past the table
   */
  public BtfKind kind(int id) {
    return BtfKind.of((buf.getInt(at(id) + 4) >>> 24) & 0x1f);
  }

  /**
   * Every record, id 1 first: a list that decodes a record each time it is asked for one.
   *
   * @return the records; element i is the record of id i + 1
   */
  public List<BtfType> types() {
    return new AbstractList<>() {
      @Override
      public BtfType get(int index) {
        if (index < 0 || index >= offsets.length) {
          throw new IndexOutOfBoundsException(index);
        }
        return type(index + 1);
      }

      @Override
      public int size() {
        return offsets.length;
      }
    };
  }

  /**
   * The table's string section, as read.
   *
   * @return the strings
   */
  public BtfStrings strings() {
    return strings;
  }

  /**
   * The raw BTF of the table written again: every record decoded and encoded by the codec,
   * its names at the offsets they were read from, the string section as read. For BTF whose
   * header is the writer's (24 bytes, the types first, the strings right after them), the
   * bytes that were read, byte for byte.
   *
   * @return the blob
   */
  public byte[] encode() {
    List<BtfType> all = types();
    long typeLen = 0;
    for (int id = 1; id <= count(); id++) {
      int at = offsets[id - 1];
      typeLen += BtfCodec.length(buf.getInt(at + 4));
    }
    long total = 24 + typeLen + strings.length();
    if (total > Integer.MAX_VALUE - 8) {
      throw Problem.BTF_TOO_LARGE_WOULD_BYTES
          .with("value", total)
          .with("expected", "at most " + (Integer.MAX_VALUE - 8) + " bytes")
          .build();
    }
    ByteBuffer out = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
    out.putShort((short) BtfReader.MAGIC).put((byte) 1).put((byte) 0).putInt(24);
    out.putInt(0).putInt((int) typeLen).putInt((int) typeLen).putInt(strings.length());
    for (int id = 1; id <= count(); id++) {
      BtfType t = all.get(id - 1);
      int at = offsets[id - 1];
      BtfKind kind = kind(id);
      int step = (int) kind.trailingBytes(1);
      // the names go back to the offsets they were read from: the record's name_off, then
      // its items' name_offs, in the order the codec writes them
      int[] next = {BtfCodec.named(kind) ? -1 : 0};
      BtfCodec.encode(t, id, count(), name -> {
        int k = next[0]++;
        return k < 0 ? buf.getInt(at) : buf.getInt(at + BtfCodec.RECORD + step * k);
      }, out);
    }
    out.put(strings.bytes());
    return out.array();
  }

  /** The offset of an id's record. */
  private int at(int id) {
    if (id <= 0 || id > offsets.length) {
      throw Problem.BAD_BTF_REFERS_MISSING_TYPE
          .with("source", source)
          .with("value", id & 0xffffffffL)
          .with("expected", "a type id from 1 to " + count())
          .build();
    }
    return offsets[id - 1];
  }

  /** The third word of an id's record: its size, or the id it refers to. */
  long third(int id) {
    return buf.getInt(at(id) + 8) & 0xffffffffL;
  }

  /** The kind flag of an id's record. */
  boolean kindFlag(int id) {
    return buf.getInt(at(id) + 4) < 0;
  }

  /** The vlen of an id's record. */
  int vlen(int id) {
    return buf.getInt(at(id) + 4) & 0xffff;
  }

  /** The name of an id's record (decoded once per string offset). */
  String name(int id) {
    return strings.at(buf.getInt(at(id)) & 0xffffffffL);
  }

  /** Whether an id's record is named these UTF-8 bytes, decoding nothing. */
  boolean named(int id, byte[] name) {
    return strings.is(buf.getInt(at(id)), name);
  }

  /** The id a qualifier, typedef, pointer or tag refers to. */
  int ref(int id) {
    return (int) third(id);
  }

  /**
   * The id of the struct of a name: the first STRUCT of that name, else the struct that a
   * typedef of that name stands for ({@code typedef struct {...} name;}), else the first
   * UNION of that name, else the union a typedef of that name stands for.
   *
   * @param name the struct's name, as C writes it
   * @return its id, or -1 when there is none
   */
  public int struct(String name) {
    if (name == null || name.isEmpty()) {
      return -1;
    }
    byte[] want = name.getBytes(StandardCharsets.UTF_8);
    if (want.length >= BtfStrings.KSYM_NAME_LEN) {
      return -1;
    }
    int id = lookup(structs(), want);
    if (id > 0) {
      return id;
    }
    int td = lookup(typedefs(), want);
    if (td > 0) {
      int target = skipQualifiers(ref(td));
      if (target > 0 && (kind(target) == BtfKind.STRUCT || kind(target) == BtfKind.UNION)) {
        return target;
      }
    }
    int[] u = unionIndex;
    if (u == null) {
      u = index(BtfKind.UNION);
      unionIndex = u;
    }
    id = lookup(u, want);
    return id > 0 ? id : -1;
  }

  /**
   * The struct of a name, or the library's error naming it.
   *
   * @param name the struct's name
   * @return its id
   * @throws BpfEventsException naming the struct when the table holds none of that name
   */
  public int requireStruct(String name) {
    int id = struct(name);
    if (id < 0) {
      String other = null;
      byte[] want = name == null ? new byte[0] : name.getBytes(StandardCharsets.UTF_8);
      for (int i = 1; i <= count() && other == null && want.length > 0
          && want.length < BtfStrings.KSYM_NAME_LEN; i++) {
        BtfKind k = kind(i);
        if (k != BtfKind.STRUCT && k != BtfKind.UNION && named(i, want)) {
          other = k == BtfKind.FWD ? "only a forward declaration"
              : "a " + k.name() + ", not a STRUCT";
        }
      }
      throw (name == null || name.isEmpty() ? Problem.UNKNOWN_STRUCT_EMPTY_NAME
          : Problem.UNKNOWN_STRUCT)
          .with("source", source)
          .with("struct", name)
          .with("value", name)
          .with("expected", "a struct of that name in the BTF")
          .with("holds", other == null ? "" : " (it holds " + other + ")")
          .build();
    }
    return id;
  }

  private int[] structs() {
    int[] t = structIndex;
    if (t == null) {
      t = index(BtfKind.STRUCT);
      structIndex = t;
    }
    return t;
  }

  private int[] typedefs() {
    int[] t = typedefIndex;
    if (t == null) {
      t = index(BtfKind.TYPEDEF);
      typedefIndex = t;
    }
    return t;
  }

  /**
   * An open-addressing table of the first record of each name among the named records of
   * a kind, hashed with a seed of this table's own (so no file can choose collisions).
   */
  private int[] index(BtfKind kind) {
    int n = 0;
    for (int i = 1; i <= count(); i++) {
      if (kind(i) == kind && (buf.getInt(offsets[i - 1])) != 0) {
        n++;
      }
    }
    int size = Integer.highestOneBit(Math.max(4, n * 2)) * 2;
    int[] table = new int[size];
    int mask = size - 1;
    for (int i = 1; i <= count(); i++) {
      int nameOff = buf.getInt(offsets[i - 1]);
      if (kind(i) != kind || nameOff == 0) {
        continue;
      }
      int slot = strings.hashAt(nameOff, seed) & mask;
      boolean dup = false;
      while (table[slot] != 0) {
        if (sameName(table[slot], nameOff)) {
          dup = true;
          break;
        }
        slot = (slot + 1) & mask;
      }
      if (!dup) {
        table[slot] = i;
      }
    }
    return table;
  }

  private boolean sameName(int id, int nameOff) {
    int a = buf.getInt(offsets[id - 1]);
    if (a == nameOff) {
      return true;
    }
    for (int k = 0; ; k++) {
      byte x = strings.byteAt(a + k);
      if (x != strings.byteAt(nameOff + k)) {
        return false;
      }
      if (x == 0) {
        return true;
      }
    }
  }

  private int lookup(int[] table, byte[] want) {
    int mask = table.length - 1;
    int slot = BtfStrings.hash(want, seed) & mask;
    while (table[slot] != 0) {
      if (named(table[slot], want)) {
        return table[slot];
      }
      slot = (slot + 1) & mask;
    }
    return -1;
  }

  /**
   * The members of a struct or union that DECL_TAGs of a text tag.
   *
   * @param id the struct's id
   * @param tag the tag's text
   * @return the member indices (component_idx) tagged so; empty when none
   */
  Set<Integer> taggedMembers(int id, String tag) {
    Map<Integer, Map<String, Set<Integer>>> t = declTags;
    if (t == null) {
      t = new HashMap<>();
      for (int i = 1; i <= count(); i++) {
        if (kind(i) == BtfKind.DECL_TAG) {
          BtfType.DeclTag d = (BtfType.DeclTag) type(i);
          if (d.componentIdx() >= 0) {
            t.computeIfAbsent(d.type(), k -> new HashMap<>())
                .computeIfAbsent(d.name(), k -> new HashSet<>()).add(d.componentIdx());
          }
        }
      }
      declTags = t;
    }
    return t.getOrDefault(id, Map.of()).getOrDefault(tag, Set.of());
  }

  /**
   * The id past the qualifiers (const, volatile, restrict, type tags) of a type.
   *
   * @param id a type id
   * @return the first id that is not a qualifier (0 for void)
   * @throws BpfEventsException for a chain longer than {@value #MAX_CHAIN}, or an id
   *     outside the table
   */
  int skipQualifiers(int id) {
    int at = id;
    for (int n = 0; at != 0; n++) {
      if (!kind(at).qualifier()) {
        return at;
      }
      if (n == MAX_CHAIN) {
        throw chainTooLong(id);
      }
      at = ref(at);
    }
    return 0;
  }

  BpfEventsException chainTooLong(int id) {
    return Problem.BAD_BTF_TYPE_CHAIN
        .with("source", source)
        .with("value", id)
        .with("expected", "chains of at most " + MAX_CHAIN + " typedefs, qualifiers and"
            + " arrays (the kernel's MAX_RESOLVE_DEPTH)")
        .with("max-chain", MAX_CHAIN)
        .build();
  }

  /** Characters of a name kept in a description; a longer one is cut with "...". */
  static final int NAME_EXCERPT = 64;

  /** The longest description: past it, the text is cut with "...". */
  static final int DESCRIBE_MAX = 200;

  /**
   * A type as C writes it, for messages: {@code struct ev}, {@code __be16},
   * {@code char[16]}, {@code void *}. A bounded excerpt: names are cut after
   * {@value #NAME_EXCERPT} characters, the whole after {@value #DESCRIBE_MAX}, and a chain
   * is followed {@value #MAX_CHAIN} steps at most.
   *
   * @param id a type id, 0 for void
   * @return the text
   */
  public String describe(int id) {
    StringBuilder suffix = new StringBuilder();
    StringBuilder prefix = new StringBuilder();
    String base = null;
    int at = id;
    for (int depth = 0; base == null; depth++) {
      if (at == 0) {
        base = "void";
      } else if (at < 0 || at > count() || depth > MAX_CHAIN) {
        base = "type " + (at & 0xffffffffL);
      } else {
        BtfKind k = kind(at);
        String n = excerpt(at);
        switch (k) {
          case STRUCT -> base = "struct " + n;
          case UNION -> base = "union " + n;
          case ENUM, ENUM64 -> base = "enum " + n;
          case FWD -> base = (kindFlag(at) ? "union " : "struct ") + n + " (declared only)";
          case PTR -> {
            suffix.insert(0, " *");
            at = ref(at);
          }
          case ARRAY -> {
            ByteBuffer b = buf;
            int o = offsets[at - 1] + BtfCodec.RECORD;
            suffix.append('[').append(b.getInt(o + 8) & 0xffffffffL).append(']');
            at = b.getInt(o);
          }
          case CONST, VOLATILE, RESTRICT -> {
            prefix.append(k.name().toLowerCase()).append(' ');
            at = ref(at);
          }
          case TYPE_TAG -> at = ref(at);
          case FUNC_PROTO -> base = "function";
          default -> base = n;
        }
      }
      if (prefix.length() + suffix.length() > DESCRIBE_MAX) {
        base = "...";
      }
    }
    String text = prefix + base + suffix;
    return text.length() <= DESCRIBE_MAX ? text
        : text.substring(0, DESCRIBE_MAX - 3) + "...";
  }

  /** A record's name for messages: "(anon)" when empty, cut past {@link #NAME_EXCERPT}. */
  String excerpt(int id) {
    String n = name(id);
    if (n.isEmpty()) {
      return "(anon)";
    }
    return n.length() <= NAME_EXCERPT ? n : n.substring(0, NAME_EXCERPT - 3) + "...";
  }

  @Override
  public String toString() {
    return "Btf{" + source + ", " + count() + " types}";
  }
}
