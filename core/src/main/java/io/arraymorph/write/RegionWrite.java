package io.arraymorph.write;

import io.arraymorph.array.NdArray;
import io.arraymorph.options.ArrayMorphOptions;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.zarr.ZarrArrayMetadata;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;

/**
 * The Java API's write of an in-memory array into a stored dataset ({@link
 * io.arraymorph.api.Dataset#write}), through the protocol every door shares: the dataset's writer
 * lock is taken, the touched chunks are completed from the stored ones and staged, then published
 * at once with the codecs, fill value and chunk key encoding read from the stored metadata. A
 * concurrent writer (a Spark job, {@code arraymorph cp}) is refused rather than interleaved.
 */
public final class RegionWrite {
  /** The lease of the lock: the default of option {@code lock_timeout}. */
  static final Duration LEASE = ArrayMorphOptions.LOCK_TIMEOUT.defaultValue();

  private RegionWrite() {}

  /**
   * Writes {@code data} with its first element at {@code offset} into the dataset stored at {@code
   * path}.
   *
   * @return the metadata published, or empty when no dataset is stored at {@code path} (nothing is
   *     written then: the caller's handle describes a dataset whose metadata is not written yet)
   * @throws IllegalArgumentException when the data's type or rank differs from the dataset's
   * @throws IndexOutOfBoundsException when the data reaches past the dataset's shape
   * @throws io.arraymorph.ConcurrentWriteException when another writer holds the dataset's lock
   */
  public static Optional<ZarrArrayMetadata> write(
      ObjectStore os, String path, long[] offset, NdArray data, int maxInFlight) {
    DatasetWrite.Existing existing = DatasetWrite.inspect(os, path);
    if (existing.stored().isEmpty()) {
      return Optional.empty();
    }
    ZarrArrayMetadata stored = existing.stored().get();
    check(existing.path(), stored, offset, data);
    if (Arrays.stream(data.shape()).anyMatch(e -> e == 0)) {
      return Optional.of(stored);
    }
    String job = "java-api-" + UUID.randomUUID();
    WriteRequest request =
        new WriteRequest(
            existing.path(),
            WriteMode.APPEND,
            offset.length,
            null,
            null,
            -1,
            null,
            null,
            null,
            null,
            null);
    DatasetWrite write = DatasetWrite.plan(job, request, existing);
    write.limitRequests(maxInFlight);
    // An append never creates groups: the dataset and its parents exist.
    return Optional.of(
        write.run(
            os,
            p -> {},
            LEASE,
            w -> {
              TaskWriter task = w.openTask(os, maxInFlight);
              task.writeRegion(offset, data);
              task.finish();
              long[] last = new long[offset.length];
              for (int d = 0; d < last.length; d++) {
                last[d] = offset[d] + data.shape()[d] - 1;
              }
              return new DatasetWrite.Written(task.writtenChunks(), last);
            }));
  }

  /** Refuses data of another type or rank, or reaching past the shape, before locking. */
  private static void check(String path, ZarrArrayMetadata stored, long[] offset, NdArray data) {
    if (data.dataType() != stored.dataType()) {
      throw new IllegalArgumentException(
          "Cannot write "
              + data.dataType().zarrName()
              + " data into the "
              + stored.dataType().zarrName()
              + " dataset '"
              + path
              + "'; convert it first");
    }
    long[] shape = stored.shape();
    if (offset.length != shape.length || data.shape().length != shape.length) {
      throw new IllegalArgumentException(
          "Dataset '"
              + path
              + "' has rank "
              + shape.length
              + " but the offset has "
              + offset.length
              + " and the data "
              + data.shape().length
              + " dimensions");
    }
    for (int d = 0; d < shape.length; d++) {
      if (offset[d] < 0 || offset[d] + data.shape()[d] > shape[d]) {
        throw new IndexOutOfBoundsException(
            "Writing "
                + Arrays.toString(data.shape())
                + " at "
                + Arrays.toString(offset)
                + " leaves dataset '"
                + path
                + "' of shape "
                + Arrays.toString(shape)
                + " in dimension "
                + d);
      }
    }
  }
}
