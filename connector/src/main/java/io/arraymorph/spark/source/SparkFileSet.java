package io.arraymorph.spark.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.manifest.GranuleLocations;
import io.arraymorph.spark.SparkOptions;
import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectInfo;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.SharedObjectStores;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The locations a read names: one store location, or many HDF5/NetCDF4 files read as one table.
 * Many files come from several paths ({@code load(p1, p2)} or option {@code paths}, a JSON array or
 * a comma-separated list), a glob ({@code dir/2024/*}{@code /*.nc}: {@code *}, {@code ?}, {@code
 * [..]}, {@code {a,b}} within a path segment, {@code **} across segments), or a directory that
 * holds no Zarr metadata, which is searched recursively for {@code .h5 .hdf5 .he5 .hdf .nc .nc4}
 * files. A kerchunk reference document ({@code *.json}) is one location, like an HDF5 file.
 *
 * @param locations the store location, or every file in sorted order
 * @param multiFile whether the read is a many-files read (with a {@code file} column)
 */
record SparkFileSet(List<String> locations, boolean multiFile) {

  /** Zarr metadata objects whose presence makes a directory a Zarr hierarchy. */
  private static final List<String> ZARR_MARKERS = List.of("zarr.json", ".zgroup", ".zarray");

  /**
   * Resolves the read's locations.
   *
   * @throws IllegalArgumentException when a glob or several paths match no file
   */
  static SparkFileSet resolve(SparkOptions options) {
    List<String> given = given(options);
    if (given.isEmpty()) {
      options.location(); // throws the usual "needs a location"
    }
    if (given.size() == 1 && !hasGlob(given.get(0))) {
      String only = given.get(0);
      if (ArrayStore.isHdf5Location(only) || ArrayStore.isKerchunkLocation(only)) {
        return new SparkFileSet(List.of(only), false);
      }
      List<String> found = directoryFiles(only, options);
      return found.isEmpty()
          ? new SparkFileSet(List.of(only), false)
          : new SparkFileSet(found, true);
    }
    Set<String> out = new LinkedHashSet<>();
    for (String p : given) {
      if (hasGlob(p)) {
        List<String> matched = glob(p, options);
        if (matched.isEmpty()) {
          throw new IllegalArgumentException(
              options.redact("No HDF5/NetCDF4 file matches '" + p + "'"));
        }
        out.addAll(matched);
      } else if (ArrayStore.isHdf5Location(p) || ArrayStore.isKerchunkLocation(p)) {
        out.add(p);
      } else {
        List<String> found = directoryFiles(p, options);
        if (found.isEmpty()) {
          throw new IllegalArgumentException(
              options.redact(
                  "'"
                      + p
                      + "' is neither an HDF5/NetCDF4 file nor a directory holding some;"
                      + " several paths can only name such files"));
        }
        out.addAll(found);
      }
    }
    return new SparkFileSet(List.copyOf(out), true);
  }

  /**
   * The read's locations without probing a single location: a single path that names no file is
   * taken as one store location (a Zarr hierarchy), and only when its datasets are not found there
   * does {@link #filesInDirectory} look for a directory of HDF5/NetCDF4 files. Several paths or a
   * glob resolve as {@link #resolve} does.
   */
  static SparkFileSet named(SparkOptions options) {
    List<String> given = given(options);
    if (given.size() == 1 && !hasGlob(given.get(0))) {
      return new SparkFileSet(List.of(given.get(0)), false);
    }
    return resolve(options);
  }

  /**
   * The HDF5/NetCDF4 files of a directory that holds no Zarr metadata at its root, as a many-files
   * set; empty when it is a Zarr hierarchy or holds no such file.
   */
  static Optional<SparkFileSet> filesInDirectory(String dir, SparkOptions options) {
    if (ArrayStore.isHdf5Location(dir) || ArrayStore.isKerchunkLocation(dir)) {
      return Optional.empty();
    }
    List<String> found = directoryFiles(dir, options);
    return found.isEmpty() ? Optional.empty() : Optional.of(new SparkFileSet(found, true));
  }

  /** The paths of {@code path} and {@code paths}. */
  static List<String> given(SparkOptions options) {
    List<String> out = new ArrayList<>();
    options.get("path").filter(p -> !p.isBlank()).ifPresent(out::add);
    Optional<String> many = options.get("paths").filter(p -> !p.isBlank());
    if (many.isPresent()) {
      String raw = many.get().trim();
      if (raw.startsWith("[")) {
        try {
          for (String p : new ObjectMapper().readValue(raw, String[].class)) {
            out.add(p);
          }
        } catch (JsonProcessingException e) {
          throw new IllegalArgumentException("Option 'paths' is not a JSON array of strings", e);
        }
      } else {
        for (String p : raw.split(",", -1)) {
          if (!p.isBlank()) {
            out.add(p.trim());
          }
        }
      }
    }
    return out;
  }

  static boolean hasGlob(String p) {
    return p.indexOf('*') >= 0 || p.indexOf('?') >= 0 || p.indexOf('[') >= 0 || p.indexOf('{') >= 0;
  }

  /** Files of a directory with no Zarr metadata at its root, sorted; empty for a Zarr hierarchy. */
  private static List<String> directoryFiles(String dir, SparkOptions options) {
    try (ObjectStore store = SharedObjectStores.acquire(dir, options.storeSettings())) {
      for (String marker : ZARR_MARKERS) {
        if (Futures.join(store.head(marker)).isPresent()) {
          return List.of();
        }
      }
      for (String ds : options.datasetPaths()) {
        if (Futures.join(store.head(ds + "/zarr.json")).isPresent()
            || Futures.join(store.head(ds + "/.zarray")).isPresent()) {
          return List.of();
        }
      }
      String base = dir.endsWith("/") ? dir : dir + "/";
      return Futures.join(store.list("")).stream()
          .map(ObjectInfo::key)
          .filter(ArrayStore::isHdf5Location)
          .sorted()
          .map(k -> base + k)
          .toList();
    } catch (RuntimeException e) {
      return List.of(); // not a listable directory: the single-location read reports the problem
    }
  }

  /** The files matching a glob, sorted (the rule {@code arraymorph index} follows too). */
  private static List<String> glob(String pattern, SparkOptions options) {
    return GranuleLocations.glob(pattern, options.storeSettings());
  }
}
