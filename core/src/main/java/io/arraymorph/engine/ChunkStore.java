package io.arraymorph.engine;

import java.util.concurrent.CompletableFuture;

/** A {@link ChunkSource} that can also store chunks. */
public interface ChunkStore extends ChunkSource {

  /** Encodes and stores one chunk given as little-endian bytes of the full chunk shape. */
  CompletableFuture<Void> writeChunk(long[] chunkCoords, byte[] decodedChunk);
}
