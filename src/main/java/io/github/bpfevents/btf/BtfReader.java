package io.github.bpfevents.btf;

import io.github.bpfevents.BpfEventsException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads BTF: raw BTF (what {@code /sys/kernel/btf/vmlinux} holds and {@link BtfWriter}
 * writes), or the {@code .BTF} section of an ELF object ({@code clang-19 -g -target bpf
 * -c}). Which of the two the bytes are is told by their first bytes.
 *
 * <pre>{@code
 * Btf kernel = BtfReader.read(Path.of("/sys/kernel/btf/vmlinux"));
 * Btf object = BtfReader.read(Path.of("probe.bpf.o"));
 * Btf mine = BtfReader.read(BtfWriter.write(List.of(layout)), "events");
 * }</pre>
 *
 * <p>The blob is checked as it is read: the header (magic {@code 0xeB9F}, version 1,
 * {@code hdr_len} of at least 24, sections inside the blob), every record inside the type
 * section with a known kind, every name inside the string section. A little-endian blob
 * only: BTF for big-endian targets is refused.
 */
public final class BtfReader {
  /** {@code BTF_MAGIC}, as a little-endian u16. */
  public static final int MAGIC = 0xeB9F;
  /** The largest file read, in bytes. */
  public static final long MAX_BYTES = 1L << 30;

  private static final int HEADER = 24;
  /** The magic of BTF written for a big-endian target, read little-endian. */
  private static final int BIG_ENDIAN_MAGIC = 0x9feb;

  private BtfReader() {}

