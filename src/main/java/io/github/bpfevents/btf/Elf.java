package io.github.bpfevents.btf;

import io.github.bpfevents.BpfEventsException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

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

  private static final int SHT_NOBITS = 8;
  private static final int SHN_XINDEX = 0xffff;

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
    if (file.length < 64) {
      throw bad(source, "is " + file.length + " bytes, shorter than an ELF header",
          "a 64-byte ELF header at least");
    }
    if (file[4] != 2) {
      throw bad(source, "is a " + (file[4] == 1 ? "32-bit" : "class " + file[4])
          + " ELF file", "a 64-bit ELF file (clang -target bpf)");
    }
    if (file[5] != 1) {
      throw bad(source, "is a " + (file[5] == 2 ? "big-endian" : "data " + file[5])
          + " ELF file", "a little-endian ELF file (clang -target bpf, or bpfel)");
    }
    ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    long shoff = b.getLong(0x28);
    int shentsize = b.getShort(0x3a) & 0xffff;
    long shnum = b.getShort(0x3c) & 0xffff;
    long shstrndx = b.getShort(0x3e) & 0xffff;
    if (shoff == 0) {
      throw bad(source, "has no section headers", "an object with sections (clang -c)");
    }
    if (shentsize < 64) {
      throw bad(source, "has section headers of " + shentsize + " bytes",
          "64-byte section headers");
    }
    long first = header(file, shoff, shentsize, 0, source);
    if (shnum == 0) {
      shnum = b.getLong((int) first + 32);
    }
    if (shstrndx == SHN_XINDEX) {
      shstrndx = b.getInt((int) first + 40) & 0xffffffffL;
    }
    if (shstrndx >= shnum) {
      throw bad(source, "names its section names in section " + shstrndx + " of " + shnum,
          "a section-name section inside the file");
    }
    long namesAt = header(file, shoff, shentsize, shstrndx, source);
    long namesOff = b.getLong((int) namesAt + 24);
    long namesSize = b.getLong((int) namesAt + 32);
    check(file, namesOff, namesSize, "the section names", source);
    byte[] want = name.getBytes(StandardCharsets.UTF_8);
    for (long i = 0; i < shnum; i++) {
      long at = header(file, shoff, shentsize, i, source);
      long nameOff = b.getInt((int) at) & 0xffffffffL;
      if (nameOff + want.length >= namesSize
          || !named(file, (int) (namesOff + nameOff), want)) {
        continue;
      }
      if ((b.getInt((int) at + 4)) == SHT_NOBITS) {
        throw bad(source, "has a section " + name + " without contents", "its contents");
      }
      long off = b.getLong((int) at + 24);
      long size = b.getLong((int) at + 32);
      check(file, off, size, "section " + name, source);
      byte[] out = new byte[(int) size];
      System.arraycopy(file, (int) off, out, 0, (int) size);
      return out;
    }
    throw BpfEventsException.of("no-btf")
        .with("source", source)
        .with("value", name)
        .with("expected", "an object compiled with -g (clang-19 -g -O2 -target bpf -c)")
        .message("{source} has no " + name + " section; expected {expected}");
  }

  private static boolean named(byte[] file, int at, byte[] want) {
    for (int k = 0; k < want.length; k++) {
      if (file[at + k] != want[k]) {
        return false;
      }
    }
    return file[at + want.length] == 0;
  }

  private static long header(byte[] file, long shoff, int shentsize, long index,
      String source) {
    long at = shoff + index * shentsize;
    check(file, at, 64, "section header " + index, source);
    return at;
  }

  private static void check(byte[] file, long off, long size, String what, String source) {
    if (off < 0 || size < 0 || off > file.length || size > file.length - off) {
      throw bad(source, "places " + what + " at " + off + ".." + (off + size)
          + ", outside its " + file.length + " bytes", "a complete ELF file");
    }
  }

  private static BpfEventsException bad(String source, String what, String expected) {
    return BpfEventsException.of("bad-elf")
        .with("source", source)
        .with("expected", expected)
        .message("{source} " + what.replace("{", "{{") + "; expected {expected}");
  }
}
