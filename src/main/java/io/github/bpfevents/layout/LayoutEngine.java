package io.github.bpfevents.layout;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Problem;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Places declared fields in a record, in declaration order.
 *
 * <ul>
 *   <li>{@link Packing#PACKED}, the default: back to back, no padding, so a field's offset
 *       is the sum of the sizes before it and the record's size is the sum of all.
 *   <li>{@link Packing#NATURAL}: as a C compiler for BPF or x86-64 does: each field at the
 *       next multiple of its element's alignment (a scalar's size; a nested event's own
 *       alignment, 1 if it is packed), the size rounded up to the largest alignment.
 * </ul>
 *
 * <p>A nested event keeps its own layout wherever it is placed. Limits, each far beyond
 * any real record and each an error when passed: a record of at most 2^31-1 bytes, at most
 * {@link #MAX_FIELDS} fields (what BTF can describe), events nested at most
 * {@link #MAX_DEPTH} deep.
 *
 * <pre>{@code
 * EventLayout conn = LayoutEngine.layout("ConnectionEvent", List.of(
 *     FieldSpec.of("timestamp", FieldType.U64),
 *     FieldSpec.of("pid", FieldType.U32),
 *     ...
 *     FieldSpec.of("comm", FieldType.CHAR, 16)));
 * conn.size();   // 44
 * }</pre>
 */
public final class LayoutEngine {
  /** The most fields an event may declare: BTF counts a struct's members in 16 bits. */
  public static final int MAX_FIELDS = 0xffff;
  /** The deepest events may nest: an event of scalars is 1 deep, one that holds it 2. */
  public static final int MAX_DEPTH = 32;

  private LayoutEngine() {}

  /**
   * Lays out a packed event.
   *
   * @param name the event's name, not empty
   * @param specs the fields in declaration order, at least one, names unique
   * @return the layout
   * @throws BpfEventsException as {@link #layout(String, List, Packing)}
   */
  public static EventLayout layout(String name, List<FieldSpec> specs) {
    return layout(name, specs, Packing.PACKED);
  }

  /**
   * Lays out an event.
   *
   * @param name the event's name, not empty
   * @param specs the fields in declaration order, at least one, names unique
   * @param packing how to place them
   * @return the layout
   * @throws BpfEventsException if the name is missing, there are no fields or more than
   *     {@link #MAX_FIELDS}, a spec is null, two fields share a name, the packing is null,
   *     events nest deeper than {@link #MAX_DEPTH}, or the record would exceed 2^31-1 bytes
   */
  public static EventLayout layout(String name, List<FieldSpec> specs, Packing packing) {
    if (specs == null || specs.isEmpty()) {
      checkEventName(name);
      checkPacking(name, packing);
      throw Problem.NO_FIELDS
          .with("event", name)
          .with("value", specs)
          .with("expected", "at least one field")
          .build();
    }
    return layout(name, specs, packing, EventKind.STRUCT, 0);
  }

  /**
   * Lays out a struct or a union, as gcc and clang do for x86-64 and for
   * {@code -target bpf}.
   *
   * <ul>
   *   <li>A struct places its fields in declaration order, a union all at offset 0.
   *   <li>A field is placed at a multiple of its alignment: its element's (natural), or 1
   *       (packed), raised to an explicit {@link FieldSpec#withAligned alignment}.
   *   <li>A bitfield of width w and type T follows the bits before it; in a natural
   *       layout, where its bits would cross a boundary of T's size it starts at that
   *       boundary instead, and a named one aligns the event as T would. A bitfield of
   *       width 0 moves the next field to the next boundary of T's alignment (in packed
   *       layouts too) and aligns nothing. In a union a bitfield takes the bytes its
   *       bits touch.
   *   <li>An array of no elements ({@link FieldSpec#flexible}) takes no bytes but its
   *       element's alignment. Last in a struct with a named field before it, it is C99's
   *       flexible array member ({@code __u8 data[]}); anywhere else (not last, in a
   *       union, the only named field) it is GNU C's zero-length array
   *       ({@code __u8 data[0]}), placed where gcc and clang place one.
   *   <li>A nested event that ends in a flexible array member may stand anywhere (not
   *       last, in a union, in an array), as GNU C lets it; it takes its size.
   *   <li>The size is the end of the last field (the largest, for a union) rounded up to
   *       the event's alignment: the largest field alignment, raised to {@code aligned}.
   *       An event without fields is 0 bytes.
   * </ul>
   *
   * @param name the event's name, not empty
   * @param specs the fields in declaration order, none or more, names unique (an
   *     anonymous member's fields count as names of this event)
   * @param packing how to place them
   * @param kind struct or union
   * @param aligned the event's explicit alignment, or 0 for none: C's
   *     {@code __attribute__((aligned(N)))} on the struct
   * @return the layout
   * @throws BpfEventsException as {@link #layout(String, List, Packing)}
   */
  public static EventLayout layout(String name, List<FieldSpec> specs, Packing packing,
      EventKind kind, int aligned) {
    checkEventName(name);
    checkPacking(name, packing);
    if (kind == null) {
      throw Problem.BAD_OPTION_EVENT_NULL
          .with("event", name)
          .with("key", "kind")
          .with("value", null)
          .with("expected", "one of {accepted}")
          .with("accepted", EventKind.names())
          .build();
    }
    if (aligned != 0) {
      FieldSpec.checkAligned("event", name, aligned);
    }
    if (specs == null) {
      throw Problem.NO_FIELDS
          .with("event", name)
          .with("value", null)
          .with("expected", "a list of fields")
          .build();
    }
    if (specs.size() > MAX_FIELDS) {
      throw Problem.TOO_MANY_FIELDS
          .with("event", name)
          .with("value", specs.size())
          .with("expected", "at most " + MAX_FIELDS + " fields")
          .build();
    }
    boolean union = kind == EventKind.UNION;
    boolean packed = packing == Packing.PACKED;
    List<Field> fields = new ArrayList<>(specs.size());
    Set<String> seen = new HashSet<>();
    long bit = 0; // the next free bit of a struct
    long end = 0; // the bytes used so far: a struct's end, a union's largest member
    int align = 1;
    for (int i = 0; i < specs.size(); i++) {
      FieldSpec spec = specs.get(i);
      if (spec == null) {
        throw Problem.BAD_FIELD_SPEC_NULL
            .with("event", name)
            .with("index", i)
            .with("value", null)
            .with("expected", "a field spec")
            .build();
      }
      boolean namedBefore = !seen.isEmpty();
      for (String n : namesOf(spec)) {
        if (!seen.add(n)) {
          throw Problem.DUPLICATE_FIELD_EVENT
              .with("event", name)
              .with("field", n)
              .with("index", i)
              .with("expected", "unique field names")
              .build();
        }
      }
      if (spec.isNested() && spec.nested().depth() >= MAX_DEPTH) {
        throw (spec.name() != null ? Problem.TOO_DEEP : Problem.TOO_DEEP_MEMBER)
            .with("event", name)
            .with("field", spec.name())
            .with("index", i)
            .with("value", spec.nested().depth() + 1)
            .with("expected", "events nested at most " + MAX_DEPTH + " deep")
            .with("shown-name", shownName(spec))
            .build();
      }
      if (spec.isBitfield()) {
        int unitBits = 8 * spec.type().size();
        int w = spec.bits();
        long at;
        if (union) {
          at = 0;
          end = Math.max(end, (w + 7) / 8);
        } else if (w == 0) {
          bit = roundUp(bit, unitBits);
          at = bit;
        } else {
          if (!packed && bit / unitBits != (bit + w - 1) / unitBits) {
            bit = roundUp(bit, unitBits);
          }
          at = bit;
          bit += w;
        }
        if (!packed && w > 0 && spec.name() != null) {
          align = Math.max(align, spec.type().alignment());
        }
        checkSize(name, spec, (at + w + 7) / 8);
        fields.add(new Field(spec, (int) (at / 8), at));
        if (!union) {
          end = (bit + 7) / 8;
        }
        continue;
      }
      int a = packed ? Math.max(1, spec.aligned()) : spec.elementAlignment();
      align = Math.max(align, a);
      long offset = union ? 0 : roundUp((bit + 7) / 8, a);
      long stop = offset + (long) spec.elementSize() * spec.count();
      checkSize(name, spec, stop);
      boolean member = spec.isFlexible() && !union && i == specs.size() - 1 && namedBefore;
      fields.add(new Field(spec, (int) offset, 8L * offset, member));
      if (union) {
        end = Math.max(end, stop);
      } else {
        bit = 8 * stop;
        end = stop;
      }
    }
    align = Math.max(align, aligned);
    long size = roundUp(end, align);
    if (size > Integer.MAX_VALUE) {
      throw tooLarge(name, null, size);
    }
    return new EventLayout(name, packing, kind, aligned, fields, (int) size, align);
  }

  /** The names a spec adds to its event: its own, or an anonymous member's fields'. */
  private static List<String> namesOf(FieldSpec spec) {
    if (spec.isAnonymous()) {
      return spec.nested().fieldNames();
    }
    return spec.name() == null ? List.of() : List.of(spec.name());
  }

  private static String shownName(FieldSpec spec) {
    return spec.name() != null ? spec.name()
        : spec.isNested() ? "anonymous " + spec.nested().kind().kindName() + " "
            + spec.nested().name() : "unnamed bitfield";
  }

  private static void checkPacking(String name, Packing packing) {
    if (packing == null) {
      throw Problem.BAD_OPTION_EVENT_NULL
          .with("event", name)
          .with("key", "align")
          .with("value", null)
          .with("expected", "one of {accepted}")
          .with("accepted", Packing.names())
          .build();
    }
  }

  private static void checkSize(String name, FieldSpec spec, long end) {
    if (end > Integer.MAX_VALUE) {
      if (spec.name() == null) {
        throw Problem.EVENT_TOO_LARGE_AT_MEMBER
            .with("event", name)
            .with("value", end)
            .with("expected", "at most " + Integer.MAX_VALUE + " bytes")
            .with("shown-name", shownName(spec))
            .build();
      }
      throw tooLarge(name, spec.name(), end);
    }
  }

  /**
   * Checks an event name: any non-empty text.
   *
   * @param name the name
   * @throws BpfEventsException if it is null or empty
   */
  static void checkEventName(String name) {
    if (name == null || name.isEmpty()) {
      throw Problem.BAD_EVENT_NAME
          .with("value", name)
          .with("expected", "a non-empty name")
          .build();
    }
  }

  private static BpfEventsException tooLarge(String name, String field, long bytes) {
    return (field == null ? Problem.EVENT_TOO_LARGE_REACHES : Problem.EVENT_TOO_LARGE_REACHES_FIELD)
        .with("event", name)
        .with("field", field)
        .with("value", bytes)
        .with("expected", "at most " + Integer.MAX_VALUE + " bytes")
        .build();
  }

  private static long roundUp(long n, int align) {
    return (n + align - 1) / align * align;
  }
}
