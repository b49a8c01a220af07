package io.github.bpfevents.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * LLVM's BPF assembler and disassembler ({@code llvm-mc-19}, Debian package {@code llvm-19}),
 * driven in batches: one process for thousands of instructions.
 */
public final class LlvmMc {
  private static final Pattern ENCODED =
      Pattern.compile("^\\s*(.*?)\\s*# encoding: \\[([0-9a-fx,]*)\\]\\s*$");

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
   * @param code encoded instructions
   * @return LLVM's text, one line per instruction
   */
  public List<String> disassemble(byte[] code) {
    StringBuilder in = new StringBuilder();
    for (int i = 0; i < code.length; i++) {
      in.append(String.format("0x%02x", code[i] & 0xff)).append(i % 8 == 7 ? '\n' : ' ');
    }
    Tools.Result r = Tools.run(in.toString().getBytes(StandardCharsets.UTF_8),
        List.of(binary.toString(), "--disassemble", "-triple", "bpfel", "-mcpu=v4",
            "-mattr=-alu32"));
    assertEquals(0, r.exit, "llvm-mc --disassemble failed:\n" + r.err);
    List<String> out = new ArrayList<>();
    for (String line : r.out.split("\n")) {
      String t = line.trim();
      if (!t.isEmpty() && !t.startsWith(".")) {
        out.add(t);
      }
    }
    assertEquals(code.length / 8, out.size(), "one line per instruction:\n" + r.err);
    return out;
  }
}
