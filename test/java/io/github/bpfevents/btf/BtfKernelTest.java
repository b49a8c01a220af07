package io.github.bpfevents.btf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfevents.Examples;
import io.github.bpfevents.check.Bpf;
import io.github.bpfevents.check.BtfLoad;
import io.github.bpfevents.check.RandomCTypes;
import io.github.bpfevents.check.RandomEvents;
import io.github.bpfevents.layout.EnumType;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.FieldSpec;
import io.github.bpfevents.layout.FieldType;
import io.github.bpfevents.layout.LayoutEngine;
import io.github.bpfevents.layout.Packing;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The running kernel's BTF loader ({@code BPF_BTF_LOAD}, which checks every record, name,
 * size and member offset) accepts every blob the writer makes; and how deep structs may
 * nest in a blob, which the kernel decides by the order of the records.
 */
@Tag("kernel")
class BtfKernelTest {
  /** {@code E2BIG}: what the kernel answers when its resolver's stack is full. */
  private static final int E2BIG = 7;

  @BeforeEach
  void permitted() {
    Bpf.requirePermitted();
  }

  @Test
  void theKernelAcceptsEveryGeneratedBlob() {
    Random rnd = new Random(20261118);
    int blobs = 0;
    int structs = 0;
    int types = 0;
    List<List<EventLayout>> sets = new ArrayList<>();
    sets.add(List.of(Examples.CONNECTION_EVENT));
    sets.add(List.of(Examples.FLOW_EVENT));
    sets.add(List.of(Examples.CONNECTION_EVENT, Examples.ENDPOINT, Examples.FLOW_EVENT));
    for (int b = 0; b < 30; b++) {
      List<EventLayout> batch = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        EventLayout e = RandomEvents.event(rnd, "Gen" + b + "x" + i, 3);
        batch.add(e);
        if (i < 10) {
          sets.add(List.of(e));
        }
      }
      sets.add(batch);
    }
    for (List<EventLayout> set : sets) {
      List<BtfType> records = BtfWriter.types(set);
      BtfLoad.check(BtfWriter.encode(records));
      blobs++;
      types += records.size();
      structs += (int) records.stream().filter(t -> t.kind() == BtfKind.STRUCT).count();
    }
    System.out.println("[kernel] " + blobs + " BTF blobs (" + structs + " structs, " + types
        + " type records; natural and packed, nested 4 deep, arrays, big-endian) accepted"
        + " by BPF_BTF_LOAD");
  }

  @Test
  void theKernelAcceptsTheWholeCTypeModel() {
    RandomCTypes gen = new RandomCTypes(new Random(20261203));
    int blobs = 0;
    int kinds = 0;
    java.util.Set<BtfKind> seen = java.util.EnumSet.noneOf(BtfKind.class);
    boolean bitfields = false;
    for (int b = 0; b < 20; b++) {
      List<EventLayout> batch = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        batch.add(gen.event("C" + b + "x" + i, 3));
      }
      List<BtfType> records = BtfWriter.types(batch);
      BtfLoad.check(BtfWriter.encode(records));
      for (BtfType t : records) {
        seen.add(t.kind());
        bitfields |= t instanceof BtfType.Struct s && s.kindFlag();
      }
      blobs++;
    }
    for (BtfKind k : List.of(BtfKind.STRUCT, BtfKind.UNION, BtfKind.ENUM, BtfKind.PTR,
        BtfKind.FWD, BtfKind.ARRAY, BtfKind.INT, BtfKind.TYPEDEF)) {
      assertTrue(seen.contains(k), k + " among the records: " + seen);
    }
    assertTrue(bitfields, "structs with the kind_flag bitfield encoding among them");
    // ENUM64: an enum whose values need 64 bits, signed and unsigned
    EnumType wide = EnumType.of("wide", FieldType.U64,
        java.util.Map.of("big", java.math.BigInteger.ONE.shiftLeft(63)));
    EnumType neg = EnumType.of("neg", FieldType.I64,
        java.util.Map.of("low", java.math.BigInteger.ONE.shiftLeft(40).negate()));
    EventLayout e = LayoutEngine.layout("Wide", List.of(
        FieldSpec.of("w", FieldType.U64).withEnum(wide),
        FieldSpec.of("n", FieldType.I64).withEnum(neg),
        FieldSpec.bitfield("b", FieldType.I64, 41).withEnum(neg)), Packing.NATURAL);
    List<BtfType> records = BtfWriter.types(List.of(e));
    assertEquals(2, records.stream().filter(t -> t.kind() == BtfKind.ENUM64).count());
    BtfLoad.check(BtfWriter.encode(records));
    kinds = seen.size() + 1;
    System.out.println("[kernel] " + (blobs + 1) + " BTF blobs of the whole C type model"
        + " (unions, anonymous members, kind_flag bitfields, ENUM and ENUM64, pointers to"
        + " structs and FWDs, flexible arrays, empty structs, aligned(N); " + kinds
        + " kinds) accepted by BPF_BTF_LOAD");
  }

  /**
   * A chain of structs, each holding the next by value (or in an array of one), the
   * innermost an int: records in id order, nested structs first or outermost first.
   */
  static List<BtfType> chain(int structs, boolean outermostFirst, boolean arrays) {
    int per = arrays ? 2 : 1;
    int total = 1 + structs * per;
    BtfType[] slot = new BtfType[total + 1];
    int intId = outermostFirst ? total : 1;
    slot[intId] = BtfType.integer("int", 4, BtfType.INT_SIGNED);
    for (int k = 0; k < structs; k++) {
      // struct k holds struct k-1; its array (when arrays) takes the id next to it
      int sid = outermostFirst ? 1 + (structs - 1 - k) * per : intId + 1 + k * per;
      int member = intId;
      if (k > 0) {
        int inner = outermostFirst ? sid + per : sid - per;
        member = inner;
        if (arrays) {
          int aid = outermostFirst ? sid + 1 : sid - 1;
          slot[aid] = BtfType.array(inner, intId, 1);
          member = aid;
        }
      } else if (arrays) {
        int filler = outermostFirst ? sid + 1 : total;
        slot[filler] = BtfType.integer("unsigned int", 4, 0);
      }
      slot[sid] = BtfType.struct("s" + k, 4, List.of(new BtfType.Member("m", member, 0, 0)));
    }
    List<BtfType> out = new ArrayList<>();
    for (int i = 1; i <= total; i++) {
      out.add(slot[i]);
    }
    return out;
  }

  private static String refusal(List<BtfType> records) {
    Bpf.BpfError e = assertThrows(Bpf.BpfError.class,
        () -> BtfLoad.check(BtfWriter.encode(records)));
    assertEquals(E2BIG, e.errno, e.getMessage());
    assertTrue(e.getMessage().contains("Exceeded max resolving depth:32"), e.getMessage());
    return e.getMessage();
  }

  @Test
  void nestingDepthInTheKernel() {
    // the deepest event the library makes, 32 levels, every level an array of the one
    // below and a big-endian typedef chain: the writer puts nested structs first, so the
    // kernel resolves each struct with its members already resolved
    EventLayout e = LayoutEngine.layout("L0", List.of(FieldSpec.of("v", FieldType.BE64)));
    for (int k = 1; k < LayoutEngine.MAX_DEPTH; k++) {
      e = LayoutEngine.layout("L" + k, List.of(FieldSpec.of("p", FieldType.BE16),
          FieldSpec.of("n", e, 1 + k % 2)), k % 3 == 0 ? Packing.PACKED : Packing.NATURAL);
    }
    assertEquals(LayoutEngine.MAX_DEPTH, e.depth());
    BtfLoad.check(BtfWriter.write(List.of(e)));
    // records in that order load at any depth
    BtfLoad.check(BtfWriter.encode(chain(1000, false, false)));
    BtfLoad.check(BtfWriter.encode(chain(500, false, true)));
    // outermost first, the kernel's resolver stacks every unresolved struct, array and
    // typedef on its way down: MAX_RESOLVE_DEPTH is 32 entries
    BtfLoad.check(BtfWriter.encode(chain(32, true, false)));
    refusal(chain(33, true, false));
    BtfLoad.check(BtfWriter.encode(chain(16, true, true)));
    refusal(chain(17, true, true));
    System.out.println("[kernel] BTF nesting: the library's deepest event (32 levels), a"
        + " chain of 1000 structs and one of 500 through arrays load with nested structs"
        + " first (the writer's order);"
        + " outermost first, the kernel stops at MAX_RESOLVE_DEPTH 32 (32 structs load, 33"
        + " get E2BIG; 16 levels through arrays load, 17 do not)");
  }
}
