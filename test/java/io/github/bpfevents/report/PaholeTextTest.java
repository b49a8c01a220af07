package io.github.bpfevents.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Examples;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.FieldSpec;
import io.github.bpfevents.layout.FieldType;
import io.github.bpfevents.layout.LayoutEngine;
import io.github.bpfevents.layout.Packing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The report as text in the style of {@code pahole}. The expected texts are what pahole
 * 1.24 prints for the same structs compiled by gcc with {@code -g} (members, holes,
 * cache-line boundaries, summary), followed by the lines that are the report's own: the
 * plain C struct of a packed event, the misaligned scalars, a smaller order. Where pahole
 * prints notes the report does not make (the padding inside nested structs), only the
 * lines both print are compared.
 */
class PaholeTextTest {
  private static String render(EventLayout e) {
    return PaholeText.render(LayoutReport.of(e));
  }

  /** pahole -C connection_event, for the struct with __attribute__((packed)). */
  private static final String CONNECTION_EVENT_PAHOLE = """
      struct connection_event {
      \t__u64                      timestamp;            /*     0     8 */
      \t__u32                      pid;                  /*     8     4 */
      \t__u32                      saddr;                /*    12     4 */
      \t__u32                      daddr;                /*    16     4 */
      \t__u16                      sport;                /*    20     2 */
      \t__u16                      dport;                /*    22     2 */
      \t__u8                       protocol;             /*    24     1 */
      \t__u8                       direction;            /*    25     1 */
      \t__u8                       padding[2];           /*    26     2 */
      \tchar                       comm[16];             /*    28    16 */

      \t/* size: 44, cachelines: 1, members: 10 */
      \t/* last cacheline: 44 bytes */
      } __attribute__((__packed__));
      """;

  @Test
  void connectionEventAsPaholePrintsIt() {
    String text = render(Examples.CONNECTION_EVENT);
    assertTrue(text.startsWith(CONNECTION_EVENT_PAHOLE), text);
    // then the report's own line: the same members as a plain C struct are 48 bytes
    assertEquals(CONNECTION_EVENT_PAHOLE + "/* as a plain C struct (natural alignment): 48 bytes,"
        + " no member moves; the C side must declare it __attribute__((packed)) */\n", text);
  }

  @Test
  void connectionEventSummaryLines() {
    List<String> lines = Arrays.asList(render(Examples.CONNECTION_EVENT).split("\n"));
    assertTrue(lines.contains("\t/* size: 44, cachelines: 1, members: 10 */"), lines.toString());
    assertTrue(lines.contains("\t/* last cacheline: 44 bytes */"), lines.toString());
    assertTrue(lines.stream().noneMatch(l -> l.contains("hole")), lines.toString());
    assertTrue(lines.stream().noneMatch(l -> l.contains("misaligned")), lines.toString());
  }

  /**
   * pahole -C flow_event prints these lines, and after each nested endpoint a note
   * {@code XXX last struct has 2 bytes of padding} with a {@code paddings: 2, sum
   * paddings: 4} summary line, which the report does not make.
   */
  private static final List<String> FLOW_EVENT_PAHOLE = List.of(
      "struct flow_event {",
      "\t__u64                      ts;                   /*     0     8 */",
      "\t__u8                       protocol;             /*     8     1 */",
      "",
      "\t/* XXX 3 bytes hole, try to pack */",
      "",
      "\tstruct endpoint            src;                  /*    12     8 */",
      "\tstruct endpoint            dst;                  /*    20     8 */",
      "\t__u32                      pid;                  /*    28     4 */",
      "\tchar                       comm[16];             /*    32    16 */",
      "",
      "\t/* size: 48, cachelines: 1, members: 6 */",
      "\t/* sum members: 45, holes: 1, sum holes: 3 */",
      "\t/* last cacheline: 48 bytes */",
      "};");

  @Test
  void flowEventAsPaholePrintsIt() {
    assertEquals(String.join("\n", FLOW_EVENT_PAHOLE) + "\n", render(Examples.FLOW_EVENT));
  }

  @Test
  void endpointWithItsPadding() {
    assertEquals("""
        struct endpoint {
        \t__be32                     addr;                 /*     0     4 */
        \t__be16                     port;                 /*     4     2 */

        \t/* size: 8, cachelines: 1, members: 2 */
        \t/* padding: 2 */
        \t/* last cacheline: 8 bytes */
        };
        """, render(Examples.ENDPOINT));
  }

