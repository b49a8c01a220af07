package io.github.bpfevents.check;

import io.github.bpfevents.layout.EnumType;
import io.github.bpfevents.layout.EventKind;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.Field;
import io.github.bpfevents.layout.FieldRef;
import io.github.bpfevents.layout.FieldSpec;
import io.github.bpfevents.layout.FieldType;
import io.github.bpfevents.layout.LayoutEngine;
import io.github.bpfevents.layout.Packing;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generated definitions of the whole C type model for the compiler checks: structs and
 * unions, packed and natural, anonymous struct and union members, bitfields of every
 * integer type (128-bit ones too) and width (signed, unsigned, unnamed, zero-width), enums (on bitfields
 * too), arrays, nested events and arrays of them, explicit alignment on fields and on
 * events, pointers to structs and unions (some declared forward only), flexible arrays at
 * the end, GNU zero-length arrays (mid-struct, in unions and alone), structs ending in a
 * flexible array wherever GNU C lets them stand, and empty structs.
 *
 * <p>Field names are unique in a whole generated event, so that the names an anonymous
 * member brings up never clash with the enclosing event's.
 */
public final class RandomCTypes {
  private static final FieldType[] INTEGERS = {FieldType.U8, FieldType.I8, FieldType.U16,
      FieldType.I16, FieldType.U32, FieldType.I32, FieldType.U64, FieldType.I64};
  private static final FieldType[] ALL = FieldType.values();

  private final Random rnd;
  private int names;
  private int events;

  /**
   * A generator.
   *
   * @param rnd the source of randomness
   */
  public RandomCTypes(Random rnd) {
    this.rnd = rnd;
  }

  /**
   * A random event of the whole model.
   *
   * @param name its name (and the prefix of the events it holds)
   * @param depth how many more levels of nesting are allowed
   * @return the layout
   */
  public EventLayout event(String name, int depth) {
    names = 0;
    events = 0;
    return event(name, depth, rnd.nextInt(5) == 0 ? EventKind.UNION : EventKind.STRUCT,
        true);
  }

  private EventLayout event(String name, int depth, EventKind kind, boolean mayBeEmpty) {
    Packing packing = rnd.nextInt(3) == 0 ? Packing.PACKED : Packing.NATURAL;
    int aligned = rnd.nextInt(12) == 0 ? 1 << rnd.nextInt(6) : 0;
    if (mayBeEmpty && kind == EventKind.STRUCT && rnd.nextInt(40) == 0) {
      return LayoutEngine.layout(name, List.of(), packing, kind, aligned);
    }
    List<FieldSpec> specs = new ArrayList<>();
    if (rnd.nextInt(40) == 0) {
      // a zero-length array alone: C's struct { __u32 x[0]; }, of size 0
      specs.add(zeroLength(name, depth));
      return LayoutEngine.layout(name, specs, packing, kind, aligned);
    }
    int fields = 1 + rnd.nextInt(9);
    for (int i = 0; i < fields; i++) {
      specs.add(field(name, depth, kind));
    }
    boolean named = specs.stream().anyMatch(s -> s.name() != null || s.isAnonymous());
    if (kind == EventKind.STRUCT && named && rnd.nextInt(10) == 0) {
      specs.add(rnd.nextBoolean()
          ? FieldSpec.flexible(fresh(), ALL[rnd.nextInt(ALL.length)])
          : FieldSpec.flexible(fresh(), INTEGERS[rnd.nextInt(INTEGERS.length)]));
    }
    return LayoutEngine.layout(name, specs, packing, kind, aligned);
  }

  private String fresh() {
    return "f" + names++;
  }

  /** An array of no elements of a scalar or (one level down) an event. */
  private FieldSpec zeroLength(String event, int depth) {
    if (depth > 0 && rnd.nextInt(4) == 0) {
      return FieldSpec.flexible(fresh(), event(event + "Z" + events++, depth - 1,
          rnd.nextBoolean() ? EventKind.UNION : EventKind.STRUCT, false));
    }
    return FieldSpec.flexible(fresh(), ALL[rnd.nextInt(ALL.length)]);
  }

