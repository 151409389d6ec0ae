package io.arraymorph.engine;

import io.arraymorph.array.ChunkGrid;
import io.arraymorph.array.ChunkSelection;
import io.arraymorph.array.DataType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Where a chunked array's chunks come from: a Zarr store, an HDF5 file's chunk index, ArrayMorph's
 * legacy layout. The read engine is the same for all of them.
 */
public interface ChunkSource {

  ChunkGrid grid();

  DataType dataType();

  /** One element of the fill value, as little-endian bytes. */
  byte[] fillValue();

  /**
   * Fetches and decodes one chunk into little-endian bytes of the full chunk shape. Completes with
   * {@code null} when the chunk was never written (the reader fills it with the fill value).
   */
  CompletableFuture<byte[]> readChunk(long[] chunkCoords);

  /**
   * Fetches what a selection needs of one chunk, as little-endian bytes of the full chunk shape in
   * which at least the selected elements are valid. Sources that can read byte ranges override this
   * to move fewer bytes; by default the whole chunk is read.
   */
  default CompletableFuture<byte[]> readChunk(ChunkSelection selection) {
    return readChunk(selection.chunkCoords());
  }

  /**
   * Whether {@link #readChunks} of several chunks costs less than reading them one at a time (a
   * granule manifest reads a granule's chunks through one open object and decodes only what each
   * selection needs), so a region read ({@link ChunkFetchLoop#read}) fetches in batches.
   */
  default boolean readsChunksTogether() {
    return false;
  }

  /**
   * Fetches several chunks at once, one future per chunk in the order given: at least what {@code
   * needed.get(i)} needs of chunk {@code coords.get(i)} (the elements of its {@link
   * ChunkSelection#elementRange} at least), or the whole chunk when it is null; {@code null} for a
   * chunk never written. Sources whose chunks share stored objects (a granule manifest: each
   * granule holds several) override this to read each object's chunks in one call and to return
   * only the needed elements; by default each chunk is read whole on its own ({@link
   * #readChunk(ChunkSelection)} or {@link #readChunk(long[])}).
   */
  default List<CompletableFuture<ChunkPart>> readChunks(
      List<long[]> coords, List<ChunkSelection> needed) {
    List<CompletableFuture<ChunkPart>> out = new ArrayList<>(coords.size());
    for (int i = 0; i < coords.size(); i++) {
      ChunkSelection sel = needed.get(i);
      out.add(
          (sel == null ? readChunk(coords.get(i)) : readChunk(sel))
              .thenApply(bytes -> bytes == null ? null : ChunkPart.whole(bytes)));
    }
    return out;
  }

  /** Takes the chunks {@link #useChunks} lends. */
  @FunctionalInterface
  interface ChunkUser {
    /**
     * Uses chunk {@code index} (of the coordinates asked for) at once: {@code part}'s bytes are
     * valid only during the call; {@code null} for a chunk never written.
     */
    void use(int index, ChunkPart part);
  }

  /**
   * Fetches chunks as {@link #readChunks(List, List)} does and passes each to {@code use} as soon
   * as it is decoded, on the thread that decoded it, in a buffer the source may reuse after the
   * call; when {@code shuffledAccepted}, a part may be the whole chunk still byte-shuffled ({@link
   * ChunkPart#shuffled}), for a caller that undoes the shuffle as it copies the elements elsewhere
   * (a rechunk): no allocation, copy or unshuffle pass per chunk. A chunk may be used before its
   * read is known to be good (a granule manifest checks the granule's version once its reads are
   * done): the returned future completes once every chunk was used and every check passed, and
   * fails otherwise; the caller must then discard whatever it made of the chunks. By default each
   * part of {@link #readChunks(List, List)} is used as it completes.
   */
  default CompletableFuture<Void> useChunks(
      List<long[]> coords, List<ChunkSelection> needed, boolean shuffledAccepted, ChunkUser use) {
    List<CompletableFuture<ChunkPart>> parts = readChunks(coords, needed);
    CompletableFuture<?>[] used = new CompletableFuture<?>[parts.size()];
    for (int i = 0; i < used.length; i++) {
      int index = i;
      used[i] = parts.get(i).thenAccept(part -> use.use(index, part));
    }
    return CompletableFuture.allOf(used);
  }

  /**
   * Fetches what a selection needs of one chunk, like {@link #readChunk(ChunkSelection)}, and
   * passes it to {@code use} as little-endian bytes of the full chunk shape from the buffer's
   * position (or {@code null} when the chunk was never written). The buffer is valid only during
   * the call, so sources may lend a reused one: copying the selected elements into place from it is
   * the read with the fewest copies and allocations ({@link ArrayReader}).
   */
  default CompletableFuture<Void> useChunk(ChunkSelection selection, Consumer<ByteBuffer> use) {
    return readChunk(selection)
        .thenAccept(bytes -> use.accept(bytes == null ? null : ByteBuffer.wrap(bytes)));
  }
}
