package io.github.bpfevents.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.bpfevents.cheader.CHeader;
import io.github.bpfevents.check.Tools;
import io.github.bpfevents.definition.EventFile;
import io.github.bpfevents.definition.EventFileReader;
import io.github.bpfevents.layout.CNames;
import io.github.bpfevents.layout.EventLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report of unions, anonymous members and bitfields against pahole itself: each
 * definition's C header is compiled by gcc with {@code -g}, {@code pahole -C} prints the
 * struct from the DWARF, and the report's text must equal it line for line up to the
 * struct's closing line (after which come the report's own notes).
 */
@Tag("cc")
class PaholeModelTest {
  private static final String EVENTS = String.join("\n",
      "(defevent Addr {:kind :union :align :natural} [:v4 :u32] [:v6 :u8 16])",
      "(defevent TcpFlow {:align :natural}",
      "  [:saddr Addr] [:daddr Addr] [:sport :be16] [:dport :be16]",
      "  [:fin :u8 {:bits 1}] [:syn :u8 {:bits 1}] [:rst :u8 {:bits 1}] [:psh :u8 {:bits 1}]",
      "  [:ack :u8 {:bits 1}] [:urg :u8 {:bits 1}] [:u8 {:bits 0}]",
      "  [:kind :u8 {:enum {:open 1 :close 2}}] [:sk :ptr {:to \"sock\"}] [:data :u8 []])",
      "(defevent Inner {:kind :struct :align :natural} [:a :u16] [:b :u32 {:bits 5}])",
      "(defevent Mixed {:align :natural}",
      "  [:saddr Addr] [:sport :u16] [:fin :u8 {:bits 1}] [:syn :u8 {:bits 1}] [:u8 {:bits 0}]",
      "  [:rst :u8 {:bits 1}] [:st :i8 {:bits 3}] [:kind :u8] [Addr] [Inner] [:sk :ptr]",
      "  [:data :u8 []])",
      "(defevent Iphdr {:align :natural}",
      "  [:ihl :u8 {:bits 4}] [:version :u8 {:bits 4}] [:tos :u8] [:tot_len :be16]",
      "  [:id :be16] [:frag_off :be16] [:ttl :u8] [:protocol :u8] [:check :u16]",
      "  [:saddr :be32] [:daddr :be32])",
      "(defevent Wide {:align :natural} [:a :u32 {:bits 30}] [:b :u32 {:bits 5}]",
      "  [:c :u64 {:bits 40}] [:d :u8] [:e :u16 {:bits 9}])",
      "(defevent Packed [:a :u8 {:bits 3}] [:b :u32 {:bits 30}] [:c :u16] [:d :u8 {:bits 1}])",
      "(defevent F {:align :natural} [:saddr Addr] [:fin :u8 {:bits 1}] [Addr] [:k :u8])",
      "(defevent G {:align :natural} [:a :u8 {:bits 3}] [:b :u32] [:c :u16 {:bits 4}]",
      "  [:d :u64])");

  @TempDir Path dir;

  @Test
  void paholePrintsTheSameStructs() throws IOException {
    Path pahole = Tools.find("pahole");
    Path gcc = Tools.find("gcc");
    if (pahole == null || gcc == null) {
      Tools.unavailable("pahole or gcc not found (apt-get install dwarves gcc)");
    }
    EventFile file = EventFileReader.read("model.clj",
        EVENTS.getBytes(StandardCharsets.UTF_8));
    List<EventLayout> events = file.select(List.of());
    StringBuilder c = new StringBuilder("#include \"model.h\"\n");
    for (EventLayout e : events) {
      String s = CNames.identifier(e.name(), "event");
      c.append(e.kind().kindName()).append(' ').append(s).append(' ').append(s)
          .append("_var;\n");
    }
    Files.writeString(dir.resolve("model.h"), CHeader.emit(events, "MODEL_H"));
    Files.writeString(dir.resolve("model.c"), c.toString());
    Tools.Result cc = Tools.run(new byte[0], List.of(gcc.toString(), "-g", "-c", "-o",
        dir.resolve("model.o").toString(), dir.resolve("model.c").toString()));
    assertEquals(0, cc.exit, cc.err);
    int lines = 0;
    StringBuilder wrong = new StringBuilder();
    for (EventLayout e : events) {
      String s = CNames.identifier(e.name(), "event");
      Tools.Result p = Tools.run(new byte[0], List.of(pahole.toString(), "-C", s,
          dir.resolve("model.o").toString()));
      assertEquals(0, p.exit, p.err);
      String ours = PaholeText.render(LayoutReport.of(e));
      int close = ours.indexOf("\n}") + 1;
      close = ours.indexOf('\n', close) + 1;
      if (!p.out.equals(ours.substring(0, close))) {
        wrong.append("\n--- pahole:\n").append(p.out).append("--- report:\n").append(ours);
      }
      lines += p.out.split("\n").length;
    }
    assertEquals("", wrong.toString());
    System.out.println("[pahole] " + events.size() + " structs and unions of bitfields,"
        + " unions and anonymous members: " + lines + " lines as pahole prints them");
  }
}
