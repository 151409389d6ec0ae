package io.arraymorph.hdf5;

import io.arraymorph.array.ChunkGrid;
import io.arraymorph.array.DataType;
import io.arraymorph.engine.ChunkSource;
import java.util.concurrent.CompletableFuture;

/** A compact dataset: its data came with the object header, so it is one chunk held in memory. */
final class CompactChunkSource implements ChunkSource {
  private final ChunkGrid grid;
  private final DataType dataType;
  private final byte[] fillValue;
  private final byte[] chunk;

  /**
   * @param littleEndianData the dataset's elements in C order, already little-endian
   */
  CompactChunkSource(ChunkGrid grid, DataType dataType, byte[] fillValue, byte[] littleEndianData) {
    this.grid = grid;
    this.dataType = dataType;
    this.fillValue = fillValue.clone();
    // The grid's single chunk may be larger than the data (zero-length dimensions become 1).
    this.chunk = new byte[Math.toIntExact(grid.chunkElements() * dataType.byteSize())];
    System.arraycopy(
        littleEndianData, 0, chunk, 0, Math.min(chunk.length, littleEndianData.length));
  }

  /** The dataset's elements, little-endian, in C order of the grid's one chunk. */
  byte[] data() {
    return chunk.clone();
  }

  @Override
  public ChunkGrid grid() {
    return grid;
  }

  @Override
  public DataType dataType() {
    return dataType;
  }

  @Override
  public byte[] fillValue() {
    return fillValue.clone();
  }

  @Override
  public CompletableFuture<byte[]> readChunk(long[] chunkCoords) {
    return CompletableFuture.completedFuture(chunk.clone());
  }
}
