package io.arraymorph.scan;

import io.arraymorph.api.Dataset;
import io.arraymorph.array.ChunkGrid;
import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectInfo;
import io.arraymorph.store.ObjectStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Lists the chunks a dataset has stored as objects, whatever its key layout: Zarr v3 ({@code
 * c/1/2}, or {@code 1.2} with the v2 key encoding), Zarr v2 ({@code 1.2} or {@code 1/2}) or the
 * ArrayMorph plugin's row-major chunk number ({@code 7}). Each listed key is mapped back to chunk
 * coordinates and kept only when the dataset's own {@link Dataset#chunkObjectKey} gives that key
 * for them, so foreign objects under the prefix are never taken for chunks.
 */
public final class StoredChunks {
  private static final Pattern SEPARATORS = Pattern.compile("[./]");

  private StoredChunks() {}

  /**
   * Whether the dataset's format keeps one object per chunk, so its stored chunks can be listed
   * (not HDF5 files or kerchunk references, whose chunks live inside files).
   */
  public static boolean listable(Dataset ds) {
    return ds.chunkObjectKey(new long[ds.grid().rank()]).isPresent();
  }

  /**
   * The stored chunks in key order; empty when the format keeps chunks inside a file (see {@link
   * #listable}).
   */
  public static List<StoredChunk> of(ObjectStore store, Dataset ds) {
    List<StoredChunk> out = new ArrayList<>();
    if (!listable(ds)) {
      return out;
    }
    String prefix = ds.path().isEmpty() ? "" : ds.path() + "/";
    for (ObjectInfo o : Futures.join(store.list(prefix))) {
      coordsOf(ds, o.key().substring(prefix.length()))
          .filter(c -> ds.chunkObjectKey(c).map(o.key()::equals).orElse(false))
          .ifPresent(c -> out.add(new StoredChunk(c, o.key(), 0, o.size())));
    }
    return out;
  }

  /** The chunk coordinates a key (relative to the dataset) may name, checked against the grid. */
  static Optional<long[]> coordsOf(Dataset ds, String relativeKey) {
    if (ds.grid().rank() == 0) {
      // A scalar's one chunk: its key (e.g. {@code c} or {@code 0}) is checked by the caller.
      return Optional.of(new long[0]);
    }
    // Zarr v3's default key encoding prefixes "c" with the separator ("c/1/2" or "c.1.2").
    String rel =
        relativeKey.startsWith("c/") || relativeKey.startsWith("c.")
            ? relativeKey.substring(2)
            : relativeKey;
    String[] parts = SEPARATORS.split(rel, -1);
    ChunkGrid grid = ds.grid();
    long[] numbers = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      if (parts[i].isEmpty() || !parts[i].chars().allMatch(Character::isDigit)) {
        return Optional.empty();
      }
      try {
        numbers[i] = Long.parseLong(parts[i]);
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
    long[] coords;
    if (numbers.length == grid.rank()) {
      coords = numbers;
    } else if (numbers.length == 1 && numbers[0] < grid.chunkCount()) {
      coords = grid.chunkCoords(numbers[0]);
    } else {
      return Optional.empty();
    }
    long[] gridShape = grid.gridShape();
    for (int d = 0; d < coords.length; d++) {
      if (coords[d] >= gridShape[d]) {
        return Optional.empty();
      }
    }
    return Optional.of(coords);
  }
}
