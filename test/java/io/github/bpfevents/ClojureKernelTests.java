package io.github.bpfevents;

import java.io.IOException;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/**
 * The clojure.test namespaces that run programs in the kernel ({@code (ns ^:kernel ...)}),
 * one JUnit test per {@code deftest} (see {@link ClojureNamespaces}).
 */
@Tag("kernel")
class ClojureKernelTests {
  @TestFactory
  Stream<DynamicNode> clojureKernelTests() throws IOException {
    return ClojureNamespaces.tests(true);
  }
}
