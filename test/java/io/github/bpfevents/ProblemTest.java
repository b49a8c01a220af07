package io.github.bpfevents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The catalog of problems: every entry is well formed (a kebab-case code, a template whose
 * places are among its keys, no two entries alike), every entry is raised
 * somewhere in the core and no error is built from a bare code any more; and an error built
 * from an entry is checked against it.
 */
class ProblemTest {
  private static final Path SOURCES = Path.of("src/main/java");
  private static final Pattern CODE = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");
  private static final Pattern PLACE = Pattern.compile("\\{\\{|\\{([a-z][a-z0-9-]*)\\}");
  private static final Pattern USE = Pattern.compile("\\bProblem\\.([A-Z][A-Z0-9_]*)\\b");

  /** The core's sources but the catalog itself, by file. */
  private static Map<Path, String> sources;

  @BeforeAll
  static void readSources() throws IOException {
    sources = new HashMap<>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path p : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java"))::iterator) {
        if (!p.getFileName().toString().equals("Problem.java")) {
          sources.put(p, Files.readString(p, StandardCharsets.UTF_8));
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    assertTrue(sources.size() > 50, "the core's sources are read from " + SOURCES.toAbsolutePath());
  }

  // ---------------------------------------------------------------------------------------
  // The catalog

  @Test
  void codesAreKebabCase() {
    for (Problem p : Problem.values()) {
      assertTrue(CODE.matcher(p.code()).matches(), p + ": code " + p.code());
    }
  }

  @Test
  void everyPlaceOfATemplateIsAmongItsKeys() {
    for (Problem p : Problem.values()) {
      for (String place : p.places()) {
        assertTrue(p.keys().contains(place), p + " shows {" + place + "}, not among " + p.keys());
      }
    }
  }

  @Test
  void keysAreDistinctAndNeverTheProblemItself() {
    for (Problem p : Problem.values()) {
      assertFalse(p.keys().contains("problem"), p.name());
      assertEquals(p.keys().size(), p.keys().stream().distinct().count(), p + ": " + p.keys());
    }
  }

  @Test
  void noTwoEntriesHaveTheSameCodeAndTemplate() {
    Map<List<String>, Problem> seen = new HashMap<>();
    for (Problem p : Problem.values()) {
      Problem before = seen.put(List.of(p.code(), p.template()), p);
      assertEquals(null, before, p + " repeats " + before);
    }
  }

  @Test
  void everyEntryIsRaisedSomewhereInTheCore() {
    Map<String, Integer> uses = new HashMap<>();
    for (String text : sources.values()) {
      Matcher m = USE.matcher(text);
      while (m.find()) {
        uses.merge(m.group(1), 1, Integer::sum);
      }
    }
    List<String> unused = new ArrayList<>();
    for (Problem p : Problem.values()) {
      if (!uses.containsKey(p.name())) {
        unused.add(p.name());
      }
    }
    assertEquals(List.of(), unused);
    for (String name : uses.keySet()) {
      assertTrue(Stream.of(Problem.values()).anyMatch(p -> p.name().equals(name)), name);
    }
  }

  @Test
  void noErrorIsBuiltFromABareCode() {
    List<String> sites = new ArrayList<>();
    for (Map.Entry<Path, String> e : sources.entrySet()) {
      String[] lines = e.getValue().split("\n", -1);
      for (int i = 0; i < lines.length; i++) {
        if (lines[i].contains("BpfEventsException.of(\"")) {
          sites.add(e.getKey() + ":" + (i + 1));
        }
      }
    }
    assertEquals(List.of(), sites);
  }

  // ---------------------------------------------------------------------------------------
  // Errors built from entries

  @Test
  void anErrorOfAnEntryHasItsCodeTemplateAndEntry() {
    BpfEventsException e = Problem.UNKNOWN_FIELD.with("event", "Conn")
        .with("field", "nope")
        .with("expected", "one of {accepted}")
        .with("accepted", List.of("pid"))
        .build();
    assertEquals("unknown-field", e.problem());
    assertEquals("unknown-field", e.data().get("problem"));
    assertSame(Problem.UNKNOWN_FIELD, e.entry().orElseThrow());
    assertEquals("event Conn has no field nope; expected one of [pid]", e.getMessage());
    assertEquals("event Conn has no field :nope; expected one of [:pid]",
        e.message(Notation.EDN));
    BpfEventsException same = BpfEventsException.of(Problem.UNKNOWN_FIELD)
        .with("event", "Conn").with("field", "nope").with("expected", "one of {accepted}")
        .with("accepted", List.of("pid")).build();
    assertEquals(e.getMessage(), same.getMessage());
    assertEquals(e.data(), same.data());
  }

  @Test
  void widenedErrorsKeepTheirEntry() {
    BpfEventsException e = Problem.NO_FIELDS.with("event", "Empty")
        .with("expected", "at least one field").build();
    assertSame(Problem.NO_FIELDS, e.within("index", 3, "spec {index}").entry().orElseThrow());
    assertSame(Problem.NO_FIELDS, e.with(Map.of("line", 7)).entry().orElseThrow());
    assertSame(Problem.NO_FIELDS, e.replacing("event", "Other").entry().orElseThrow());
  }

  @Test
  @SuppressWarnings("deprecation")
  void anErrorBuiltFromABareCodeHasNoEntry() {
    BpfEventsException e = BpfEventsException.of("no-fields").with("event", "E")
        .message("event {event} has no fields");
    assertEquals("no-fields", e.problem());
    assertTrue(e.entry().isEmpty());
    assertThrows(IllegalStateException.class, () -> BpfEventsException.of("no-fields").build());
    assertThrows(IllegalStateException.class,
        () -> Problem.NO_FIELDS.with("event", "E").message("event {event}"));
  }

  @Test
  void assertionsAreOnForTheseTests() {
    boolean on = false;
    assert on = true;
    assertTrue(on, "the checks below need -ea, which Surefire gives");
  }

  @Test
  void aPlaceTheDataLacksIsCaughtWhenTheErrorIsBuilt() {
    AssertionError e = assertThrows(AssertionError.class,
        () -> Problem.NO_FIELDS.with("expected", "at least one field").build());
    assertTrue(e.getMessage().contains("NO_FIELDS") && e.getMessage().contains("[event]"),
        e.getMessage());
  }

  @Test
  void aKeyTheEntryDoesNotDeclareIsCaughtWhenTheErrorIsBuilt() {
    assertFalse(Problem.NO_FIELDS.keys().contains("colour"));
    AssertionError e = assertThrows(AssertionError.class,
        () -> Problem.NO_FIELDS.with("event", "E").with("expected", "x")
            .with("colour", "red").build());
    assertTrue(e.getMessage().contains("[colour]"), e.getMessage());
  }

  @Test
  void placesAreTheTemplatesKeysInOrderWithoutEscapes() {
    for (Problem p : Problem.values()) {
      List<String> expected = new ArrayList<>();
      Matcher m = PLACE.matcher(p.template());
      while (m.find()) {
        if (m.group(1) != null && !expected.contains(m.group(1))) {
          expected.add(m.group(1));
        }
      }
      assertEquals(expected, p.places(), p.name());
    }
    assertNotEquals(0, Problem.values().length);
  }
}
