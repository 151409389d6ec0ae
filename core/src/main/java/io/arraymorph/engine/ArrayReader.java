package io.arraymorph.engine;

import io.arraymorph.array.ElementCopier;
import io.arraymorph.array.Hyperslab;
import io.arraymorph.array.NdArray;
import io.arraymorph.array.SelectionPlan;
import io.arraymorph.store.Futures;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Reads a hyperslab of a chunked array: fetches every overlapping chunk concurrently (at most
 * {@code maxInFlight} at a time), decodes each, and copies its selected elements into one output
 * array. Chunks are taken through {@link ChunkSource#useChunk}, so a source that lends a reused
 * buffer (uncompressed chunks on the local store) costs one copy into place and no allocation per
 * chunk; chunks never written are copied from one fill chunk made once per read.
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
    SelectionPlan plan = source.grid().plan(slab);
    NdArray out = NdArray.allocate(source.dataType(), plan.outputShape());
    ElementCopier copier =
        new ElementCopier(
            source.dataType().byteSize(), source.grid().chunkShape(), plan.outputShape());
    AtomicReference<byte[]> fillChunk = new AtomicReference<>();
    return BoundedPipeline.run(
            plan.iterator(),
            maxInFlight,
            sel ->
                source.useChunk(
                    sel,
                    chunk -> {
                      // Each chunk fills a disjoint part of the output, so copies need no lock.
                      if (chunk != null) {
                        copier.chunkToOutput(sel, chunk, out.bytes());
                      } else {
                        copier.chunkToOutput(sel, fillChunk(fillChunk), out.bytes());
                      }
                    }))
        .thenApply(v -> out);
  }

  /** The fill chunk of this read, made by the first chunk that needs it. */
  private byte[] fillChunk(AtomicReference<byte[]> made) {
    byte[] fill = made.get();
    if (fill == null) {
      made.compareAndSet(null, Fill.chunk(source.fillValue(), source.grid().chunkElements()));
      fill = made.get();
    }
    return fill;
  }
}
