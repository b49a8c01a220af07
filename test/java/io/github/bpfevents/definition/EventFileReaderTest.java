package io.github.bpfevents.definition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Examples;
import io.github.bpfevents.layout.Packing;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.FieldSpec;
import io.github.bpfevents.layout.FieldType;
import io.github.bpfevents.layout.LayoutEngine;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

/**
 * Event files to layouts: the same layouts the Java API builds, from a path or a classpath
 * resource, and errors at their line; files that are not regular files are refused
 * without being opened.
 */
class EventFileReaderTest {
  private static EventFile read(String text) {
    return EventFileReader.read("ev.clj", text.getBytes(StandardCharsets.UTF_8));
  }

  private static FileError refused(String text) {
    return FileError.thrownBy(() -> read(text));
  }

  @Test
  void nestedArraysOptionsAndAliases() throws Exception {
    EventFile f = EventFileReader.read(Path.of("test", "resources-cli", "nested.clj"));
    assertEquals(List.of("Hop", "Route", "Sample"), f.names());
    EventLayout route = f.event("Route");
    assertEquals(Packing.NATURAL, route.packing());
    assertEquals(40, route.size());
    assertEquals(20, route.resolve(List.of("hops", 1, "addr")).offset());
    assertEquals(24, route.field("flags").offset());
    assertEquals(2, route.field("flags").count());
    assertEquals(28, route.field("name").offset());
    assertEquals(8, route.field("name").count());
    assertEquals(Packing.PACKED, f.event("Sample").packing());
    assertEquals(15, f.event("Sample").size());
    assertEquals(9, f.line("Route"));
    assertEquals(10, f.fieldLine("Route", "flags"));
    assertEquals(11, f.fieldLine("Route", "name"));
  }

  @Test
  void nsFormsAreIgnoredAnywhere() {
    EventFile f = read("(ns a (:require [b :refer [c]]))\n(defevent A [:x :u8])\n(ns b)");
    assertEquals(List.of("A"), f.names());
  }

  @Test
  void explicitPackedIsTheDefault() {
    assertEquals(read("(defevent A [:x :u8] [:y :u64])").event("A"),
        read("(defevent A {:align :packed} [:x :u8] [:y :u64])").event("A"));
    assertEquals(16, read("(defevent A {:align :natural} [:x :u8] [:y :u64])").event("A")
        .size());
  }

  @Test
  void formsThatAreNotDefinitionsAreRefusedAtTheirLine() {
    FileError e = refused("(defevent A [:x :u8])\n\n(do (System/exit 3))");
    assertEquals(3, e.line());
    assertEquals("form (do (System/exit 3)) is not accepted: an event file is read as data"
        + " and never run; expected (defevent Name [:field :type] ...) or (ns ...)",
        e.getMessage());
    assertEquals(1, refused(":pid").line());
    assertEquals(1, refused("()").line());
    assertEquals(2, refused("(defevent A [:x :u8])\n(def x 1)").line());
    assertTrue(refused("(defevent A [:x :u8])\n(\"ns\")").getMessage()
        .startsWith("form (\"ns\") is not accepted"));
  }

