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
    generateWith(script, null, outDir);
  }

  /** Runs {@code scripts/<script> [input] <outDir>}, as {@link #generate}. */
  public static void generateWith(String script, String input, Path outDir) {
    Path scriptPath = locate(script);
    java.util.List<String> command = new java.util.ArrayList<>();
    command.add(PYTHON);
    command.add(scriptPath.toString());
    if (input != null) {
      command.add(input);
    }
    command.add(outDir.toString());
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(script + " did not finish within 120 s");
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
