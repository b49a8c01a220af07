package io.github.bpfevents.report;

import io.github.bpfevents.Problem;
import io.github.bpfevents.layout.CNames;
import io.github.bpfevents.layout.Packing;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.Field;
import io.github.bpfevents.layout.FieldRef;
import io.github.bpfevents.layout.FieldSpec;
import io.github.bpfevents.layout.LayoutEngine;
import io.github.bpfevents.BpfEventsException;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * What a layout costs and where: every member with its offset, size, alignment and C type;
 * every hole between members and the trailing padding; the 64-byte cache-line boundaries;
 * totals; the misaligned scalars; for a packed event, what the same fields give as a plain
 * C struct; and, where reordering the fields would shrink the C struct, the order to try.
 * {@link PaholeText} prints it in the style of {@code pahole}.
 */
public final class LayoutReport {
  /** Bytes in a cache line. */
  public static final int CACHELINE = 64;

  /** One member (top-level field) of the struct. */
  public static final class Member {
    private final Field field;
    private final String cType;
    private final boolean misaligned;

    Member(Field field, String cType, boolean misaligned) {
      this.field = field;
      this.cType = cType;
      this.misaligned = misaligned;
    }

    /** @return the field */
    public Field field() {
      return field;
    }

    /** @return the element's C type: {@code __u32}, {@code char}, {@code struct endpoint} */
    public String cType() {
      return cType;
    }

    /** @return true if the member, or a scalar inside it, is not naturally aligned */
    public boolean misaligned() {
      return misaligned;
    }
  }

  /** Unused bytes between two members. */
  public static final class Hole {
    private final int offset;
    private final int size;
    private final String after;

    Hole(int offset, int size, String after) {
      this.offset = offset;
      this.size = size;
      this.after = after;
    }

    /** @return the first unused byte */
    public int offset() {
      return offset;
    }

    /** @return how many bytes are unused */
    public int size() {
      return size;
    }

    /** @return the member the hole follows */
    public String after() {
      return after;
    }
  }

  /** A member whose offset differs in the plain C struct. */
  public static final class Moved {
    private final String name;
    private final int offset;
    private final int plainOffset;

    Moved(String name, int offset, int plainOffset) {
      this.name = name;
      this.offset = offset;
      this.plainOffset = plainOffset;
    }

    /** @return the member */
    public String name() {
      return name;
    }

    /** @return its offset in this (packed) layout */
    public int offset() {
      return offset;
    }

    /** @return its offset in the plain C struct */
    public int plainOffset() {
      return plainOffset;
    }
  }

  private final EventLayout event;
  private final List<Member> members;
  private final List<Hole> holes;
  private final int padding;
  private final List<FieldRef> misaligned;
  private final EventLayout plainC;
  private final List<Moved> moved;
  private final EventLayout suggested;

  private LayoutReport(EventLayout event, List<Member> members, List<Hole> holes, int padding,
      List<FieldRef> misaligned, EventLayout plainC, List<Moved> moved, EventLayout suggested) {
    this.event = event;
    this.members = Collections.unmodifiableList(members);
    this.holes = Collections.unmodifiableList(holes);
    this.padding = padding;
    this.misaligned = misaligned;
    this.plainC = plainC;
    this.moved = Collections.unmodifiableList(moved);
    this.suggested = suggested;
  }

  /**
   * The report of an event.
   *
   * @param event the layout
   * @return its report
   */
  public static LayoutReport of(EventLayout event) {
    if (event == null) {
      throw Problem.NOT_AN_EVENT
          .with("value", null)
          .with("expected", "an event layout")
          .build();
    }
    if (event.cTypeModelPath() != null) {
      return ofModel(event);
    }
    List<FieldRef> misaligned = event.misalignedFields();
    List<Member> members = new ArrayList<>();
    List<Hole> holes = new ArrayList<>();
    int end = 0;
    String prev = null;
    for (Field f : event.fields()) {
      if (f.offset() > end) {
        holes.add(new Hole(end, f.offset() - end, prev));
      }
      members.add(new Member(f, cType(f), !event.misalignedFields(f.name()).isEmpty()));
      end = f.end();
      prev = f.name();
    }
    List<FieldSpec> specs = new ArrayList<>();
    for (Field f : event.fields()) {
      specs.add(f.spec());
    }
    EventLayout natural = event.packing() == Packing.NATURAL
        ? event : naturalOrNull(event.name(), specs);
    EventLayout plainC = null;
    List<Moved> moved = new ArrayList<>();
    if (event.packing() == Packing.PACKED && natural != null) {
      plainC = natural;
      for (int i = 0; i < specs.size(); i++) {
        Field p = event.fields().get(i);
        Field c = natural.fields().get(i);
        if (p.offset() != c.offset()) {
          moved.add(new Moved(p.name(), p.offset(), c.offset()));
        }
      }
    }
    List<FieldSpec> reordered = new ArrayList<>(specs);
    reordered.sort(Comparator.comparingInt(FieldSpec::elementAlignment).reversed());
    EventLayout tryOrder = naturalOrNull(event.name(), reordered);
    EventLayout suggested = tryOrder != null && natural != null && tryOrder.size() < natural.size()
        ? tryOrder : null;
    return new LayoutReport(event, members, holes, event.size() - end, misaligned, plainC,
        moved, suggested);
  }

