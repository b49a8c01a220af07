package io.github.bpfevents.btf;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.Field;
import io.github.bpfevents.layout.FieldSpec;
import io.github.bpfevents.layout.FieldType;
import io.github.bpfevents.layout.LayoutEngine;
import io.github.bpfevents.layout.Packing;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Imports structs of BTF as event definitions: start from the C a program was compiled
 * from, or from the kernel's own types, instead of writing the declaration by hand.
 *
 * <pre>{@code
 * Btf vmlinux = BtfReader.read(Path.of("/sys/kernel/btf/vmlinux"));
 * List<EventLayout> eth = BtfImporter.events(vmlinux, List.of("ethhdr"));
 * // [ethhdr: h_dest u8[6] @0, h_source u8[6] @6, h_proto be16 @12; 14 bytes]
 * }</pre>
 *
 * <p>Each struct becomes an event of its name, each member a field of its name: an
 * integer or enumeration the type of its size and signedness, {@code __be16},
 * {@code __be32} and {@code __be64} typedefs the big-endian types, a C {@code char} the
 * {@code char} type (so a char array is text), a pointer to anything but a struct or
 * union {@code ptr}, an array (of arrays) a field with the count of its elements, and a
 * struct member a nested event, imported too. The result holds every struct named and
 * every struct they nest, each once, each after the events it nests.
 *
 * <p>BTF records offsets, not alignment, so the packing is inferred: natural when
 * {@link LayoutEngine} places the members at the offsets the struct has and gives its size,
 * else packed when that does. A struct that both fit is natural, unless a struct holding
 * it needs it packed (a packed C struct whose members happen to lie at natural offsets,
 * nested where only alignment 1 allows). Every imported event is laid out again and
 * checked against the BTF, offset by offset.
 *
 * <p>One import declares at most {@link #MAX_EVENTS} events and {@link #MAX_FIELDS}
 * fields in all; names that are taken get the first free suffix ({@code x}, {@code x_2},
 * ...), in time linear in the structs overall. Struct and member names must be C
 * identifiers (as the kernel's BTF checker requires), so that the event file written of
 * them reads back; a {@code ptr} field written by {@link BtfWriter} comes back as
 * {@code ptr} through its DECL_TAG.
 *
 * <p>What an event cannot express is an error naming the struct and the member: a
 * bitfield, a union, a pointer to a struct or union, a flexible array (no element count),
 * a float or a 128-bit integer, an anonymous member, and offsets that neither packing
 * gives.
 */
public final class BtfImporter {
  private final Btf btf;
  private final Map<Integer, Plan> plans = new LinkedHashMap<>();
  /**
   * The most events one import declares (the structs named and those they nest), so that
   * the events and their text stay within a small heap.
   */
  public static final int MAX_EVENTS = 8192;
  /** The most fields of all the events of one import (one struct may have this many). */
  public static final int MAX_FIELDS = LayoutEngine.MAX_FIELDS;

  private final Set<String> names = new HashSet<>();
  private long fields;
  private final Map<String, Integer> nextSuffix = new HashMap<>();
  private final Set<Integer> visiting = new HashSet<>();

  /** A struct on its way to an event: its fields and its packing, once decided. */
  private static final class Plan {
    final int id;
    final String struct;
    final long size;
    String name;
    final List<Item> items = new ArrayList<>();
    /** NATURAL or PACKED once decided; null while either would do. */
    Packing packing;
    /** The alignment the struct has when natural. */
    int naturalAlignment = 1;
    EventLayout layout;

    Plan(int id, String struct, long size) {
      this.id = id;
      this.struct = struct;
      this.size = size;
    }

    int alignment() {
      return packing == Packing.PACKED ? 1 : naturalAlignment;
    }
  }

  /** A member on its way to a field. */
  private record Item(String field, FieldType scalar, Plan nested, long count, long offset,
      long elementSize) {
    long end() {
      return offset + elementSize * count;
    }
  }

  private BtfImporter(Btf btf) {
    this.btf = btf;
  }

  /**
   * The events of the named structs and of the structs they nest, each nested event
   * before its users.
   *
   * @param btf the BTF
   * @param structs struct names, as C writes them, at least one
   * @return the events
   * @throws BpfEventsException if a struct is missing, or holds a member an event cannot
   *     express (the error names the struct and the member)
   */
  public static List<EventLayout> events(Btf btf, List<String> structs) {
    if (btf == null || structs == null || structs.isEmpty()
        || structs.stream().anyMatch(s -> s == null)) {
      throw BpfEventsException.of("no-events")
          .with("value", structs)
          .with("expected", "BTF and at least one struct name")
          .message("no structs to import; expected {expected}");
    }
    BtfImporter im = new BtfImporter(btf);
    for (String s : structs) {
      im.plan(btf.requireStruct(s), s);
    }
    for (Plan p : im.plans.values()) {
      if (p.packing == null) {
        p.packing = Packing.NATURAL;
      }
    }
    List<EventLayout> out = new ArrayList<>();
    for (Plan p : im.plans.values()) {
      out.add(im.build(p));
    }
    return Collections.unmodifiableList(out);
  }

  private static BpfEventsException cannot(String struct, String member, String what,
      String expected) {
    BpfEventsException.Builder b = BpfEventsException.of("cannot-import").with("struct", struct);
    if (member != null) {
      b.with("member", member);
    }
    return b.with("expected", expected)
        .message("struct {struct}" + (member == null ? " " : ": member {member} ")
            + what + "; expected {expected}");
  }

  /** Plans a struct (after the structs it nests), once; decides what it can. */
  private Plan plan(int id, String anonymousName) {
    Plan known = plans.get(id);
    if (known != null) {
      return known;
    }
    BtfType t = btf.type(id);
    String struct = t.name().isEmpty() ? anonymousName : t.name();
    if (!visiting.add(id)) {
      throw cannot(struct, null, "holds itself", "structs that do not nest themselves");
    }
    if (visiting.size() > LayoutEngine.MAX_DEPTH) {
      throw cannot(struct, null, "nests structs more than " + LayoutEngine.MAX_DEPTH
          + " deep", "structs nested at most " + LayoutEngine.MAX_DEPTH + " deep");
    }
    if (!cIdentifier(struct)) {
      throw BpfEventsException.of("cannot-import")
          .with("struct", struct)
          .with("value", struct)
          .with("expected", "a C identifier of at most " + (BtfStrings.KSYM_NAME_LEN - 1)
              + " characters (letters, digits and _, not starting with a digit)")
          .message("struct {value} has a name that is not a C identifier; expected"
              + " {expected}");
    }
    Plan p = new Plan(id, struct, t.size());
    if (t.members().isEmpty()) {
      throw cannot(struct, null, "has no members", "a struct with at least one member");
    }
    Set<Integer> tagged = pointerTagged(id);
    List<BtfType.Member> ms = t.members();
    fields += ms.size();
    if (fields > MAX_FIELDS) {
      throw cannot(struct, null, "brings the fields of the import past " + MAX_FIELDS,
          "at most " + MAX_FIELDS + " fields in all the events of one import");
    }
    for (int i = 0; i < ms.size(); i++) {
      p.items.add(item(p, ms.get(i), i, tagged.contains(i)));
    }
    decide(p);
    visiting.remove(id);
    p.name = unique(struct);
    if (plans.size() == MAX_EVENTS) {
      throw cannot(struct, null, "brings the events of the import past " + MAX_EVENTS,
          "at most " + MAX_EVENTS + " events (structs named and nested) in one import");
    }
    plans.put(id, p);
    return p;
  }

  /**
   * The name itself the first time, else {@code name_2}, {@code name_3}, ...: the next
   * suffix of that name is remembered, so that choosing every name takes linear time
   * overall (a taken {@code name_k} is passed over once, by {@code name}'s counter only).
   */
  private String unique(String name) {
    if (names.add(name)) {
      return name;
    }
    int k = nextSuffix.getOrDefault(name, 2);
    String n = name + "_" + k;
    while (!names.add(n)) {
      k++;
      n = name + "_" + k;
    }
    nextSuffix.put(name, k + 1);
    return n;
  }

  private static String esc(String text) {
    return text.replace("{", "{{");
  }

  /** Whether a name is a C identifier, as the kernel's BTF checker wants type names. */
  static boolean cIdentifier(String name) {
    if (name.isEmpty() || name.length() >= BtfStrings.KSYM_NAME_LEN) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
      if (!letter && !(i > 0 && c >= '0' && c <= '9')) {
        return false;
      }
    }
    return true;
  }

  /** The members of a struct that the writer's DECL_TAG marks as {@code ptr} fields. */
  private Set<Integer> pointerTagged(int struct) {
    return btf.taggedMembers(struct, BtfWriter.PTR_TAG);
  }

  private Item item(Plan p, BtfType.Member m, int index, boolean pointerTag) {
    String member = m.name();
    if (member.isEmpty()) {
      throw BpfEventsException.of("cannot-import")
          .with("struct", p.struct)
          .with("index", index)
          .with("offset", m.bitOffset())
          .with("expected", "named members")
          .message("struct {struct}: member {index} (anonymous, at bit {offset}) has no name"
              + " (its type: " + esc(btf.describe(m.type())) + "); expected {expected}");
    }
    if (!cIdentifier(member)) {
      throw BpfEventsException.of("cannot-import")
          .with("struct", p.struct)
          .with("index", index)
          .with("value", member)
          .with("expected", "a C identifier of at most " + (BtfStrings.KSYM_NAME_LEN - 1)
              + " characters (letters, digits and _, not starting with a digit)")
          .message("struct {struct}: member {index} has the name {value}, which is not a C"
              + " identifier; expected {expected}");
    }
    MemberShape s = MemberShape.of(btf, m.type());
    if (m.bitfieldSize() != 0 || s.partialInt || m.bitOffset() % 8 != 0) {
      int bits = m.bitfieldSize() != 0 ? m.bitfieldSize() : s.bits;
      throw cannot(p.struct, member, "is a bitfield (" + bits + (bits == 1 ? " bit" : " bits")
          + " of " + esc(s.description()) + ")", "whole-byte members (an event has no bitfields)");
    }
    if (s.array && s.count == 0) {
      throw cannot(p.struct, member, "is a flexible array (" + esc(s.description()) + ")",
          "arrays with an element count");
    }
    if (s.count > Integer.MAX_VALUE) {
      throw cannot(p.struct, member, "has " + s.count + " elements", "at most "
          + Integer.MAX_VALUE + " elements");
    }
    long offset = m.bitOffset() / 8;
    switch (s.category) {
      case STRUCT -> {
        Plan nested = plan(s.element, p.struct + "_" + member);
        return new Item(member, null, nested, s.count, offset, s.elementSize);
      }
      case UNION -> throw cannot(p.struct, member, "is a union (" + esc(s.description()) + ")",
          "members of one type each (an event has no unions)");
      case POINTER -> {
        int kind = s.pointee == 0 ? 0 : btf.kind(s.pointee).code();
        if (kind == BtfKind.STRUCT.code() || kind == BtfKind.UNION.code()
            || kind == BtfKind.FWD.code()) {
          throw cannot(p.struct, member, "is a pointer to " + esc(btf.describe(s.pointee)),
              "scalars, arrays and nested structs (a pointer to a struct means nothing to"
                  + " the reader of a record; hold the struct, or a u64)");
        }
        return new Item(member, FieldType.PTR, null, s.count, offset, s.elementSize);
      }
      case SCALAR -> {
        FieldType f = s.scalarType();
        if (f == null) {
          throw cannot(p.struct, member, "is " + esc(s.description()) + " (" + s.elementSize
              + " bytes" + (s.signed ? ", signed" : "") + (s.bigEndian ? ", big-endian" : "")
              + ")", "an integer of 1, 2, 4 or 8 bytes (big-endian ones unsigned)");
        }
        if (pointerTag && f == FieldType.U64) {
          f = FieldType.PTR;
        }
        return new Item(member, f, null, s.count, offset, s.elementSize);
      }
      default -> throw cannot(p.struct, member, "is " + esc(s.description()),
          "integers, pointers, arrays and structs");
    }
  }

  /** Whether the items lie back to back and end at the struct's size. */
  private static boolean packedFits(Plan p) {
    long at = 0;
    for (Item i : p.items) {
      if (i.offset != at) {
        return false;
      }
      at = i.end();
    }
    return at == p.size;
  }

  /**
   * Whether the items lie where a natural layout puts them, given the packing of the
   * structs they nest; nested structs that are not decided yet are decided as this one
   * needs them. Returns the natural alignment, or 0 when it does not fit (then nothing is
   * decided).
   */
  private static int naturalFits(Plan p) {
    Map<Plan, Packing> need = new IdentityHashMap<>();
    Set<Plan> free = Collections.newSetFromMap(new IdentityHashMap<>());
    long at = 0;
    int fixedMax = 1;
    for (Item i : p.items) {
      if (i.scalar != null) {
        int a = i.scalar.alignment();
        if (roundUp(at, a) != i.offset) {
          return 0;
        }
        fixedMax = Math.max(fixedMax, a);
      } else {
        Plan n = i.nested;
        Packing chosen = n.packing != null ? n.packing : need.get(n);
        if (chosen != null) {
          int a = chosen == Packing.PACKED ? 1 : n.naturalAlignment;
          if (roundUp(at, a) != i.offset) {
            return 0;
          }
          fixedMax = Math.max(fixedMax, a);
        } else {
          boolean natural = roundUp(at, n.naturalAlignment) == i.offset;
          boolean packed = at == i.offset;
          if (natural && packed) {
            free.add(n);
          } else if (natural || packed) {
            Packing c = natural ? Packing.NATURAL : Packing.PACKED;
            need.put(n, c);
            free.remove(n);
            fixedMax = Math.max(fixedMax, natural ? n.naturalAlignment : 1);
          } else {
            return 0;
          }
        }
      }
      at = i.end();
    }
    free.removeAll(need.keySet());
    // the struct's alignment: the largest that rounds the members' end to its size
    int best = 0;
    for (int m = 8; m >= fixedMax; m /= 2) {
      if (roundUp(at, m) != p.size) {
        continue;
      }
      boolean reached = m == fixedMax;
      for (Plan n : free) {
        reached |= n.naturalAlignment == m;
      }
      if (reached) {
        best = m;
        break;
      }
    }
    if (best == 0) {
      return 0;
    }
    boolean reached = best == fixedMax;
    for (Plan n : free) {
      if (n.naturalAlignment > best) {
        need.put(n, Packing.PACKED);
      } else if (n.naturalAlignment == best && !reached) {
        need.put(n, Packing.NATURAL);
        reached = true;
      }
    }
    for (Map.Entry<Plan, Packing> e : need.entrySet()) {
      e.getKey().packing = e.getValue();
    }
    return best;
  }

  private static void decide(Plan p) {
    boolean packed = packedFits(p);
    int natural = naturalFits(p);
    if (natural > 0) {
      p.naturalAlignment = natural;
      p.packing = packed && natural > 1 ? null : Packing.NATURAL;
    } else if (packed) {
      p.packing = Packing.PACKED;
    } else {
      throw neither(p);
    }
  }

  private static BpfEventsException neither(Plan p) {
    long natural = 0;
    long packed = 0;
    for (Item i : p.items) {
      int a = i.scalar != null ? i.scalar.alignment() : i.nested.alignment();
      natural = roundUp(natural, a);
      if (i.offset != natural && i.offset != packed) {
        return cannot(p.struct, i.field, "lies at offset " + i.offset + ", where neither"
            + " {{:align :natural} (" + natural + ") nor {{:align :packed} (" + packed
            + ") puts it", "offsets that one of the two packings gives");
      }
      natural = i.end();
      packed = i.end();
    }
    return cannot(p.struct, null, "is " + p.size + " bytes, which neither {{:align"
        + " :natural} nor {{:align :packed} gives for its members", "a size that one of the"
        + " two packings gives");
  }

  private static long roundUp(long n, int align) {
    return (n + align - 1) / align * align;
  }

  private EventLayout build(Plan p) {
    List<FieldSpec> specs = new ArrayList<>(p.items.size());
    for (Item i : p.items) {
      specs.add(i.scalar != null ? FieldSpec.of(i.field, i.scalar, i.count)
          : FieldSpec.of(i.field, i.nested.layout, i.count));
    }
    EventLayout l;
    try {
      l = LayoutEngine.layout(p.name, specs, p.packing);
    } catch (BpfEventsException e) {
      throw e.within("struct", p.struct, "struct {struct}");
    }
    for (int k = 0; k < p.items.size(); k++) {
      Field f = l.fields().get(k);
      if (f.offset() != p.items.get(k).offset) {
        throw neither(p);
      }
    }
    if (l.size() != p.size) {
      throw neither(p);
    }
    p.layout = l;
    return l;
  }
}
