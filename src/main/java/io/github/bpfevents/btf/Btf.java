package io.github.bpfevents.btf;

import io.github.bpfevents.BpfEventsException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A BTF type table, read ({@link BtfReader}): the type records by id (1 to
 * {@link #count()}; 0 is {@code void}) and where they came from. Immutable.
 *
 * <pre>{@code
 * Btf vmlinux = BtfReader.read(Path.of("/sys/kernel/btf/vmlinux"));
 * BtfType eth = vmlinux.type(vmlinux.struct("ethhdr"));
 * }</pre>
 */
public final class Btf {
  /** How many typedefs and qualifiers are followed before a chain counts as a loop. */
  static final int MAX_CHAIN = 32;

  private final String source;
  private final List<BtfType> types;
  private volatile Map<String, Integer> structs;

  Btf(String source, List<BtfType> types) {
    this.source = source;
    List<BtfType> t = new ArrayList<>(types.size() + 1);
    t.add(null);
    t.addAll(types);
    this.types = Collections.unmodifiableList(t);
  }

  /** @return where the table was read from: a path, or a name given with the bytes */
  public String source() {
    return source;
  }

  /** @return the number of type records; the largest id */
  public int count() {
    return types.size() - 1;
  }

  /**
   * The record of an id.
   *
   * @param id 1 to {@link #count()}
   * @return the record
   * @throws BpfEventsException for 0 ({@code void}, no record) or an id past the table
   */
  public BtfType type(int id) {
    if (id <= 0 || id >= types.size()) {
      throw BpfEventsException.of("bad-btf")
          .with("source", source)
          .with("value", id & 0xffffffffL)
          .with("expected", "a type id from 1 to " + count())
          .message("{source}: BTF refers to type {value}, which it does not hold; expected"
              + " {expected}");
    }
    return types.get(id);
  }

  /**
   * The id of the struct of a name: the first STRUCT of that name, else the struct that a
   * typedef of that name stands for ({@code typedef struct {...} name;}).
   *
   * @param name the struct's name, as C writes it
   * @return its id, or -1 when there is none
   */
  public int struct(String name) {
    Integer id = structs().get(name);
    if (id != null) {
      return id;
    }
    for (int i = 1; i < types.size(); i++) {
      BtfType t = types.get(i);
      if (t.kind() == BtfKind.TYPEDEF && t.name().equals(name)) {
        int target = skipQualifiers(t.type());
        if (target > 0 && type(target).kind() == BtfKind.STRUCT) {
          return target;
        }
      }
    }
    return -1;
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
      for (int i = 1; i < types.size() && other == null; i++) {
        BtfType t = types.get(i);
        if (t.name().equals(name) && t.kind() != BtfKind.STRUCT) {
          other = t.kind() == BtfKind.FWD ? "only a forward declaration"
              : "a " + t.kind().name() + ", not a STRUCT";
        }
      }
      throw BpfEventsException.of("unknown-struct")
          .with("source", source)
          .with("struct", name)
          .with("value", name)
          .with("expected", "a struct of that name in the BTF")
          .message("{source} has no struct " + (name.isEmpty() ? "(empty name)" : "{struct}")
              + (other == null ? "" : " (it holds " + other + ")")
              + "; expected {expected}");
    }
    return id;
  }

  private Map<String, Integer> structs() {
    Map<String, Integer> m = structs;
    if (m == null) {
      m = new HashMap<>();
      for (int i = 1; i < types.size(); i++) {
        BtfType t = types.get(i);
        if (t.kind() == BtfKind.STRUCT && !t.name().isEmpty()) {
          m.putIfAbsent(t.name(), i);
        }
      }
      structs = m;
    }
    return m;
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
      BtfType t = type(at);
      if (!t.kind().qualifier()) {
        return at;
      }
      if (n == MAX_CHAIN) {
        throw chainTooLong(id);
      }
      at = t.type();
    }
    return 0;
  }

  BpfEventsException chainTooLong(int id) {
    return BpfEventsException.of("bad-btf")
        .with("source", source)
        .with("value", id)
        .with("expected", "chains of at most " + MAX_CHAIN + " typedefs and qualifiers")
        .message("{source}: BTF type {value} starts a chain of typedefs and qualifiers"
            + " longer than " + MAX_CHAIN + " (a loop?); expected {expected}");
  }

  /**
   * A type as C writes it, for messages: {@code struct ev}, {@code __be16},
   * {@code char[16]}, {@code void *}.
   *
   * @param id a type id, 0 for void
   * @return the text
   */
  public String describe(int id) {
    return describe(id, 0);
  }

  private String describe(int id, int depth) {
    if (id == 0) {
      return "void";
    }
    if (id < 0 || id > count() || depth > MAX_CHAIN) {
      return "type " + (id & 0xffffffffL);
    }
    BtfType t = types.get(id);
    String n = t.name().isEmpty() ? "(anon)" : t.name();
    return switch (t.kind()) {
      case STRUCT -> "struct " + n;
      case UNION -> "union " + n;
      case ENUM, ENUM64 -> "enum " + n;
      case FWD -> (t.kindFlag() ? "union " : "struct ") + n + " (declared only)";
      case PTR -> describe(t.type(), depth + 1) + " *";
      case ARRAY -> describe(t.elementType(), depth + 1) + "[" + t.count() + "]";
      case CONST, VOLATILE, RESTRICT -> t.kind().name().toLowerCase() + " "
          + describe(t.type(), depth + 1);
      case TYPE_TAG -> describe(t.type(), depth + 1);
      case FUNC_PROTO -> "function";
      default -> n;
    };
  }

  @Override
  public String toString() {
    return "Btf{" + source + ", " + count() + " types}";
  }
}
