package io.github.bpfevents.btf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.check.Tools;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.Field;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Imported vmlinux structs against gcc: bpftool prints vmlinux as C ({@code format c}),
 * gcc compiles a program over it that prints, for a sample of the structs that import,
 * {@code sizeof} and the {@code offsetof} and {@code sizeof} of every member C can name
 * (through anonymous members), and for every bitfield the bits a zeroed struct holds after
 * C sets it to all ones; each equals the imported event's size, offset, size, bit offset
 * and width.
 */
@Tag("kernel")
@Tag("cc")
class VmlinuxGccTest {
  private static final Path VMLINUX = Path.of("/sys/kernel/btf/vmlinux");

  @TempDir Path dir;

  /** A member C can name: its path text and the imported field. */
  private record Place(String c, Field field) {}

  private static void places(EventLayout e, List<Place> out) {
    for (String n : e.fieldNames()) {
      out.add(new Place(n, e.field(n)));
    }
  }

  /**
   * Whether bpftool's C says the size of every enum the struct holds (through nested
   * structs and arrays, not pointers): it writes an enum without its size, so an enum of
   * another size than C's 4 bytes (the kernel's {@code enum rw_hint} of 1 byte in
   * {@code struct inode}), or an ENUM64 of other than 8, moves what follows in gcc's
   * reading of it but not in the BTF's.
   */
  private static boolean bpftoolWritesItsEnums(Btf btf, int id, Map<Integer, Boolean> seen) {
    Boolean known = seen.get(id);
    if (known != null) {
      return known;
    }
    seen.put(id, true);
    boolean ok = true;
    for (BtfType.Member m : btf.type(id).members()) {
      int at = m.type();
      while (at != 0 && (btf.kind(at).qualifier() || btf.kind(at) == BtfKind.TYPEDEF
          || btf.kind(at) == BtfKind.ARRAY)) {
        at = btf.kind(at) == BtfKind.ARRAY ? ((BtfType.Array) btf.type(at)).elementType()
            : btf.ref(at);
      }
      BtfKind k = at == 0 ? null : btf.kind(at);
      if ((k == BtfKind.ENUM && btf.third(at) != 4 && m.bitfieldSize() == 0)
          || (k == BtfKind.ENUM64 && btf.third(at) != 8)) {
        ok = false;
      } else if (k == BtfKind.STRUCT || k == BtfKind.UNION) {
        ok &= bpftoolWritesItsEnums(btf, at, seen);
      }
    }
    seen.put(id, ok);
    return ok;
  }

  /** Whether the event holds a zero-length array or a 128-bit integer, nested or not. */
  private static boolean zeroLengthOr128(EventLayout e) {
    for (Field f : e.fields()) {
      if ((f.isFlexible() && !f.isFlexibleMember())
          || (f.type() != null && f.type().size() == 16)
          || (f.isNested() && zeroLengthOr128(f.nested()))) {
        return true;
      }
    }
    return false;
  }

