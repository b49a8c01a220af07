package io.github.bpfevents.definition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.github.bpfevents.Examples;
import io.github.bpfevents.Notation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Forms as data: each kind shows itself as it is written, long texts shortened to 40
 * characters, strings quoted with their escapes; forms are values with their line.
 */
class FormTest {
  private static Form.KeywordForm kw(String n) {
    return new Form.KeywordForm(0, n);
  }

  @Test
  void eachKindShowsAsWritten() {
    assertEquals(":pid", kw("pid").show());
    assertEquals("ConnectionEvent", new Form.SymbolForm(0, "ConnectionEvent").show());
    assertEquals("s/x", new Form.SymbolForm(0, "s/x").show());
    assertEquals("-7", new Form.IntegerForm(0, -7).show());
    assertEquals("\"u8\"", new Form.StringForm(0, "u8").show());
    assertEquals("[:pid :u32]", new Form.VectorForm(0, List.of(kw("pid"), kw("u32"))).show());
    assertEquals("(do 1)", new Form.ListForm(0, List.of(new Form.SymbolForm(0, "do"),
        new Form.IntegerForm(0, 1))).show());
    assertEquals("{:align :natural}", new Form.MapForm(0, List.of(kw("align"),
        kw("natural"))).show());
    assertEquals("[]", new Form.VectorForm(0, List.of()).show());
    assertEquals("Endpoint", new Form.EventForm(0, Examples.ENDPOINT).show());
    assertEquals("nil", new Form.OtherForm(0, "nil").show());
  }

  @Test
  void stringsAreQuotedWithEscapes() {
    assertEquals("\"a\\\"b\\\\c\\nd\\te\\r\\u0001\\u007f\"",
        new Form.StringForm(0, "a\"b\\c\nd\te\r\u0001\u007f").show());
  }

  @Test
  void longFormsAreShortenedTo40Characters() {
    String name = "x".repeat(100);
    assertEquals("x".repeat(37) + "...", new Form.SymbolForm(0, name).show());
    assertEquals(":" + "x".repeat(36) + "...", kw(name).show());
    List<Form> many = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      many.add(new Form.IntegerForm(0, i));
    }
    String shown = new Form.VectorForm(0, many).show();
    // 37 characters of the text, "..." and the closing bracket
    assertEquals("[0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 1...]", shown);
    assertEquals(Form.SHOW_MAX + 1, shown.length());
    String exactly = "y".repeat(40);
    assertEquals(exactly, new Form.SymbolForm(0, exactly).show());
  }

  @Test
  void shownIsTheSameInEveryNotation() {
    Form f = kw("pid");
    assertEquals(":pid", f.shown(Notation.JAVA));
    assertEquals(":pid", f.shown(Notation.EDN));
  }

  @Test
  void formsAreValuesWithTheirLine() {
    assertEquals(new Form.KeywordForm(3, "pid"), new Form.KeywordForm(3, "pid"));
    assertNotEquals(new Form.KeywordForm(3, "pid"), new Form.KeywordForm(4, "pid"));
    assertNotEquals(new Form.KeywordForm(3, "pid"), new Form.SymbolForm(3, "pid"));
    assertEquals(7, new Form.VectorForm(7, List.of()).line());
  }
}
