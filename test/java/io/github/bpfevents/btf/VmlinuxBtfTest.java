package io.github.bpfevents.btf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.check.Bpf;
import io.github.bpfevents.check.BtfLoad;
import io.github.bpfevents.check.Tools;
import io.github.bpfevents.definition.DefinitionWriter;
import io.github.bpfevents.layout.CNames;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.FieldType;
import io.github.bpfevents.layout.Packing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The running kernel's own BTF, {@code /sys/kernel/btf/vmlinux}: read whole, its structs
 * that an event can express import and check clean against it, those that cannot (the
 * bitfields of {@code iphdr} and {@code tcphdr}) give the error naming the member; the
 * imported events, written again, load into the kernel.
 */
@Tag("kernel")
class VmlinuxBtfTest {
  private static final Path VMLINUX = Path.of("/sys/kernel/btf/vmlinux");
  private static Btf vmlinux;

  @BeforeAll
  static void read() {
    if (!Files.isReadable(VMLINUX)) {
      Tools.unavailable(VMLINUX + " is not readable (a kernel built without"
          + " CONFIG_DEBUG_INFO_BTF)");
    }
    vmlinux = BtfReader.read(VMLINUX);
  }

  @Test
  void ethhdrImports() {
    List<EventLayout> eth = BtfImporter.events(vmlinux, List.of("ethhdr"));
    assertEquals(1, eth.size());
    EventLayout e = eth.get(0);
    assertEquals(14, e.size());
    assertEquals(List.of("h_dest", "h_source", "h_proto"), e.fieldNames());
    assertEquals(FieldType.U8, e.field("h_dest").type());
    assertEquals(6, e.field("h_source").count());
    assertEquals(12, e.field("h_proto").offset());
    assertEquals(FieldType.BE16, e.field("h_proto").type());
    assertEquals(List.of(), BtfChecker.check(e, vmlinux));
    assertEquals("""
        (defevent ethhdr {:align :natural}
          [:h_dest :u8 6]
          [:h_source :u8 6]
          [:h_proto :be16])
        """, DefinitionWriter.eventFile(eth, null));
  }

  @Test
  void iphdrAndTcphdrHoldBitfields() {
    for (String s : List.of("iphdr", "tcphdr", "ipv6hdr")) {
      BpfEventsException e = assertThrows(BpfEventsException.class,
          () -> BtfImporter.events(vmlinux, List.of(s)));
      assertEquals("cannot-import", e.problem());
      assertEquals(s, e.data().get("struct"));
      assertTrue(e.getMessage().matches("struct " + s + ": member \\w+ is a bitfield \\(\\d+"
          + " bits? of .*"), e.getMessage());
    }
    assertEquals("ihl", assertThrows(BpfEventsException.class,
        () -> BtfImporter.events(vmlinux, List.of("iphdr"))).data().get("member"));
  }

  @Test
  void everyStructThatFitsImportsChecksCleanAndLoads() {
    Bpf.requirePermitted();
    Set<String> names = new LinkedHashSet<>();
    Set<String> cNamed = new LinkedHashSet<>();
    int structs = 0;
    for (int id = 1; id <= vmlinux.count(); id++) {
      BtfType t = vmlinux.type(id);
      if (t.kind() == BtfKind.STRUCT && !t.name().isEmpty() && vmlinux.struct(t.name()) == id) {
        structs++;
        try {
          List<EventLayout> one = BtfImporter.events(vmlinux, List.of(t.name()));
          names.add(t.name());
          if (one.stream().allMatch(VmlinuxBtfTest::keepsItsNamesInC)) {
            cNamed.add(t.name());
          }
        } catch (BpfEventsException e) {
          assertTrue(e.problem().equals("cannot-import"), e.getMessage());
        }
      }
    }
    List<EventLayout> events = BtfImporter.events(vmlinux, new ArrayList<>(names));
    int packed = 0;
    int fields = 0;
    for (EventLayout e : events) {
      if (names.contains(e.name())) {
        // (an anonymous struct's event, named after its member, is checked in its user)
        assertEquals(List.of(), BtfChecker.check(e, vmlinux), e.name());
      }
      packed += e.packing() == Packing.PACKED ? 1 : 0;
      fields += e.fields().size();
    }
    // the writer names structs and members as the C header does (xt_DSCP_info becomes
    // xt_dscp_info, which vmlinux has too): the events whose names C keeps load together
    List<EventLayout> kept = BtfImporter.events(vmlinux, new ArrayList<>(cNamed));
    BtfLoad.check(BtfWriter.write(kept));
    assertTrue(names.contains("ethhdr") && !names.contains("iphdr"));
    System.out.println("[kernel] " + names.size() + " of the " + structs + " named structs of"
        + " vmlinux fit an event (" + events.size() + " events with those they nest, "
        + packed + " packed, " + fields + " fields): each checks clean against vmlinux; the"
        + " BTF of the " + kept.size() + " whose names C keeps, written again, loads; the"
        + " others name the member that does not fit");
  }

  private static boolean keepsItsNamesInC(EventLayout e) {
    return CNames.convert(e.name()).equals(e.name())
        && e.fieldNames().stream().allMatch(f -> CNames.convert(f).equals(f));
  }
}
