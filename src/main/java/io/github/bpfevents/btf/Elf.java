package io.github.bpfevents.btf;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Problem;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The ELF container of a compiled object, as far as finding a section by name needs: a
 * 64-bit little-endian ELF file (what {@code clang -target bpf} writes, and x86-64
 * objects), its section headers and their names.
 *
 * <pre>
 *   ELF header:      e_ident[16] ("\x7fELF", class 2 = 64-bit, data 1 = little-endian),
 *                    e_shoff u64 @0x28, e_shentsize u16 @0x3a, e_shnum u16 @0x3c,
 *                    e_shstrndx u16 @0x3e
 *   section header:  sh_name u32 @0, sh_type u32 @4, sh_offset u64 @24, sh_size u64 @32,
 *                    sh_link u32 @40 (64 bytes each)
 * </pre>
 *
 * <p>When there are 0xff00 sections or more, e_shnum is 0 and section 0's sh_size holds
 * the count; when the name section's index is that large, e_shstrndx is 0xffff and
 * section 0's sh_link holds it.
 */
final class Elf {
  /** The four bytes an ELF file starts with. */
  static final byte[] MAGIC = {0x7f, 'E', 'L', 'F'};
  /** The most section headers read (a kernel module has a few thousand). */
  static final long MAX_SECTIONS = 65536;

  private static final int SHT_NOBITS = 8;
  private static final int SHN_XINDEX = 0xffff;

  /** Bytes to read from: a file's channel, or an array. */
  interface Input {
    /** @return the size in bytes */
    long size();

    /**
     * Bytes at an offset, which lies inside with all of them.
     *
     * @param at the offset
     * @param length how many
     * @return a new array of them
     */
    byte[] read(long at, int length);
  }

  /** An array as input. */
  static Input of(byte[] b) {
    return new Input() {
      @Override
      public long size() {
        return b.length;
      }

      @Override
      public byte[] read(long at, int length) {
        return java.util.Arrays.copyOfRange(b, (int) at, (int) at + length);
      }
    };
  }

  private Elf() {}

  /**
   * Whether the bytes start like an ELF file.
   *
   * @param b the bytes
   * @return true when they start with {@link #MAGIC}
   */
  static boolean is(byte[] b) {
    return b.length >= 4 && b[0] == MAGIC[0] && b[1] == MAGIC[1] && b[2] == MAGIC[2]
        && b[3] == MAGIC[3];
  }

  /**
   * The contents of the section of a name.
   *
   * @param file the ELF file's bytes
   * @param name the section's name, such as {@code .BTF}
   * @param source the file's name, for messages
   * @return the section's bytes
   * @throws BpfEventsException if the file is not a 64-bit little-endian ELF file, its
   *     headers lie outside it, or it has no such section
   */
  static byte[] section(byte[] file, String name, String source) {
    return section(of(file), name, Long.MAX_VALUE, source);
  }

