package io.arraymorph.hdf5;

import io.arraymorph.array.ChunkGrid;
import io.arraymorph.array.DataType;
import io.arraymorph.engine.ChunkSource;
import io.arraymorph.engine.Fill;
import java.util.concurrent.CompletableFuture;

/**
 * The raw bytes of a string, compound or enum dataset seen as a uint8 array with one more axis (the
 * element's bytes). The engine fills unwritten chunks with a one-byte fill value, but such an
 * element's fill value has many bytes: unwritten chunks are answered here with that pattern.
 */
final class ElementFillChunkSource implements ChunkSource {
  private final ChunkSource raw;
  private final byte[] elementFill;

  ElementFillChunkSource(ChunkSource raw, byte[] elementFill) {
    this.raw = raw;
    this.elementFill = elementFill.clone();
  }

  @Override
  public ChunkGrid grid() {
    return raw.grid();
  }

  @Override
  public DataType dataType() {
    return raw.dataType();
  }

  /** One byte, unused: unwritten chunks are never left to the engine. */
  @Override
  public byte[] fillValue() {
    return raw.fillValue();
  }

  @Override
  public CompletableFuture<byte[]> readChunk(long[] chunkCoords) {
    return raw.readChunk(chunkCoords).thenApply(c -> c != null ? c : fillChunk());
  }

  private byte[] fillChunk() {
    return Fill.chunk(elementFill, grid().chunkElements() / elementFill.length);
  }
}
