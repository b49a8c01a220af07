package io.github.bpfevents.btf;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Examples;
import io.github.bpfevents.check.RandomEvents;
import io.github.bpfevents.definition.DefinitionWriter;
import io.github.bpfevents.definition.EventFile;
import io.github.bpfevents.definition.EventFileReader;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.Field;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Every entry point of the BTF package on hostile input, in a JVM of its own with a small
 * heap ({@code -Xmx64m -XX:+ExitOnOutOfMemoryError}), each input on a time limit. An input
 * must end in an answer or the library's error ({@link BpfEventsException}); what does
 * read must come back from its round trips: the codec's (read, encode, read: the same
 * records), the definition writer's (every imported event written and read back by the
 * event-file reader to the same layout), the BTF writer's (imported events written as
 * BTF and imported again to the same offsets and types), and the checker's (an imported
 * event checks clean against the struct it came from).
 *
 * <pre>
 *   java -Xmx64m -XX:+ExitOnOutOfMemoryError -cp ... io.github.bpfevents.btf.BtfFuzz \
 *       cases MILLIS DIR                        # every file of DIR (HostileBtfFiles)
 *   java ... BtfFuzz fuzz SEED INPUTS MILLIS [WORST] SEEDFILE...   # mutation fuzz
 * </pre>
 *
 * <p>The fuzzer mutates seeds (the library's own BTF, the given files: clang objects and
 * vmlinux): header fields, words of type records, name offsets, string bytes, ELF header
 * and section header fields, truncation, duplicated runs of records, and references
 * turned back on themselves (cycles). It prints one line per seed kind and a summary with
 * the slowest input and the one that allocated most; with WORST, it writes the slowest
 * input there. Exit status 0 when every input ended as it must.
 */
public final class BtfFuzz {
  private static final EventLayout PROBE = Examples.CONNECTION_EVENT;
  /** Structs of an input that are imported and checked (the first ones, by id). */
  private static final int STRUCTS = 24;

  private BtfFuzz() {}

  /** What one input came to. */
  record Outcome(String kind, long nanos, long allocated) {}