  @Test
  void aHoleBeforeACacheLineBoundary() {
    // struct big_hole { __u8 blob[60]; __u64 x; __u32 y; }
    EventLayout e = LayoutEngine.layout("big_hole", List.of(
        FieldSpec.of("blob", FieldType.U8, 60), FieldSpec.of("x", FieldType.U64),
        FieldSpec.of("y", FieldType.U32)), Packing.NATURAL);
    assertEquals("""
        struct big_hole {
        \t__u8                       blob[60];             /*     0    60 */

        \t/* XXX 4 bytes hole, try to pack */

        \t/* --- cacheline 1 boundary (64 bytes) --- */
        \t__u64                      x;                    /*    64     8 */
        \t__u32                      y;                    /*    72     4 */

        \t/* size: 80, cachelines: 2, members: 3 */
        \t/* sum members: 72, holes: 1, sum holes: 4 */
        \t/* padding: 4 */
        \t/* last cacheline: 16 bytes */
        };
        """
        // the report's own line: x, y, blob would be 72 bytes
        + "/* reordered by alignment (x, y, blob) the C struct would be 72 bytes */\n",
        render(e));
  }

  @Test
  void aMemberAcrossACacheLineBoundary() {
    // struct chars_straddle { char a[60]; char b[8]; __u8 z; }
    EventLayout e = LayoutEngine.layout("chars_straddle", List.of(
        FieldSpec.of("a", FieldType.CHAR, 60), FieldSpec.of("b", FieldType.CHAR, 8),
        FieldSpec.of("z", FieldType.U8)), Packing.NATURAL);
    assertEquals("""
        struct chars_straddle {
        \tchar                       a[60];                /*     0    60 */
        \tchar                       b[8];                 /*    60     8 */
        \t/* --- cacheline 1 boundary (64 bytes) was 4 bytes ago --- */
        \t__u8                       z;                    /*    68     1 */

        \t/* size: 69, cachelines: 2, members: 3 */
        \t/* last cacheline: 5 bytes */
        };
        """, render(e));
  }

  @Test
  void aMemberRightAtACacheLineBoundary() {
    // struct exact { __u8 blob[64]; __u32 x; }
    EventLayout e = LayoutEngine.layout("exact", List.of(
        FieldSpec.of("blob", FieldType.U8, 64), FieldSpec.of("x", FieldType.U32)),
        Packing.NATURAL);
    assertEquals("""
        struct exact {
        \t__u8                       blob[64];             /*     0    64 */
        \t/* --- cacheline 1 boundary (64 bytes) --- */
        \t__u32                      x;                    /*    64     4 */

        \t/* size: 68, cachelines: 2, members: 2 */
        \t/* last cacheline: 4 bytes */
        };
        """, render(e));
  }

  @Test
  void oneBoundaryLineForAMemberThatSpansSeveral() {
    // struct two { __u8 a[200]; __u32 x; }: a passes 64, 128 and 192; pahole names the last
    EventLayout e = LayoutEngine.layout("two", List.of(
        FieldSpec.of("a", FieldType.U8, 200), FieldSpec.of("x", FieldType.U32)),
        Packing.NATURAL);
    assertEquals("""
        struct two {
        \t__u8                       a[200];               /*     0   200 */
        \t/* --- cacheline 3 boundary (192 bytes) was 8 bytes ago --- */
        \t__u32                      x;                    /*   200     4 */

        \t/* size: 204, cachelines: 4, members: 2 */
        \t/* last cacheline: 12 bytes */
        };
        """, render(e));
  }

  /**
   * struct cross { __u8 a[66]; __u64 x; __u8 b[60]; __u32 y; }: a passes the boundary at
   * 64, and a hole follows it up to x at 72. pahole prints the hole first and then the
   * boundary, counted from x ("was 8 bytes ago"); the report prints the boundary first,
   * counted from the hole ("was 2 bytes ago"), then the hole.
   */
  @Test
  void aHoleThatStartsPastACacheLineBoundary() {
    EventLayout e = LayoutEngine.layout("cross", List.of(
        FieldSpec.of("a", FieldType.U8, 66), FieldSpec.of("x", FieldType.U64),
        FieldSpec.of("b", FieldType.U8, 60), FieldSpec.of("y", FieldType.U32)),
        Packing.NATURAL);
    assertEquals("""
        struct cross {
        \t__u8                       a[66];                /*     0    66 */

        \t/* XXX 6 bytes hole, try to pack */

        \t/* --- cacheline 1 boundary (64 bytes) was 8 bytes ago --- */
        \t__u64                      x;                    /*    72     8 */
        \t__u8                       b[60];                /*    80    60 */
        \t/* --- cacheline 2 boundary (128 bytes) was 12 bytes ago --- */
        \t__u32                      y;                    /*   140     4 */

        \t/* size: 144, cachelines: 3, members: 4 */
        \t/* sum members: 138, holes: 1, sum holes: 6 */
        \t/* last cacheline: 16 bytes */
        };
        """, render(e).substring(0, render(e).indexOf("};\n") + 3));
  }

