package io.github.bpfevents.btf;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Problem;
import io.github.bpfevents.layout.CNames;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.Field;
import io.github.bpfevents.layout.FieldType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a definition against a struct of BTF, field by field: the userspace declaration
 * against what the C compiler made of the struct the BPF program writes.
 *
 * <pre>{@code
 * Btf object = BtfReader.read(Path.of("probe.bpf.o"));
 * List<BtfMismatch> m = BtfChecker.check(conn, object);   // struct connection_event
 * m.isEmpty();                                            // true when they agree
 * }</pre>
 *
 * <p>Each field is found among the struct's members by its name, else by its C name
 * ({@link CNames}: {@code src-port -> src_port}), and
 * compared: offset, element size, element count, signedness, byte order (big-endian where
 * the C type says so through a {@code __be16}, {@code __be32} or {@code __be64} typedef),
 * a nested event recursively against the member's struct; then members the definition
 * lacks, and the record's total size. See {@link BtfMismatch} for what each reports.
 *
 * <p>Agreements that are not mismatches: a pointer member is an unsigned 8-byte value, so
 * {@code u64} and {@code ptr} both agree with a pointer, and {@code ptr} with
 * {@code __u64}; a C {@code char} has no signedness to disagree with ({@code char}
 * agrees with {@code char}, {@code unsigned char} and {@code signed char}, and {@code u8}
 * or {@code i8} with {@code char}). Names of nested structs are not compared, only their
 * members. A nested event is compared with a struct once; its mismatches appear under the
 * first path that reaches the pair, so a check takes time linear in the distinct events
 * whatever the nesting.
 */
public final class BtfChecker {
  private final Btf btf;
  private final List<BtfMismatch> out = new ArrayList<>();
  private final Map<EventLayout, Set<Integer>> compared = new IdentityHashMap<>();
  private final Map<Integer, String> described = new HashMap<>();

  private BtfChecker(Btf btf) {
    this.btf = btf;
  }

  /**
   * Checks an event against the struct of its name, or when the BTF has no struct of that
   * name, of its C name, as the C header and the BTF writer name it
   * ({@code ConnectionEvent -> connection_event}).
   *
   * @param event the definition
   * @param btf the BTF
   * @return the mismatches, in field order; empty when they agree
   * @throws BpfEventsException if the BTF has no such struct (the error names it)
   */
  public static List<BtfMismatch> check(EventLayout event, Btf btf) {
    requireArguments(event, btf);
    String c = cName(event.name());
    String name = btf.struct(event.name()) >= 0 ? event.name()
        : c != null ? c : event.name();
    return check(event, btf, name);
  }

  /**
   * Checks an event against the struct of a name.
   *
   * @param event the definition
   * @param btf the BTF
   * @param struct the struct's name, as C writes it
   * @return the mismatches, in field order; empty when they agree
   * @throws BpfEventsException if the BTF has no such struct (the error names it)
   */
  public static List<BtfMismatch> check(EventLayout event, Btf btf, String struct) {
    requireArguments(event, btf);
    if (struct == null) {
      throw Problem.UNKNOWN_STRUCT_NAME_NULL
          .with("struct", null)
          .with("value", null)
          .with("expected", "a struct name")
          .build();
    }
    int id = btf.requireStruct(struct);
    BtfChecker c = new BtfChecker(btf);
    c.compare(event, id, List.of());
    return Collections.unmodifiableList(c.out);
  }

  private static void requireArguments(EventLayout event, Btf btf) {
    if (event == null || btf == null) {
      throw (event == null ? Problem.NOT_AN_EVENT : Problem.NOT_AN_EVENT_BTF)
          .with("value", null)
          .with("expected", "an event layout and a BTF table")
          .build();
    }
  }

  private static String cName(String name) {
    try {
      return CNames.typeIdentifier(name, "event");
    } catch (BpfEventsException e) {
      return null;
    }
  }

  /** A member of a struct, an anonymous member's members at their place in it. */
  private record Flat(BtfType.Member member, long bitOffset, boolean kindFlag) {}

