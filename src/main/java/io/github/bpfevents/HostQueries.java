package io.github.bpfevents;

import io.github.bpfevents.HostValues.Kind;
import io.github.bpfevents.asm.Size;
import io.github.bpfevents.btf.Btf;
import io.github.bpfevents.btf.BtfChecker;
import io.github.bpfevents.btf.BtfImporter;
import io.github.bpfevents.btf.BtfMismatch;
import io.github.bpfevents.btf.BtfReader;
import io.github.bpfevents.cheader.CHeader;
import io.github.bpfevents.codec.EventDecoder;
import io.github.bpfevents.codec.EventEncoder;
import io.github.bpfevents.definition.DefinitionWriter;
import io.github.bpfevents.definition.Form;
import io.github.bpfevents.definition.HostDefinitions;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.Field;
import io.github.bpfevents.layout.FieldRef;
import io.github.bpfevents.layout.FieldType;
import io.github.bpfevents.layout.LayoutEngine;
import io.github.bpfevents.report.LayoutReport;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The queries of the Clojure namespace {@code clj-ebpf.dsl.structs} answered in the core:
 * their arguments read and checked through {@link HostValues}, their answers made as the
 * host's data (keywords, maps in a fixed key order, vectors).
 *
 * <pre>
 *   (HostQueries/describe ConnectionEvent host)
 *   ;=> {:name ConnectionEvent, :align :packed, :size 44, :alignment 1, :members [...] ...}
 *   (HostQueries/check ConnectionEvent "probe.bpf.o" nil host)   ;=> []
 * </pre>
 *
 * <p>Every bad argument is a {@link BpfEventsException} naming the value as written.
 */
public final class HostQueries {
  /** The most names {@link #events} takes. */
  public static final int MAX_NAMES = LayoutEngine.MAX_FIELDS;

  /** The most misaligned fields {@link #describe} lists (it counts them all). */
  public static final int MISALIGNED_LISTED = 32;

  private static final Set<String> MISMATCH_NAMES = Set.of("signed", "unsigned", "big-endian",
      "little-endian");

  private HostQueries() {}

  /**
   * Each field type's keyword to the size of one element in bytes: {@code {:u8 1, :u16 2,
   * ... :be64 8}}.
   *
   * @param host how the values are made
   * @return the host's map
   */
  public static Object typeSizes(HostValues host) {
    return typeMap(host, false);
  }

  /**
   * Each field type's keyword to the width of the load or store that moves one element:
   * {@code :b :h :w :dw}.
   *
   * @param host how the values are made
   * @return the host's map
   */
  public static Object loadStoreSizes(HostValues host) {
    return typeMap(host, true);
  }

  private static Object typeMap(HostValues host, boolean width) {
    FieldType[] types = FieldType.values();
    Object[] kv = new Object[2 * types.length];
    for (int i = 0; i < types.length; i++) {
      FieldType t = types[i];
      kv[2 * i] = host.keyword(t.typeName());
      kv[2 * i + 1] = width
          // a 16-byte integer moves as two 8-byte halves
          ? host.keyword(Size.ofBytes(Math.min(8, t.size())).name()
              .toLowerCase(java.util.Locale.ROOT))
          : (Object) t.size();
    }
    return host.lookup(kv);
  }

  /**
   * A field name or path as {@link EventLayout#resolve} takes it: a keyword's name, or a
   * non-empty vector of keywords (names) and integers (indices: Longs, or BigIntegers
   * beyond a long, which the layout finds out of range).
   *
   * <pre>
   *   (HostQueries/path [:hops 2 :ttl] host)   ;=> ["hops" 2 "ttl"]
   * </pre>
   *
   * @param field the name or path as written
   * @param host how the values read
   * @return the path
   * @throws BpfEventsException {@code unknown-field} for anything else, its data's
   *     {@code :field} the value as written
   */
  public static List<Object> path(Object field, HostValues host) {
    Kind k = host.kind(field);
    if (k == Kind.KEYWORD) {
      return List.of(host.text(field));
    }
    List<Object> steps = k == Kind.VECTOR ? host.items(field, Integer.MAX_VALUE) : null;
    List<Object> path = new ArrayList<>(steps == null ? 0 : steps.size());
    for (Object step : steps == null ? List.of() : steps) {
      Kind s = host.kind(step);
      if (s != Kind.KEYWORD && s != Kind.INTEGER) {
        break;
      }
      path.add(s == Kind.KEYWORD ? host.text(step) : host.integer(step));
    }
    if (path.isEmpty() || path.size() != steps.size()) {
      Form written = new Form.OtherForm(0, host.show(field));
      throw Problem.NOT_A_FIELD_NAME_SHOWN
          .with("field", written)
          .with("expected", "a keyword, or a path such as [:src :port] or [:hops 2 :ttl]")
          .with("show", host.show(field))
          .build()
          .hosted(java.util.Collections.singletonMap(written, field));
    }
    return path;
  }