  /**
   * Runs every entry point on an input.
   *
   * @param input the bytes
   * @param name their name
   * @param file the input written to a file, or null: read from the path too
   * @return "read" and what followed, or the first library error's problem
   * @throws AssertionError when a round trip does not come back
   */
  static String exercise(byte[] input, String name, Path file) {
    Btf btf;
    try {
      btf = file != null ? BtfReader.read(file) : BtfReader.read(input, name);
    } catch (BpfEventsException e) {
      bounded(e);
      return "refused:" + e.problem();
    }
    StringBuilder out = new StringBuilder("read");
    // the codec's round trip holds two tables and the blob between them: done for inputs of
    // up to 2 MB (the property does not depend on size; vmlinux's is BtfCodecTest's)
    try {
      if (btf.strings().length() + 12L * btf.count() > (2 << 20)) {
        throw BpfEventsException.of("skipped").message("large");
      }
      byte[] again = btf.encode();
      Btf back = BtfReader.read(again, name);
      if (back.count() != btf.count()) {
        throw new AssertionError(name + ": re-encoded BTF holds " + back.count()
            + " types, not " + btf.count());
      }
      for (int id = 1; id <= btf.count(); id++) {
        if (!btf.type(id).equals(back.type(id))) {
          throw new AssertionError(name + ": type " + id + " does not come back: "
              + btf.type(id) + " vs " + back.type(id));
        }
      }
    } catch (BpfEventsException e) {
      bounded(e);
      if (!e.problem().equals("skipped")) {
        out.append(" encode:").append(e.problem());
      }
    }
    // the structs imported and checked: the first ones; of a large input only the one with
    // the most members (the table is let go before its events are written and read back,
    // as the command line's import does)
    boolean large = btf.strings().length() + 12L * btf.count() > (4 << 20);
    List<String> structs = new ArrayList<>();
    int widest = 0;
    for (int id = 1; id <= btf.count() && structs.size() < STRUCTS; id++) {
      if (btf.kind(id) != BtfKind.STRUCT || btf.name(id).isEmpty()) {
        continue;
      }
      if (large) {
        widest = widest == 0 || btf.vlen(id) > btf.vlen(widest) ? id : widest;
      } else {
        structs.add(btf.name(id));
      }
    }
    if (!large) {
      for (int id = 1; id <= btf.count(); id++) {
        if (btf.kind(id) == BtfKind.STRUCT && btf.vlen(id) > (widest == 0 ? -1
            : btf.vlen(widest))) {
          widest = id;
        }
      }
    }
    if (widest > 0 && !btf.name(widest).isEmpty() && !structs.contains(btf.name(widest))) {
      structs.add(btf.name(widest));
    }
    List<List<EventLayout>> imported = new ArrayList<>();
    for (String struct : structs) {
      int found = btf.requireStruct(struct);
      if (btf.kind(found) != BtfKind.STRUCT || !btf.name(found).equals(struct)) {
        throw new AssertionError(name + ": struct " + struct + " found as " + found);
      }
      if (btf.describe(found).length() > Btf.DESCRIBE_MAX) {
        throw new AssertionError(name + ": describe(" + found + ") is not bounded");
      }
      try {
        bounded(BtfChecker.check(PROBE, btf, struct));
      } catch (BpfEventsException e) {
        bounded(e);
      }
      List<EventLayout> events;
      try {
        events = BtfImporter.events(btf, List.of(struct));
      } catch (BpfEventsException e) {
        bounded(e);
        out.append(" import:").append(e.problem());
        continue;
      }
      out.append(" imported");
      EventLayout top = events.get(events.size() - 1);
      List<BtfMismatch> self = BtfChecker.check(top, btf, struct);
      if (!self.isEmpty()) {
        throw new AssertionError(name + ": " + struct + " imported does not check clean: "
            + self.get(0).text());
      }
      imported.add(events);
    }
    btf = null;
    for (List<EventLayout> events : imported) {
      writtenBack(events, name, out);
    }
    return out.toString();
  }

  /**
   * The definition writer's round trip, and for events it writes (so events the command
   * line's {@code btf} could be given) the BTF writer's.
   */
  private static void writtenBack(List<EventLayout> events, String name, StringBuilder out) {
    EventLayout top = events.get(events.size() - 1);
    String text;
    try {
      text = DefinitionWriter.eventFile(events, "from " + name);
    } catch (BpfEventsException e) {
      bounded(e);
      out.append(" write:").append(e.problem());
      return;
    }
    EventFile read = EventFileReader.read("back", text.getBytes(StandardCharsets.UTF_8));
    for (EventLayout e : events) {
      if (!read.event(e.name()).equals(e)) {
        throw new AssertionError(name + ": " + e.name() + " does not read back");
      }
    }
    read = null;
    text = null;
    try {
      Btf written = BtfReader.read(BtfWriter.write(List.of(top)), "written");
      List<EventLayout> again = BtfImporter.events(written,
          List.of(io.github.bpfevents.layout.CNames.typeIdentifier(top.name(), "event")));
      sameShape(top, again.get(again.size() - 1), name + ": " + top.name());
    } catch (BpfEventsException e) {
      bounded(e);
      out.append(" btf:").append(e.problem());
    }
  }

  /** Offsets, sizes, counts and types alike, nested events too (names may change). */
  static void sameShape(EventLayout a, EventLayout b, String where) {
    if (a.size() != b.size() || a.fields().size() != b.fields().size()) {
      throw new AssertionError(where + ": " + a + " comes back as " + b);
    }
    for (int i = 0; i < a.fields().size(); i++) {
      Field x = a.fields().get(i);
      Field y = b.fields().get(i);
      if (x.offset() != y.offset() || x.count() != y.count()
          || x.isNested() != y.isNested() || (!x.isNested() && x.type() != y.type())) {
        throw new AssertionError(where + ": field " + x + " comes back as " + y);
      }
      if (x.isNested()) {
        sameShape(x.nested(), y.nested(), where + "." + x.name());
      }
    }
  }