  /**
   * The report of an event of the C type model (unions, bitfields, anonymous members...):
   * members and byte holes at the top level (a bitfield takes no whole bytes, a union
   * member starts at 0), the plain C struct of a packed event; no reordering is suggested.
   */
  private static LayoutReport ofModel(EventLayout event) {
    List<Member> members = new ArrayList<>();
    List<Hole> holes = new ArrayList<>();
    long end = 0;
    String prev = null;
    for (Field f : event.fields()) {
      if (!event.isUnion() && !f.isBitfield() && f.offset() > end) {
        holes.add(new Hole((int) end, (int) (f.offset() - end), prev));
      }
      boolean misaligned = f.name() != null && !f.isBitfield()
          && !event.misalignedFields(f.name()).isEmpty();
      members.add(new Member(f, cType(f), misaligned));
      long stop = f.isBitfield() ? (f.bitOffset() + f.bits() + 7) / 8 : f.end();
      end = event.isUnion() ? Math.max(end, stop) : Math.max(end, stop);
      prev = f.name();
    }
    EventLayout plainC = null;
    List<Moved> moved = new ArrayList<>();
    if (event.packing() == Packing.PACKED) {
      List<FieldSpec> specs = new ArrayList<>();
      for (Field f : event.fields()) {
        specs.add(f.spec());
      }
      try {
        plainC = LayoutEngine.layout(event.name(), specs, Packing.NATURAL, event.kind(),
            event.aligned());
        for (int i = 0; i < specs.size(); i++) {
          Field p = event.fields().get(i);
          Field c = plainC.fields().get(i);
          if (p.bitOffset() != c.bitOffset() && p.name() != null) {
            moved.add(new Moved(p.name(), p.offset(), c.offset()));
          }
        }
      } catch (BpfEventsException e) {
        plainC = null; // padding pushes the plain C struct past what a record may be
      }
    }
    return new LayoutReport(event, members, holes, (int) (event.size() - end),
        event.misalignedFields(), plainC, moved, null);
  }

  /** The natural layout of the fields, or null when it would exceed 2^31-1 bytes. */
  private static EventLayout naturalOrNull(String name, List<FieldSpec> specs) {
    try {
      return LayoutEngine.layout(name, specs, Packing.NATURAL);
    } catch (BpfEventsException e) {
      return null; // padding pushes the plain C struct past what a record may be
    }
  }

  /**
   * The C type of a field's element: the scalar's {@code <linux/types.h>} name or
   * {@code struct NAME} for a nested event (NAME by {@link CNames#convert}).
   *
   * @param f the field
   * @return the C type
   */
  public static String cType(Field f) {
    if (f.spec().pointeeName() != null) {
      return f.spec().pointeeKind().kindName() + " "
          + CNames.convert(f.spec().pointeeName()) + " *";
    }
    if (f.isAnonymous()) {
      return f.nested().kind().kindName();
    }
    return f.isNested() ? f.nested().kind().kindName() + " " + CNames.convert(f.nested().name())
        : f.type().cType();
  }

  /** @return the event */
  public EventLayout event() {
    return event;
  }

  /** @return the members in layout order */
  public List<Member> members() {
    return members;
  }

  /** @return the holes between members, in layout order */
  public List<Hole> holes() {
    return holes;
  }

  /** @return unused bytes after the last member */
  public int padding() {
    return padding;
  }

  /** @return bytes taken by members (bitfields are counted in {@link #sumBitfields}) */
  public int sumMembers() {
    int s = 0;
    for (Member m : members) {
      if (!m.field().isBitfield()) {
        s += m.field().size();
      }
    }
    return s;
  }

  /** @return bits taken by the bitfields at the top level */
  public int sumBitfields() {
    int s = 0;
    for (Member m : members) {
      if (m.field().isBitfield() && m.field().name() != null) {
        s += m.field().bits();
      }
    }
    return s;
  }

  /** @return bytes in holes */
  public int sumHoles() {
    int s = 0;
    for (Hole h : holes) {
      s += h.size();
    }
    return s;
  }

  /** @return the number of cache lines the record touches, from an aligned start */
  public int cachelines() {
    return (int) (((long) event.size() + CACHELINE - 1) / CACHELINE);
  }

  /** @return the bytes used in the last cache line */
  public int lastCacheline() {
    int r = event.size() % CACHELINE;
    return r == 0 && event.size() > 0 ? CACHELINE : r;
  }

  /**
   * The cache-line boundaries inside the record: 64, 128, ... below the size. The list is
   * computed, not stored, so a record of 2^31-1 bytes costs no more than a small one.
   *
   * @return the boundaries, ascending
   */
  public List<Integer> cachelineBoundaries() {
    int n = event.size() == 0 ? 0 : (event.size() - 1) / CACHELINE;
    return new AbstractList<>() {
      @Override
      public Integer get(int i) {
        if (i < 0 || i >= n) {
          throw new IndexOutOfBoundsException(i);
        }
        return (i + 1) * CACHELINE;
      }

      @Override
      public int size() {
        return n;
      }
    };
  }

  /**
   * @return the misaligned scalars (see {@link EventLayout#misalignedFields()}): a view,
   *     its elements computed on demand
   */
  public List<FieldRef> misaligned() {
    return misaligned;
  }

  /**
   * @return for a packed event, the same fields as a plain C struct; null if the event is
   *     natural, or if padding would push the plain C struct past 2^31-1 bytes
   */
  public EventLayout plainC() {
    return plainC;
  }

  /** @return for a packed event, the members whose offset the plain C struct changes */
  public List<Moved> moved() {
    return moved;
  }

  /**
   * The fields sorted by alignment, largest first, as a natural layout, when that is
   * smaller than the natural layout of the declared order; else null.
   *
   * @return the layout to try, or null
   */
  public EventLayout suggested() {
    return suggested;
  }
}
