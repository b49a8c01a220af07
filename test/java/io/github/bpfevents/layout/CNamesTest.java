package io.github.bpfevents.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Notation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How names become C identifiers, by the three documented rules (a hyphen becomes an
 * underscore; an uppercase letter that starts a word gets an underscore before it;
 * everything is lowercased), and the names refused: results that are not C identifiers and
 * results that are C keywords.
 */
class CNamesTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "ConnectionEvent, connection_event",
      "HTTPRequest, http_request",
      "src-port, src_port",
      "pid, pid",
      "comm, comm",
      "already_snake, already_snake",
      "A, a",
      "ABC, abc",
      "FlowEvent, flow_event",
      "XMLHttpRequest, xml_http_request",
      "getHTTPResponseCode, get_http_response_code",
      "tcp2Conn, tcp2_conn",
      "ipv4Addr, ipv4_addr",
      "srcIP, src_ip",
      "a-b-c, a_b_c",
      "Src-Port, src_port",
      "_private, _private",
      "x86-64, x86_64",
  })
  void conversion(String name, String c) {
    assertEquals(c, CNames.convert(name));
    assertEquals(c, CNames.identifier(name, "field"));
    assertEquals(c, CNames.identifier(name, "event"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"int", "char", "struct", "for", "sizeof", "unsigned", "bool",
      "true", "typeof", "asm", "Int", "Struct", "CHAR", "Char", "_Bool", "_Atomic",
      "__attribute__", "restrict", "inline"})
  void keywordsAreRefused(String name) {
    String c = CNames.convert(name);
    if (name.equals("_Bool") || name.equals("_Atomic")) {
      // "_Bool" lowercases to "_bool", which is no keyword; the keyword itself cannot be
      // reached because everything is lowercased
      assertEquals(name.toLowerCase(), CNames.identifier(name, "field"));
      return;
    }
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> CNames.identifier(name, "field"));
    assertEquals("bad-c-name", e.problem());
    assertEquals(name, e.data().get("field"));
    assertEquals(c, e.data().get("value"));
    assertEquals(c, e.data().get("c-name"));
    assertEquals("a name that is not a C keyword", e.data().get("expected"));
    assertEquals("field name " + name + " becomes " + c + " in C, a keyword; expected a name"
        + " that is not a C keyword", e.getMessage());
    assertEquals("field name :" + name + " becomes " + c + " in C, a keyword; expected a name"
        + " that is not a C keyword", e.message(Notation.EDN));
  }

  @Test
  void anEventNamedByAKeyword() {
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> CNames.identifier("Union", "event"));
    assertEquals("Union", e.data().get("event"));
    assertEquals("event name Union becomes union in C, a keyword; expected a name that is not"
        + " a C keyword", e.getMessage());
    // an event's name is shown as it is in both notations
    assertEquals(e.getMessage(), e.message(Notation.EDN));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"2fast", "9", "a.b", "a b", "pid!", "ns/name", "é", "caf\u00e9",
      "a:b", "", "tab\there", "-"})
  void nonIdentifiersAreRefused(String name) {
    if (name.equals("-")) {
      // a lone hyphen becomes "_", which is an identifier
      assertEquals("_", CNames.identifier(name, "field"));
      return;
    }
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> CNames.identifier(name, "field"));
    assertEquals("bad-c-name", e.problem());
    assertEquals(name, e.data().get("field"));
    assertEquals(CNames.convert(name), e.data().get("c-name"));
    assertEquals("letters, digits, - and _, not starting with a digit", e.data().get("expected"));
    assertTrue(e.getMessage().endsWith(" in C, which is not an identifier; expected letters,"
        + " digits, - and _, not starting with a digit"), e.getMessage());
  }

  @Test
  void theMessageOfANonIdentifier() {
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> CNames.identifier("2Fast", "field"));
    assertEquals("field name 2Fast becomes 2_fast in C, which is not an identifier; expected"
        + " letters, digits, - and _, not starting with a digit", e.getMessage());
    assertEquals("field name :2Fast becomes 2_fast in C, which is not an identifier; expected"
        + " letters, digits, - and _, not starting with a digit", e.message(Notation.EDN));
    BpfEventsException ev = assertThrows(BpfEventsException.class,
        () -> CNames.identifier("My.Event", "event"));
    assertEquals("My.Event", ev.data().get("event"));
    assertEquals("event name My.Event becomes my.event in C, which is not an identifier;"
        + " expected letters, digits, - and _, not starting with a digit", ev.getMessage());
  }

  @Test
  void convertAcceptsAnyName() {
    assertEquals("a.b", CNames.convert("a.b"));
    assertEquals("2_fast", CNames.convert("2Fast"));
    assertEquals("int", CNames.convert("Int"));
    assertEquals("", CNames.convert(""));
  }

  @Test
  void aNullNameIsTheLibrarysError() {
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> CNames.identifier(null, "field"));
    assertEquals("bad-c-name", e.problem());
    assertEquals("bad-c-name", assertThrows(BpfEventsException.class,
        () -> CNames.convert(null)).problem());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "__u32, a name C reserves for the compiler",
      "__int128, a name C reserves for the compiler",
      "linux, a macro GNU C predefines",
      "unix, a macro GNU C predefines",
      "int, a keyword",
  })
  void namesAHeaderCannotUseAreRefused(String name, String why) {
    assertEquals(why, CNames.unusable(CNames.convert(name)));
    BpfEventsException e = assertThrows(BpfEventsException.class,
        () -> CNames.identifier(name, "field"));
    assertEquals("bad-c-name", e.problem());
    assertEquals(CNames.expectedInstead(why), e.data().get("expected"));
  }
}
