package io.github.bpfevents.btf;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Problem;
import io.github.bpfevents.layout.EnumType;
import io.github.bpfevents.layout.EventKind;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.Field;
import io.github.bpfevents.layout.FieldSpec;
import io.github.bpfevents.layout.FieldType;
import io.github.bpfevents.layout.LayoutEngine;
import io.github.bpfevents.layout.Packing;
import java.math.BigInteger;
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
 * <p>Each struct or union becomes an event of its name and kind, each member a field of
 * its name: an integer or enumeration the type of its size and signedness, {@code __be16},
 * {@code __be32} and {@code __be64} typedefs the big-endian types, a C {@code char} the
 * {@code char} type (so a char array is text), a pointer to a struct, union or forward
 * declaration a {@code ptr} field that names its target (declared forward: the target is
 * not imported), any other pointer {@code ptr}, an array (of arrays) a field with the
 * count of its elements, an array of 0 elements an array of no elements, a struct or
 * union member a nested event (imported too), an anonymous struct or union member an
 * anonymous member (its event named after the struct and the member's index:
 * {@code sk_buff_anon2}), and a bitfield, in either BTF encoding (the kind flag's width, or
 * an INT's own bits), a bitfield of the integer type of its storage's size and
 * signedness. An enum member, bitfield or not, imports as its integer with the enum's
 * constants ({@link EnumType}, without a name: an event file names an enum by its field),
 * in lower case, {@code TAG_} dropped where every constant starts with it; an enum whose
 * values do not fit the field's width, of more than {@value #MAX_ENUMERATORS}
 * constants, or with a constant that the C header could not write ({@code auto}, after
 * lower case), imports as the integer alone. The
 * result holds every struct named and every struct they nest, each once, each after the
 * events it nests.
 *
 * <p>BTF records offsets, not alignment, so the packing is inferred. A struct of scalars,
 * arrays and nested structs is natural when {@link LayoutEngine} places the members at
 * the offsets the struct has and gives its size, else packed when that does; a struct
 * that both fit is natural, unless a struct holding it needs it packed. Otherwise, and for
 * the rest of the C type model, the members are placed as {@link LayoutEngine} would,
 * natural first, then packed, with what C would have written to get the offsets BTF has:
 * an explicit alignment on a member ({@code aligned(N)}, the smallest that moves it there)
 * and on the event (for its size), and unnamed bitfields where bits are skipped (BTF drops
 * C's unnamed bitfields, {@code int :32}, and {@code :0}). Every imported event is laid
 * out again and checked against the BTF, bit offset by bit offset.
 *
 * <p>One import declares at most {@link #MAX_EVENTS} events and {@link #MAX_FIELDS}
 * fields in all; names that are taken get the first free suffix ({@code x}, {@code x_2},
 * ...), in time linear in the structs overall. Struct and member names must be C
 * identifiers (as the kernel's BTF checker requires), so that the event file written of
 * them reads back; a {@code ptr} field written by {@link BtfWriter} comes back as
 * {@code ptr} through its DECL_TAG.
 *
 * <p>What an event cannot express is an error naming the struct, the member and the path
 * to it from the struct named ({@code task_struct.se.avg: struct sched_avg: member ...}):
 * a float, an anonymous member that is no struct or union, a struct that holds itself, and offsets that no packing and alignment gives. An
 * INT of 16 bytes imports as {@code i128} or {@code u128}; an array of 0 elements as an
 * array of no elements (a flexible array member when last, else a GNU zero-length
 * array).
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
  /** The struct named, then each member on the way to the struct being planned. */
  private final List<String> trail = new ArrayList<>();
  private final Map<Integer, EnumType> enumsById = new HashMap<>();
  /**
   * The most constants of an enum that imports with its names (more, and the field is its
   * integer): so that a hostile enum of 65,535 values per member cannot grow the import.
   */
  static final int MAX_ENUMERATORS = 1024;

  /** A struct on its way to an event: its fields and its packing, once decided. */
  private static final class Plan {
    final int id;
    final String struct;
    final long size;
    final boolean union;
    String name;
    /** The event's explicit alignment, when the layout needs one; else 0. */
    int aligned;
    /** The alignment the fitted layout has (0 for a struct decided the classic way). */
    int fitAlign;
    /** The path from the struct named to the member this struct is the type of, or null. */
    String path;
    final List<Item> items = new ArrayList<>();
    /** NATURAL or PACKED once decided; null while either would do. */
    Packing packing;
    /** The alignment the struct has when natural. */
    int naturalAlignment = 1;
    EventLayout layout;

    Plan(int id, String struct, long size, boolean union) {
      this.id = id;
      this.struct = struct;
      this.size = size;
      this.union = union;
    }

    int alignment() {
      return fitAlign > 0 ? fitAlign : packing == Packing.PACKED ? 1 : naturalAlignment;
    }

    /** Scalars, arrays and nested structs only: the two packings are inferred for it. */
    boolean classic() {
      if (union || items.isEmpty()) {
        return false;
      }
      for (Item i : items) {
        if (i.bits >= 0 || i.anonymous || i.flexible || i.pointee != null
            || (i.nested != null && i.nested.fitAlign > 0)) {
          return false;
        }
      }
      return true;
    }
  }

  /** A member on its way to a field. */
  private static final class Item {
    final String field;
    final FieldType scalar;
    final Plan nested;
    final long count;
    final long offset;
    final long elementSize;
    /** The member's bit offset (a bitfield's first bit). */
    long bitOffset;
    /** A bitfield's width, or -1. */
    int bits = -1;
    boolean anonymous;
    boolean flexible;
    EnumType enumType;
    /** A pointer's target name (struct, union or forward), or null. */
    String pointee;
    EventKind pointeeKind;
    /** An explicit alignment the layout needs, or 0. */
    int aligned;
    /** An unnamed bitfield that pads to the next member's bit, not a member of the BTF. */
    boolean padding;

    Item(String field, FieldType scalar, Plan nested, long count, long offset,
        long elementSize) {
      this.field = field;
      this.scalar = scalar;
      this.nested = nested;
      this.count = count;
      this.offset = offset;
      this.elementSize = elementSize;
      this.bitOffset = 8 * offset;
    }

    long end() {
      return offset + elementSize * count;
    }

    int naturalAlignment() {
      return scalar != null ? scalar.alignment() : nested.alignment();
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
      throw Problem.NO_EVENTS_STRUCTS_IMPORT
          .with("value", structs)
          .with("expected", "BTF and at least one struct name")
          .build();
    }
    BtfImporter im = new BtfImporter(btf);
    for (String s : structs) {
      im.trail.clear();
      im.trail.add(s);
      im.plan(im.btf.requireStruct(s), s);
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

  private BpfEventsException cannot(String struct, String member, String what,
      String expected) {
    String path = path(member);
    if (member == null && path == null) {
      return Problem.CANNOT_IMPORT_STRUCT
          .with("struct", struct)
          .with("expected", expected)
          .with("what", what.replace("{{", "{"))
          .build();
    }
    if (member == null) {
      return Problem.CANNOT_IMPORT_NESTED_STRUCT
          .with("struct", struct)
          .with("reached", path)
          .with("expected", expected)
          .with("what", what.replace("{{", "{"))
          .build();
    }
    if (path == null) {
      return Problem.CANNOT_IMPORT_MEMBER
          .with("struct", struct)
          .with("member", member)
          .with("expected", expected)
          .with("what", what.replace("{{", "{"))
          .build();
    }
    return Problem.CANNOT_IMPORT_NESTED_MEMBER
        .with("struct", struct)
        .with("member", member)
        .with("reached", path)
        .with("expected", expected)
        .with("what", what.replace("{{", "{"))
        .build();
  }

  /**
   * The path from the struct named to a member, through the members that nest the struct
   * being planned ({@code task_struct.se.avg}); null when the member is the named struct's
   * own or there is none.
   */
  private String path(String member) {
    if (trail.size() <= 1) {
      return null;
    }
    StringBuilder b = new StringBuilder();
    for (String step : trail) {
      b.append(b.length() == 0 ? "" : ".").append(step);
    }
    if (member != null) {
      b.append('.').append(member);
    }
    return b.toString();
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
      throw Problem.CANNOT_IMPORT_STRUCT_NAME
          .with("struct", struct)
          .with("value", struct)
          .with("expected", "a C identifier of at most " + (BtfStrings.KSYM_NAME_LEN - 1)
              + " characters (letters, digits and _, not starting with a digit)")
          .build();
    }
    Plan p = new Plan(id, struct, t.size(), t.kind() == BtfKind.UNION);
    p.path = trail.size() <= 1 ? null : String.join(".", trail);
    Set<Integer> tagged = pointerTagged(id);
    List<BtfType.Member> ms = t.members();
    fields += ms.size();
    if (fields > MAX_FIELDS) {
      throw cannot(struct, null, "brings the fields of the import past " + MAX_FIELDS,
          "at most " + MAX_FIELDS + " fields in all the events of one import");
    }
    for (int i = 0; i < ms.size(); i++) {
      p.items.add(item(p, ms.get(i), i, tagged.contains(i), t.kindFlag()));
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

  private Item item(Plan p, BtfType.Member m, int index, boolean pointerTag,
      boolean kindFlag) {
    String member = m.name();
    MemberShape s = MemberShape.of(btf, m.type());
    boolean aggregate = s.category == MemberShape.Category.STRUCT
        || s.category == MemberShape.Category.UNION;
    if (member.isEmpty() && !(aggregate && !s.array)) {
      throw Problem.CANNOT_IMPORT_MEMBER_ANONYMOUS_BIT
          .with("struct", p.struct)
          .with("index", index)
          .with("offset", m.bitOffset())
          .with("expected", "named members, or anonymous structs and unions")
          .with("member-type", btf.describe(m.type()))
          .build();
    }
    if (!member.isEmpty() && !cIdentifier(member)) {
      throw Problem.CANNOT_IMPORT_MEMBER_NAME_C
          .with("struct", p.struct)
          .with("index", index)
          .with("value", member)
          .with("expected", "a C identifier of at most " + (BtfStrings.KSYM_NAME_LEN - 1)
              + " characters (letters, digits and _, not starting with a digit)")
          .build();
    }
    String shown = member.isEmpty() ? null : member;
    int width = kindFlag ? m.bitfieldSize() : 0;
    long bitOffset = m.bitOffset();
    if (!kindFlag && s.partialInt) {
      width = s.bits;
      bitOffset += ((BtfType.Int) btf.type(s.element)).intBitOffset();
    }
    if (width != 0 || bitOffset % 8 != 0) {
      return bitfield(p, member, s, width == 0 ? s.bits : width, bitOffset);
    }
    boolean flexible = s.array && s.count == 0;
    if (s.count > Integer.MAX_VALUE) {
      throw cannot(p.struct, shown, "has " + s.count + " elements", "at most "
          + Integer.MAX_VALUE + " elements");
    }
    long offset = bitOffset / 8;
    Item item;
    switch (s.category) {
      case STRUCT, UNION -> {
        String name = member.isEmpty() ? p.struct + "_anon" + index : p.struct + "_" + member;
        trail.add(member.isEmpty() ? "(anonymous " + index + ")" : member);
        Plan nested = plan(s.element, name);
        trail.remove(trail.size() - 1);
        item = new Item(shown, null, nested, s.count, offset, s.elementSize);
        item.anonymous = member.isEmpty();
      }
      case POINTER -> {
        item = new Item(member, FieldType.PTR, null, s.count, offset, s.elementSize);
        BtfKind kind = s.pointee == 0 ? null : btf.kind(s.pointee);
        if (kind == BtfKind.STRUCT || kind == BtfKind.UNION || kind == BtfKind.FWD) {
          String target = btf.type(s.pointee).name();
          item.pointee = target.isEmpty() || !cIdentifier(target)
              ? p.struct + "_" + member + "_target" : target;
          item.pointeeKind = kind == BtfKind.UNION
              || (kind == BtfKind.FWD && btf.kindFlag(s.pointee))
              ? EventKind.UNION : EventKind.STRUCT;
        }
      }
      case SCALAR -> {
        FieldType f = s.scalarType();
        if (f == null) {
          throw cannot(p.struct, shown, "is " + esc(s.description()) + " (" + s.elementSize
              + " bytes" + (s.signed ? ", signed" : "") + (s.bigEndian ? ", big-endian" : "")
              + ")", "an integer of 1, 2, 4, 8 or 16 bytes (big-endian ones unsigned, of at"
              + " most 8 bytes)");
        }
        if (pointerTag && f == FieldType.U64) {
          f = FieldType.PTR;
        }
        item = new Item(member, f, null, s.count, offset, s.elementSize);
        item.enumType = f == FieldType.PTR ? null : enumOf(s, f, -1);
      }
      default -> throw cannot(p.struct, shown, "is " + esc(s.description()),
          "integers, enums, pointers, arrays, structs and unions");
    }
    item.flexible = flexible;
    return item;
  }

  /** A bitfield member: its type the integer of its storage's size and signedness. */
  private Item bitfield(Plan p, String member, MemberShape s, int width, long bitOffset) {
    String shown = member.isEmpty() ? null : member;
    if (s.category != MemberShape.Category.SCALAR || s.array || width > 8 * s.elementSize
        || width <= 0) {
      throw cannot(p.struct, shown, "is a bitfield (" + width + (width == 1 ? " bit" : " bits")
          + " of " + esc(s.description()) + ")", "a bitfield of an integer or enum type,"
          + " at most as wide as its type");
    }
    FieldType t = integer(s.elementSize, s.signed);
    if (t == null) {
      throw cannot(p.struct, shown, "is a bitfield of " + esc(s.description()) + " ("
          + s.elementSize + " bytes)", "a bitfield of an integer of 1, 2, 4, 8 or 16 bytes");
    }
    Item item = new Item(shown, t, null, 1, bitOffset / 8, 0);
    item.bitOffset = bitOffset;
    item.bits = width;
    item.enumType = shown == null ? null : enumOf(s, t, width);
    return item;
  }

  /**
   * The enumeration of an ENUM or ENUM64 member, of the field's type; null for another
   * type, for an enum without values, and when a value does not fit the type or a
   * bitfield's width (the field is then the integer it is). The enumeration has no name
   * of its own (an event file names an enum by its field), and its constants are the
   * BTF's in lower case; constants named {@code TAG_NAME} after the enum's tag, as the C
   * header and the writer name them, come back as {@code name}.
   */
  private EnumType enumOf(MemberShape s, FieldType type, int width) {
    BtfKind k = btf.kind(s.element);
    if ((k != BtfKind.ENUM && k != BtfKind.ENUM64) || type.bigEndian() || type.text()) {
      return null;
    }
    EnumType known = enumsById.get(s.element);
    if (known == null || known.type() != type) {
      BtfType t = btf.type(s.element);
      List<BtfType.Enumerator> values = t instanceof BtfType.Enum e ? e.values()
          : ((BtfType.Enum64) t).values();
      if (values.isEmpty() || values.size() > MAX_ENUMERATORS) {
        return null;
      }
      String prefix = t.name().toUpperCase(java.util.Locale.ROOT) + "_";
      boolean strip = !t.name().isEmpty();
      for (BtfType.Enumerator v : values) {
        strip &= v.name().length() > prefix.length() && v.name().startsWith(prefix)
            && cIdentifier(v.name().substring(prefix.length()));
      }
      Map<String, BigInteger> named = new LinkedHashMap<>();
      for (BtfType.Enumerator v : values) {
        String n = (strip ? v.name().substring(prefix.length()) : v.name())
            .toLowerCase(java.util.Locale.ROOT);
        BigInteger value;
        if (k == BtfKind.ENUM && !type.signed()) {
          value = BigInteger.valueOf(v.value() & 0xffffffffL);
        } else if (!type.signed() && v.value() < 0) {
          value = BigInteger.valueOf(v.value()).add(BigInteger.ONE.shiftLeft(64));
        } else {
          value = BigInteger.valueOf(v.value());
        }
        named.putIfAbsent(n, value);
      }
      try {
        for (String n : named.keySet()) {
          io.github.bpfevents.layout.CNames.identifier(n, "field");
        }
        known = EnumType.of(null, type, named);
      } catch (BpfEventsException e) {
        return null;
      }
      enumsById.put(s.element, known);
    }
    if (width > 0) {
      try {
        FieldSpec.bitfield("b", type, width).withEnum(known);
      } catch (BpfEventsException e) {
        return null;
      }
    }
    return known;
  }

  /** The host-order integer type of a size and signedness, or null. */
  private static FieldType integer(long size, boolean signed) {
    for (FieldType f : FieldType.values()) {
      if (f.size() == size && f.signed() == signed && !f.text() && !f.bigEndian()
          && f.readsAs() == f && f != FieldType.PTR) {
        return f;
      }
    }
    return null;
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

  private void decide(Plan p) {
    if (p.classic()) {
      boolean packed = packedFits(p);
      int natural = naturalFits(p);
      if (natural > 0) {
        p.naturalAlignment = natural;
        p.packing = packed && natural > 1 ? null : Packing.NATURAL;
        return;
      } else if (packed) {
        p.packing = Packing.PACKED;
        return;
      }
    }
    if (!fit(p, Packing.NATURAL) && !fit(p, Packing.PACKED)) {
      throw neither(p);
    }
  }

  /**
   * Places the items as {@link LayoutEngine} would with a packing, giving a member the
   * explicit alignment that moves it to where the BTF has it, an unnamed bitfield before a
   * bitfield that lies further on, and the event the alignment that gives its size. Nested
   * structs not decided yet are decided as this one needs them. On success the plan has
   * its packing, paddings and alignments; else nothing is decided.
   */
  private static boolean fit(Plan p, Packing packing) {
    boolean packed = packing == Packing.PACKED;
    Map<Plan, Packing> need = new IdentityHashMap<>();
    Map<Item, Integer> aligned = new IdentityHashMap<>();
    List<Item> out = new ArrayList<>();
    long bit = 0;
    long end = 0;
    int align = 1;
    for (Item i : p.items) {
      if (i.padding) {
        continue;
      }
      if (i.bits >= 0) {
        int unitBits = 8 * i.scalar.size();
        long at;
        if (p.union) {
          if (i.bitOffset != 0) {
            return false;
          }
          at = 0;
          end = Math.max(end, (i.bits + 7) / 8);
        } else {
          if (!packed && bit / unitBits != (bit + i.bits - 1) / unitBits) {
            bit = roundUp(bit, unitBits);
          }
          if (bit > i.bitOffset) {
            return false;
          }
          if (!pad(out, bit, i.bitOffset)) {
            return false;
          }
          at = i.bitOffset;
          if (!packed && at / unitBits != (at + i.bits - 1) / unitBits) {
            return false;
          }
          bit = at + i.bits;
          end = (bit + 7) / 8;
        }
        if (!packed && i.field != null) {
          align = Math.max(align, i.scalar.alignment());
        }
        out.add(i);
        continue;
      }
      int natural;
      if (i.nested != null && i.nested.packing == null && !need.containsKey(i.nested)) {
        long pos = p.union ? 0 : (bit + 7) / 8;
        boolean asNatural = roundUp(pos, i.nested.naturalAlignment) == i.offset;
        need.put(i.nested, asNatural ? Packing.NATURAL : Packing.PACKED);
      }
      if (i.nested != null && i.nested.packing == null) {
        natural = need.get(i.nested) == Packing.PACKED ? 1 : i.nested.naturalAlignment;
      } else {
        natural = i.naturalAlignment();
      }
      int a = packed ? 1 : natural;
      long pos = p.union ? 0 : (bit + 7) / 8;
      if (roundUp(pos, a) != i.offset) {
        int n = a * 2;
        while (n <= FieldSpec.MAX_ALIGNED && roundUp(pos, n) < i.offset) {
          n *= 2;
        }
        if (n <= FieldSpec.MAX_ALIGNED && roundUp(pos, n) == i.offset) {
          aligned.put(i, n);
          a = n;
        } else if (p.union || i.offset < pos || i.offset % a != 0
            || !pad(out, bit, 8 * i.offset)) {
          return false;
        }
      }
      align = Math.max(align, a);
      long stop = i.offset + i.elementSize * i.count;
      if (p.union) {
        end = Math.max(end, stop);
      } else {
        bit = 8 * stop;
        end = stop;
      }
      out.add(i);
    }
    int eventAligned = 0;
    if (!p.union && roundUp(end, align) != p.size && p.size % align == 0 && p.size > end
        && roundUp(end, 2 * align) != p.size && pad(out, 8 * end, 8 * p.size)) {
      end = p.size; // explicit padding at the end, as unnamed bitfields (BTF drops them)
    }
    if (roundUp(end, align) != p.size) {
      int n = align * 2;
      while (n <= FieldSpec.MAX_ALIGNED && roundUp(end, n) < p.size) {
        n *= 2;
      }
      if (n > FieldSpec.MAX_ALIGNED || roundUp(end, n) != p.size) {
        return false;
      }
      eventAligned = n;
      align = n;
    }
    for (Map.Entry<Plan, Packing> e : need.entrySet()) {
      e.getKey().packing = e.getValue();
    }
    for (Map.Entry<Item, Integer> e : aligned.entrySet()) {
      e.getKey().aligned = e.getValue();
    }
    p.items.clear();
    p.items.addAll(out);
    p.packing = packing;
    p.aligned = eventAligned;
    p.fitAlign = align;
    p.naturalAlignment = align;
    return true;
  }

  /** The most unnamed bitfields that fill one gap: 1,024 bits. */
  private static final int MAX_PADS = 16;

  /**
   * Adds unnamed bitfields that fill the bits from one bit to another, none crossing a
   * 64-bit boundary (so that no layout moves them); false when that takes more than
   * {@link #MAX_PADS}.
   */
  private static boolean pad(List<Item> out, long from, long to) {
    if (to - from > 64L * MAX_PADS) {
      return false;
    }
    while (from < to) {
      int w = (int) Math.min(to - from, 64 - from % 64);
      Item pad = new Item(null, FieldType.U64, null, 1, from / 8, 0);
      pad.bits = w;
      pad.padding = true;
      pad.bitOffset = from;
      out.add(pad);
      from += w;
    }
    return true;
  }

  private BpfEventsException neither(Plan p) {
    long natural = 0;
    long packed = 0;
    for (Item i : p.items) {
      if (i.bits >= 0 || p.union) {
        return cannot(p.struct, null, "has members at bit offsets (or a size of " + p.size
            + " bytes) that no packing and alignment gives", "a layout C can declare");
      }
      int a = i.naturalAlignment();
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
    EventLayout l;
    try {
      for (Item i : p.items) {
        specs.add(spec(i));
      }
      l = LayoutEngine.layout(p.name, specs, p.packing,
          p.union ? EventKind.UNION : EventKind.STRUCT, p.aligned);
    } catch (BpfEventsException e) {
      BpfEventsException w = e.within("struct", p.struct, "struct {struct}");
      throw p.path == null ? w : w.within("reached", p.path, "{reached}");
    }
    for (int k = 0; k < p.items.size(); k++) {
      Field f = l.fields().get(k);
      if (f.bitOffset() != p.items.get(k).bitOffset) {
        throw neither(p);
      }
    }
    if (l.size() != p.size) {
      throw neither(p);
    }
    p.layout = l;
    return l;
  }

  private static FieldSpec spec(Item i) {
    if (i.bits >= 0) {
      FieldSpec f = FieldSpec.bitfield(i.field, i.scalar, i.bits);
      return i.enumType == null ? f : f.withEnum(i.enumType);
    }
    FieldSpec f;
    if (i.anonymous) {
      f = FieldSpec.anonymous(i.nested.layout);
    } else if (i.flexible) {
      f = i.nested != null ? FieldSpec.flexible(i.field, i.nested.layout)
          : FieldSpec.flexible(i.field, i.scalar);
    } else if (i.pointee != null) {
      f = FieldSpec.pointer(i.field, i.pointee, i.pointeeKind, i.count);
    } else if (i.nested != null) {
      f = FieldSpec.of(i.field, i.nested.layout, i.count);
    } else {
      f = FieldSpec.of(i.field, i.scalar, i.count);
    }
    if (i.enumType != null) {
      f = f.withEnum(i.enumType);
    }
    return i.aligned == 0 ? f : f.withAligned(i.aligned);
  }
}
