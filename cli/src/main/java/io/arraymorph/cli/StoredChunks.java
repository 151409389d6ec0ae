package io.arraymorph.cli;

import io.arraymorph.api.Dataset;
import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectInfo;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.zarr.ZarrDataset;
import io.arraymorph.zarr.v2.ZarrV2Dataset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The chunk objects a dataset has in its store, found by listing the dataset's prefix: chunks never
 * written (all fill value) have no object and are not listed.
 */
final class StoredChunks {
  private StoredChunks() {}

  /** One stored chunk: its grid coordinates, object key (from the store's root) and size. */
  record Chunk(long[] coords, String key, long size) {}

  /**
   * The stored chunks in key order, or empty when the dataset's format does not keep one object per
   * chunk (an HDF5 file keeps a chunk index inside the file instead).
   */
  static Optional<List<Chunk>> list(ObjectStore store, Dataset dataset) {
    Function<long[], String> keyOf;
    if (dataset instanceof ZarrDataset z) {
      keyOf = z::chunkKey;
    } else if (dataset instanceof ZarrV2Dataset z) {
      keyOf = z::chunkKey;
    } else {
      return Optional.empty();
    }
    int rank = dataset.shape().length;
    String prefix = dataset.path().isEmpty() ? "" : dataset.path() + "/";
    List<Chunk> chunks = new ArrayList<>();
    for (ObjectInfo o : Futures.join(store.list(prefix))) {
      long[] coords = coordinates(o.key().substring(prefix.length()), rank);
      if (coords != null && isInGrid(coords, dataset) && keyOf.apply(coords).equals(o.key())) {
        chunks.add(new Chunk(coords, o.key(), o.size()));
      }
    }
    chunks.sort((a, b) -> java.util.Arrays.compare(a.coords(), b.coords()));
    return Optional.of(chunks);
  }

  /**
   * The coordinates a key relative to the array could encode ({@code c/1/2}, {@code c.1.2}, {@code
   * 1.2}, {@code 1/2}), or null. The caller checks them by re-encoding the key.
   */
  static long[] coordinates(String relativeKey, int rank) {
    String k = relativeKey;
    if (k.equals("c")) {
      k = "";
    } else if (k.startsWith("c/") || k.startsWith("c.")) {
      k = k.substring(2);
    }
    if (rank == 0) {
      return k.isEmpty() || k.equals("0") ? new long[0] : null;
    }
    String[] parts = k.split("[./]", -1);
    if (parts.length != rank) {
      return null;
    }
    long[] coords = new long[rank];
    for (int d = 0; d < rank; d++) {
      if (parts[d].isEmpty() || !parts[d].chars().allMatch(Character::isDigit)) {
        return null;
      }
      try {
        coords[d] = Long.parseLong(parts[d]);
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return coords;
  }

  private static boolean isInGrid(long[] coords, Dataset dataset) {
    long[] grid = dataset.grid().gridShape();
    for (int d = 0; d < coords.length; d++) {
      if (coords[d] >= grid[d]) {
        return false;
      }
    }
    return true;
  }
}
