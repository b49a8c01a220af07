package io.github.bpfevents.layout;

import java.util.AbstractList;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The misalignment lint: which scalars of an event lie at an offset that is not a multiple
 * of their alignment, when the record starts 8-byte aligned.
 *
 * <p>Whether a scalar is misaligned depends only on its offset modulo its alignment, which
 * divides 8, so what an event holds depends only on where it starts modulo 8. For each
 * event and each of the 8 starting residues this counts the misaligned scalars in each
 * field, once (kept with the layout, {@link EventLayout#memo}); an array of events repeats
 * with a period of 8 elements, so its count is a sum over 8 residues. The list of
 * misaligned scalars is a view computed from those counts: its size and any element come
 * without walking the record, and iterating it skips every part that holds none. A packed
 * array of a hundred million events costs what its nested event costs.
 */
final class Misalignment {
  /** The memo key of an event's counts. */
  private static final Object COUNTS = new Object();

  private Misalignment() {}

  /**
   * {@code counts[mod][i]}: the misaligned scalars in field {@code i} of the event when
   * the record starts at an offset congruent to {@code mod} modulo 8.
   */
  static long[][] counts(EventLayout e) {
    return e.memo(COUNTS, Misalignment::compute);
  }

  private static long[][] compute(EventLayout e) {
    List<Field> fields = e.fields();
    long[][] c = new long[8][fields.size()];
    for (int mod = 0; mod < 8; mod++) {
      for (int i = 0; i < fields.size(); i++) {
        c[mod][i] = inField(fields.get(i), mod);
      }
    }
    return c;
  }

  /** The misaligned scalars in a field of an event that starts at residue {@code mod}. */
  private static long inField(Field f, int mod) {
    int at = (mod + f.offset()) & 7;
    if (f.isBitfield() || f.count() == 0) {
      return 0; // read and written through its storage unit; a flexible array holds none
    }
    if (!f.isNested()) {
      return at % f.type().alignment() != 0 ? 1 : 0;
    }
    if (f.count() == 1) {
      return total(f.nested(), at);
    }
    long n = 0;
    for (int r = 0; r < 8 && r < f.count(); r++) {
      long times = (f.count() - r + 7L) / 8;
      n += total(f.nested(), (int) ((at + (long) r * f.elementSize()) & 7)) * times;
    }
    return n;
  }

  /** The misaligned scalars in an event that starts at residue {@code mod}. */
  static long total(EventLayout e, int mod) {
    long n = 0;
    for (long c : counts(e)[mod & 7]) {
      n += c;
    }
    return n;
  }

  /**
   * The misaligned scalars of an event (or of one of its fields), as a list computed on
   * demand.
   *
   * @param e the event
   * @param only the index of the one field to look in, or -1 for all
   * @return the view
   */
  static List<FieldRef> of(EventLayout e, int only) {
    return new View(e, only);
  }

  /** The list view. */
  private static final class View extends AbstractList<FieldRef> {
    private final EventLayout root;
    private final int only;
    private final int size;

    View(EventLayout root, int only) {
      this.root = root;
      this.only = only;
      long n = only < 0 ? total(root, 0) : counts(root)[0][only];
      this.size = (int) n; // each entry is a scalar of at least a byte of a record < 2^31
    }

    @Override
    public int size() {
      return size;
    }

    @Override
    public FieldRef get(int index) {
      if (index < 0 || index >= size) {
        throw new IndexOutOfBoundsException(index);
      }
      long i = index;
      List<Object> path = new ArrayList<>();
      EventLayout e = root;
      int base = 0;
      int first = only < 0 ? 0 : only;
      while (true) {
        long[] c = counts(e)[base & 7];
        int j = first;
        while (i >= c[j]) {
          i -= c[j];
          j++;
        }
        Field f = e.fields().get(j);
        if (f.name() != null) {
          path.add(f.name());
        }
        int at = base + f.offset();
        if (!f.isNested()) {
          return new FieldRef(path, f.type(), null, f.count(), at);
        }
        int k = 0;
        if (f.count() > 1) {
          long period = 0;
          for (int r = 0; r < 8; r++) {
            period += total(f.nested(), (int) ((at + (long) r * f.elementSize()) & 7));
          }
          long whole = period == 0 ? 0 : Math.min(i / period, (f.count() - 1) / 8);
          i -= whole * period;
          k = (int) (whole * 8);
          while (true) {
            long n = total(f.nested(), (int) ((at + (long) k * f.elementSize()) & 7));
            if (i < n) {
              break;
            }
            i -= n;
            k++;
          }
          path.add(k);
        }
        e = f.nested();
        base = at + k * f.elementSize();
        first = 0;
      }
    }

    @Override
    public Iterator<FieldRef> iterator() {
      return new Walk(root, only);
    }
  }

  /** A depth-first walk that visits only the fields and elements that hold a misaligned scalar. */
  private static final class Walk implements Iterator<FieldRef> {
    /** One event being walked: where it starts, its path, the next field or element. */
    private static final class Frame {
      final EventLayout event;
      final int base;
      final List<Object> path;
      final int last;
      int field;
      int element;

      Frame(EventLayout event, int base, List<Object> path, int field, int last) {
        this.event = event;
        this.base = base;
        this.path = path;
        this.field = field;
        this.last = last;
      }
    }

    private final Deque<Frame> stack = new ArrayDeque<>();
    private FieldRef next;

    Walk(EventLayout root, int only) {
      stack.push(new Frame(root, 0, new ArrayList<>(), only < 0 ? 0 : only,
          only < 0 ? root.fields().size() - 1 : only));
      next = advance();
    }

    @Override
    public boolean hasNext() {
      return next != null;
    }

    @Override
    public FieldRef next() {
      if (next == null) {
        throw new NoSuchElementException();
      }
      FieldRef r = next;
      next = advance();
      return r;
    }

    private FieldRef advance() {
      while (!stack.isEmpty()) {
        Frame fr = stack.peek();
        if (fr.field > fr.last) {
          stack.pop();
          continue;
        }
        long[] c = counts(fr.event)[fr.base & 7];
        if (c[fr.field] == 0) {
          fr.field++;
          fr.element = 0;
          continue;
        }
        Field f = fr.event.fields().get(fr.field);
        int at = fr.base + f.offset();
        List<Object> path = new ArrayList<>(fr.path);
        if (f.name() != null) {
          path.add(f.name());
        }
        if (!f.isNested()) {
          fr.field++;
          return new FieldRef(path, f.type(), null, f.count(), at);
        }
        if (f.count() == 1) {
          fr.field++;
          stack.push(new Frame(f.nested(), at, path, 0, f.nested().fields().size() - 1));
          continue;
        }
        // the next element of the array that holds a misaligned scalar (within 8 of it)
        int k = fr.element;
        while (k < f.count()
            && total(f.nested(), (int) ((at + (long) k * f.elementSize()) & 7)) == 0) {
          k++;
        }
        if (k >= f.count()) {
          fr.field++;
          fr.element = 0;
          continue;
        }
        fr.element = k + 1;
        path.add(k);
        stack.push(new Frame(f.nested(), at + k * f.elementSize(), path, 0,
            f.nested().fields().size() - 1));
      }
      return null;
    }
  }
}
