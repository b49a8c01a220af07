package io.github.bpfevents.cheader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.check.Tools;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.layout.FieldSpec;
import io.github.bpfevents.layout.FieldType;
import io.github.bpfevents.layout.LayoutEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every name the library accepts makes a header that compiles: for hundreds of names (C
 * keywords, names the compilers reserve or predefine, near misses of them, and random
 * ones), as an event name and as a field name, CHeader either refuses the name with
 * {@code bad-c-name} or writes a header that gcc, clang-19 and clang-19 for the BPF target
 * all compile, static asserts and all.
 */
@Tag("cc")
class CNamesCompileTest {
  private static final List<String> TRICKY = List.of(
      "linux", "unix", "Linux", "LINUX", "linux_x", "xlinux", "i386", "bpf", "BPF", "x86_64",
      "__int128", "__func__", "__bitwise", "__label__", "__extension__", "__seg_fs",
      "__seg_gs", "__builtin_va_list", "__auto_type", "__restrict", "__volatile__",
      "__asm__", "__attribute__", "__typeof__", "__alignof__", "__real__", "__imag__",
      "__thread", "__FILE__", "__LINE__", "__u32", "__be16", "__kernel_size_t", "__bpf__",
      "__x86_64__", "__STDC__", "__GNUC__", "__SIZE_TYPE__", "__has_include", "__null",
      "_Bool", "_Complex", "_Float128", "_Noreturn", "_Atomic", "_foo", "_x1", "x__y",
      "int", "Int", "char", "struct", "typedef", "auto", "register", "restrict", "inline",
      "bool", "true", "false", "nullptr", "alignas", "typeof", "static_assert",
      "size_t", "int8_t", "uint64_t", "u8", "u32", "s64", "be16", "le32", "main", "errno",
      "NULL", "EOF", "assert", "offsetof", "sizeof_x", "x-y", "src-port", "HTTPRequest",
      "Event2", "a", "_", "__", "___");

  @TempDir Path dir;

  @Test
  void everyAcceptedNameCompiles() throws IOException {
    Path clang = Tools.find("clang-19", "/usr/lib/llvm-19/bin/clang");
    if (clang == null) {
      Tools.unavailable("clang-19 not found (apt-get install clang-19)");
    }
    Path gcc = Tools.find("gcc");
    Set<String> names = new LinkedHashSet<>(TRICKY);
    Random rnd = new Random(20261201);
    String first = "_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    String rest = first + "0123456789-";
    while (names.size() < 600) {
      StringBuilder b = new StringBuilder();
      b.append(first.charAt(rnd.nextInt(first.length())));
      for (int i = rnd.nextInt(8); i > 0; i--) {
        b.append(rest.charAt(rnd.nextInt(rest.length())));
      }
      names.add(b.toString());
    }
    List<EventLayout> accepted = new ArrayList<>();
    int refused = 0;
    int i = 0;
    for (String name : names) {
      // the name as a field of an event, and as an event
      for (EventLayout e : List.of(
          LayoutEngine.layout("Field" + i, List.of(FieldSpec.of(name, FieldType.U32))),
          LayoutEngine.layout(name, List.of(FieldSpec.of("x", FieldType.U16))))) {
        try {
          CHeader.emit(List.of(e), "CHECK_" + i + "_H");
          accepted.add(e);
        } catch (BpfEventsException ex) {
          assertTrue(ex.problem().equals("bad-c-name") || ex.problem().equals("c-name-clash"),
              name + ": " + ex.getMessage());
          refused++;
        }
      }
      i++;
    }
    // the accepted ones, in batches of distinct C names, each header compiled three ways
    int compiled = 0;
    List<List<EventLayout>> batches = new ArrayList<>();
    List<EventLayout> batch = new ArrayList<>();
    Set<String> structs = new LinkedHashSet<>();
    for (EventLayout e : accepted) {
      String c = io.github.bpfevents.layout.CNames.identifier(e.name(), "event");
      if (!structs.add(c) || batch.size() == 200) {
        batches.add(batch);
        batch = new ArrayList<>();
        structs.clear();
        structs.add(c);
      }
      batch.add(e);
    }
    batches.add(batch);
    int b = 0;
    for (List<EventLayout> events : batches) {
      Path header = dir.resolve("names" + b + ".h");
      Files.writeString(header, CHeader.emit(events, "NAMES_" + b + "_H"));
      Path source = dir.resolve("names" + b + ".c");
      Files.writeString(source, "#include \"" + header.getFileName() + "\"\nint main(void)"
          + " { return 0; }\n");
      List<List<String>> commands = new ArrayList<>();
      commands.add(List.of(clang.toString(), "-std=gnu11", "-fsyntax-only", source.toString()));
      commands.add(List.of(clang.toString(), "-target", "bpf", "-std=gnu11", "-fsyntax-only",
          "-I/usr/include/x86_64-linux-gnu", source.toString()));
      if (gcc != null) {
        commands.add(List.of(gcc.toString(), "-std=gnu11", "-fsyntax-only", source.toString()));
      }
      for (List<String> command : commands) {
        Tools.Result r = Tools.run(new byte[0], command);
        assertEquals(0, r.exit, command + " rejected an accepted name:\n" + r.err);
      }
      compiled += events.size();
      b++;
    }
    assertTrue(refused > 50, "the tricky names are refused: " + refused);
    System.out.println("[c] " + names.size() + " names as event and field names: " + refused
        + " refused (keywords, reserved, predefined), " + compiled + " accepted structs"
        + " compiled with clang-19, clang-19 -target bpf" + (gcc != null ? " and gcc" : ""));
  }
}
