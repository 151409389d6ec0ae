package io.arraymorph.hdf5.corpus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arraymorph.testing.PythonFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The shared folder of real HDF5/NetCDF4 files made by other projects ({@code
 * ../shared/corpus/real-hdf5}, never copied into the project) and h5py's view of every dataset in
 * it, dumped once per build by {@code scripts/dump_real_hdf5_corpus.py} into {@code
 * target/real-hdf5-corpus}.
 */
public final class RealHdf5Corpus {
  /** Where the corpus is looked for, above the working directory. */
  public static final String RELATIVE = "shared/corpus/real-hdf5";

  private static JsonNode manifest;
  private static Path dumpDir;

  private RealHdf5Corpus() {}

  /**
   * The corpus folder: {@code -Darraymorph.corpus.real-hdf5}, else the first {@code
   * shared/corpus/real-hdf5} in the working directory or one of its parents (a user's machine has
   * none).
   */
  public static Optional<Path> folder() {
    String property = System.getProperty("arraymorph.corpus.real-hdf5");
    if (property != null && !property.isBlank()) {
      return Optional.of(Path.of(property)).filter(Files::isDirectory);
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(RELATIVE);
      if (Files.isDirectory(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** The message a test skips with when the corpus folder is absent. */
  public static String absentMessage() {
    return "Real-file corpus not found ("
        + RELATIVE
        + " above "
        + Path.of("").toAbsolutePath()
        + ", or -Darraymorph.corpus.real-hdf5): skipping the real-file comparison";
  }

  /** h5py's manifest of the corpus, dumped on first use (and again when the script changes). */
  public static synchronized JsonNode manifest() {
    if (manifest == null) {
      Path corpus = folder().orElseThrow(() -> new IllegalStateException(absentMessage()));
      Path out = Path.of("target", "real-hdf5-corpus").toAbsolutePath();
      try {
        Path file = out.resolve("manifest.json");
        if (!Files.exists(file)) {
          PythonFixtures.generate("dump_real_hdf5_corpus.py", corpus.toString(), out, 900);
        }
        manifest = new ObjectMapper().readTree(file.toFile());
        dumpDir = out;
      } catch (IOException e) {
        throw new IllegalStateException("Cannot read " + out.resolve("manifest.json"), e);
      }
    }
    return manifest;
  }

  /** One dataset of one corpus file, with h5py's view of it. */
  public record Entry(String file, JsonNode meta) {
    public String path() {
      return meta.get("path").asText();
    }

    /** h5py's values as little-endian bytes in C order (numeric datasets). */
    public byte[] reference() {
      try {
        return Files.readAllBytes(dumpDir.resolve(meta.get("ref").asText()));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public String toString() {
      return file + ":" + path();
    }
  }

  /**
   * The corpus files h5py opened, relative to {@link #folder()}; only those whose path contains one
   * of the comma-separated parts of {@code -Darraymorph.corpus.files}, when it is set (to rerun the
   * files one works on).
   */
  public static List<String> files() {
    String only = System.getProperty("arraymorph.corpus.files", "");
    List<String> parts = Arrays.stream(only.split(",")).filter(p -> !p.isBlank()).toList();
    List<String> out = new ArrayList<>();
    manifest()
        .get("files")
        .fieldNames()
        .forEachRemaining(
            f -> {
              if (parts.isEmpty() || parts.stream().anyMatch(f::contains)) {
                out.add(f);
              }
            });
    return out;
  }

  /** The datasets of {@code file} in one category: "numeric", "typed", "h5py_error", ... */
  public static List<Entry> entries(String file, String category) {
    List<Entry> out = new ArrayList<>();
    manifest().get("files").get(file).path(category).forEach(d -> out.add(new Entry(file, d)));
    return out;
  }
}
