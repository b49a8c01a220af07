package io.github.bpfevents.btf;

import io.github.bpfevents.BpfEventsException;
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
      throw BpfEventsException.of("unknown-struct")
          .with("struct", null)
          .with("value", null)
          .with("expected", "a struct name")
          .message("struct name is null; expected {expected}");
    }
    int id = btf.requireStruct(struct);
    BtfChecker c = new BtfChecker(btf);
    c.compare(event, id, List.of());
    return Collections.unmodifiableList(c.out);
  }

  private static void requireArguments(EventLayout event, Btf btf) {
    if (event == null || btf == null) {
      throw BpfEventsException.of("not-an-event")
          .with("value", null)
          .with("expected", "an event layout and a BTF table")
          .message((event == null ? "event" : "BTF") + " is null; expected {expected}");
    }
  }

  private static String cName(String name) {
    try {
      return CNames.typeIdentifier(name, "event");
    } catch (BpfEventsException e) {
      return null;
    }
  }

  private void compare(EventLayout event, int structId, List<String> prefix) {
    if (!compared.computeIfAbsent(event, k -> new HashSet<>()).add(structId)) {
      return;
    }
    BtfType struct = btf.type(structId);
    String sname = struct.name().isEmpty() ? btf.describe(structId) : struct.name();
    if (event.size() != struct.size()) {
      out.add(new BtfMismatch(prefix, sname, BtfMismatch.SIZE, (long) event.size(),
          struct.size()));
    }
    Map<String, BtfType.Member> members = new HashMap<>();
    for (BtfType.Member m : struct.members()) {
      if (!m.name().isEmpty()) {
        members.putIfAbsent(m.name(), m);
      }
    }
    Set<String> matched = new HashSet<>();
    for (Field f : event.fields()) {
      List<String> path = new ArrayList<>(prefix);
      path.add(f.name());
      BtfType.Member m = members.get(f.name());
      if (m == null) {
        m = members.get(CNames.convert(f.name()));
      }
      Object declared = f.isNested() ? f.nested() : f.type();
      if (m == null) {
        out.add(new BtfMismatch(path, sname, BtfMismatch.MISSING, declared, null));
        continue;
      }
      matched.add(m.name());
      field(f, m, path, sname, declared);
    }
    for (BtfType.Member m : struct.members()) {
      if (!matched.contains(m.name())) {
        List<String> path = new ArrayList<>(prefix);
        path.add(m.name().isEmpty() ? "(anonymous)" : m.name());
        out.add(new BtfMismatch(path, sname, BtfMismatch.EXTRA, null,
            describe(m.type())));
      }
    }
  }

  private void field(Field f, BtfType.Member m, List<String> path, String sname,
      Object declared) {
    MemberShape s = MemberShape.of(btf, m.type());
    boolean bitfield = m.bitfieldSize() != 0 || s.partialInt;
    if (m.bitOffset() % 8 == 0 && m.bitOffset() / 8 != f.offset()) {
      out.add(new BtfMismatch(path, sname, BtfMismatch.OFFSET, (long) f.offset(),
          m.bitOffset() / 8));
    } else if (m.bitOffset() % 8 != 0) {
      out.add(new BtfMismatch(path, sname, BtfMismatch.OFFSET, (long) f.offset(),
          "bit " + m.bitOffset()));
    }
    if (bitfield) {
      out.add(new BtfMismatch(path, sname, BtfMismatch.BITFIELD,
          8L * f.elementSize(), (long) (m.bitfieldSize() != 0 ? m.bitfieldSize() : s.bits)));
      return;
    }
    if (f.isNested()) {
      if (s.category != MemberShape.Category.STRUCT) {
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