  /** The named members of a struct or union, through anonymous members, in order. */
  private void flatten(int id, long base, List<Flat> out, int depth) {
    BtfType t = btf.type(id);
    for (BtfType.Member m : t.members()) {
      long at = base + m.bitOffset();
      if (m.name().isEmpty() && depth < Btf.MAX_CHAIN) {
        MemberShape s = MemberShape.of(btf, m.type());
        if ((s.category == MemberShape.Category.STRUCT
            || s.category == MemberShape.Category.UNION) && !s.array) {
          flatten(s.element, at, out, depth + 1);
          continue;
        }
      }
      out.add(new Flat(m, at, t.kindFlag()));
    }
  }

  private void compare(EventLayout event, int structId, List<String> prefix) {
    if (!compared.computeIfAbsent(event, k -> new HashSet<>()).add(structId)) {
      return;
    }
    BtfType struct = btf.type(structId);
    String sname = struct.name().isEmpty() ? btf.describe(structId) : struct.name();
    if (event.isUnion() != (struct.kind() == BtfKind.UNION)) {
      out.add(new BtfMismatch(prefix, sname, BtfMismatch.TYPE, event.kind().kindName(),
          struct.kind() == BtfKind.UNION ? "union" : "struct"));
    }
    if (event.size() != struct.size()) {
      out.add(new BtfMismatch(prefix, sname, BtfMismatch.SIZE, (long) event.size(),
          struct.size()));
    }
    List<Flat> flat = new ArrayList<>();
    flatten(structId, 0, flat, 0);
    Map<String, Flat> members = new HashMap<>();
    for (Flat m : flat) {
      if (!m.member().name().isEmpty()) {
        members.putIfAbsent(m.member().name(), m);
      }
    }
    Set<String> matched = new HashSet<>();
    for (String name : event.fieldNames()) {
      Field f = event.field(name);
      List<String> path = new ArrayList<>(prefix);
      path.add(f.name());
      Flat m = members.get(f.name());
      if (m == null) {
        m = members.get(CNames.convert(f.name()));
      }
      Object declared = f.isNested() ? f.nested() : f.type();
      if (m == null) {
        out.add(new BtfMismatch(path, sname, BtfMismatch.MISSING, declared, null));
        continue;
      }
      matched.add(m.member().name());
      field(f, m.member(), m.bitOffset(), m.kindFlag(), path, sname, declared);
    }
    for (Flat m : flat) {
      if (!matched.contains(m.member().name())) {
        List<String> path = new ArrayList<>(prefix);
        path.add(m.member().name().isEmpty() ? "(anonymous)" : m.member().name());
        out.add(new BtfMismatch(path, sname, BtfMismatch.EXTRA, null,
            describe(m.member().type())));
      }
    }
  }

