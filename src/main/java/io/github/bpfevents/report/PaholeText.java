package io.github.bpfevents.report;

import io.github.bpfevents.Problem;
import io.github.bpfevents.layout.CNames;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.Packing;
import io.github.bpfevents.layout.Field;
import io.github.bpfevents.layout.FieldRef;
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
      throw Problem.NOT_A_REPORT
          .with("value", null)
          .with("expected", "a layout report (LayoutReport.of)")
          .build();
    }
    if (r.event().cTypeModelPath() != null) {
      return renderModel(r);
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

  /** The column (counting a tab as 8) where a member line's offset comment starts. */
  private static final int COMMENT_COLUMN = 8 + 26 + 1 + 21 + 1;

  /**
   * The text of an event of the C type model, as pahole shows unions, anonymous members
   * and bitfields: a bitfield as {@code name:w;} at {@code offset:bit size} of its storage
   * unit, bit holes beside byte holes, a zero-width bitfield as a forced alignment, an
   * anonymous member written in place with its own offset and size.
   */
  private static String renderModel(LayoutReport r) {
    EventLayout e = r.event();
    StringBuilder b = new StringBuilder();
    b.append(e.kind().kindName()).append(' ').append(CNames.convert(e.name())).append(" {\n");
    Stats top = new Stats();
    body(e, 0, 0, b, top);
    if (e.isUnion()) {
      // pahole prints a union's members and nothing more
      b.append("};\n");
      return b.toString();
    }
    b.append('\n');
    int members = 0;
    for (Field f : e.fields()) {
      if (f.name() != null || f.isAnonymous()) {
        members++;
      }
    }
    b.append(String.format("\t/* size: %d, cachelines: %d, members: %d */%n", e.size(),
        r.cachelines(), members));
    if (top.holes > 0) {
      b.append(String.format("\t/* sum members: %d, holes: %d, sum holes: %d */%n",
          r.sumMembers(), top.holes, top.holeBytes));
    } else if (top.bitHoles > 0) {
      b.append(String.format("\t/* sum members: %d */%n", r.sumMembers()));
    }
    if (top.bitHoles > 0) {
      b.append(String.format("\t/* sum bitfield members: %d bits, bit holes: %d, sum bit"
          + " holes: %d bits */%n", r.sumBitfields(), top.bitHoles, top.bitHoleBits));
    }
    long endBits = top.cursor;
    if (top.lastBitfield) {
      if (8L * e.size() > endBits) {
        b.append(String.format("\t/* bit_padding: %d bits */%n", 8L * e.size() - endBits));
      }
    } else if (e.size() > endBits / 8) {
      b.append(String.format("\t/* padding: %d */%n", e.size() - endBits / 8));
    }
    b.append(String.format("\t/* last cacheline: %d bytes */%n", r.lastCacheline()));
    b.append(e.packing() == Packing.PACKED ? "} __attribute__((__packed__));\n" : "};\n");
    if (r.plainC() != null) {
      b.append(plainC(r));
    }
    return b.toString();
  }

  /** Holes and the bit cursor of one struct's members, as pahole counts them. */
  private static final class Stats {
    long cursor;
    boolean lastBitfield;
    int holes;
    int holeBytes;
    int bitHoles;
    int bitHoleBits;
  }

  private static void body(EventLayout e, int level, long base, StringBuilder b, Stats s) {
    String tabs = "\t".repeat(level + 1);
    int width = 26 - 8 * level;
    // pahole writes a union's members with a narrower name column at the top level
    int nameWidth = e.isUnion() && level == 0 ? 19 : 21;
    boolean lastBitfield = false;
    long lastUnitEnd = -1; // the end of the last bitfield's storage unit, in bits
    s.cursor = 8 * base;
    long unionEnd = 8 * base;
    for (Field f : e.fields()) {
      if (f.isBitfield() && f.bits() == 0) {
        continue; // it only moves what follows; shown where a bitfield jumps (below)
      }
      long at = 8 * base + f.bitOffset();
      if (!e.isUnion() && at > s.cursor) {
        long gap = at - s.cursor;
        long bits = 0;
        if (f.isBitfield() && f.bits() > 0 && lastBitfield) {
          bits = gap;
        } else if (lastBitfield) {
          // as pahole: the rest of the last bitfield's storage unit is a bit hole
          long unitEnd = lastUnitEnd > s.cursor ? lastUnitEnd : (s.cursor + 7) / 8 * 8;
          bits = Math.min(gap, unitEnd - s.cursor);
        }
        long bytes = (gap - bits) / 8;
        if (bits > 0) {
          b.append('\n').append(tabs).append("/* XXX ").append(bits)
              .append(bits == 1 ? " bit" : " bits").append(" hole, try to pack */\n")
              .append(bytes > 0 ? "" : "\n");
          s.bitHoles++;
          s.bitHoleBits += (int) bits;
          if (f.isBitfield() && f.bits() > 0 && lastBitfield) {
            // DWARF keeps no zero-width bitfield: pahole shows the jump as one
            b.append(tabs).append("/* Force alignment to the next boundary: */\n");
            b.append(tabs).append(String.format("%-" + width + "s :0;",
                LayoutReport.cType(f))).append("\n\n");
          }
        }
        if (bytes > 0) {
          b.append(bits > 0 ? "" : "\n").append(tabs).append("/* XXX ").append(bytes((int) bytes))
              .append(" hole, try to pack */\n\n");
          s.holes++;
          s.holeBytes += (int) bytes;
        }
      }
      String type = LayoutReport.cType(f);

      if (f.isAnonymous()) {
        b.append(tabs).append(f.nested().kind().kindName()).append(" {\n");
        body(f.nested(), level + 1, base + f.offset(), b, new Stats());
        String close = tabs + "};";
        b.append(close).append(" ".repeat(Math.max(1, COMMENT_COLUMN - 8 * (level + 1) - 2)))
            .append(String.format("/* %5d %5d */%n", base + f.offset(), f.size()));
        lastBitfield = false;
        s.cursor = 8L * (base + f.end());
        unionEnd = Math.max(unionEnd, s.cursor);
        continue;
      }
      if (f.isBitfield()) {
        int unitBytes = f.type().size();
        long unit = at / (8L * unitBytes) * unitBytes;
        if (!lastBitfield && !e.isUnion() && 8 * unit < s.cursor) {
          b.append('\n').append(tabs).append("/* Bitfield combined with previous fields */")
              .append("\n\n");
        }
        String name = (f.name() == null ? "" : CNames.convert(f.name())) + ":" + f.bits() + ";";
        b.append(tabs).append(String.format("%-" + width + "s %-" + nameWidth
            + "s /* %5d:%2d %2d */%n", type, name, unit, at - 8 * unit, unitBytes));
        s.cursor = at + f.bits();
        lastBitfield = true;
        lastUnitEnd = 8 * (unit + unitBytes);
      } else {
        if (lastBitfield && at < lastUnitEnd) {
          b.append('\n').append(tabs).append("/* Bitfield combined with next fields */")
              .append("\n\n");
        }
        String name = CNames.convert(f.name())
            + (f.isFlexibleMember() ? "[]" : f.isFlexible() ? "[0]"
                : f.count() == 1 ? "" : "[" + f.count() + "]") + ";";
        b.append(tabs).append(String.format("%-" + width + "s %-" + nameWidth
            + "s /* %5d %5d */%n", type, name, base + f.offset(), f.size()));
        s.cursor = 8L * (base + f.end());
        lastBitfield = false;
      }
      unionEnd = Math.max(unionEnd, s.cursor);
    }
    s.lastBitfield = lastBitfield;
    if (e.isUnion()) {
      s.cursor = unionEnd;
    }
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