  /**
   * The type of the field a name or path names: a type keyword, or for a nested event its
   * definition as written.
   *
   * @param definition the event definition
   * @param field the name or path
   * @param host how the values read
   * @return the type
   * @throws BpfEventsException as {@link #path}, {@link EventLayout#resolve} and
   *     {@link HostDefinitions#layout}
   */
  public static Object fieldType(Object definition, Object field, HostValues host) {
    FieldRef r = HostDefinitions.layout(definition, host).resolve(path(field, host));
    return r.isNested() ? typeAt(definition, field, host) : host.keyword(r.type().typeName());
  }

  /**
   * The {@code :type} of the field a path ends at, as the definition gives it (a type
   * keyword, or a nested event's definition); an anonymous member's fields are looked
   * into, as C reaches them.
   *
   * <pre>
   *   (HostQueries/typeAt Flow [:src] host)   ;=> the definition Endpoint
   * </pre>
   *
   * @param definition the event definition
   * @param path a name, or a path of names and indices, that the layout resolves
   * @param host how the values read
   * @return the type as written, or null
   */
  public static Object typeAt(Object definition, Object path, HostValues host) {
    List<Object> steps = host.kind(path) == Kind.KEYWORD ? List.of(path)
        : host.items(path, Integer.MAX_VALUE);
    Object d = definition;
    Object t = null;
    for (Object step : steps == null ? List.of() : steps) {
      if (host.kind(step) == Kind.KEYWORD) {
        t = namedType(d, host.text(step), host, 0);
        if (t != null && HostDefinitions.isDefinition(t, host)) {
          d = t;
        }
      }
    }
    return t;
  }

