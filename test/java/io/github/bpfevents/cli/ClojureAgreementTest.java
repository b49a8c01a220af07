package io.github.bpfevents.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import clojure.java.api.Clojure;
import clojure.lang.IFn;
import clojure.lang.Keyword;
import clojure.lang.PersistentVector;
import clojure.lang.Symbol;
import io.github.bpfevents.cheader.CHeader;
import io.github.bpfevents.definition.Form;
import io.github.bpfevents.definition.FormReader;
import io.github.bpfevents.definition.EventFile;
import io.github.bpfevents.definition.EventFileReader;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.report.LayoutReport;
import io.github.bpfevents.report.PaholeText;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The same event file, once loaded by Clojure (its reader and the defevent macro) and once
 * read as data by the tool's reader, gives the same events: the same size, offsets, layout
 * report and C header. So a file the tool reads means what it means in Clojure.
 */
class ClojureAgreementTest {
  private static final IFn LOAD_STRING = Clojure.var("clojure.core", "load-string");
  private static final IFn VAR = Clojure.var("clojure.core", "ns-resolve");
  private static final IFn FIND_NS = Clojure.var("clojure.core", "find-ns");
  private static final IFn EVENT_REPORT;
  private static final IFn C_HEADER;

  static {
    Clojure.var("clojure.core", "require").invoke(Symbol.intern("clj-ebpf.dsl.structs"));
    EVENT_REPORT = Clojure.var("clj-ebpf.dsl.structs", "event-report");
    C_HEADER = Clojure.var("clj-ebpf.dsl.structs", "c-header");
  }

  @Test
  void theBuiltInExample() {
    agree(ExampleEvents.text(), ExampleEvents.events());
  }

  @Test
  void theTestFiles() throws Exception {
    for (String name : List.of("connection.clj", "nested.clj")) {
      Path p = Path.of("test", "resources-cli", name);
      agree(Files.readString(p, StandardCharsets.UTF_8), EventFileReader.read(p));
    }
  }

  @Test
  void theExamplesDirectory() throws Exception {
    Path p = Path.of("examples", "connection.clj");
    agree(Files.readString(p, StandardCharsets.UTF_8), EventFileReader.read(p));
  }

  private static void agree(String text, EventFile file) {
    LOAD_STRING.invoke(text);
    Object ns = FIND_NS.invoke(Symbol.intern(nsName(text)));
    List<Object> defs = new ArrayList<>();
    for (EventLayout mine : file.events()) {
      Object def = ((clojure.lang.Var) VAR.invoke(ns, Symbol.intern(mine.name()))).deref();
      defs.add(def);
      Map<?, ?> m = (Map<?, ?>) def;
      assertEquals(mine.size(), number(m.get(Keyword.intern("size"))), mine.name() + " size");
      List<?> fields = (List<?>) m.get(Keyword.intern("fields"));
      assertEquals(mine.fields().size(), fields.size());
      for (int i = 0; i < fields.size(); i++) {
        Map<?, ?> f = (Map<?, ?>) fields.get(i);
        assertEquals(Keyword.intern(mine.fields().get(i).name()), f.get(Keyword.intern("name")));
        assertEquals(mine.fields().get(i).offset(), number(f.get(Keyword.intern("offset"))),
            mine.name() + "." + mine.fields().get(i).name());
      }
      assertEquals(EVENT_REPORT.invoke(def), PaholeText.render(LayoutReport.of(mine)));
    }
    assertEquals(C_HEADER.invoke(PersistentVector.create(defs)),
        CHeader.emit(file.events()));
  }

  private static int number(Object o) {
    return ((Number) o).intValue();
  }

  /** The namespace the file's ns form declares. */
  private static String nsName(String text) {
    for (Form f : FormReader.read("t", text)) {
      if (f instanceof Form.ListForm l && l.items().get(0).equals(
          new Form.SymbolForm(l.line(), "ns"))) {
        return ((Form.SymbolForm) l.items().get(1)).name();
      }
    }
    throw new AssertionError("no ns form in " + text);
  }
}
