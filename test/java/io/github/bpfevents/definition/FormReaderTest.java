package io.github.bpfevents.definition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The restricted reader: what it reads, and the line and words of what it refuses. */
class FormReaderTest {
  private static List<Form> read(String text) {
    return FormReader.read("t.clj", text.getBytes(StandardCharsets.UTF_8));
  }

  private static FileError refused(String text) {
    return FileError.thrownBy(() -> read(text));
  }

  @Test
  void readsEveryKindWithItsLine() {
    List<Form> forms = read("""
        ; a comment
        (defevent Ev,, {:align :natural}
          [:pid :u32] [:comm :char 0x10]
          "s\\"\\n\\u0041" -7 s/x)
        """);
    assertEquals(1, forms.size());
    Form.ListForm list = (Form.ListForm) forms.get(0);
    assertEquals(2, list.line());
    List<Form> items = list.items();
    assertEquals(new Form.SymbolForm(2, "defevent"), items.get(0));
    assertEquals(new Form.SymbolForm(2, "Ev"), items.get(1));
    assertEquals(new Form.MapForm(2, List.of(new Form.KeywordForm(2, "align"),
        new Form.KeywordForm(2, "natural"))), items.get(2));
    assertEquals(new Form.VectorForm(3, List.of(new Form.KeywordForm(3, "comm"),
        new Form.KeywordForm(3, "char"), new Form.IntegerForm(3, 16))), items.get(4));
    assertEquals(new Form.StringForm(4, "s\"\nA"), items.get(5));
    assertEquals(new Form.IntegerForm(4, -7), items.get(6));
    assertEquals(new Form.SymbolForm(4, "s/x"), items.get(7));
  }

  @Test
  void linesCountInsideStringsAndAfterComments() {
    List<Form> forms = read("\"a\nb\"\n;; x\n\n:k");
    assertEquals(1, forms.get(0).line());
    assertEquals(5, forms.get(1).line());
  }

