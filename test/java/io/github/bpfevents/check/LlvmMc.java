package io.github.bpfevents.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.bpfevents.asm.AsmDialect;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * LLVM's BPF assembler and disassembler ({@code llvm-mc-19}, Debian package {@code llvm-19}),
 * driven in batches: one process for thousands of instructions.
 */
public final class LlvmMc {
  private static final Pattern ENCODED =
      Pattern.compile("^\\s*(.*?)\\s*# encoding: \\[([0-9a-fx,]*)\\]\\s*$");
  private static final Pattern WARNING =
      Pattern.compile("<stdin>:(\\d+):(\\d+): warning: ");

  private final Path binary;

  private LlvmMc(Path binary) {
    this.binary = binary;
  }

  /**
   * The assembler, or a skipped (under CI failed) test when it is not installed.
   *
   * @return the assembler
   */
  public static LlvmMc require() {
    Path p = Tools.find("llvm-mc-19", "/usr/lib/llvm-19/bin/llvm-mc");
    if (p == null) {
      Tools.unavailable("llvm-mc-19 not found (apt-get install llvm-19)");
    }
    return new LlvmMc(p);
  }

  /** One assembled line: LLVM's own text for it and its bytes. */
  public static final class Assembled {
    /** The instruction as LLVM prints it back. */
    public final String text;
    /** The encoding. */
    public final byte[] bytes;

    Assembled(String text, byte[] bytes) {
      this.text = text;
      this.bytes = bytes;
    }
  }

  /**
   * Assembles one instruction per line with {@code -triple bpfel -mcpu=v4 -show-encoding}.
   *
   * @param lines instruction texts
   * @return one result per line, in order
   */
  public List<Assembled> assemble(List<String> lines) {
    Tools.Result r = Tools.run(String.join("\n", lines).concat("\n")
        .getBytes(StandardCharsets.UTF_8),
        List.of(binary.toString(), "-triple", "bpfel", "-mcpu=v4", "-show-encoding"));
    assertEquals(0, r.exit, "llvm-mc failed:\n" + r.err);
    List<Assembled> out = new ArrayList<>();
    for (String line : r.out.split("\n")) {
      Matcher m = ENCODED.matcher(line);
      if (m.matches()) {
        String[] hex = m.group(2).split(",");
        byte[] b = new byte[hex.length];
        for (int i = 0; i < hex.length; i++) {
          b[i] = (byte) Integer.parseInt(hex[i].substring(2), 16);
        }
        out.add(new Assembled(m.group(1), b));
      }
    }
    assertEquals(lines.size(), out.size(), "llvm-mc printed one encoding per line:\n" + r.err);
    return out;
  }

  /**
   * Disassembles 8-byte instructions with {@code --disassemble -mcpu=v4 -mattr=-alu32}
   * (without alu32 LLVM names the stored register {@code rN}, as the assembler accepts).
   *
   * @param code encoded instructions, none of them {@code lddw}
   * @return LLVM's text, one line per instruction
   */
  public List<String> disassemble(byte[] code) {
    return disassemble(code, AsmDialect.NO_ALU32);
  }

  /**
   * Disassembles 8-byte instructions with the dialect's flags
   * ({@link AsmDialect#llvmMcFlags()}), expecting LLVM to decode every one.
   *
   * @param code encoded instructions, none of them {@code lddw}
   * @param dialect which register spelling LLVM prints
   * @return LLVM's text, one line per instruction
   */
  public List<String> disassemble(byte[] code, AsmDialect dialect) {
    List<byte[]> units = new ArrayList<>();
    for (int i = 0; i + 8 <= code.length; i += 8) {
      units.add(Arrays.copyOfRange(code, i, i + 8));
    }
    List<String> out = disassembleEach(units, dialect);
    assertEquals(code.length / 8, out.size(), "one line per instruction");
    for (int k = 0; k < out.size(); k++) {
      assertNotNull(out.get(k), "LLVM decodes instruction " + k);
    }
    return out;
  }

  /**
   * Disassembles instructions one by one with the dialect's flags, telling the ones LLVM
   * decodes from the ones it refuses ({@code warning: invalid instruction encoding}).
   *
   * <p>LLVM reads its input as one stream of bytes: after a slot it cannot decode it skips
   * 8 bytes, and {@code lddw} takes 16. Each unit is written on a line of its own, so the
   * warnings' line and column, and the length of each decoded instruction's encoding
   * ({@code -show-encoding}), tell which unit every output line belongs to.
   *
   * @param units instructions as LLVM should see them: 8 bytes, or 16 for {@code lddw}
   * @param dialect which register spelling LLVM prints
   * @return per unit, LLVM's text (trimmed at both ends) when it decodes the whole unit as
   *     one instruction, else null
   */
  public List<String> disassembleEach(List<byte[]> units, AsmDialect dialect) {
    StringBuilder in = new StringBuilder();
    for (byte[] unit : units) {
      for (int i = 0; i < unit.length; i++) {
        in.append(String.format("0x%02x", unit[i] & 0xff))
            .append(i == unit.length - 1 ? '\n' : ' ');
      }
    }
    List<String> command = new ArrayList<>(List.of(binary.toString(), "--disassemble",
        "-triple=bpfel", "-show-encoding"));
    command.addAll(dialect.llvmMcFlags());
    Tools.Result r = Tools.run(in.toString().getBytes(StandardCharsets.UTF_8), command);
    assertEquals(0, r.exit, "llvm-mc --disassemble failed:\n" + r.err);
    Set<Long> warnings = new HashSet<>();
    Matcher w = WARNING.matcher(r.err);
    while (w.find()) {
      warnings.add(Long.parseLong(w.group(1)) << 32 | Long.parseLong(w.group(2)));
    }
    List<String> texts = new ArrayList<>();
    List<Integer> lengths = new ArrayList<>();
    for (String line : r.out.split("\n")) {
      Matcher m = ENCODED.matcher(line);
      if (m.matches()) {
        texts.add(m.group(1));
        lengths.add(m.group(2).split(",").length);
      }
    }
    List<String> out = new ArrayList<>();
    int next = 0;
    for (int u = 0; u < units.size(); u++) {
      int length = units.get(u).length;
      int pos = 0;
      boolean refused = false;
      List<String> decoded = new ArrayList<>();
      while (pos < length) {
        // byte k of a line stands at column 5k + 1: "0x12 0x34 ..."
        if (warnings.contains((long) (u + 1) << 32 | (5L * pos + 1))) {
          refused = true;
          pos += length - pos >= 8 ? 8 : 1;
        } else {
          if (next == texts.size()) {
            fail("LLVM printed fewer lines than it decoded:\n" + r.err);
          }
          decoded.add(texts.get(next));
          pos += lengths.get(next++);
        }
      }
      if (pos != length) {
        fail("LLVM's instruction runs past the end of unit " + u);
      }
      out.add(!refused && decoded.size() == 1 ? decoded.get(0) : null);
    }
    assertEquals(texts.size(), next, "every line LLVM printed belongs to a unit");
    return out;
  }
}