  /** The longest message of the library's error on hostile input. */
  static final int MESSAGE_MAX = 2000;

  private static void bounded(BpfEventsException e) {
    if (e.getMessage().length() > MESSAGE_MAX) {
      throw new AssertionError("a message of " + e.getMessage().length() + " characters: "
          + e.getMessage().substring(0, 200));
    }
  }

  private static void bounded(List<BtfMismatch> found) {
    for (BtfMismatch m : found) {
      if (m.btf() instanceof String s && s.length() > Btf.DESCRIBE_MAX) {
        throw new AssertionError("a mismatch of " + s.length() + " characters");
      }
    }
  }

  // ---------------------------------------------------------------------------------
  // Running with a time limit, measuring time and allocation

  private static final ExecutorService WORKER = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "btf-fuzz");
    t.setDaemon(true);
    return t;
  });

  static Outcome timed(byte[] input, String name, Path file, long millis) throws Exception {
    Future<Outcome> f = WORKER.submit(() -> {
      com.sun.management.ThreadMXBean mx =
          (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
      long tid = Thread.currentThread().getId();
      long a0 = mx.getThreadAllocatedBytes(tid);
      long t0 = System.nanoTime();
      String kind = exercise(input, name, file);
      return new Outcome(kind, System.nanoTime() - t0, mx.getThreadAllocatedBytes(tid) - a0);
    });
    try {
      return f.get(millis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError(name + ": no answer within " + millis + " ms");
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof AssertionError a) {
        throw a;
      }
      StringBuilder where = new StringBuilder();
      StackTraceElement[] st = c.getStackTrace();
      for (int i = 0; i < Math.min(6, st.length); i++) {
        where.append("\n    at ").append(st[i]);
      }
      throw new AssertionError(name + ": " + c + where, c);
    }
  }

  // ---------------------------------------------------------------------------------
  // Mutations

  /**
   * A mutated copy of a seed: one to four mutations, chosen by the random source.
   *
   * @param seed raw BTF or an ELF object
   * @param rnd the random source
   * @return the mutated bytes
   */
  public static byte[] mutate(byte[] seed, Random rnd) {
    byte[] b = seed;
    int n = 1 + rnd.nextInt(4);
    for (int i = 0; i < n; i++) {
      b = once(b, rnd);
    }
    return b;
  }

  private static final int[] INTERESTING = {0, 1, 2, 3, 4, 7, 8, 12, 24, 0x7f, 0x80, 0xff,
      0xffff, 0x10000, 0xfffff, 0x100000, 0xffffff, 0x1000000, 0x7fffffff, 0x80000000,
      0xffffffff, 0xfffffffe, 0x04000000 | 0xffff, 0x84000001, 0x08000000, 0x03000000,
      0x13000001, 0x0d00ffff};

  private static int interesting(Random rnd) {
    return INTERESTING[rnd.nextInt(INTERESTING.length)];
  }

  private static byte[] once(byte[] in, Random rnd) {
    if (Elf.is(in)) {
      return elf(in, rnd);
    }
    if (in.length < 24 || (in[0] & 0xff) != 0x9f || (in[1] & 0xff) != 0xeb) {
      return truncate(in, rnd);
    }
    return btf(in, rnd);
  }

  private static ByteBuffer le(byte[] b) {
    return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static byte[] truncate(byte[] in, Random rnd) {
    return Arrays.copyOf(in, in.length == 0 ? 0 : rnd.nextInt(in.length));
  }

  /** Mutations of raw BTF. */
  static byte[] btf(byte[] in, Random rnd) {
    if (in.length < 24) {
      return truncate(in, rnd);
    }
    byte[] b = in.clone();
    ByteBuffer h = le(b);
    long hdr = h.getInt(4) & 0xffffffffL;
    long typeOff = hdr + (h.getInt(8) & 0xffffffffL);
    long typeLen = h.getInt(12) & 0xffffffffL;
    long strOff = hdr + (h.getInt(16) & 0xffffffffL);
    long strLen = h.getInt(20) & 0xffffffffL;
    boolean sane = hdr == 24 && typeOff + typeLen <= b.length && strOff + strLen <= b.length
        && typeLen >= 12;
    int choice = rnd.nextInt(sane ? 9 : 3);
    switch (choice) {
      case 0 -> { // a header field
        int at = 4 * (1 + rnd.nextInt(5));
        h.putInt(at, rnd.nextBoolean() ? interesting(rnd)
            : h.getInt(at) + rnd.nextInt(33) - 16);
        return b;
      }
      case 1 -> {
        return truncate(b, rnd);
      }
      case 2 -> { // a random byte anywhere
        b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
        return b;
      }
      default -> { }
    }
    List<int[]> records = records(h, (int) typeOff, (int) (typeOff + typeLen));
    switch (choice) {
      case 3 -> { // a word of a type record
        int at = (int) typeOff + 4 * rnd.nextInt((int) (typeLen / 4));
        h.putInt(at, rnd.nextBoolean() ? interesting(rnd) : h.getInt(at) ^ (1 << rnd.nextInt(32)));
      }
      case 4 -> { // a name offset: past the end, into a name, at its NUL
        if (!records.isEmpty()) {
          int[] r = records.get(rnd.nextInt(records.size()));
          int[] near = {(int) strLen - 1, (int) strLen, (int) strLen + 1,
              rnd.nextInt((int) Math.max(1, strLen)), 0x00ffffff, -1};
          h.putInt(r[0], near[rnd.nextInt(near.length)]);
        }
      }
      case 5 -> { // string bytes: a NUL becomes a letter (names run together), or worse
        int at = (int) strOff + rnd.nextInt((int) Math.max(1, strLen));
        byte[] chars = {'A', 0, '{', '\'', '/', ':', (byte) 0xc3, ' '};
        if (at < b.length) {
          b[at] = chars[rnd.nextInt(chars.length)];
        }
      }
      case 6 -> { // a run of records, duplicated in place
        if (!records.isEmpty()) {
          int i = rnd.nextInt(records.size());
          int j = Math.min(records.size(), i + 1 + rnd.nextInt(8));
          int from = records.get(i)[0];
          int to = j < records.size() ? records.get(j)[0] : (int) (typeOff + typeLen);
          byte[] run = Arrays.copyOfRange(b, from, to);
          byte[] out = new byte[b.length + run.length];
          System.arraycopy(b, 0, out, 0, to);
          System.arraycopy(run, 0, out, to, run.length);
          System.arraycopy(b, to, out, to + run.length, b.length - to);
          ByteBuffer o = le(out);
          o.putInt(12, (int) typeLen + run.length);
          if (strOff >= typeOff + typeLen) {
            o.putInt(16, (int) (strOff - hdr) + run.length);
          }
          return out;
        }
      }
      case 7, 8 -> { // a reference turned back: to itself, to the record before, to id + 1
        if (!records.isEmpty()) {
          int i = rnd.nextInt(records.size());
          int[] r = records.get(i);
          int id = i + 1;
          int[] to = {id, Math.max(1, id - 1), id + 1, Math.max(1, id - rnd.nextInt(40)),
              records.size() + 1};
          int target = to[rnd.nextInt(to.length)];
          int kind = (h.getInt(r[0] + 4) >>> 24) & 0x1f;
          int vlen = h.getInt(r[0] + 4) & 0xffff;
          if (kind == 3) {
            h.putInt(r[0] + 12, target);
          } else if ((kind == 4 || kind == 5) && vlen > 0) {
            h.putInt(r[0] + 12 + 12 * rnd.nextInt(vlen) + 4, target);
          } else if (kind != 1 && kind != 6 && kind != 7 && kind != 16 && kind != 19
              && kind != 15) {
            h.putInt(r[0] + 8, target);
          }
        }
      }
      default -> { }
    }
    return b;
  }

  /** The records of a type section, each as {start}, as far as they parse. */
  private static List<int[]> records(ByteBuffer h, int from, int end) {
    List<int[]> out = new ArrayList<>();
    int at = from;
    while (at + 12 <= end && out.size() < 2_000_000) {
      int info = h.getInt(at + 4);
      int kind = (info >>> 24) & 0x1f;
      if (kind == 0 || kind > 19) {
        break;
      }
      long next = at + 12 + BtfKind.of(kind).trailingBytes(info & 0xffff);
      if (next > end) {
        break;
      }
      out.add(new int[] {at});
      at = (int) next;
    }
    return out;
  }

  /** Mutations of an ELF object: its header, a section header, or its .BTF inside. */
  static byte[] elf(byte[] in, Random rnd) {
    byte[] b = in.clone();
    ByteBuffer h = le(b);
    if (b.length < 64) {
      return truncate(b, rnd);
    }
    long shoff = h.getLong(0x28);
    int shnum = h.getShort(0x3c) & 0xffff;
    int choice = rnd.nextInt(5);
    if (choice == 0) {
      int[] at = {0x28, 0x3a, 0x3c, 0x3e, 4, 5};
      int a = at[rnd.nextInt(at.length)];
      if (a == 0x28) {
        h.putLong(a, rnd.nextBoolean() ? interesting(rnd) & 0xffffffffL
            : shoff + rnd.nextInt(129) - 64);
      } else if (a < 8) {
        b[a] = (byte) rnd.nextInt(4);
      } else {
        h.putShort(a, (short) (rnd.nextBoolean() ? interesting(rnd) : rnd.nextInt(shnum + 2)));
      }
      return b;
    }
    if (choice == 1) {
      return truncate(b, rnd);
    }
    if (shoff <= 0 || shoff + 64L * shnum > b.length || shnum == 0) {
      return truncate(b, rnd);
    }
    int s = (int) shoff + 64 * rnd.nextInt(shnum);
    if (choice == 2) { // a section header field
      int[] at = {0, 4, 24, 32, 40};
      int a = at[rnd.nextInt(at.length)];
      if (a == 24 || a == 32) {
        h.putLong(s + a, rnd.nextBoolean() ? interesting(rnd) & 0xffffffffL
            : h.getLong(s + a) + rnd.nextInt(65) - 32);
      } else {
        h.putInt(s + a, rnd.nextBoolean() ? interesting(rnd) : h.getInt(s + a) + 1);
      }
      return b;
    }
    // the .BTF section inside, mutated in place (same length) when it can be found
    try {
      byte[] section = Elf.section(b, ".BTF", "seed");
      int at = indexOf(b, section);
      byte[] m = btf(section, rnd);
      if (at >= 0 && m.length == section.length) {
        System.arraycopy(m, 0, b, at, m.length);
      }
    } catch (BpfEventsException e) {
      b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
    }
    return b;
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    if (needle.length < 24) {
      return -1;
    }
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int k = 0; k < 24; k++) {
        if (hay[i + k] != needle[k]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** The library's own BTF: the examples and random events, natural and packed. */
  static List<byte[]> ownSeeds(Random rnd) {
    List<byte[]> out = new ArrayList<>();
    out.add(BtfWriter.write(List.of(Examples.FLOW_EVENT, Examples.CONNECTION_EVENT)));
    for (int i = 0; i < 6; i++) {
      out.add(BtfWriter.write(List.of(RandomEvents.event(rnd, "Seed" + i, 3))));
    }
    out.add(BtfWriter.encode(BtfCodecTest.everyKind()));
    return out;
  }

  // ---------------------------------------------------------------------------------

  /**
   * The runs.
   *
   * @param args {@code cases [MILLIS]}, or {@code fuzz SEED INPUTS MILLIS [WORST]
   *     SEEDFILE...}
   * @throws Exception never on a pass
   */
  public static void main(String[] args) throws Exception {
    int failed = 0;
    if (args[0].equals("cases")) {
      long millis = Long.parseLong(args[1]);
      List<Path> files;
      try (var list = Files.list(Path.of(args[2]))) {
        files = list.sorted().toList();
      }
      for (Path file : files) {
        String name = file.getFileName().toString();
        for (boolean viaFile : new boolean[] {false, true}) {
          if (!viaFile && Files.size(file) > (4 << 20)) {
            continue; // read(byte[]) copies the caller's bytes: two copies of a large file
          }
          try {
            byte[] bytes = viaFile ? null : Files.readAllBytes(file);
            Outcome o = timed(bytes, name, viaFile ? file : null, millis);
            System.out.printf("ok %s%s (%d bytes): %s in %d ms, %d MB allocated%n",
                name, viaFile ? " (file)" : "", Files.size(file),
                o.kind(), o.nanos() / 1_000_000, o.allocated() >> 20);
          } catch (AssertionError a) {
            failed++;
            System.out.println("FAIL " + name + ": " + a.getMessage());
          }
        }
      }
      System.out.println("hostile BTF: " + files.size() + " files, " + failed
          + " failed; heap " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB");
      System.exit(failed == 0 ? 0 : 1);
    }
    long seed = Long.parseLong(args[1]);
    int inputs = Integer.parseInt(args[2]);
    long millis = Long.parseLong(args[3]);
    Path worstOut = args.length > 4 && !args[4].equals("-") ? Path.of(args[4]) : null;
    Random rnd = new Random(seed);
    Map<String, List<byte[]>> seeds = new LinkedHashMap<>();
    seeds.put("own", ownSeeds(rnd));
    for (int i = 5; i < args.length; i++) {
      Path p = Path.of(args[i]);
      String kind = p.getFileName().toString().equals("vmlinux") ? "vmlinux" : "objects";
      seeds.computeIfAbsent(kind, k -> new ArrayList<>()).add(Files.readAllBytes(p));
    }
    Outcome slowest = null;
    Outcome hungriest = null;
    byte[] slowestInput = null;
    String slowestName = null;
    String hungriestName = null;
    Map<String, Integer> kinds = new LinkedHashMap<>();
    int done = 0;
    List<String> names = new ArrayList<>(seeds.keySet());
    for (int i = 0; i < inputs; i++) {
      // vmlinux is large: one input in twenty-five of it
      String kind = names.get(rnd.nextInt(names.size()));
      if (kind.equals("vmlinux") && rnd.nextInt(25) != 0) {
        kind = "own";
      }
      List<byte[]> pool = seeds.get(kind);
      byte[] input = mutate(pool.get(rnd.nextInt(pool.size())), rnd);
      String name = kind + "#" + i;
      try {
        Outcome o = timed(input, name, null, millis);
        done++;
        kinds.merge(o.kind().split(" ")[0] + (o.kind().contains("imported") ? "+imported"
            : ""), 1, Integer::sum);
        if (slowest == null || o.nanos() > slowest.nanos()) {
          slowest = o;
          slowestInput = input;
          slowestName = name + " (" + input.length + " bytes)";
        }
        if (hungriest == null || o.allocated() > hungriest.allocated()) {
          hungriest = o;
          hungriestName = name + " (" + input.length + " bytes)";
        }
      } catch (AssertionError a) {
        failed++;
        System.out.println("FAIL " + a.getMessage());
        if (worstOut != null) {
          Files.write(worstOut.resolveSibling(worstOut.getFileName() + ".fail" + failed), input);
        }
        if (a.getMessage().contains("no answer within")) {
          break;
        }
      }
    }
    if (worstOut != null && slowestInput != null) {
      Files.write(worstOut, slowestInput);
    }
    System.out.println("btf fuzz: seed " + seed + ", " + done + " inputs from " + seeds.keySet()
        + " seeds " + kinds + ", " + failed + " failed; heap "
        + (Runtime.getRuntime().maxMemory() >> 20) + " MiB");
    if (slowest != null) {
      System.out.println("btf fuzz: slowest " + slowestName + ": " + slowest.kind() + " in "
          + slowest.nanos() / 1_000_000 + " ms; most allocation " + hungriestName + ": "
          + (hungriest.allocated() >> 20) + " MB");
    }
    System.exit(failed == 0 ? 0 : 1);
  }
}