  @Test
  void integersUpToTheEdgesOf64Bits() {
    List<Form> forms = read("9223372036854775807 -9223372036854775808 0x7fffffffffffffff"
        + " -0x8000000000000000 0 +5 0X1F 0x000000000000000000001");
    long[] expected = {Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, 0, 5,
        31, 1};
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], ((Form.IntegerForm) forms.get(i)).value(), "form " + i);
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "9223372036854775808|integer 9223372036854775808 does not fit 64 signed bits",
      "-9223372036854775809|integer -9223372036854775809 does not fit 64 signed bits",
      "0x8000000000000000|integer 0x8000000000000000 does not fit 64 signed bits",
      "1000000000000000000000000000000|integer 1000000000000000000000000000000 does not fit",
      "010|integer 010 has a leading zero",
      "1.5|1.5 is not an integer",
      "1/2|1/2 is not an integer",
      "42N|42N is not an integer",
      "1e3|1e3 is not an integer",
      "0x|integer 0x has no digits",
      "0xfg|0xfg is not an integer",
  })
  void refusesNumbersItCannotHoldFaithfully(String token, String message) {
    FileError e = refused("(defevent A\n  [:x :u8 " + token + "])");
    assertEquals(2, e.line());
    assertTrue(e.getMessage().startsWith(message), e.getMessage());
  }

  @Test
  void hugeIntegersAreRefusedQuicklyAndShownShortened() {
    String digits = "9".repeat(1_000_000);
    FileError e = refused("[" + digits + "]");
    assertTrue(e.getMessage().contains("(1000000 characters) does not fit 64 signed bits"),
        e.getMessage());
    assertTrue(e.getMessage().length() < 300, e.getMessage());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '%', value = {
      "#=(java.lang.System/exit 3)|reader dispatch #=(java.lang.System/... is not accepted",
      "#_(foo)|reader dispatch #_(foo) is not accepted",
      "#inst \"2020\"|reader dispatch #inst \"2020\" is not accepted",
      "#{1 2}|reader dispatch #{1 2} is not accepted",
      "#\"re\"|reader dispatch #\"re\" is not accepted",
      "#?(:clj 1)|reader dispatch #?(:clj 1) is not accepted",
      "'sym|reader macro 'sym is not accepted",
      "`(a)|reader macro `(a) is not accepted",
      "~x|reader macro ~x is not accepted",
      "@x|reader macro @x is not accepted",
      "^:m x|reader macro ^:m x is not accepted",
      "\\a|reader macro \\a is not accepted",
      "::kw|character ':' (auto-resolved keywords are not read) in ::kw is not accepted",
      "a#b|character '#' in a#b is not accepted",
      ":|keyword : is not a keyword",
      "a/b/c|symbol a/b/c is not a symbol",
  })
  void refusesEverythingButPlainData(String text, String message) {
    FileError e = refused("(defevent A [:x :u8])\n\n" + text + "\n[]");
    assertEquals(3, e.line(), e.getMessage());
    assertTrue(e.getMessage().startsWith(message), e.getMessage());
  }

  @Test
  void unbalancedBracketsNameWhereTheyOpened() {
    FileError open = refused("(defevent A\n  [:x :u8]");
    assertEquals(1, open.line());
    assertTrue(open.getMessage().startsWith("( opened here is never closed; expected )"),
        open.getMessage());
    FileError wrong = refused("(a\n [b\n )");
    assertEquals(3, wrong.line());
    assertTrue(wrong.getMessage().startsWith("unmatched ); expected ] to close the [ opened"
        + " at line 2"), wrong.getMessage());
    FileError extra = refused("(a)\n)");
    assertEquals(2, extra.line());
    FileError string = refused("(a \"b\n\n");
    assertEquals(1, string.line());
    assertTrue(string.getMessage().startsWith("string opened here is never closed"));
  }

  @Test
  void nestingIsLimited() {
    assertEquals(1, read("[".repeat(FormReader.MAX_DEPTH) + "]".repeat(FormReader.MAX_DEPTH))
        .size());
    FileError e = refused("\n" + "[".repeat(FormReader.MAX_DEPTH + 1)
        + "]".repeat(FormReader.MAX_DEPTH + 1));
    assertEquals(2, e.line());
    assertTrue(e.getMessage().startsWith("nesting deeper than 64 levels"), e.getMessage());
    // far deeper input is refused the same way, not by a StackOverflowError
    FileError deep = refused("[".repeat(100_000));
    assertTrue(deep.getMessage().startsWith("nesting deeper than 64 levels"));
  }

  @Test
  void mapsNeedPairsAndDistinctKeys() {
    FileError odd = refused("{:a 1 :b}");
    assertTrue(odd.getMessage().startsWith("map {:a 1 :b} has 3 forms; expected key-value"
        + " pairs"), odd.getMessage());
    FileError twice = refused("{:a 1\n :a 2}");
    assertEquals(2, twice.line());
    assertTrue(twice.getMessage().startsWith("map key :a appears twice (first at line 1)"),
        twice.getMessage());
  }

  @Test
  void stringEscapesAreChecked() {
    FileError e = refused("\"a\\qb\"");
    assertTrue(e.getMessage().startsWith("unknown escape \\q in a string"), e.getMessage());
    FileError u = refused("\"\\u12\"");
    assertTrue(u.getMessage().startsWith("escape \\u in a string is not followed by 4 hex"),
        u.getMessage());
  }

  @Test
  void invalidUtf8IsAnErrorAtItsLine() {
    byte[] bytes = "(defevent A\n  [:x :u8])\n; caf\u00e9 ok\n[:y \"".getBytes(
        StandardCharsets.UTF_8);
    byte[] bad = new byte[bytes.length + 3];
    System.arraycopy(bytes, 0, bad, 0, bytes.length);
    bad[bytes.length] = (byte) 0xc3; // a lead byte followed by a non-continuation byte
    bad[bytes.length + 1] = '"';
    bad[bytes.length + 2] = ']';
    FileError e = FileError.thrownBy(() -> FormReader.read("t.clj", bad));
    assertEquals(4, e.line());
    assertEquals("invalid UTF-8 at byte offset " + bytes.length + " (0xc3); expected a UTF-8"
        + " text file of defevent forms", e.getMessage());
    FileError lone = FileError.thrownBy(
        () -> FormReader.read("t.clj", new byte[] {'[', (byte) 0xff, ']'}));
    assertEquals(1, lone.line());
    assertTrue(lone.getMessage().contains("(0xff)"), lone.getMessage());
  }

  @Test
  void aByteOrderMarkAndUnicodeTextAreFine() {
    List<Form> forms = FormReader.read("t.clj",
        "\uFEFF(a \"\u00e9\u4e2d\")".getBytes(StandardCharsets.UTF_8));
    Form.ListForm l = (Form.ListForm) forms.get(0);
    assertEquals(new Form.StringForm(1, "\u00e9\u4e2d"), l.items().get(1));
  }

  @Test
  void renderedErrorsNameFileAndLine() {
    FileError e = refused("\n\n(do (System/exit 3)) #=(x)");
    assertEquals("t.clj:3: " + e.getMessage(), e.render());
  }
}