  @Test
  void aSampleOfVmlinuxStructsLaysOutAsGccLaysItOut() throws IOException {
    if (!Files.isReadable(VMLINUX)) {
      Tools.unavailable(VMLINUX + " is not readable");
    }
    Path bpftool = Tools.find("bpftool", "/usr/sbin/bpftool", "/sbin/bpftool");
    Path gcc = Tools.find("gcc");
    if (bpftool == null || gcc == null) {
      Tools.unavailable("bpftool or gcc not found");
    }
    Btf vmlinux = BtfReader.read(VMLINUX);
    Map<String, EventLayout> sample = new LinkedHashMap<>();
    int seen = 0;
    int unsayable = 0;
    for (int id = 1; id <= vmlinux.count(); id++) {
      BtfType t = vmlinux.type(id);
      if ((t.kind() == BtfKind.STRUCT || t.kind() == BtfKind.UNION) && !t.name().isEmpty()
          && vmlinux.struct(t.name()) == id) {
        try {
          List<EventLayout> one = BtfImporter.events(vmlinux, List.of(t.name()));
          if (!bpftoolWritesItsEnums(vmlinux, id, new HashMap<>())) {
            unsayable++;
          } else if (seen++ % 30 == 0 || List.of("iphdr", "tcphdr", "sk_buff", "task_struct",
              "sock_common", "sockaddr", "inet_skb_parm", "zone", "__u128_halves", "slab",
              "kmem_cache_cpu").contains(t.name()) || zeroLengthOr128(one.get(one.size() - 1))) {
            sample.put((t.kind() == BtfKind.UNION ? "union " : "struct ") + t.name(),
                one.get(one.size() - 1));
          }
        } catch (BpfEventsException e) {
          // refused: VmlinuxBtfTest counts those
        }
      }
    }
    Tools.Result dump = Tools.run(new byte[0], List.of(bpftool.toString(), "btf", "dump",
        "file", VMLINUX.toString(), "format", "c"));
    assertEquals(0, dump.exit, dump.err);
    Files.writeString(dir.resolve("vmlinux.h"), dump.out);
    StringBuilder c = new StringBuilder("#include \"vmlinux.h\"\nint main(void) {\n");
    List<String> expected = new ArrayList<>();
    int bitfields = 0;
    int members = 0;
    for (Map.Entry<String, EventLayout> s : sample.entrySet()) {
      String type = s.getKey();
      EventLayout e = s.getValue();
      c.append("  __builtin_printf(\"%s %lu\\n\", \"").append(type)
          .append(" size\", (unsigned long) sizeof(").append(type).append("));\n");
      expected.add(type + " size " + e.size());
      List<Place> ps = new ArrayList<>();
      places(e, ps);
      for (Place p : ps) {
        Field f = p.field();
        String at = type + " " + p.c();
        if (f.isBitfield()) {
          c.append("  { static union { ").append(type).append(" s; unsigned char b[sizeof(")
              .append(type).append(")]; } u; long first = -1, n = 0;\n")
              .append("    __builtin_memset(&u, 0, sizeof u); u.s.").append(p.c())
              .append(" = -1;\n    for (unsigned long i = 0; i < 8 * sizeof u.s; i++)")
              .append(" if (u.b[i / 8] >> (i % 8) & 1) { if (first < 0) first = i; n++; }\n")
              .append("    __builtin_printf(\"%s %ld %ld\\n\", \"").append(at)
              .append(" bits\", first, n); }\n");
          expected.add(at + " bits " + f.bitOffset() + " " + f.bits());
          bitfields++;
        } else {
          c.append("  __builtin_printf(\"%s %lu %lu\\n\", \"").append(at)
              .append("\", (unsigned long) __builtin_offsetof(").append(type).append(", ")
              .append(p.c()).append("), (unsigned long) sizeof(((").append(type)
              .append(" *) 0)->").append(p.c()).append("));\n");
          expected.add(at + " " + f.offset() + " " + f.size());
        }
        members++;
      }
    }
    c.append("  return 0;\n}\n");
    Path source = dir.resolve("layout.c");
    Files.writeString(source, c);
    Path exe = dir.resolve("layout");
    Tools.Result cc = Tools.run(new byte[0], List.of(gcc.toString(), "-w",
        "-DBPF_NO_PRESERVE_ACCESS_INDEX", "-o", exe.toString(), source.toString()));
    assertEquals(0, cc.exit, cc.err);
    Tools.Result ran = Tools.run(new byte[0], List.of(exe.toString()));
    assertEquals(0, ran.exit, ran.err);
    assertEquals(String.join("\n", expected), ran.out.strip());
    assertTrue(sample.size() >= 200, "sample of " + sample.size());
    for (String named : List.of("struct iphdr", "struct tcphdr", "struct sk_buff",
        "struct task_struct", "struct sockaddr", "struct zone")) {
      assertTrue(sample.containsKey(named), named + " in the sample");
    }
    assertTrue(bitfields > 50, "bitfields: " + bitfields);
    System.out.println("[cc] vmlinux: " + sample.size() + " imported structs and unions"
        + " (iphdr, tcphdr, sk_buff, task_struct among them) lay out as gcc lays out"
        + " bpftool's C of vmlinux: sizes and the offset and size of " + (members - bitfields)
        + " members, the bits of " + bitfields + " bitfields set by C; " + unsayable
        + " left out, as bpftool's C does not say the size of an enum they hold");
  }
}
