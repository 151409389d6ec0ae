package io.arraymorph.engine;

import io.arraymorph.array.Hyperslab;
import io.arraymorph.array.NdArray;
import io.arraymorph.store.Futures;
import java.util.concurrent.CompletableFuture;

/**
 * Reads a hyperslab of one chunked array into one output array, through the one fetch loop of every
 * read ({@link ChunkFetchLoop#read}): at most {@code maxInFlight} chunk fetches at a time, fill for
 * chunks never written, each chunk's selected elements copied into place.
 *
 * <p>The Java API and the CLI read through this class rather than through {@code scan.ScanPlanner}
 * and {@code scan.ChunkTaskReader} (Spark's path), because a task would first list every chunk and
 * its boxes and then hand back whole chunk buffers that a new loop must still copy into one array,
 * where {@link ChunkFetchLoop#read} streams each chunk straight into place with no plan held in
 * memory. It would remove no format branch either, as Zarr's retry on a concurrent publish and the
 * files' check after a read ({@code scan.VersionCheck}) stay with each dataset; both paths already
 * share the fetch loop and the check.
 */
public final class ArrayReader {
  private final ChunkSource source;
  private final int maxInFlight;

  public ArrayReader(ChunkSource source, int maxInFlight) {
    this.source = source;
    this.maxInFlight = maxInFlight;
  }

  /**
   * Reads the selection into a new array of the hyperslab's shape.
   *
   * @throws IndexOutOfBoundsException when the selection leaves the array
   */
  public NdArray read(Hyperslab slab) {
    return Futures.join(readAsync(slab));
  }

  /** Reads the selection asynchronously. */
  public CompletableFuture<NdArray> readAsync(Hyperslab slab) {
    return new ChunkFetchLoop(maxInFlight).read(source, slab);
  }
}
