package io.github.bpfevents.check;

import io.github.bpfevents.layout.Packing;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.Field;
import io.github.bpfevents.layout.FieldRef;
import io.github.bpfevents.layout.FieldSpec;
import io.github.bpfevents.layout.FieldType;
import io.github.bpfevents.layout.LayoutEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Generated event definitions for the checks: every type, arrays, nesting, both layouts. */
public final class RandomEvents {
  private RandomEvents() {}

  /**
   * A random event.
   *
   * @param rnd the source of randomness
   * @param name its name (also the prefix of nested events' names)
   * @param depth how many more levels of nesting are allowed
   * @return the layout
   */
  public static EventLayout event(Random rnd, String name, int depth) {
    Packing a = rnd.nextBoolean() ? Packing.NATURAL : Packing.PACKED;
    return event(rnd, name, depth, a);
  }

  /**
   * A random event with the given outer alignment (nested events choose their own).
   *
   * @param rnd the source of randomness
   * @param name its name
   * @param depth how many more levels of nesting are allowed
   * @param alignment the outer event's alignment
   * @return the layout
   */
  public static EventLayout event(Random rnd, String name, int depth, Packing alignment) {
    return event(rnd, name, depth, alignment, null);
  }

  /**
   * A random event whose nested events all have the given alignment (null: random).
   *
   * @param rnd the source of randomness
   * @param name its name
   * @param depth how many more levels of nesting are allowed
   * @param alignment the outer event's alignment
   * @param nestedAlignment the nested events' alignment, or null for a random one each
   * @return the layout
   */
  public static EventLayout event(Random rnd, String name, int depth, Packing alignment,
      Packing nestedAlignment) {
    // the types one BPF store writes (the 128-bit ones have their own tests)
    FieldType[] types = java.util.Arrays.stream(FieldType.values()).filter(t -> t.size() <= 8)
        .toArray(FieldType[]::new);
    List<FieldSpec> specs = new ArrayList<>();
    int fields = 1 + rnd.nextInt(10);
    int nestedCount = 0;
    for (int i = 0; i < fields; i++) {
      int count = rnd.nextInt(4) == 0 ? 2 + rnd.nextInt(7) : 1;
      if (depth > 0 && rnd.nextInt(5) == 0) {
        Packing na = nestedAlignment != null ? nestedAlignment
            : rnd.nextBoolean() ? Packing.NATURAL : Packing.PACKED;
        EventLayout nested = event(rnd, name + "N" + nestedCount++, depth - 1, na,
            nestedAlignment);
        specs.add(FieldSpec.of("f" + i, nested, count));
      } else {
        specs.add(FieldSpec.of("f" + i, types[rnd.nextInt(types.length)], count));
      }
    }
    return LayoutEngine.layout(name, specs, alignment);
  }

  /**
   * Every scalar leaf of an event as a path (array elements of scalars as the field
   * itself; elements of arrays of events each), with its absolute offset.
   *
   * @param ev the event
   * @return the leaves in layout order
   */
  public static List<FieldRef> leaves(EventLayout ev) {
    List<FieldRef> out = new ArrayList<>();
    leaves(ev, new ArrayList<>(), out, ev);
    return out;
  }

  private static void leaves(EventLayout in, List<Object> prefix, List<FieldRef> out,
      EventLayout root) {
    for (Field f : in.fields()) {
      List<Object> path = new ArrayList<>(prefix);
      path.add(f.name());
      if (!f.isNested()) {
        out.add(root.resolve(path));
      } else if (f.count() == 1) {
        leaves(f.nested(), path, out, root);
      } else {
        for (int k = 0; k < f.count(); k++) {
          List<Object> element = new ArrayList<>(path);
          element.add(k);
          leaves(f.nested(), element, out, root);
        }
      }
    }
  }
}