  /**
   * Reads the BTF of a file: raw BTF or an ELF object with a {@code .BTF} section.
   *
   * @param path the file
   * @return the type table, its source the path
   * @throws BpfEventsException if the file cannot be read, is not a regular file, or its
   *     BTF is malformed
   */
  public static Btf read(Path path) {
    if (path == null) {
      throw BpfEventsException.of("bad-btf-source")
          .with("value", null)
          .with("expected", "a path, or the bytes of BTF or of an ELF object")
          .message("BTF source is null; expected {expected}");
    }
    String source = path.toString();
    if (Files.isDirectory(path) || (Files.exists(path) && !Files.isRegularFile(path))) {
      throw unreadable(source, "it is not a regular file");
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(path)) {
      bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, MAX_BYTES + 1));
    } catch (NoSuchFileException e) {
      throw unreadable(source, "no such file");
    } catch (AccessDeniedException e) {
      throw unreadable(source, "permission denied");
    } catch (IOException e) {
      throw unreadable(source, String.valueOf(e.getMessage()));
    }
    if (bytes.length > MAX_BYTES) {
      throw unreadable(source, "it is larger than " + MAX_BYTES + " bytes");
    }
    return read(bytes, source);
  }

  /**
   * Reads BTF from bytes: raw BTF or an ELF object with a {@code .BTF} section.
   *
   * @param bytes the bytes
   * @param source a name for messages and for {@link Btf#source()}
   * @return the type table
   * @throws BpfEventsException if the bytes are neither, or the BTF is malformed
   */
  public static Btf read(byte[] bytes, String source) {
    String name = source == null ? "BTF" : source;
    if (bytes == null) {
      throw BpfEventsException.of("bad-btf-source")
          .with("value", null)
          .with("expected", "the bytes of BTF or of an ELF object")
          .message("BTF bytes are null; expected {expected}");
    }
    if (Elf.is(bytes)) {
      return raw(Elf.section(bytes, ".BTF", name), name);
    }
    return raw(bytes, name);
  }

  private static BpfEventsException unreadable(String source, String why) {
    return BpfEventsException.of("unreadable-file")
        .with("source", source)
        .with("expected", "a readable file of BTF or an ELF object")
        .message("cannot read {source}: " + why.replace("{", "{{") + "; expected {expected}");
  }

  private static BpfEventsException bad(String source, String what, Object value,
      String expected) {
    return BpfEventsException.of("bad-btf")
        .with("source", source)
        .with("value", value)
        .with("expected", expected)
        .message("{source}: " + what + "; expected {expected}");
  }

  /** Raw BTF: header, type section, string section. */
  private static Btf raw(byte[] blob, String source) {
    if (blob.length < 8) {
      throw bad(source, "{value} bytes are too few for a BTF header", blob.length,
          "a BTF header of " + HEADER + " bytes");
    }
    ByteBuffer b = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
    int magic = b.getShort(0) & 0xffff;
    if (magic != MAGIC) {
      String what = magic == BIG_ENDIAN_MAGIC ? "big-endian BTF (magic {value}) is not read"
          : "magic {value} is not BTF's";
      throw bad(source, what, String.format("0x%04x", magic),
          "little-endian BTF starting 9f eb (magic 0xeb9f), or an ELF object");
    }
    int version = blob[2] & 0xff;
    if (version != 1) {
      throw bad(source, "BTF version {value} is not read", version, "version 1");
    }
    long hdrLen = b.getInt(4) & 0xffffffffL;
    if (hdrLen < HEADER || hdrLen > blob.length) {
      throw bad(source, "BTF header length {value} does not fit", hdrLen,
          "at least " + HEADER + " and at most the blob's " + blob.length + " bytes");
    }
    long typeOff = hdrLen + (b.getInt(8) & 0xffffffffL);
    long typeLen = b.getInt(12) & 0xffffffffL;
    long strOff = hdrLen + (b.getInt(16) & 0xffffffffL);
    long strLen = b.getInt(20) & 0xffffffffL;
    if (typeOff + typeLen > blob.length || strOff + strLen > blob.length) {
      throw bad(source, "BTF sections reach past the blob's end", blob.length,
          "sections inside the blob's " + blob.length + " bytes");
    }
    BtfStrings strings = BtfStrings.read(blob, (int) strOff, (int) strLen, source);
    List<BtfType> types = new ArrayList<>();
    long at = typeOff;
    long end = typeOff + typeLen;
    while (at < end) {
      int id = types.size() + 1;
      if (end - at < 12) {
        throw bad(source, "type " + id + " is cut short at the end of the type section",
            at - typeOff, "whole type records");
      }
      long nameOff = b.getInt((int) at) & 0xffffffffL;
      int info = b.getInt((int) at + 4);
      long third = b.getInt((int) at + 8) & 0xffffffffL;
      int code = (info >>> 24) & 0x1f;
      BtfKind kind;
      try {
        kind = BtfKind.of(code);
      } catch (BpfEventsException e) {
        throw bad(source, "type " + id + " has unknown kind {value}", code,
            "a kind from 1 (INT) to 19 (ENUM64)");
      }
      int vlen = info & 0xffff;
      boolean kindFlag = info < 0;
      long data = at + 12;
      long next = data + kind.trailingBytes(vlen);
      if (next > end) {
        throw bad(source, "type " + id + " (" + kind + ", vlen " + vlen + ") runs past the"
            + " end of the type section", at - typeOff, "whole type records");
      }
      String name = strings.at(nameOff);
      types.add(switch (kind) {
        case INT -> {
          int word = b.getInt((int) data);
          yield BtfType.integer(name, (int) third, (word >>> 24) & 0xf, (word >>> 16) & 0xff,
              word & 0xff);
        }
        case ARRAY -> BtfType.array(b.getInt((int) data), b.getInt((int) data + 4),
            b.getInt((int) data + 8) & 0xffffffffL);
        case STRUCT, UNION -> {
          List<BtfType.Member> members = new ArrayList<>(vlen);
          for (int i = 0; i < vlen; i++) {
            int m = (int) data + 12 * i;
            long offset = b.getInt(m + 8) & 0xffffffffL;
            members.add(new BtfType.Member(strings.at(b.getInt(m) & 0xffffffffL),
                b.getInt(m + 4), kindFlag ? offset & 0xffffff : offset,
                kindFlag ? (int) (offset >>> 24) : 0));
          }
          yield BtfType.aggregate(kind, name, kindFlag, third, members);
        }
        case PTR, TYPEDEF, VOLATILE, CONST, RESTRICT, TYPE_TAG -> BtfType.refer(kind, name,
            (int) third);
        default -> BtfType.other(kind, name, kindFlag, vlen, third);
      });
      at = next;
    }
    return new Btf(source, types);
  }
}
