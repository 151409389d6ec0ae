package io.arraymorph.engine;

import io.arraymorph.array.Hyperslab;
import io.arraymorph.array.NdArray;
import io.arraymorph.store.Futures;
import java.util.concurrent.CompletableFuture;

/**
 * Reads a hyperslab of one chunked array into one output array, through the one fetch loop of every
 * read ({@link ChunkFetchLoop#read}): at most {@code maxInFlight} chunk fetches at a time, fill for
 * chunks never written, each chunk's selected elements copied into place.
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