  @Test
  void aPackedStructWithAMisalignedMember() {
    // struct misal { __u8 a; __u32 b; } __attribute__((packed)): pahole prints
    //   __u8 a; /* 0 1 */  __u32 b; /* 1 4 */  size: 5 ... last cacheline: 5 bytes
    EventLayout e = LayoutEngine.layout("misal", List.of(FieldSpec.of("a", FieldType.U8),
        FieldSpec.of("b", FieldType.U32)));
    List<String> lines = Arrays.asList(render(e).split("\n"));
    assertEquals("struct misal {", lines.get(0));
    assertEquals("\t__u8                       a;                    /*     0     1 */",
        lines.get(1));
    assertTrue(lines.get(2).startsWith(
        "\t__u32                      b;                    /*     1     4 */"), lines.get(2));
    assertTrue(lines.get(2).contains("misaligned"), lines.get(2));
    assertTrue(lines.contains("\t/* size: 5, cachelines: 1, members: 2 */"), lines.toString());
    assertTrue(lines.contains("\t/* last cacheline: 5 bytes */"), lines.toString());
    assertTrue(lines.contains("} __attribute__((__packed__));"), lines.toString());
    // the report's own lines: where the misaligned scalar lies, and b's move in plain C
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("\t/* misaligned")
        && l.contains("b at 1")), lines.toString());
    assertTrue(lines.contains("/* as a plain C struct (natural alignment): 8 bytes, moved: b 1"
        + " -> 4; the C side must declare it __attribute__((packed)) */"), lines.toString());
  }

  @Test
  void namesAreWrittenAsC() {
    EventLayout e = LayoutEngine.layout("HTTPRequest", List.of(
        FieldSpec.of("src-port", FieldType.BE16)), Packing.NATURAL);
    String text = render(e);
    assertTrue(text.startsWith("struct http_request {\n\t__be16                     src_port;"),
        text);
  }

  @Test
  void manyMisalignedScalarsAreCounted() {
    List<FieldSpec> specs = new ArrayList<>();
    specs.add(FieldSpec.of("a", FieldType.U8));
    for (int i = 0; i < 100; i++) {
      specs.add(FieldSpec.of("f" + i, FieldType.U32));
    }
    String text = render(LayoutEngine.layout("Many", specs));
    String line = Arrays.stream(text.split("\n")).filter(l -> l.startsWith("\t/* misaligned"))
        .findFirst().orElseThrow();
    assertTrue(line.length() < 2000, line);
    assertTrue(line.contains("f0 at 1"), line);
  }

  @Test
  void theLargestRecordRendersQuickly() {
    EventLayout huge = LayoutEngine.layout("Huge", List.of(
        FieldSpec.of("x", FieldType.U8), FieldSpec.of("blob", FieldType.U64, 268435455),
        FieldSpec.of("tail", FieldType.U8, 6)));
    String text = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> render(huge));
    assertTrue(text.length() < 2000, text);
    assertTrue(text.contains("\t/* --- cacheline 33554431 boundary (2147483584 bytes) was 57"
        + " bytes ago --- */\n"), text);
    assertTrue(text.contains("\t/* last cacheline: 63 bytes */\n"), text);
  }

  @Test
  void theLargestRecordsSummary() {
    EventLayout huge = LayoutEngine.layout("Huge", List.of(
        FieldSpec.of("blob", FieldType.U8, Integer.MAX_VALUE)));
    assertTrue(render(huge).contains(
        "\t/* size: 2147483647, cachelines: 33554432, members: 1 */\n"));
  }

  @Test
  void aNullReport() {
    assertEquals("not-a-report", assertThrows(BpfEventsException.class,
        () -> PaholeText.render(null)).problem());
  }
}