  @Test
  void badDefinitionsAreRefusedAtTheirLine() {
    check("(defevent)", 1, "defevent has no name; expected (defevent Name [:field :type] ...)");
    check("(defevent :A [:x :u8])", 1, "defevent name :A is not a symbol; expected a symbol"
        + " such as ConnectionEvent");
    check("(defevent a/A [:x :u8])", 1, "event name a/A has a namespace");
    check("(defevent A\n  [:x :u8]\n  (:y :u8))", 3,
        "event A: field spec 1 is (:y :u8); expected [name type] or [name type count]");
    check("(defevent A [:x])", 1, "event A: field spec 0 is [:x]; expected");
    check("(defevent A [:x :u8 2 3])", 1, "event A: field spec 0 is [:x :u8 2 3]");
    check("(defevent A [x :u8])", 1, "event A: field name x in spec 0 is not a keyword;"
        + " expected a keyword such as :pid");
    check("(defevent A\n [:x :u33])", 2, "event A: field :x: unknown type :u33; expected"
        + " one of [:u8 :i8 :u16 :i16 :u32 :i32 :u64 :i64 :char :ptr :be16 :be32 :be64 :i128 :u128]");
    check("(defevent A [:x \"u8\"])", 1, "event A: field :x has unknown type \"u8\"; expected"
        + " one of [:u8 :i8 :u16 :i16 :u32 :i32 :u64 :i64 :char :ptr :be16 :be32 :be64 :i128 :u128] or an"
        + " event");
    check("(defevent A [:x :u8 0])", 1, "event A: field :x has count 0; expected an integer"
        + " from 1 to 2147483647");
    check("(defevent A [:x :u8 -1])", 1, "event A: field :x has count -1");
    check("(defevent A [:x :u8 4294967296])", 1, "event A: field :x has count 4294967296");
    check("(defevent A [:x :u8 :two])", 1, "event A: field :x has count :two; expected an"
        + " integer from 1 to 2147483647");
    check("(defevent A)", 1, "event A declares no fields; expected at least one field");
    check("(defevent A {:align :natural})", 1, "event A declares no fields");
    check("(defevent A\n  [:x :u8]\n  [:x :u16])", 3, "event A: duplicate field :x;"
        + " expected unique field names");
    check("(defevent A [:x :u64 268435456])", 1, "event A reaches 2147483648 bytes at field :x;"
        + " expected at most 2147483647 bytes");
  }

  @Test
  void optionsAreOnlyAlign() {
    check("(defevent A {:align :weird} [:x :u8])", 1, "event A: option :align :weird is not"
        + " accepted; expected one of [:natural :packed]");
    check("(defevent A {:align \"natural\"} [:x :u8])", 1, "event A: option :align \"natural\"");
    check("(defevent A {:pack true} [:x :u8])", 1, "event A: unknown option :pack; expected"
        + " one of [:align :aligned :kind]");
    check("(defevent A\n {:align :natural\n  :size 8} [:x :u8])", 3, "event A: unknown option"
        + " :size");
  }

  @Test
  void symbolsNameEarlierEventsOnly() {
    check("(defevent A [:x :u8] [:y Nope])", 1, "event A: field :y has type Nope, which is"
        + " not an event declared above it; expected a type keyword or an event declared above"
        + " it");
    check("(defevent B [:x :u8])\n(defevent A [:a A])", 2, "event A: field :a has type A,"
        + " which is not an event declared above it");
    check("(defevent A [:x B])\n(defevent B [:y :u8])", 1, "event A: field :x has type B");
    check("(defevent A [:x :u8])\n\n(defevent A [:y :u8])", 3, "event A is declared twice"
        + " (first at line 1); expected distinct event names");
  }

  @Test
  void aFileWithoutEventsIsAnError() {
    FileError e = refused("; nothing\n(ns x)");
    assertEquals(0, e.line());
    assertEquals("bpf-events: ev.clj declares no events; expected at least one (defevent Name"
        + " [:field :type] ...)", e.render());
  }

  @Test
  void unknownEventNamesListTheFilesEvents() {
    FileError e = FileError.thrownBy(
        () -> read("(defevent A [:x :u8])\n(defevent B [:y :u8])").event("C"));
    assertEquals("event C is not declared in ev.clj; expected one of [A, B]", e.getMessage());
  }

  @Test
  void filesThatCannotBeRead(@TempDir Path dir) throws Exception {
    assertEquals("cannot read " + dir.resolve("none.clj") + ": no such file",
        FileError.thrownBy(
            () -> EventFileReader.read(dir.resolve("none.clj"))).getMessage());
    assertTrue(FileError.thrownBy(() -> EventFileReader.read(dir))
        .getMessage().endsWith(": it is a directory; expected a file of defevent forms"));
    Path big = dir.resolve("big.clj");
    Files.write(big, new byte[EventFileReader.MAX_BYTES + 1]);
    assertEquals(big + " is larger than 8388608 bytes; expected an event file of at most"
        + " 8388608 bytes", FileError.thrownBy(
            () -> EventFileReader.read(big)).getMessage());
  }

  /** A class loader that finds resources in the directory only. */
  private static URLClassLoader loaderOf(Path dir) throws Exception {
    return new URLClassLoader(new URL[] {dir.toUri().toURL()}, null);
  }