  private void field(Field f, BtfType.Member m, long bitOffset, boolean kindFlag,
      List<String> path, String sname, Object declared) {
    MemberShape s = MemberShape.of(btf, m.type());
    // as the importer reads it: the kind flag's width, else an INT's own bits and offset
    int width = kindFlag ? m.bitfieldSize() : 0;
    if (!kindFlag && s.partialInt) {
      width = s.bits;
      bitOffset += ((BtfType.Int) btf.type(s.element)).intBitOffset();
    }
    boolean bitfield = width != 0 || bitOffset % 8 != 0;
    if (bitOffset != f.bitOffset()) {
      out.add(new BtfMismatch(path, sname, BtfMismatch.OFFSET,
          f.bitOffset() % 8 == 0 ? (Object) (long) f.offset() : "bit " + f.bitOffset(),
          bitOffset % 8 == 0 ? (Object) (bitOffset / 8) : "bit " + bitOffset));
    }
    if (bitfield || f.isBitfield()) {
      long theirs = bitfield ? (width != 0 ? width : s.bits) : 8 * s.elementSize * s.count;
      long ours = f.isBitfield() ? f.bits() : 8L * f.size();
      if (ours != theirs || !bitfield || !f.isBitfield()) {
        out.add(new BtfMismatch(path, sname, BtfMismatch.BITFIELD, ours, theirs));
        return;
      }
      if (s.category == MemberShape.Category.SCALAR && f.type().size() != s.elementSize) {
        out.add(new BtfMismatch(path, sname, BtfMismatch.SIZE, (long) f.type().size(),
            s.elementSize));
      }
      if (s.category == MemberShape.Category.SCALAR && f.type().signed() != s.signed) {
        out.add(new BtfMismatch(path, sname, BtfMismatch.SIGNEDNESS,
            signedness(f.type().signed()), signedness(s.signed)));
      }
      enumValues(f, s, path, sname);
      return;
    }
    if (f.isNested()) {
      if (s.category != MemberShape.Category.STRUCT
          && s.category != MemberShape.Category.UNION) {
        out.add(new BtfMismatch(path, sname, BtfMismatch.TYPE, declared, describe(m.type())));
        return;
      }
      countOf(f, s, path, sname);
      compare(f.nested(), s.element, path);
      return;
    }
    if (s.category != MemberShape.Category.SCALAR
        && s.category != MemberShape.Category.POINTER) {
      out.add(new BtfMismatch(path, sname, BtfMismatch.TYPE, declared, describe(m.type())));
      return;
    }
    FieldType t = f.type();
    if (t.size() != s.elementSize) {
      out.add(new BtfMismatch(path, sname, BtfMismatch.SIZE, (long) t.size(),
          s.elementSize));
    }
    countOf(f, s, path, sname);
    if (!t.text() && !s.character && t.signed() != s.signed) {
      out.add(new BtfMismatch(path, sname, BtfMismatch.SIGNEDNESS, signedness(t.signed()),
          signedness(s.signed)));
    }
    if (t.bigEndian() != s.bigEndian) {
      out.add(new BtfMismatch(path, sname, BtfMismatch.BYTE_ORDER, order(t.bigEndian()),
          order(s.bigEndian)));
    }
    enumValues(f, s, path, sname);
  }

  /**
   * An enum field against an ENUM or ENUM64 member: the values each names, compared as
   * numbers (names differ by convention: the C header writes {@code TAG_NAME}); the first
   * value one side has and the other lacks is the mismatch.
   */
  private void enumValues(Field f, MemberShape s, List<String> path, String sname) {
    if (f.enumType() == null || s.category != MemberShape.Category.SCALAR) {
      return;
    }
    BtfType t = btf.type(s.element);
    List<BtfType.Enumerator> values = t instanceof BtfType.Enum e ? e.values()
        : t instanceof BtfType.Enum64 e ? e.values() : null;
    if (values == null) {
      return;
    }
    long mask = s.elementSize >= 8 ? -1L : (1L << (8 * s.elementSize)) - 1;
    Map<Long, String> theirs = new HashMap<>();
    for (BtfType.Enumerator v : values) {
      theirs.putIfAbsent(v.value() & mask, v.name());
    }
    Set<Long> ours = new HashSet<>();
    for (Map.Entry<String, java.math.BigInteger> v : f.enumType().values().entrySet()) {
      long bits = v.getValue().longValue() & mask;
      ours.add(bits);
      if (!theirs.containsKey(bits)) {
        out.add(new BtfMismatch(path, sname, BtfMismatch.ENUM,
            v.getKey() + " = " + v.getValue(), null));
        return;
      }
    }
    for (BtfType.Enumerator v : values) {
      if (!ours.contains(v.value() & mask)) {
        out.add(new BtfMismatch(path, sname, BtfMismatch.ENUM, null,
            v.name() + " = " + v.value()));
        return;
      }
    }
  }

  /**
   * A type as C writes it ({@link Btf#describe}: a bounded excerpt), made once per type id
   * and shared by every mismatch that names it.
   */
  private String describe(int type) {
    return described.computeIfAbsent(type, btf::describe);
  }

  private void countOf(Field f, MemberShape s, List<String> path, String sname) {
    if (f.count() != s.count) {
      out.add(new BtfMismatch(path, sname, BtfMismatch.COUNT, (long) f.count(), s.count));
    }
  }

  private static String signedness(boolean signed) {
    return signed ? "signed" : "unsigned";
  }

  private static String order(boolean bigEndian) {
    return bigEndian ? "big-endian" : "little-endian";
  }
}
