package io.github.bpfevents;

import java.io.IOException;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/**
 * Every clojure.test namespace that needs no kernel, one JUnit test per {@code deftest}
 * (see {@link ClojureNamespaces}).
 */
class ClojureTests {
  @TestFactory
  Stream<DynamicNode> clojureTests() throws IOException {
    return ClojureNamespaces.tests(false);
  }
}
