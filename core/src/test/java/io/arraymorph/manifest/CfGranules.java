package io.arraymorph.manifest;

import io.arraymorph.store.StoreSettings;
import io.arraymorph.testing.PythonFixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Granule collections written by netCDF4-python (scripts/make_cf_granules.py and others). */
final class CfGranules {
  private CfGranules() {}

  /** Writes granules of {@code spec} (and xarray's values of the directory) into {@code dir}. */
  static Path make(String spec, Path dir) {
    PythonFixtures.generateWith("make_cf_granules.py", spec, dir);
    return dir;
  }

  /**
   * Writes ICESat-2-like granules of {@code spec} (scripts/make_beam_granules.py: beam groups with
   * record lengths of their own) and xarray's values of the directory into {@code dir}.
   */
  static Path beams(String spec, Path dir) {
    PythonFixtures.generateWith("make_beam_granules.py", spec, dir);
    return dir;
  }

  /** The granules of a directory, sorted, as absolute paths. */
  static List<String> files(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(Path::toString).filter(p -> p.endsWith(".nc")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * xarray's values of a variable over the whole directory, little-endian bytes; a group's variable
   * ({@code group/var}) as {@code open_mfdataset(group=...)} reads it.
   */
  static byte[] reference(Path dir, String variable) {
    try {
      return Files.readAllBytes(dir.resolve("reference__" + variable.replace("/", "__") + ".bin"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Indexes granules and writes (or appends to) the manifest at {@code manifest}. */
  static ManifestWriter.Result index(
      List<String> granules, Path manifest, ManifestWriter.Options options) {
    return ManifestIndex.index(granules, manifest.toString(), StoreSettings.empty(), options, 2);
  }
}
