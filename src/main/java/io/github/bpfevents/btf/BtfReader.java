package io.github.bpfevents.btf;

import io.github.bpfevents.BpfEventsException;
import io.github.bpfevents.Problem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;

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
 * <p>The blob is checked as it is read, with the limits of the kernel's own BTF checker
 * where they protect the reader: the header (magic {@code 0xeB9F}, version 1,
 * {@code hdr_len} of at least 24, sections inside the blob), at most
 * {@link BtfWriter#MAX_TYPES} records ({@code BTF_MAX_TYPE}) each inside the type section
 * and as {@link BtfCodec} accepts it, a string section of at most 16 MiB
 * ({@code BTF_MAX_NAME_OFFSET}), every name inside it and shorter than
 * {@link BtfStrings#KSYM_NAME_LEN}, and the BTF at most {@link #MAX_BTF_BYTES}
 * ({@code BTF_MAX_SIZE}). Chains of typedefs, qualifiers and arrays are followed at most
 * 32 steps ({@code MAX_RESOLVE_DEPTH}) when they are used. A little-endian blob only: BTF
 * for big-endian targets is refused.
 *
 * <p>Memory: a file's size is checked before it is read (a pipe, a device or a file
 * larger than {@link #MAX_BYTES} is refused unread); of an ELF object only the headers and
 * the {@code .BTF} section are read. The table then holds the BTF's bytes and four bytes
 * per type ({@link Btf}): reading vmlinux's 5.5 MB takes about 6 MB of heap.
 */
public final class BtfReader {
  /** {@code BTF_MAGIC}, as a little-endian u16. */
  public static final int MAGIC = 0xeB9F;
  /** The largest file read (an ELF object, of which only the .BTF section is loaded). */
  public static final long MAX_BYTES = 1L << 30;
  /** {@code BTF_MAX_SIZE}: the largest BTF read, raw or as an ELF object's section. */
  public static final int MAX_BTF_BYTES = 16 << 20;

  private static final int HEADER = 24;
  /** The magic of BTF written for a big-endian target, read little-endian. */
  private static final int BIG_ENDIAN_MAGIC = 0x9feb;

  private BtfReader() {}

  /**
   * Reads the BTF of a file: raw BTF or an ELF object with a {@code .BTF} section.
   *
   * @param path the file
   * @return the type table, its source the path
   * @throws BpfEventsException if the file cannot be read, is not a regular file, is
   *     larger than {@link #MAX_BYTES}, its BTF is larger than {@link #MAX_BTF_BYTES}, or
   *     its BTF is malformed
   */
  public static Btf read(Path path) {
    if (path == null) {
      throw Problem.BAD_BTF_SOURCE_NULL
          .with("value", null)
          .with("expected", "a path, or the bytes of BTF or of an ELF object")
          .build();
    }
    String source = path.toString();
    try {
      BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
      if (a.isDirectory()) {
        throw unreadable(source, "it is a directory");
      }
      if (!a.isRegularFile()) {
        throw unreadable(source, "it is not a regular file (a pipe or a device)");
      }
      if (a.size() > MAX_BYTES) {
        throw unreadable(source, "it is " + a.size() + " bytes, larger than " + MAX_BYTES
            + " bytes");
      }
      try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
        Elf.Input in = input(ch, a.size(), source);
        byte[] start = in.read(0, (int) Math.min(4, in.size()));
        if (Elf.is(start)) {
          return raw(Elf.section(in, ".BTF", MAX_BTF_BYTES, source), source);
        }
        if (in.size() > MAX_BTF_BYTES) {
          throw tooLarge(source, in.size());
        }
        return raw(in.read(0, (int) in.size()), source);
      }
    } catch (NoSuchFileException e) {
      throw unreadable(source, "no such file");
    } catch (AccessDeniedException e) {
      throw unreadable(source, "permission denied");
    } catch (IOException e) {
      throw unreadable(source, String.valueOf(e.getMessage()));
    } catch (UncheckedIOException e) {
      throw unreadable(source, String.valueOf(e.getCause().getMessage()));
    }
  }

  /** A file's channel as input, of the size it had when it was looked at. */
  private static Elf.Input input(FileChannel ch, long size, String source) {
    return new Elf.Input() {
      @Override
      public long size() {
        return size;
      }

      @Override
      public byte[] read(long at, int length) {
        ByteBuffer b = ByteBuffer.allocate(length);
        try {
          while (b.hasRemaining()) {
            if (ch.read(b, at + b.position()) < 0) {
              throw unreadable(source, "it ended at byte " + (at + b.position())
                  + " while it was read (it shrank?)");
            }
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        return b.array();
      }
    };
  }

  private static BpfEventsException tooLarge(String source, long size) {
    return Problem.BTF_TOO_LARGE_BYTES
        .with("source", source)
        .with("value", size)
        .with("expected", "at most " + MAX_BTF_BYTES + " bytes of BTF (BTF_MAX_SIZE, as the"
            + " kernel's BTF checker allows)")
        .build();
  }

  /**
   * Reads BTF from bytes: raw BTF or an ELF object with a {@code .BTF} section.
   *
   * @param bytes the bytes (copied: the table does not change when they do)
   * @param source a name for messages and for {@link Btf#source()}
   * @return the type table
   * @throws BpfEventsException if the bytes are neither, the BTF is larger than
   *     {@link #MAX_BTF_BYTES}, or it is malformed
   */
  public static Btf read(byte[] bytes, String source) {
    String name = source == null ? "BTF" : source;
    if (bytes == null) {
      throw Problem.BAD_BTF_SOURCE_BYTES
          .with("value", null)
          .with("expected", "the bytes of BTF or of an ELF object")
          .build();
    }
    if (Elf.is(bytes)) {
      return raw(Elf.section(Elf.of(bytes), ".BTF", MAX_BTF_BYTES, name), name);
    }
    if (bytes.length > MAX_BTF_BYTES) {
      throw tooLarge(name, bytes.length);
    }
    return raw(bytes.clone(), name);
  }

  private static BpfEventsException unreadable(String source, String why) {
    return Problem.UNREADABLE_FILE
        .with("source", source)
        .with("expected", "a readable file of BTF or an ELF object")
        .with("why", why)
        .build();
  }

  /** Raw BTF: header, type section, string section; the blob is the table's own. */
  private static Btf raw(byte[] blob, String source) {
    if (blob.length < 8) {
      throw Problem.BAD_BTF_BYTES_TOO_FEW
          .with("source", source)
          .with("value", blob.length)
          .with("expected", "a BTF header of " + HEADER + " bytes")
          .build();
    }
    ByteBuffer b = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
    int magic = b.getShort(0) & 0xffff;
    if (magic != MAGIC) {
      throw (magic == BIG_ENDIAN_MAGIC ? Problem.BAD_BTF_BIG_ENDIAN_MAGIC : Problem.BAD_BTF_MAGIC)
          .with("source", source)
          .with("value", String.format("0x%04x", magic))
          .with("expected", "little-endian BTF starting 9f eb (magic 0xeb9f), or an ELF object")
          .build();
    }
    int version = blob[2] & 0xff;
    if (version != 1) {
      throw Problem.BAD_BTF_VERSION
          .with("source", source)
          .with("value", version)
          .with("expected", "version 1")
          .build();
    }
    long hdrLen = b.getInt(4) & 0xffffffffL;
    if (hdrLen < HEADER || hdrLen > blob.length) {
      throw Problem.BAD_BTF_HEADER_LENGTH
          .with("source", source)
          .with("value", hdrLen)
          .with("expected", "at least " + HEADER + " and at most the blob's " + blob.length
              + " bytes")
          .build();
    }
    long typeOff = hdrLen + (b.getInt(8) & 0xffffffffL);
    long typeLen = b.getInt(12) & 0xffffffffL;
    long strOff = hdrLen + (b.getInt(16) & 0xffffffffL);
    long strLen = b.getInt(20) & 0xffffffffL;
    if (typeOff + typeLen > blob.length || strOff + strLen > blob.length) {
      throw Problem.BAD_BTF_SECTIONS_PAST_END
          .with("source", source)
          .with("value", blob.length)
          .with("expected", "sections inside the blob's " + blob.length + " bytes")
          .build();
    }
    BtfStrings strings = BtfStrings.view(blob, (int) strOff, (int) strLen, source);
    int end = (int) (typeOff + typeLen);
    // every record is at least 12 bytes: an upper bound on the count before counting
    int[] offsets = new int[(int) Math.min(typeLen / BtfCodec.RECORD + 1,
        BtfWriter.MAX_TYPES + 1L)];
    int n = 0;
    for (int at = (int) typeOff; at < end; n++) {
      if (n == BtfWriter.MAX_TYPES) {
        throw Problem.BTF_TOO_LARGE_HOLDS_MORE_TYPES
            .with("source", source)
            .with("value", n + 1)
            .with("expected", "at most " + BtfWriter.MAX_TYPES + " types (BTF_MAX_TYPE, as"
                + " the kernel's BTF checker allows)")
            .build();
      }
      offsets[n] = at;
      at = BtfCodec.check(b, at, end, n + 1, strings, source);
    }
    return new Btf(source, blob, n == offsets.length ? offsets : Arrays.copyOf(offsets, n),
        strings);
  }
}
