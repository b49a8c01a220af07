package io.github.bpfevents.check;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds and runs the outside tools the checks compare against (LLVM's assembler, the C
 * compilers). A missing tool skips the check with the reason printed; under CI
 * ({@code CI} set) it fails instead, so that a green CI run always means the check ran.
 */
public final class Tools {
  private Tools() {}

  /**
   * Skips (or under CI fails) the calling test with the reason printed.
   *
   * @param reason why the check cannot run here
   */
  public static void unavailable(String reason) {
    System.out.println("[check skipped] " + reason);
    if (System.getenv("CI") != null) {
      fail(reason + " (CI is set, so this check must run)");
    }
    Assumptions.abort(reason);
  }

  /**
   * The path of the first candidate that is an executable file, on PATH or absolute.
   *
   * @param candidates names or absolute paths
   * @return the path, or null
   */
  public static Path find(String... candidates) {
    String pathEnv = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String c : candidates) {
      if (c.startsWith("/")) {
        Path p = Paths.get(c);
        if (Files.isExecutable(p)) {
          return p;
        }
        continue;
      }
      for (String dir : pathEnv.split(":")) {
        Path p = Paths.get(dir, c);
        if (Files.isExecutable(p)) {
          return p;
        }
      }
    }
    return null;
  }

  /** The output of a finished process. */
  public static final class Result {
    /** Exit status. */
    public final int exit;
    /** Standard output. */
    public final String out;
    /** Standard error. */
    public final String err;

    Result(int exit, String out, String err) {
      this.exit = exit;
      this.out = out;
      this.err = err;
    }
  }

  /**
   * Runs a command with the given standard input and waits for it (at most 5 minutes).
   *
   * @param stdin bytes for standard input
   * @param command the command and its arguments
   * @return exit status and output
   */
  public static Result run(byte[] stdin, List<String> command) {
    try {
      Process p = new ProcessBuilder(new ArrayList<>(command)).start();
      Thread feeder = new Thread(() -> {
        try (var in = p.getOutputStream()) {
          in.write(stdin);
        } catch (IOException e) {
          // the process closed its input early; its exit status tells the story
        }
      });
      feeder.start();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      Thread errReader = new Thread(() -> copy(p.getErrorStream(), err));
      errReader.start();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      copy(p.getInputStream(), out);
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        fail("timed out: " + command);
      }
      feeder.join();
      errReader.join();
      return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8),
          err.toString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void copy(InputStream in, ByteArrayOutputStream out) {
    try (in) {
      in.transferTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
