package io.github.bpfevents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import clojure.java.api.Clojure;
import clojure.lang.IFn;
import clojure.lang.Keyword;
import clojure.lang.Namespace;
import clojure.lang.Symbol;
import clojure.lang.Var;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;

/**
 * The clojure.test namespaces under {@code test/clojure} (files ending in {@code _test.clj})
 * as JUnit dynamic tests, one per {@code deftest}, so that Surefire counts and reports each
 * of them. A namespace whose metadata holds {@code :kernel true} uses the running kernel
 * ({@code bpf(2)}); {@link ClojureKernelTests} runs those, under the JUnit tag
 * {@code kernel}, and {@link ClojureTests} the others.
 */
final class ClojureNamespaces {
  private static final Path ROOT = Paths.get("test", "clojure");
  private static final Keyword KERNEL = Keyword.intern("kernel");

  private ClojureNamespaces() {}

  /**
   * The tests of the namespaces that use the kernel, or of those that do not.
   *
   * @param kernel which of the two
   * @return one container per namespace, one test per deftest (and one for its loading)
   */
  static Stream<DynamicNode> tests(boolean kernel) throws IOException {
    IFn require = Clojure.var("clojure.core", "require");
    require.invoke(Symbol.intern("bpf-events.junit"));
    IFn loadCapturing = Clojure.var("bpf-events.junit", "load-capturing-warnings");
    IFn testVars = Clojure.var("bpf-events.junit", "test-vars");
    IFn runTestVar = Clojure.var("bpf-events.junit", "run-test-var");

    List<DynamicNode> nodes = new ArrayList<>();
    if (!kernel) {
      String libWarnings = (String) loadCapturing.invoke(Symbol.intern("clj-ebpf.dsl.structs"));
      nodes.add(DynamicTest.dynamicTest("clj-ebpf.dsl.structs loads without reflection",
          () -> assertEquals("", libWarnings, "reflection warnings while loading the library")));
    }
    for (String ns : namespaces()) {
      Symbol sym = Symbol.intern(ns);
      String warnings = (String) loadCapturing.invoke(sym);
      Object meta = Namespace.find(sym).meta();
      boolean usesKernel = meta != null
          && Boolean.TRUE.equals(((clojure.lang.IPersistentMap) meta).valAt(KERNEL));
      if (usesKernel != kernel) {
        continue;
      }
      List<DynamicNode> tests = new ArrayList<>();
      tests.add(DynamicTest.dynamicTest("loads without reflection",
          () -> assertEquals("", warnings, "reflection warnings while loading " + ns)));
      for (Object o : (List<?>) testVars.invoke(sym)) {
        Var v = (Var) o;
        tests.add(DynamicTest.dynamicTest(v.sym.getName(), () -> {
          Object report = runTestVar.invoke(v);
          if (report != null) {
            fail(ns + "/" + v.sym.getName() + ":\n" + report);
          }
        }));
      }
      nodes.add(DynamicContainer.dynamicContainer(ns, tests));
    }
    return nodes.stream();
  }

  private static List<String> namespaces() throws IOException {
    try (Stream<Path> files = Files.walk(ROOT)) {
      return files
          .filter(p -> p.getFileName().toString().endsWith("_test.clj"))
          .map(p -> {
            String rel = ROOT.relativize(p).toString();
            return rel.substring(0, rel.length() - ".clj".length())
                .replace('/', '.').replace('_', '-');
          })
          .sorted()
          .collect(Collectors.toList());
    }
  }
}