  /**
   * The contents of the section of a name, read from the input as far as they are needed:
   * the ELF header, the section headers, the names compared, the section.
   *
   * @param file the ELF file
   * @param name the section's name, such as {@code .BTF}
   * @param maxSize the largest section read; a larger one is the library's error
   * @param source the file's name, for messages
   * @return the section's bytes
   * @throws BpfEventsException if the file is not a 64-bit little-endian ELF file, its
   *     headers lie outside it, it has more than {@link #MAX_SECTIONS} sections, the
   *     section is larger than {@code maxSize}, or it has no such section
   */
  static byte[] section(Input file, String name, long maxSize, String source) {
    if (file.size() < 64) {
      throw bad(source, "is " + file.size() + " bytes, shorter than an ELF header",
          "a 64-byte ELF header at least");
    }
    byte[] head = file.read(0, 64);
    if (head[4] != 2) {
      throw bad(source, "is a " + (head[4] == 1 ? "32-bit" : "class " + head[4])
          + " ELF file", "a 64-bit ELF file (clang -target bpf)");
    }
    if (head[5] != 1) {
      throw bad(source, "is a " + (head[5] == 2 ? "big-endian" : "data " + head[5])
          + " ELF file", "a little-endian ELF file (clang -target bpf, or bpfel)");
    }
    ByteBuffer h = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
    long shoff = h.getLong(0x28);
    int shentsize = h.getShort(0x3a) & 0xffff;
    long shnum = h.getShort(0x3c) & 0xffff;
    long shstrndx = h.getShort(0x3e) & 0xffff;
    if (shoff == 0) {
      throw bad(source, "has no section headers", "an object with sections (clang -c)");
    }
    if (shentsize < 64) {
      throw bad(source, "has section headers of " + shentsize + " bytes",
          "64-byte section headers");
    }
    ByteBuffer first = header(file, shoff, shentsize, 0, source);
    if (shnum == 0) {
      shnum = first.getLong(32);
    }
    if (shstrndx == SHN_XINDEX) {
      shstrndx = first.getInt(40) & 0xffffffffL;
    }
    if (shnum < 0 || shnum > MAX_SECTIONS) {
      throw bad(source, "has " + Long.toUnsignedString(shnum) + " sections",
          "at most " + MAX_SECTIONS + " sections");
    }
    if (shstrndx >= shnum) {
      throw bad(source, "names its section names in section " + shstrndx + " of " + shnum,
          "a section-name section inside the file");
    }
    check(file, shoff, shnum * shentsize, "the section headers", source);
    ByteBuffer names = header(file, shoff, shentsize, shstrndx, source);
    long namesOff = names.getLong(24);
    long namesSize = names.getLong(32);
    check(file, namesOff, namesSize, "the section names", source);
    byte[] want = name.getBytes(StandardCharsets.UTF_8);
    for (long i = 0; i < shnum; i++) {
      ByteBuffer at = header(file, shoff, shentsize, i, source);
      long nameOff = at.getInt(0) & 0xffffffffL;
      if (nameOff + want.length >= namesSize
          || !Arrays.equals(file.read(namesOff + nameOff, want.length + 1), 0, want.length + 1,
              Arrays.copyOf(want, want.length + 1), 0, want.length + 1)) {
        continue;
      }
      if (at.getInt(4) == SHT_NOBITS) {
        throw bad(source, "has a section " + name + " without contents", "its contents");
      }
      long off = at.getLong(24);
      long size = at.getLong(32);
      check(file, off, size, "section " + name, source);
      if (size > maxSize) {
        throw Problem.BTF_TOO_LARGE_SECTION_BYTES
            .with("source", source)
            .with("value", size)
            .with("expected", "at most " + maxSize + " bytes")
            .with("section", name)
            .build();
      }
      return file.read(off, (int) size);
    }
    throw Problem.NO_BTF
        .with("source", source)
        .with("value", name)
        .with("expected", "an object compiled with -g (clang-19 -g -O2 -target bpf -c)")
        .with("section", name)
        .build();
  }

  private static ByteBuffer header(Input file, long shoff, int shentsize, long index,
      String source) {
    long at = shoff + index * shentsize;
    check(file, at, 64, "section header " + index, source);
    return ByteBuffer.wrap(file.read(at, 64)).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static void check(Input file, long off, long size, String what, String source) {
    long n = file.size();
    if (off < 0 || size < 0 || off > n || size > n - off || size > Integer.MAX_VALUE - 8) {
      throw bad(source, "places " + what + " at " + Long.toUnsignedString(off) + ".."
          + Long.toUnsignedString(off + size) + ", outside its " + n + " bytes",
          "a complete ELF file");
    }
  }

  private static BpfEventsException bad(String source, String what, String expected) {
    return Problem.BAD_ELF
        .with("source", source)
        .with("expected", expected)
        .with("what", what)
        .build();
  }
}
