package io.arraymorph.manifest;

import io.arraymorph.ArrayMorphException;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.zarr.WriterLock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Writes a granule manifest, or appends granules to one, under the manifest's writer lock. Every
 * granule is checked against the others (and the manifest's) before anything is written ({@link
 * CheckedCollection}): same variables, dtypes, chunking, filters, non-record shapes and coordinate
 * values, record lengths that fit the chunk grid, and record coordinate ranges that do not overlap;
 * a disagreement is refused naming the granule and what differs. Objects are written in an order
 * that keeps every version readable ({@link ManifestPublication}): chunk reference shards ({@link
 * ChunkRefShardWriter}), coordinate chunks ({@link CoordinateArrayWriter}) and the granule table
 * ({@link GranuleTable}) under the new generation's names, then each array's zarr.json, then the
 * group's.
 */
public final class ManifestWriter {
  private ManifestWriter() {}

  /**
   * How to write.
   *
   * @param recordDimension the dimension granules are concatenated along (CF: the unlimited {@code
   *     time} dimension)
   * @param append add granules to an existing manifest (a new one is created when there is none)
   * @param entriesPerShard chunk references per shard object
   */
  public record Options(String recordDimension, boolean append, int entriesPerShard) {
    /** Along {@code time}, creating a new manifest, 65,536 references per shard. */
    public static final Options DEFAULT =
        new Options("time", false, ManifestFormat.ENTRIES_PER_SHARD);

    public Options {
      if (recordDimension == null || recordDimension.isBlank()) {
        throw new IllegalArgumentException("The record dimension needs a name, e.g. time");
      }
      if (entriesPerShard < 1) {
        throw new IllegalArgumentException("entriesPerShard must be >= 1, got " + entriesPerShard);
      }
    }

    /** These options, appending or not. */
    public Options withAppend(boolean value) {
      return new Options(recordDimension, value, entriesPerShard);
    }

    /** These options along another record dimension. */
    public Options withRecordDimension(String name) {
      return new Options(name, append, entriesPerShard);
    }

    /** These options with {@code n} chunk references per shard. */
    public Options withEntriesPerShard(int n) {
      return new Options(recordDimension, append, n);
    }
  }

  /**
   * What was written.
   *
   * @param added granules added by this write
   * @param granules granules in the manifest now
   * @param records length of the record dimension now (of the root's, else of the least nested
   *     group's that defines it)
   * @param generation the manifest version now published
   * @param variables the manifest's arrays
   * @param skipped variables left out of the manifest, with the reason
   * @param groupRecords the length now of each other group's own record dimension, by group path
   *     ({@code gt1l}): groups whose record dimension has its own length per granule
   */
  public record Result(
      int added,
      int granules,
      long records,
      long generation,
      List<String> variables,
      List<String> skipped,
      Map<String, Long> groupRecords) {}

  /**
   * Writes the manifest at {@code path} of {@code store} from {@code granules} (any order: they are
   * ordered by their record coordinate, else by URL), or appends them to it.
   *
   * @throws ArrayMorphException before writing anything, when a granule disagrees with the others,
   *     a manifest exists and {@code append} is off, or something else is stored there
   */
  public static Result write(
      ObjectStore store, String path, List<GranuleIndex> granules, Options options) {
    if (granules.isEmpty()) {
      throw new ArrayMorphException("No granule to index: the collection matched no file");
    }
    try (WriterLock lock =
        WriterLock.acquire(store, path, "arraymorph index", Duration.ofMinutes(30))) {
      ExistingManifest existing = ExistingManifest.read(store, path, options);
      CheckedCollection checked =
          CheckedCollection.check(granules, existing, options.recordDimension());
      lock.verifyHeld();
      return ManifestPublication.publish(store, path, checked, existing, options);
    }
  }
}
