package io.github.bpfevents.report;

import io.github.bpfevents.layout.CNames;
import io.github.bpfevents.layout.Packing;
import io.github.bpfevents.layout.Field;
import io.github.bpfevents.layout.FieldRef;
import io.github.bpfevents.BpfEventsException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A {@link LayoutReport} as text in the style of {@code pahole}: the struct with each
 * member's offset and size, holes, cache-line boundaries and a summary.
 *
 * <pre>
 * struct connection_event {
 * 	__u64                      timestamp;            /*     0     8 *&#47;
 * 	...
 * 	/* size: 44, cachelines: 1, members: 10 *&#47;
 * 	/* last cacheline: 44 bytes *&#47;
 * } __attribute__((__packed__));
 * </pre>
 */
public final class PaholeText {
  /** Misaligned scalars named in the summary before the rest are counted. */
  private static final int SHOWN = 32;

  private PaholeText() {}

  /**
   * The report's text.
   *
   * @param r the report
   * @return the text, ending in a newline
   */
  public static String render(LayoutReport r) {
    if (r == null) {
      throw BpfEventsException.of("not-a-report")
          .with("value", null)
          .with("expected", "a layout report (LayoutReport.of)")
          .message("report is null; expected {expected}");
    }
    StringBuilder b = new StringBuilder();
    b.append("struct ").append(CNames.convert(r.event().name())).append(" {\n");
    Iterator<LayoutReport.Hole> holes = r.holes().iterator();
    LayoutReport.Hole hole = holes.hasNext() ? holes.next() : null;
    // the next cache-line boundary not yet printed; before a member only the last
    // boundary it passes is printed, so a member of a gigabyte prints one line
    long next = LayoutReport.CACHELINE;
    long size = r.event().size();
    for (LayoutReport.Member m : r.members()) {
      Field f = m.field();
      // as pahole: the hole after the previous member, then the last cache-line boundary
      // the member passes, counted back from the member (one line, however many it passes)
      if (hole != null && hole.offset() < f.offset()) {
        b.append("\n\t/* XXX ").append(bytes(hole.size())).append(" hole, try to pack */\n\n");
        hole = holes.hasNext() ? holes.next() : null;
      }
      if (next < size && next <= f.offset()) {
        long line = Math.max(next,
            (long) f.offset() / LayoutReport.CACHELINE * LayoutReport.CACHELINE);
        b.append(boundary((int) line, (int) (f.offset() - line)));
        next = line + LayoutReport.CACHELINE;
      }
      b.append(member(m));
    }
    b.append('\n');
    b.append(String.format("\t/* size: %d, cachelines: %d, members: %d */%n",
        r.event().size(), r.cachelines(), r.members().size()));
    if (!r.holes().isEmpty()) {
      b.append(String.format("\t/* sum members: %d, holes: %d, sum holes: %d */%n",
          r.sumMembers(), r.holes().size(), r.sumHoles()));
    }
    if (r.padding() > 0) {
      b.append(String.format("\t/* padding: %d */%n", r.padding()));
    }
    if (!r.misaligned().isEmpty()) {
      List<String> where = new ArrayList<>();
      for (FieldRef f : r.misaligned()) {
        if (where.size() == SHOWN) {
          where.add("and " + (r.misaligned().size() - SHOWN) + " more");
          break;
        }
        where.add(f.pathText() + " at " + f.offset());
      }
      b.append("\t/* misaligned, rejected under strict alignment: ")
          .append(String.join(", ", where)).append(" */\n");
    }
    b.append(String.format("\t/* last cacheline: %d bytes */%n", r.lastCacheline()));
    b.append(r.event().packing() == Packing.PACKED ? "} __attribute__((__packed__));\n"
        : "};\n");
    if (r.plainC() != null) {
      b.append(plainC(r));
    }
    if (r.suggested() != null) {
      List<String> names = new ArrayList<>();
      for (Field f : r.suggested().fields()) {
        names.add(f.name());
      }
      b.append("/* reordered by alignment (").append(String.join(", ", names))
          .append(") the C struct would be ").append(bytes(r.suggested().size()))
          .append(" */\n");
    }
    return b.toString();
  }

  private static String member(LayoutReport.Member m) {
    Field f = m.field();
    String name = CNames.convert(f.name()) + (f.count() == 1 ? "" : "[" + f.count() + "]") + ";";
    String line = String.format("\t%-26s %-21s /* %5d %5d */", m.cType(), name, f.offset(),
        f.size());
    if (m.misaligned()) {
      line += " /* XXX misaligned */";
    }
    return line + "\n";
  }

  private static String boundary(int at, int ago) {
    return "\t/* --- cacheline " + at / LayoutReport.CACHELINE + " boundary (" + at + " bytes)"
        + (ago > 0 ? " was " + bytes(ago) + " ago" : "") + " --- */\n";
  }

  private static String plainC(LayoutReport r) {
    StringBuilder b = new StringBuilder("/* as a plain C struct (natural alignment): ")
        .append(bytes(r.plainC().size()));
    if (r.moved().isEmpty()) {
      b.append(", no member moves");
    } else {
      List<String> moves = new ArrayList<>();
      for (LayoutReport.Moved m : r.moved()) {
        moves.add(m.name() + " " + m.offset() + " -> " + m.plainOffset());
      }
      b.append(", moved: ").append(String.join(", ", moves));
    }
    if (r.plainC().size() != r.event().size() || !r.moved().isEmpty()) {
      b.append("; the C side must declare it __attribute__((packed))");
    }
    return b.append(" */\n").toString();
  }

  private static String bytes(int n) {
    return n + (n == 1 ? " byte" : " bytes");
  }
}
