package io.arraymorph.engine;

import io.arraymorph.array.ChunkSelection;
import io.arraymorph.array.ElementCopier;
import io.arraymorph.array.Hyperslab;
import io.arraymorph.array.NdArray;
import io.arraymorph.array.SelectionPlan;
import io.arraymorph.store.Futures;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Reads a hyperslab of a chunked array: fetches every overlapping chunk concurrently (at most
 * {@code maxInFlight} at a time), decodes each, and copies its selected elements into one output
 * array.
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
    AsyncLimiter limiter = new AsyncLimiter(maxInFlight);
    byte[] filledChunk = Fill.chunk(source.fillValue(), source.grid().chunkElements());
    List<CompletableFuture<Void>> pending = new ArrayList<>();
    for (ChunkSelection sel : plan) {
      pending.add(
          limiter
              .submit(() -> source.readChunk(sel.chunkCoords()))
              .thenAccept(
                  chunk -> {
                    // Each chunk writes a disjoint part of the output, so copies need no lock.
                    copier.chunkToOutput(sel, chunk == null ? filledChunk : chunk, out.bytes());
                  }));
    }
    return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).thenApply(v -> out);
  }
}