  private FieldSpec field(String event, int depth, EventKind kind) {
    int pick = rnd.nextInt(21);
    if (pick == 20) {
      // GNU C's zero-length array: mid-struct, in a union (last: a flexible array member)
      return zeroLength(event, depth);
    }
    if (pick < 8) {
      return bitfield();
    }
    if (depth > 0 && pick < 10) {
      // an anonymous member: a struct or union without a name, never empty
      EventLayout inner = event(event + "A" + events++, depth - 1,
          rnd.nextBoolean() ? EventKind.UNION : EventKind.STRUCT, false);
      return FieldSpec.anonymous(inner);
    }
    if (depth > 0 && pick < 12) {
      // it may end in a flexible array member and stand anywhere, as GNU C lets it
      EventLayout inner = event(event + "N" + events++, depth - 1,
          rnd.nextBoolean() ? EventKind.UNION : EventKind.STRUCT, true);
      FieldSpec f = FieldSpec.of(fresh(), inner, count());
      return rnd.nextInt(8) == 0 ? f.withAligned(1 << rnd.nextInt(6)) : f;
    }
    if (pick == 12) {
      boolean union = rnd.nextBoolean();
      return rnd.nextBoolean()
          ? FieldSpec.pointer(fresh(), (union ? "fwdu" : "fwds") + rnd.nextInt(3),
              union ? EventKind.UNION : EventKind.STRUCT, count())
          : FieldSpec.pointer(fresh(), LayoutEngine.layout(event + "T" + events++,
              List.of(FieldSpec.of("t", FieldType.U8))), 1);
    }
    if (pick == 13) {
      FieldType t = INTEGERS[rnd.nextInt(INTEGERS.length)];
      return FieldSpec.of(fresh(), t).withEnum(enumOf(t, 8 * t.size()));
    }
    FieldSpec f = FieldSpec.of(fresh(), ALL[rnd.nextInt(ALL.length)], count());
    return rnd.nextInt(8) == 0 ? f.withAligned(1 << rnd.nextInt(6)) : f;
  }

  private int count() {
    return rnd.nextInt(5) == 0 ? 2 + rnd.nextInt(4) : 1;
  }

  private FieldSpec bitfield() {
    FieldType t = rnd.nextInt(12) == 0 ? (rnd.nextBoolean() ? FieldType.I128 : FieldType.U128)
        : INTEGERS[rnd.nextInt(INTEGERS.length)];
    int max = 8 * t.size();
    int w = rnd.nextInt(8) == 0 ? 0 : 1 + rnd.nextInt(max);
    if (w == 0) {
      return FieldSpec.bitfield(null, t, 0);
    }
    if (rnd.nextInt(10) == 0) {
      return FieldSpec.bitfield(null, t, w);
    }
    FieldSpec f = FieldSpec.bitfield(fresh(), t, w);
    return rnd.nextInt(6) == 0 && t.size() <= 8 ? f.withEnum(enumOf(t, w)) : f;
  }

  /** An enum of type t whose values fit w bits of t's signedness. */
  private EnumType enumOf(FieldType t, int w) {
    Map<String, BigInteger> values = new LinkedHashMap<>();
    int n = 1 + rnd.nextInt(4);
    BigInteger lo = t.signed() ? BigInteger.ONE.shiftLeft(w - 1).negate() : BigInteger.ZERO;
    BigInteger span = BigInteger.ONE.shiftLeft(w);
    for (int i = 0; i < n; i++) {
      BigInteger v = lo.add(new BigInteger(w + 8, rnd).mod(span));
      values.put("e" + i, i == 0 ? (t.signed() ? BigInteger.ZERO : BigInteger.ZERO) : v);
    }
    return EnumType.of(null, t, values);
  }

  /**
   * A place C can name in an event: a path, and whether it is a bitfield.
   *
   * @param ref the resolved path
   * @param cPath the path as C writes it ({@code f3[1].f7}, anonymous members left out)
   */
  public record Place(FieldRef ref, String cPath) {}

  /**
   * Every place of an event that C can name: each member that is no bitfield, each
   * named bitfield, through nested events (their first and last elements), unions and
   * anonymous members; elements of scalar arrays as the array.
   *
   * @param root the event
   * @return the places, in layout order
   */
  public static List<Place> places(EventLayout root) {
    List<Place> out = new ArrayList<>();
    walk(root, root, new ArrayList<>(), out);
    return out;
  }

  private static void walk(EventLayout root, EventLayout in, List<Object> prefix,
      List<Place> out) {
    for (Field f : in.fields()) {
      if (f.isAnonymous()) {
        walk(root, f.nested(), prefix, out);
        continue;
      }
      if (f.name() == null) {
        continue; // an unnamed bitfield: C cannot name it
      }
      List<Object> path = new ArrayList<>(prefix);
      path.add(f.name());
      FieldRef ref = root.resolve(path);
      out.add(new Place(ref, ref.pathText()));
      if (f.isNested() && f.count() >= 1) {
        List<Integer> elements = f.count() == 1 ? List.of() : List.of(0, f.count() - 1);
        if (elements.isEmpty()) {
          walk(root, f.nested(), path, out);
        }
        for (int k : elements) {
          List<Object> element = new ArrayList<>(path);
          element.add(k);
          walk(root, f.nested(), element, out);
        }
      }
    }
  }
}
