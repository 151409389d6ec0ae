package io.arraymorph.manifest;

import io.arraymorph.api.ArrayStore;
import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectInfo;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.SharedObjectStores;
import io.arraymorph.store.StoreSettings;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The granules of a collection, named as the Spark many-files read names them: HDF5/NetCDF4 files
 * ({@code .h5 .hdf5 .he5 .hdf .nc .nc4}) given one by one, a glob ({@code *}, {@code ?}, {@code
 * [..]}, {@code {a,b}} within a path segment, {@code **} across segments) or a directory searched
 * recursively; the result is sorted within each pattern and duplicates are dropped. Local paths
 * become absolute, so a manifest's references do not depend on the working directory.
 */
public final class GranuleLocations {
  private GranuleLocations() {}

  /**
   * Resolves each given location.
   *
   * @throws IllegalArgumentException naming the pattern when one matches no granule
   */
  public static List<String> resolve(List<String> given, StoreSettings settings) {
    Set<String> out = new LinkedHashSet<>();
    for (String p : given) {
      List<String> found;
      if (hasGlob(p)) {
        found = glob(p, settings);
      } else if (ArrayStore.isHdf5Location(p)) {
        found = List.of(p);
      } else {
        found = directory(p, settings);
      }
      if (found.isEmpty()) {
        throw new IllegalArgumentException(
            "No HDF5/NetCDF4 granule (.h5 .hdf5 .he5 .hdf .nc .nc4) matches '" + p + "'");
      }
      found.forEach(f -> out.add(absolute(f)));
    }
    return List.copyOf(out);
  }

  /** A local path made absolute; URIs stay as they are. */
  public static String absolute(String location) {
    if (location.contains("://") || location.startsWith("file:")) {
      return location;
    }
    return Path.of(location).toAbsolutePath().normalize().toString();
  }

  static boolean hasGlob(String p) {
    return p.indexOf('*') >= 0 || p.indexOf('?') >= 0 || p.indexOf('[') >= 0 || p.indexOf('{') >= 0;
  }

  private static List<String> directory(String dir, StoreSettings settings) {
    String base = dir.endsWith("/") ? dir : dir + "/";
    try (ObjectStore store = SharedObjectStores.acquire(dir, settings)) {
      return Futures.join(store.list("")).stream()
          .map(ObjectInfo::key)
          .filter(ArrayStore::isHdf5Location)
          .sorted()
          .map(k -> base + k)
          .toList();
    }
  }

  /**
   * The HDF5/NetCDF4 files matching a glob, sorted, named as the pattern names them (the pattern's
   * directory followed by the matched key).
   */
  public static List<String> glob(String pattern, StoreSettings settings) {
    int firstGlob = Integer.MAX_VALUE;
    for (char c : new char[] {'*', '?', '[', '{'}) {
      int at = pattern.indexOf(c);
      if (at >= 0) {
        firstGlob = Math.min(firstGlob, at);
      }
    }
    int slash = pattern.lastIndexOf('/', firstGlob);
    String base = slash < 0 ? "." : pattern.substring(0, slash + 1);
    String prefix = slash < 0 ? "" : pattern.substring(0, slash + 1);
    PathMatcher matcher =
        FileSystems.getDefault().getPathMatcher("glob:" + pattern.substring(slash + 1));
    List<String> out = new ArrayList<>();
    try (ObjectStore store = SharedObjectStores.acquire(base, settings)) {
      Futures.join(store.list("")).stream()
          .map(ObjectInfo::key)
          .filter(k -> matcher.matches(Paths.get(k)))
          .filter(ArrayStore::isHdf5Location)
          .sorted()
          .forEach(k -> out.add(prefix + k));
    }
    return out;
  }
}