  private static Object namedType(Object d, String step, HostValues host, int depth) {
    List<Object> specs = HostDefinitions.fieldSpecs(d, host);
    if (specs == null || depth > LayoutEngine.MAX_DEPTH) {
      return null;
    }
    for (Object spec : specs) {
      List<Object> parts = host.items(spec, 2);
      if (parts == null || parts.isEmpty()) {
        continue;
      }
      Object n = parts.get(0);
      Kind k = host.kind(n);
      if ((k == Kind.KEYWORD || k == Kind.STRING || k == Kind.SYMBOL)
          && step.equals(host.text(n))) {
        return parts.size() > 1 ? parts.get(1) : null;
      }
      Object type = HostDefinitions.specType(spec, host);
      if (k != Kind.KEYWORD && type != null && HostDefinitions.isDefinition(type, host)) {
        Object found = namedType(type, step, host, depth + 1);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  /**
   * What a path names, as data: {@code {:field :path :offset :size :alignment :type}},
   * {@code :field} the name alone for a top-level field, {@code :type} for a scalar.
   *
   * @param r the resolved field
   * @param host how the values are made
   * @return the host's map
   */
  public static Object fieldRef(FieldRef r, HostValues host) {
    Object[] path = new Object[r.path().size()];
    for (int i = 0; i < path.length; i++) {
      Object step = r.path().get(i);
      path[i] = step instanceof String s ? host.keyword(s) : (Object) ((Number) step).longValue();
    }
    Object p = host.list(path);
    List<Object> kv = new ArrayList<>(12);
    put(kv, host, "field", path.length == 1 ? path[0] : p);
    put(kv, host, "path", p);
    put(kv, host, "offset", r.offset());
    put(kv, host, "size", r.size());
    put(kv, host, "alignment", r.elementAlignment());
    if (!r.isNested()) {
      put(kv, host, "type", host.keyword(r.type().typeName()));
    }
    return host.map(kv.toArray());
  }

  /**
   * The layout report of an event as data (see {@link LayoutReport}): {@code :name :align
   * :size :alignment :members :holes :padding :cacheline-boundaries :totals :misaligned
   * :misaligned-count}, and {@code :plain-c} and {@code :suggested} where they apply.
   *
   * @param definition the event definition
   * @param host how the values read and are made
   * @return the host's map
   * @throws BpfEventsException as {@link HostDefinitions#layout}
   */
  public static Object describe(Object definition, HostValues host) {
    EventLayout l = HostDefinitions.layout(definition, host);
    LayoutReport r = LayoutReport.of(l);
    List<Object> members = new ArrayList<>();
    for (LayoutReport.Member m : r.members()) {
      Field f = m.field();
      members.add(host.map(new Object[] {host.key("name"), host.keyword(f.name()),
          host.key("offset"), f.offset(), host.key("size"), f.size(), host.key("count"),
          f.count(), host.key("alignment"), f.elementAlignment(), host.key("c-type"),
          m.cType(), host.key("misaligned?"), m.misaligned()}));
    }
    List<Object> holes = new ArrayList<>();
    for (LayoutReport.Hole h : r.holes()) {
      holes.add(host.map(new Object[] {host.key("offset"), h.offset(), host.key("size"),
          h.size(), host.key("after"), host.keyword(h.after())}));
    }
    List<Integer> lines = r.cachelineBoundaries();
    // computed on demand: a record near 2^31 bytes has 33 million of them
    List<Object> boundaries = new AbstractList<>() {
      @Override
      public Object get(int i) {
        return (long) lines.get(i);
      }

      @Override
      public int size() {
        return lines.size();
      }
    };
    List<Object> misaligned = new ArrayList<>();
    for (FieldRef ref : r.misaligned()) {
      if (misaligned.size() == MISALIGNED_LISTED) {
        break;
      }
      misaligned.add(fieldRef(ref, host));
    }
    List<Object> kv = new ArrayList<>(28);
    put(kv, host, "name", host.get(definition, "name"));
    put(kv, host, "align", host.keyword(l.packing().optionName()));
    put(kv, host, "size", l.size());
    put(kv, host, "alignment", l.alignment());
    put(kv, host, "members", host.list(members.toArray()));
    put(kv, host, "holes", host.list(holes.toArray()));
    put(kv, host, "padding", r.padding());
    put(kv, host, "cacheline-boundaries", boundaries);
    put(kv, host, "totals", host.map(new Object[] {host.key("size"), l.size(),
        host.key("members"), members.size(), host.key("sum-members"), r.sumMembers(),
        host.key("holes"), holes.size(), host.key("sum-holes"), r.sumHoles(),
        host.key("padding"), r.padding(), host.key("cachelines"), r.cachelines(),
        host.key("last-cacheline"), r.lastCacheline()}));
    put(kv, host, "misaligned", host.list(misaligned.toArray()));
    put(kv, host, "misaligned-count", r.misaligned().size());
    if (r.plainC() != null) {
      List<Object> moved = new ArrayList<>();
      for (LayoutReport.Moved m : r.moved()) {
        moved.add(host.map(new Object[] {host.key("name"), host.keyword(m.name()),
            host.key("offset"), m.offset(), host.key("c-offset"), m.plainOffset()}));
      }
      put(kv, host, "plain-c", host.map(new Object[] {host.key("size"), r.plainC().size(),
          host.key("moved"), host.list(moved.toArray())}));
    }
    if (r.suggested() != null) {
      List<Object> order = new ArrayList<>();
      for (Field f : r.suggested().fields()) {
        order.add(host.keyword(f.name()));
      }
      put(kv, host, "suggested", host.map(new Object[] {host.key("order"),
          host.list(order.toArray()), host.key("size"), r.suggested().size()}));
    }
    return host.lookup(kv.toArray());
  }

  /**
   * The BTF of a source: a path (a String, {@link File} or {@link Path}) of an ELF object
   * with a {@code .BTF} section or of raw BTF, or the bytes of either.
   *
   * @param source the source
   * @return the BTF
   * @throws BpfEventsException {@code bad-btf-source} for anything else,
   *     {@code unreadable-file} for a String that is no path, and the reader's errors
   */
  public static Btf btf(Object source) {
    if (source instanceof byte[] bytes) {
      return BtfReader.read(bytes, "BTF bytes");
    }
    Path p;
    if (source instanceof String s) {
      try {
        p = new File(s).toPath();
      } catch (InvalidPathException e) {
        throw Problem.UNREADABLE_PATH
            .with("value", source)
            .with("expected", "a path")
            .with("get-reason", String.valueOf(e.getReason()))
            .build();
      }
    } else if (source instanceof File f) {
      p = f.toPath();
    } else if (source instanceof Path path) {
      p = path;
    } else {
      throw Problem.BAD_BTF_SOURCE_PATH_BYTES
          .with("value", source)
          .with("expected", "a String or File path, or a byte array")
          .build();
    }
    return BtfReader.read(p);
  }

  /**
   * Checks an event definition against a struct of BTF: the mismatches as data,
   * {@code [{:path :struct :mismatch :definition :btf}]}, empty when they agree.
   *
   * @param definition the event definition
   * @param source the BTF's source, as {@link #btf} takes it
   * @param struct the struct's name (a string, symbol or keyword), or null for the event's
   *     C name
   * @param host how the values read and are made
   * @return the host's vector of mismatches
   * @throws BpfEventsException {@code unknown-struct} for a struct name that is no name or
   *     names no struct, and the errors of {@link #btf} and {@link HostDefinitions#layout}
   */
  public static Object check(Object definition, Object source, Object struct, HostValues host) {
    EventLayout l = HostDefinitions.layout(definition, host);
    Btf btf = btf(source);
    String name = null;
    Kind k = host.kind(struct);
    if (k == Kind.STRING || k == Kind.SYMBOL) {
      name = simpleName(host.text(struct), k);
    } else if (k == Kind.KEYWORD) {
      name = host.text(struct);
    } else if (k != Kind.NIL) {
      throw Problem.UNKNOWN_STRUCT_NAME
          .with("value", struct)
          .with("expected", "a string or symbol")
          .build();
    }
    List<BtfMismatch> found = name == null ? BtfChecker.check(l, btf)
        : BtfChecker.check(l, btf, name);
    Object[] out = new Object[found.size()];
    for (int i = 0; i < out.length; i++) {
      BtfMismatch m = found.get(i);
      Object[] path = new Object[m.path().size()];
      for (int j = 0; j < path.length; j++) {
        path[j] = host.keyword(m.path().get(j));
      }
      out[i] = host.map(new Object[] {host.key("path"), host.list(path), host.key("struct"),
          m.struct(), host.key("mismatch"), host.keyword(m.aspect()), host.key("definition"),
          side(m.definition(), host), host.key("btf"), side(m.btf(), host)});
    }
    return host.list(out);
  }

  /** A symbol's name without its namespace ({@code a/b} is {@code b}); a string as it is. */
  private static String simpleName(String text, Kind k) {
    int slash = text.indexOf('/');
    return k == Kind.SYMBOL && slash >= 0 && text.length() > 1 ? text.substring(slash + 1)
        : text;
  }

  /** A side of a mismatch as data. */
  private static Object side(Object v, HostValues host) {
    if (v instanceof FieldType t) {
      return host.keyword(t.typeName());
    } else if (v instanceof EventLayout e) {
      return host.symbol(e.name());
    } else if (v instanceof String s && MISMATCH_NAMES.contains(s)) {
      return host.keyword(s);
    }
    return v;
  }

  /**
   * The {@code defevent} forms that declare structs of BTF, as the host's data (lists
   * headed by {@code clj-ebpf.dsl.structs/defevent}), never evaluated.
   *
   * @param source the BTF's source, as {@link #btf} takes it
   * @param names from 1 to {@link #MAX_NAMES} struct names, strings or symbols
   * @param host how the values read and are made
   * @return the host's vector of forms
   * @throws BpfEventsException {@code no-events} for names that are no such collection,
   *     and the errors of {@link #btf} and {@link BtfImporter#events}
   */
  public static Object events(Object source, Object names, HostValues host) {
    Kind k = host.kind(names);
    List<Object> given = host.items(names, MAX_NAMES + 1);
    if (given == null && k == Kind.OTHER && names instanceof Collection<?> c) {
      given = HostValues.take(c, MAX_NAMES + 1);
    }
    boolean ok = given != null && !given.isEmpty() && given.size() <= MAX_NAMES;
    List<String> structs = new ArrayList<>();
    for (int i = 0; ok && i < given.size(); i++) {
      Kind n = host.kind(given.get(i));
      ok = n == Kind.STRING || n == Kind.SYMBOL;
      if (ok) {
        structs.add(simpleName(host.text(given.get(i)), n));
      }
    }
    if (!ok) {
      throw Problem.NO_EVENTS_STRUCT_NAMES_COLLECTION
          .with("value", names)
          .with("expected", "a collection of struct names (strings or symbols)")
          .build();
    }
    List<EventLayout> layouts = BtfImporter.events(btf(source), structs);
    List<Form> forms = DefinitionWriter.forms(layouts, "clj-ebpf.dsl.structs/defevent");
    Object[] out = new Object[forms.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = BpfEventsException.formData(forms.get(i), host);
    }
    return host.list(out);
  }

  /**
   * The C header of one event definition or a sequence of them.
   *
   * @param definitions the definitions
   * @param options {@code {:guard "NAME_H"}} or an empty map
   * @param host how the values read
   * @return the header's text
   * @throws BpfEventsException {@code bad-option}, and the errors of {@link CHeader#emit}
   *     and {@link HostDefinitions#layouts}
   */
  public static String cHeader(Object definitions, Object options, HostValues host) {
    boolean ok = host.kind(options) == Kind.MAP;
    for (Map.Entry<Object, Object> e : ok ? host.entries(options, 2) : List.<Map.Entry<Object,
        Object>>of()) {
      ok &= host.kind(e.getKey()) == Kind.KEYWORD && "guard".equals(host.text(e.getKey()));
    }
    Object guard = ok ? host.get(options, "guard") : null;
    if (!ok || (guard != null && host.kind(guard) != Kind.STRING)) {
      throw Problem.BAD_OPTION_C_HEADER_OPTIONS
          .with("value", options)
          .with("expected", "{:guard \"NAME_H\"} or {}")
          .with("accepted", List.of("guard"))
          .build();
    }
    return CHeader.emit(HostDefinitions.layouts(definitions, host),
        guard == null ? null : host.text(guard));
  }

  /**
   * Decodes the record at an offset of a byte array, or of a {@link ByteBuffer} from its
   * position.
   *
   * @param decoder the event's decoder
   * @param bytes a byte array or a ByteBuffer
   * @param offset a non-negative integer
   * @param host how the offset reads
   * @return the record as the decoder's data
   * @throws BpfEventsException {@code bad-offset}, {@code not-a-buffer}, and the decoder's
   *     errors
   */
  public static Object decode(EventDecoder decoder, Object bytes, Object offset,
      HostValues host) {
    long at = offset instanceof Long n ? n : -1;
    if (!(offset instanceof Long)) {
      Number n = host.integer(offset);
      at = n instanceof Long v ? v : -1;
    }
    if (at < 0 || at > Integer.MAX_VALUE) {
      throw Problem.BAD_OFFSET
          .with("value", offset)
          .with("expected", "a non-negative integer")
          .build();
    }
    if (bytes instanceof ByteBuffer b) {
      return decoder.decode(b, b.position() + at);
    } else if (bytes instanceof byte[] a) {
      return decoder.decode(a, at);
    }
    throw Problem.NOT_A_BUFFER_BYTE_ARRAY
        .with("value", bytes)
        .with("expected", "a byte array or a java.nio.ByteBuffer")
        .build();
  }

  /**
   * The record's bytes for a map of field values.
   *
   * @param definition the event definition
   * @param values the host's map of field name to value
   * @param host how the values read
   * @return the bytes
   * @throws BpfEventsException {@code bad-value} for what is no map, and the encoder's
   *     errors
   */
  public static byte[] encode(Object definition, Object values, HostValues host) {
    EventLayout l = HostDefinitions.layout(definition, host);
    Kind k = host.kind(values);
    if (!((k == Kind.MAP || k == Kind.EVENT) && values instanceof Map<?, ?> m)) {
      throw Problem.BAD_VALUE_MAP_FIELD_VALUES
          .with("value", values)
          .with("expected", "a map of field name to value")
          .build();
    }
    return EventEncoder.encode(l, m, host);
  }

  private static void put(List<Object> kv, HostValues host, String key, Object value) {
    kv.add(host.key(key));
    kv.add(value);
  }
}