  @Test
  void aClasspathResource(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("my").resolve("events.clj");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "(ns my.events)\n(defevent Endpoint {:align :natural}\n"
        + "  [:addr :be32] [:port :be16])\n");
    try (URLClassLoader loader = loaderOf(dir)) {
      EventFile f = EventFileReader.readResource(loader, "my/events.clj");
      assertEquals("classpath:my/events.clj", f.source());
      assertEquals(List.of("Endpoint"), f.names());
      assertEquals(Examples.ENDPOINT, f.event("Endpoint"));
      assertEquals(2, f.line("Endpoint"));
      assertEquals(3, f.fieldLine("Endpoint", "port"));
    }
  }

  @Test
  void aClasspathResourceByTheContextClassLoader(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("ev.clj"), "(defevent A [:x :u8])");
    Thread t = Thread.currentThread();
    ClassLoader before = t.getContextClassLoader();
    try (URLClassLoader loader = loaderOf(dir)) {
      t.setContextClassLoader(loader);
      assertEquals(List.of("A"), EventFileReader.readResource("ev.clj").names());
    } finally {
      t.setContextClassLoader(before);
    }
  }

  @Test
  void aMissingOrBadClasspathResource(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("bad.clj"), "(defevent A\n  [:x :u33])");
    try (URLClassLoader loader = loaderOf(dir)) {
      FileError none = FileError.thrownBy(() -> EventFileReader.readResource(loader, "no.clj"));
      assertEquals("cannot read classpath:no.clj: no such resource", none.getMessage());
      assertEquals(0, none.line());
      assertEquals("classpath:no.clj", none.source());
      FileError bad = FileError.thrownBy(() -> EventFileReader.readResource(loader, "bad.clj"));
      assertEquals("classpath:bad.clj", bad.source());
      assertEquals(2, bad.line());
      assertTrue(bad.getMessage().startsWith("event A: field :x: unknown type :u33"),
          bad.getMessage());
    }
    assertEquals("unreadable-file", assertThrows(BpfEventsException.class,
        () -> EventFileReader.readResource(null, "ev.clj")).problem());
    assertEquals("unreadable-file", assertThrows(BpfEventsException.class,
        () -> EventFileReader.readResource(getClass().getClassLoader(), null)).problem());
  }

  @Test
  void aPipeIsRefusedWithoutWaitingForAWriter(@TempDir Path dir) throws Exception {
    Path fifo = dir.resolve("events.clj");
    Process mkfifo;
    try {
      mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    } catch (IOException e) {
      Assumptions.abort("mkfifo is not available: " + e.getMessage());
      return;
    }
    Assumptions.assumeTrue(mkfifo.waitFor() == 0, "mkfifo failed");
    FileError e;
    try {
      e = assertTimeoutPreemptively(Duration.ofSeconds(2),
          () -> FileError.thrownBy(() -> EventFileReader.read(fifo)));
    } catch (AssertionFailedError failed) {
      releaseReader(fifo);
      throw failed;
    }
    assertEquals("cannot read " + fifo + ": it is not a regular file (a pipe or a device);"
        + " expected a file of defevent forms", e.getMessage());
    assertEquals(0, e.line());
  }

  /** Opens and closes the pipe for writing, so that a reader waiting on it returns. */
  private static void releaseReader(Path fifo) {
    Thread writer = new Thread(() -> {
      try (var out = Files.newOutputStream(fifo)) {
        out.flush();
      } catch (IOException ignored) {
        // the directory is gone: nothing waits on the pipe any more
      }
    });
    writer.setDaemon(true);
    writer.start();
  }

  @Test
  void noPath() {
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> EventFileReader.read((Path) null));
    assertEquals("bad-event-file", e.problem());
    assertEquals("no event file given; expected the path of an event file", e.getMessage());
  }

  @Test
  void noBytes() {
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> EventFileReader.read("ev.clj", (byte[]) null));
    assertEquals("ev.clj", e.data().get("source"));
  }

  private static void check(String text, int line, String messageStart) {
    FileError e = refused(text);
    assertTrue(e.getMessage().startsWith(messageStart), "got: " + e.getMessage());
    assertEquals(line, e.line(), e.getMessage());
    assertEquals("ev.clj", e.source());
  }
}
