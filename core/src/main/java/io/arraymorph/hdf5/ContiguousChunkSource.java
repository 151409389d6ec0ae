package io.arraymorph.hdf5;

import io.arraymorph.array.ChunkGrid;
import io.arraymorph.array.DataType;
import io.arraymorph.engine.ChunkSource;
import io.arraymorph.store.ObjectStore;
import java.util.concurrent.CompletableFuture;

/**
 * A contiguous dataset seen through a synthetic chunk grid: each chunk is a run of consecutive
 * bytes (leading dimensions 1, one partial dimension, trailing dimensions whole), so one range
 * request reads it and a selection fetches only the runs it touches.
 */
final class ContiguousChunkSource implements ChunkSource {
  private final ObjectStore store;
  private final String key;
  private final ChunkGrid grid;
  private final ElementType type;
  private final byte[] fillValue;
  private final long dataOffset;

  /**
   * @param dataOffset the first data byte in the object, or -1 when no storage was ever allocated
   */
  ContiguousChunkSource(
      ObjectStore store,
      String key,
      ChunkGrid grid,
      ElementType type,
      byte[] fillValue,
      long dataOffset) {
    this.store = store;
    this.key = key;
    this.grid = grid;
    this.type = type;
    this.fillValue = fillValue.clone();
    this.dataOffset = dataOffset;
  }

  /**
   * Picks chunk extents whose byte size is near {@code targetBytes} and whose bytes are contiguous.
   */
  static int[] syntheticChunks(long[] shape, int elementSize, long targetBytes) {
    int[] chunks = new int[shape.length];
    long inner = elementSize;
    int d = shape.length - 1;
    for (; d >= 0; d--) {
      long extent = Math.max(1, shape[d]);
      if (inner * extent > targetBytes) {
        break;
      }
      chunks[d] = (int) extent;
      inner *= extent;
    }
    if (d >= 0) {
      chunks[d] = (int) Math.max(1, Math.min(Math.max(1, shape[d]), targetBytes / inner));
      for (int k = d - 1; k >= 0; k--) {
        chunks[k] = 1;
      }
    }
    return chunks;
  }

  String key() {
    return key;
  }

  ElementType type() {
    return type;
  }

  long dataOffset() {
    return dataOffset;
  }

  @Override
  public ChunkGrid grid() {
    return grid;
  }

  @Override
  public DataType dataType() {
    return type.dataType();
  }

  @Override
  public byte[] fillValue() {
    return fillValue.clone();
  }

  @Override
  public CompletableFuture<byte[]> readChunk(long[] chunkCoords) {
    if (dataOffset < 0) {
      return CompletableFuture.completedFuture(null);
    }
    int elementSize = type.dataType().byteSize();
    long[] shape = grid.arrayShape();
    long[] origin = grid.chunkOrigin(chunkCoords);
    long first = 0;
    for (int d = 0; d < shape.length; d++) {
      first = first * shape[d] + origin[d];
    }
    // Only the last chunk along the partial dimension is short, and its valid part is a prefix.
    long validElements = 1;
    for (long e : grid.validExtent(chunkCoords)) {
      validElements *= e;
    }
    int chunkBytes = Math.toIntExact(grid.chunkElements() * elementSize);
    int length = Math.toIntExact(validElements * elementSize);
    long offset = dataOffset + first * elementSize;
    return store
        .getRange(key, offset, length)
        .thenApply(
            bytes -> {
              if (bytes.length != length) {
                throw new Hdf5FormatException(
                    "Contiguous data of '"
                        + key
                        + "' at offset "
                        + offset
                        + ": read "
                        + bytes.length
                        + " of "
                        + length
                        + " bytes (truncated?)");
              }
              byte[] chunk = length == chunkBytes ? bytes : new byte[chunkBytes];
              if (chunk != bytes) {
                System.arraycopy(bytes, 0, chunk, 0, length);
              }
              return type.bigEndian() ? Endian.swapInPlace(chunk, elementSize) : chunk;
            });
  }
}
