package io.arraymorph.engine;

import io.arraymorph.array.ChunkGrid;
import io.arraymorph.array.ChunkSelection;
import io.arraymorph.array.ElementCopier;
import io.arraymorph.array.Hyperslab;
import io.arraymorph.array.NdArray;
import io.arraymorph.array.SelectionPlan;
import io.arraymorph.store.Futures;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * Writes an in-memory array into a region of a chunked array. Chunks the region covers entirely are
 * built from the data alone; chunks it covers partly are read, updated and written back, so their
 * other elements survive. Padding past the array's edge holds the fill value.
 */
public final class ArrayWriter {
  private final ChunkStore store;
  private final int maxInFlight;

  public ArrayWriter(ChunkStore store, int maxInFlight) {
    this.store = store;
    this.maxInFlight = maxInFlight;
  }

  /**
   * Writes {@code data} with its first element at {@code offset}.
   *
   * @throws IllegalArgumentException when the data type differs from the array's
   * @throws IndexOutOfBoundsException when the region leaves the array
   */
  public void write(long[] offset, NdArray data) {
    Futures.join(writeAsync(offset, data));
  }

  public CompletableFuture<Void> writeAsync(long[] offset, NdArray data) {
    if (data.dataType() != store.dataType()) {
      throw new IllegalArgumentException(
          "Cannot write "
              + data.dataType().zarrName()
              + " data into a "
              + store.dataType().zarrName()
              + " array; convert it first");
    }
    ChunkGrid grid = store.grid();
    SelectionPlan plan = grid.plan(Hyperslab.box(offset, data.shape()));
    ElementCopier copier =
        new ElementCopier(store.dataType().byteSize(), grid.chunkShape(), data.shape());
    byte[] fill = store.fillValue();
    return BoundedPipeline.run(
        plan.iterator(),
        maxInFlight,
        sel -> {
          long[] coords = sel.chunkCoords();
          CompletableFuture<byte[]> base =
              coversValidPart(sel, grid, coords)
                  ? CompletableFuture.completedFuture(null)
                  : store.readChunk(coords);
          return base.thenCompose(
              existing -> {
                byte[] chunk = existing != null ? existing : Fill.chunk(fill, grid.chunkElements());
                copier.outputToChunk(sel, data.bytes(), chunk);
                return store.writeChunk(coords, chunk);
              });
        });
  }

  /** Whether the selection covers every element of the chunk that lies inside the array. */
  private static boolean coversValidPart(ChunkSelection sel, ChunkGrid grid, long[] coords) {
    long[] valid = grid.validExtent(coords);
    int[] extent = Arrays.stream(valid).mapToInt(v -> (int) v).toArray();
    return sel.coversWholeChunk(extent);
  }
}
