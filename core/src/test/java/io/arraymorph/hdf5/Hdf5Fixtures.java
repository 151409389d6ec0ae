package io.arraymorph.hdf5;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.local.LocalObjectStore;
import io.arraymorph.store.memory.MemoryObjectStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * HDF5 fixtures written by real libhdf5: runs {@code scripts/make_hdf5_fixtures.py} under Debian's
 * {@code /usr/bin/python3} once per build into {@code target/hdf5-fixtures}. Missing h5py fails the
 * tests with the command that installs it; tests never silently skip.
 */
public final class Hdf5Fixtures {
  /**
   * Debian's interpreter, where python3-h5py installs; {@code -Darraymorph.fixtures.python}
   * overrides.
   */
  private static final String PYTHON =
      System.getProperty("arraymorph.fixtures.python", "/usr/bin/python3");

  private static Path dir;
  private static JsonNode manifest;

  private Hdf5Fixtures() {}

  /** The directory holding the fixture files, generated on first use. */
  public static synchronized Path dir() {
    if (dir == null) {
      dir = generate();
    }
    return dir;
  }

  /** h5py's {@code manifest.json}: per file, its datasets, typed datasets and unsupported ones. */
  public static synchronized JsonNode manifest() {
    if (manifest == null) {
      try {
        manifest = new ObjectMapper().readTree(dir().resolve("manifest.json").toFile());
      } catch (IOException e) {
        throw new IllegalStateException("Cannot read fixture manifest", e);
      }
    }
    return manifest;
  }

  /** One readable dataset of a fixture file, with h5py's view of it. */
  public record Entry(String file, JsonNode meta) {
    public String path() {
      return meta.get("path").asText();
    }

    public byte[] reference() {
      try {
        return Files.readAllBytes(dir().resolve(meta.get("ref").asText()));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public String toString() {
      return file + ":" + path();
    }
  }

  /** The numeric datasets, each with h5py's bytes in {@link Entry#reference()}. */
  public static List<Entry> datasets() {
    List<Entry> out = new ArrayList<>();
    manifest()
        .get("files")
        .fields()
        .forEachRemaining(
            f -> f.getValue().get("datasets").forEach(d -> out.add(new Entry(f.getKey(), d))));
    return out;
  }

  /** The numeric dataset {@code path} of {@code file}. */
  public static Entry dataset(String file, String path) {
    return datasets().stream()
        .filter(e -> e.file().equals(file) && e.path().equals(path))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException(file + ":" + path));
  }

  /** The string, compound and enum datasets, with h5py's decoded values under {@code values}. */
  public static List<Entry> typed() {
    List<Entry> out = new ArrayList<>();
    manifest()
        .get("files")
        .fields()
        .forEachRemaining(
            f -> f.getValue().path("typed").forEach(d -> out.add(new Entry(f.getKey(), d))));
    return out;
  }

  /** The typed dataset {@code path} of {@code file}. */
  public static Entry typed(String file, String path) {
    return typed().stream()
        .filter(e -> e.file().equals(file) && e.path().equals(path))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException(file + ":" + path));
  }

  /** The datasets the reader refuses, with the {@code feature} its error must name. */
  public static List<Entry> unsupported() {
    List<Entry> out = new ArrayList<>();
    manifest()
        .get("files")
        .fields()
        .forEachRemaining(
            f -> f.getValue().get("unsupported").forEach(d -> out.add(new Entry(f.getKey(), d))));
    return out;
  }

  /** The file names of the manifest: every HDF5 and NetCDF4 fixture file. */
  public static List<String> files() {
    List<String> out = new ArrayList<>();
    manifest().get("files").fieldNames().forEachRemaining(out::add);
    return out;
  }

  /**
   * The fixture files in a store of {@code kind}: "local" reads them where the generator wrote
   * them, "memory" holds a copy of {@code file}.
   */
  public static ObjectStore store(String kind, String file) {
    if (kind.equals("local")) {
      return new LocalObjectStore(dir(), 4);
    }
    MemoryObjectStore mem = new MemoryObjectStore();
    mem.put(file, bytes(file)).join();
    return mem;
  }

  /** Test cases: each entry read from the local and from the memory store. */
  public static Stream<Arguments> fromLocalAndMemory(List<Entry> entries) {
    return entries.stream()
        .flatMap(e -> Stream.of(Arguments.of("local", e), Arguments.of("memory", e)));
  }

  /** The bytes of one fixture file. */
  public static byte[] bytes(String file) {
    try {
      return Files.readAllBytes(dir().resolve(file));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path generate() {
    Path module = Paths.get("").toAbsolutePath();
    Path script = script(module);
    Path out = module.resolve("target").resolve("hdf5-fixtures");
    try {
      Path manifestFile = out.resolve("manifest.json");
      if (Files.exists(manifestFile)
          && Files.getLastModifiedTime(manifestFile).compareTo(Files.getLastModifiedTime(script))
              > 0) {
        return out; // generated by an earlier test class of this build, script unchanged
      }
      Files.createDirectories(out);
      Files.deleteIfExists(manifestFile); // written last by the script: present means complete
      Process p =
          new ProcessBuilder(PYTHON, script.toString(), out.toString())
              .redirectErrorStream(true)
              .start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException("Fixture generation timed out: " + script);
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(missingDependencyHint() + output);
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException(
          "Cannot run " + PYTHON + " to generate HDF5 fixtures. " + missingDependencyHint(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** {@code scripts/make_hdf5_fixtures.py} in the nearest directory above the module's. */
  private static Path script(Path module) {
    for (Path d = module; d != null; d = d.getParent()) {
      Path candidate = d.resolve("scripts").resolve("make_hdf5_fixtures.py");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("scripts/make_hdf5_fixtures.py not found above " + module);
  }

  private static String missingDependencyHint() {
    return "HDF5 fixtures need Debian's python3-h5py, python3-netcdf4, python3-numpy and the HDF5 filter"
        + " plugins (python3-hdf5plugin, bitshuffle, ...) under "
        + PYTHON
        + "; install them with scripts/install-fixture-deps.sh. Generator output:\n";
  }
}
