package io.arraymorph.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Runs a fixture script from {@code scripts/} with Debian's Python (which has h5py, netCDF4 and
 * zarr-python), so tests compare against files and values made by independent libraries.
 */
public final class PythonFixtures {
  /** Debian's interpreter: the one the fixture packages are installed for. */
  public static final String PYTHON = "/usr/bin/python3";

  private PythonFixtures() {}

  /** Runs {@code scripts/<script> <outDir>} and fails with the install hint when it cannot. */
  public static void generate(String script, Path outDir) {
    run(script, 120, outDir.toString());
  }

  /** Runs {@code scripts/<script> <input> <outDir>}, as {@link #generate(String, Path)}. */
  public static void generateWith(String script, String input, Path outDir) {
    run(script, 120, input, outDir.toString());
  }

  /** Runs {@code scripts/<script> <input> <outDir>}, allowing {@code timeoutSeconds}. */
  public static void generate(String script, String input, Path outDir, int timeoutSeconds) {
    run(script, timeoutSeconds, input, outDir.toString());
  }

  private static void run(String script, int timeoutSeconds, String... args) {
    Path scriptPath = locate(script);
    try {
      java.util.List<String> command = new java.util.ArrayList<>();
      command.add(PYTHON);
      command.add(scriptPath.toString());
      command.addAll(java.util.List.of(args));
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(script + " did not finish within " + timeoutSeconds + " s");
      }
      if (p.exitValue() != 0) {
        throw new AssertionError(
            script
                + " failed (exit "
                + p.exitValue()
                + "). Install the fixture tools with scripts/install-fixture-deps.sh.\n"
                + output);
      }
    } catch (IOException e) {
      throw new AssertionError(
          "Cannot run " + PYTHON + ": install it with scripts/install-fixture-deps.sh", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static Path locate(String script) {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("scripts").resolve(script);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new AssertionError(
        "scripts/" + script + " not found above " + Path.of("").toAbsolutePath());
  }
}
