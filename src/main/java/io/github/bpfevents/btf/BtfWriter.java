package io.github.bpfevents.btf;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Problem;
import io.github.bpfevents.layout.CNames;
import io.github.bpfevents.layout.EnumType;
import io.github.bpfevents.layout.EventKind;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.Field;
import io.github.bpfevents.layout.FieldType;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the BTF of events: the raw blob that {@code BPF_BTF_LOAD} takes, that
 * {@code bpftool btf dump file F} and {@code pahole -F btf F} read.
 *
 * <pre>{@code
 * byte[] blob = BtfWriter.write(List.of(flow));   // FlowEvent and its Endpoint
 * }</pre>
 *
 * <p>What the records say, derived from {@link FieldType}'s table:
 *
 * <ul>
 *   <li>each event is a STRUCT named as in the C header ({@link CNames}), its members at
 *       their bit offsets; a nested event is its own STRUCT, written once however often
 *       it is nested (before the structs that hold it), and events that are written
 *       once each in time linear in the distinct events;
 *   <li>a scalar is an INT of the type's size and signedness, named as C names that
 *       integer ({@code unsigned int}, {@code signed char}, ..., {@code __int128} and
 *       {@code unsigned __int128} of 16 bytes and 128 bits, as clang writes them);
 *       {@code char} is the INT {@code char} with the char encoding;
 *   <li>a type whose C name is not its integer's ({@code __be16}, and {@code __u64} for a
 *       pointer value) is a TYPEDEF of that name, over the typedef of the unsigned
 *       integer of its size ({@code __be16 -> __u16 -> unsigned short}), as
 *       {@code <linux/types.h>} declares them;
 *   <li>a {@code ptr} field is also marked by a DECL_TAG {@value #PTR_TAG} on its member
 *       (after its STRUCT), so that importing the BTF gives {@code ptr} back;
 *   <li>an array is an ARRAY of its element type, indexed by {@code unsigned int};
 *   <li>a packed event is a STRUCT whose members have the offsets they have: BTF has no
 *       packed flag; readers infer it. So is an explicit alignment: only offsets and sizes
 *       show it;
 *   <li>a union is a UNION, every member at bit 0; an anonymous member is a member without
 *       a name whose STRUCT or UNION has none either, as C declares it inline;
 *   <li>a struct or union with a named bitfield has the kind flag set: each member's offset
 *       carries its bitfield width ({@code BTF_MEMBER_BITFIELD_SIZE}), 0 for the others; an
 *       unnamed bitfield, which only pads, has no member (as in clang's BTF);
 *   <li>an enum field's type is an ENUM of the field's size and signedness (the kind flag),
 *       or an ENUM64 when a value needs more than 32 bits, named and with its constants
 *       named as the C header declares them ({@code enum flow_kind},
 *       {@code FLOW_KIND_OPEN}). The kernel's checker takes an enum bitfield of at most 32
 *       bits and, in a struct with the bitfield encoding, every enum member as 4 bytes: a
 *       wider enum bitfield, and there an enum member narrower than 4 bytes, is its INT;
 *   <li>a flexible array member, and a GNU zero-length array, is an ARRAY of 0 elements;
 *   <li>a pointer to a struct or union is a PTR to its STRUCT or UNION when its layout is
 *       known (written too), else, and for a struct that points to itself, to a FWD of its
 *       name and kind;
 *   <li>an empty event is a STRUCT of size 0 without members.
 * </ul>
 *
 * <p>The blob: a 24-byte header (magic {@code 0xeB9F}, version 1, flags 0), the type
 * section, then the string section; little-endian.
 */
public final class BtfWriter {
  /** {@code BTF_MAX_TYPE}: the most type records a blob may hold. */
  public static final int MAX_TYPES = 0x000fffff;
  /**
   * The text of the DECL_TAG that marks a member as a {@code ptr} field: a pointer value
   * kept as the {@code __u64} it is written as ({@link BtfImporter} reads it back as
   * {@code ptr}).
   */
  public static final String PTR_TAG = "bpf-events:ptr";

  /**
   * The widest bitfield the kernel's BTF checker takes of an ENUM or ENUM64 type
   * ({@code btf_enum_check_kflag_member}: an int's bits); a wider enum bitfield is
   * written as its INT. The same checker takes an enum member that is no bitfield, in a
   * struct with the bitfield encoding, as 4 bytes, so there one narrower than 4 bytes is
   * written as its INT too.
   */
  static final int ENUM_BITFIELD_BITS = 32;

  private static final int HEADER = 24;
  private static final String[] UNSIGNED_NAMES =
      {"unsigned char", "unsigned short", "unsigned int", "unsigned long long",
          "unsigned __int128"};
  private static final String[] SIGNED_NAMES =
      {"signed char", "short", "int", "long long", "__int128"};

  private final List<BtfType> types = new ArrayList<>();
  private final Map<FieldType, Integer> scalars = new HashMap<>();
  private final Map<String, Integer> typedefs = new HashMap<>();
  private final Map<Long, Integer> arrays = new HashMap<>();
  private final Map<EventLayout, Integer> structs = new IdentityHashMap<>();
  private final Map<EventLayout, Integer> anonymousStructs = new IdentityHashMap<>();
  private final Map<EventLayout, Boolean> writing = new IdentityHashMap<>();
  private final Map<String, Integer> forwards = new HashMap<>();
  private final Map<Integer, Integer> pointers = new HashMap<>();
  private final Map<EnumType, Integer> enums = new HashMap<>();
  private final Map<String, EventLayout> byCName = new HashMap<>();
  private final Map<String, Integer> idByCName = new HashMap<>();

  private BtfWriter() {}

  /**
   * The BTF blob of events and the events they nest.
   *
   * @param events the events, at least one
   * @return the raw BTF
   * @throws BpfEventsException as {@link #types}
   */
  public static byte[] write(List<EventLayout> events) {
    return encode(types(events));
  }

  /**
   * The type records of events and the events they nest, in id order (the first is id 1).
   *
   * @param events the events, at least one
   * @return the records
   * @throws BpfEventsException if there is no event, a name does not become a C
   *     identifier, two fields of an event or two different events become the same C
   *     name, or a field lies beyond what BTF's 32-bit bit offsets reach (512 MiB)
   */
  public static List<BtfType> types(List<EventLayout> events) {
    if (events == null || events.isEmpty() || events.stream().anyMatch(e -> e == null)) {
      throw Problem.NO_EVENTS_WRITE_BTF
          .with("value", events)
          .with("expected", "at least one event")
          .build();
    }
    BtfWriter w = new BtfWriter();
    for (EventLayout e : events) {
      w.struct(e);
    }
    return Collections.unmodifiableList(w.types);
  }

  private int add(BtfType t) {
    if (types.size() == MAX_TYPES) {
      throw Problem.BTF_TOO_LARGE_WOULD_HOLD_MORE
          .with("value", types.size() + 1)
          .with("expected", "at most " + MAX_TYPES + " types")
          .build();
    }
    types.add(t);
    return types.size();
  }

  /** The id of an event's STRUCT or UNION, writing it (after what it nests) the first time. */
  private int struct(EventLayout e) {
    return struct(e, false);
  }

  /**
   * The id of an event's STRUCT or UNION: named as the C header names it, or without a
   * name for the type of an anonymous member (as C declares it, inline).
   */
  private int struct(EventLayout e, boolean anonymous) {
    Map<EventLayout, Integer> cache = anonymous ? anonymousStructs : structs;
    Integer known = cache.get(e);
    if (known != null) {
      return known;
    }
    String name = anonymous ? "" : CNames.typeIdentifier(e.name(), "event");
    if (!anonymous) {
      EventLayout before = byCName.get(name);
      if (before != null) {
        if (!before.equals(e)) {
          throw CNames.structClash(before, e, name);
        }
        int id = idByCName.get(name);
        structs.put(e, id);
        return id;
      }
    }
    writing.put(e, Boolean.TRUE);
    List<BtfType.Member> members = new ArrayList<>(e.fields().size());
    List<Integer> ptrMembers = new ArrayList<>();
    List<String> cNames = CNames.fieldTypeIdentifiers(e);
    boolean bitfields = false;
    for (Field f : e.fields()) {
      bitfields |= f.isBitfield() && f.name() != null;
    }
    for (int i = 0; i < cNames.size(); i++) {
      Field f = e.fields().get(i);
      if (f.isBitfield() && f.name() == null) {
        continue; // an unnamed bitfield only pads: C's BTF has no member for it
      }
      String c = f.isAnonymous() ? "" : cNames.get(i);
      long bits = f.bitOffset();
      if (bits > 0xffffffffL) {
        throw Problem.BTF_TOO_LARGE_EVENT_FIELD_BYTE
            .with("event", e.name())
            .with("field", f.name())
            .with("value", f.offset())
            .with("expected", "offsets below 2^29 bytes (BTF counts bits in 32 bits)")
            .build();
      }
      int type;
      if (f.isAnonymous()) {
        type = struct(f.nested(), true);
      } else {
        int element;
        if (f.spec().pointeeName() != null) {
          element = pointerTo(f);
        } else if (f.isNested()) {
          element = struct(f.nested());
        } else if (f.enumType() != null && (f.isBitfield() ? f.bits() <= ENUM_BITFIELD_BITS
            : !bitfields || f.type().size() >= 4)) {
          element = enumeration(e, c, f.enumType());
        } else {
          element = scalar(f.type());
        }
        type = f.count() == 1 ? element : array(element, f.count());
      }
      if (f.isBitfield()) {
        members.add(new BtfType.Member(c, type, bits, f.bits()));
      } else {
        if (!f.isNested() && f.type() == FieldType.PTR && f.spec().pointeeName() == null) {
          ptrMembers.add(members.size());
        }
        members.add(new BtfType.Member(c, type, bits, 0));
      }
    }
    int id = add(BtfType.aggregate(e.isUnion() ? BtfKind.UNION : BtfKind.STRUCT, name,
        bitfields, e.size(), members));
    for (int index : ptrMembers) {
      add(new BtfType.DeclTag(PTR_TAG, id, index, false));
    }
    writing.remove(e);
    cache.put(e, id);
    if (!anonymous) {
      byCName.put(name, e);
      idByCName.put(name, id);
    }
    return id;
  }

  /**
   * The PTR of a pointer field with a target: to the target's STRUCT or UNION when its
   * layout is known and not being written (a struct that points to itself), else to a
   * FWD of its name and kind, as C declares a target it does not define.
   */
  private int pointerTo(Field f) {
    EventLayout target = f.spec().pointee();
    int to;
    if (target != null && !writing.containsKey(target)) {
      to = struct(target);
    } else {
      String name = CNames.typeIdentifier(f.spec().pointeeName(), "event");
      boolean union = f.spec().pointeeKind() == EventKind.UNION;
      String key = (union ? "union " : "struct ") + name;
      Integer fwd = forwards.get(key);
      if (fwd == null) {
        fwd = add(new BtfType.Fwd(name, union));
        forwards.put(key, fwd);
      }
      to = fwd;
    }
    Integer known = pointers.get(to);
    if (known != null) {
      return known;
    }
    int id = add(BtfType.pointer(to));
    pointers.put(to, id);
    return id;
  }

  /**
   * The ENUM of an enumeration (ENUM64 when a value needs more than 32 bits), named and
   * with its constants named as the C header declares them: the enum's own name, or the
   * struct's and the field's; {@code TAG_NAME} for each value.
   */
  private int enumeration(EventLayout e, String field, EnumType en) {
    Integer known = enums.get(en);
    if (known != null) {
      return known;
    }
    String tag = en.name() != null ? CNames.typeIdentifier(en.name(), "enum")
        : CNames.typeIdentifier(e.name(), "event") + "_" + field;
    boolean signed = en.type().signed();
    boolean wide = false;
    List<BtfType.Enumerator> values = new ArrayList<>(en.values().size());
    for (Map.Entry<String, BigInteger> v : en.values().entrySet()) {
      BigInteger n = v.getValue();
      wide |= signed ? n.bitLength() > 31 : n.bitLength() > 32;
      values.add(new BtfType.Enumerator((tag + "_" + CNames.typeIdentifier(v.getKey(),
          "field")).toUpperCase(Locale.ROOT), n.longValue()));
    }
    BtfType t;
    if (wide) {
      t = new BtfType.Enum64(tag, en.type().size(), signed, values);
    } else {
      List<BtfType.Enumerator> narrow = new ArrayList<>(values.size());
      for (BtfType.Enumerator v : values) {
        narrow.add(new BtfType.Enumerator(v.name(),
            signed ? (long) (int) v.value() : v.value() & 0xffffffffL));
      }
      t = new BtfType.Enum(tag, en.type().size(), signed, narrow);
    }
    int id = add(t);
    enums.put(en, id);
    return id;
  }

  private int array(int element, int count) {
    long key = (long) element << 32 | count;
    Integer known = arrays.get(key);
    if (known != null) {
      return known;
    }
    int id = add(BtfType.array(element, scalar(host(4)), count));
    arrays.put(key, id);
    return id;
  }

  /** The id of a scalar type: an INT, or the typedef of the type's C name. */
  private int scalar(FieldType t) {
    Integer known = scalars.get(t);
    if (known != null) {
      return known;
    }
    int id;
    if (t.text()) {
      id = add(BtfType.integer(t.cType(), t.size(), BtfType.INT_CHAR));
    } else if (t.readsAs() == t && !t.bigEndian()) {
      int log = Integer.numberOfTrailingZeros(t.size());
      id = add(BtfType.integer(t.signed() ? SIGNED_NAMES[log] : UNSIGNED_NAMES[log],
          t.size(), t.signed() ? BtfType.INT_SIGNED : 0));
    } else {
      FieldType host = host(t.size());
      int target = t.cType().equals(host.cType()) ? scalar(host) : typedef(host);
      id = typedef(t.cType(), target);
    }
    scalars.put(t, id);
    return id;
  }

  /** The typedef that names a host-order type by its C name ({@code __u16}). */
  private int typedef(FieldType host) {
    return typedef(host.cType(), scalar(host));
  }

  private int typedef(String name, int target) {
    Integer known = typedefs.get(name);
    if (known != null) {
      return known;
    }
    int id = add(BtfType.typedef(name, target));
    typedefs.put(name, id);
    return id;
  }

  /**
   * The unsigned integer of a size in host byte order, as the type table has it:
   * {@code u8}, {@code u16}, {@code u32}, {@code u64}.
   */
  static FieldType host(int size) {
    for (FieldType t : FieldType.values()) {
      if (t.size() == size && !t.signed() && !t.bigEndian() && !t.text() && t.readsAs() == t) {
        return t;
      }
    }
    throw new IllegalStateException("the type table has no unsigned integer of " + size);
  }

  /**
   * The raw BTF of type records: header, type section, string section.
   *
   * @param types the records, id 1 first
   * @return the blob
   * @throws BpfEventsException for a record that refers to an id past the list, a value
   *     that does not fit its word, or more than {@link #MAX_TYPES} records
   */
  public static byte[] encode(List<BtfType> types) {
    return encode(types, new BtfStrings());
  }

  /**
   * The raw BTF of type records with a string section that starts as given: the names the
   * records hold are looked up there, and added after it when missing. With
   * {@link BtfStrings#extending} of the table the records were read from (records added or
   * changed), each name keeps the offset where it first starts; for BTF whose names are
   * each written once (clang's, pahole's), records read and written back this way are the
   * bytes that were read. {@link Btf#encode()} writes every name back at its own offset.
   *
   * @param types the records, id 1 first
   * @param strings the string section to write the names into
   * @return the blob
   * @throws BpfEventsException as {@link #encode(List)}
   */
  public static byte[] encode(List<BtfType> types, BtfStrings strings) {
    if (types == null || types.size() > MAX_TYPES || strings == null) {
      throw Problem.BTF_TOO_LARGE_TYPE_RECORDS_WRITTEN
          .with("value", types == null ? null : types.size())
          .with("expected", "a list of at most " + MAX_TYPES + " type records")
          .build();
    }
    long typeLen = 0;
    int n = types.size();
    for (int i = 0; i < n; i++) {
      BtfType t = types.get(i);
      if (t == null) {
        throw Problem.BAD_BTF_TYPE_NULL
            .with("value", null)
            .with("expected", "a type record")
            .with("id", (i + 1))
            .build();
      }
      typeLen += BtfCodec.length(t);
      addNames(t, strings);
    }
    long total = HEADER + typeLen + strings.length();
    if (total > Integer.MAX_VALUE - 8) {
      throw Problem.BTF_TOO_LARGE_WOULD_BYTES
          .with("value", total)
          .with("expected", "at most " + (Integer.MAX_VALUE - 8) + " bytes")
          .build();
    }
    ByteBuffer b = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
    b.putShort((short) BtfReader.MAGIC).put((byte) 1).put((byte) 0).putInt(HEADER);
    b.putInt(0).putInt((int) typeLen).putInt((int) typeLen).putInt(strings.length());
    for (int i = 0; i < n; i++) {
      BtfCodec.encode(types.get(i), i + 1, n, strings::add, b);
    }
    strings.writeTo(b);
    return b.array();
  }

  /** Adds a record's names to the strings, in the order the record holds them. */
  private static void addNames(BtfType t, BtfStrings strings) {
    strings.add(t.name());
    if (t instanceof BtfType.Struct || t instanceof BtfType.Union) {
      for (BtfType.Member m : t.members()) {
        strings.add(m.name());
      }
    } else if (t instanceof BtfType.Enum e) {
      for (BtfType.Enumerator v : e.values()) {
        strings.add(v.name());
      }
    } else if (t instanceof BtfType.Enum64 e) {
      for (BtfType.Enumerator v : e.values()) {
        strings.add(v.name());
      }
    } else if (t instanceof BtfType.FuncProto p) {
      for (BtfType.Param a : p.params()) {
        strings.add(a.name());
      }
    }
  }
}
