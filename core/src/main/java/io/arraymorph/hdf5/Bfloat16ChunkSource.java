package io.arraymorph.hdf5;

import io.arraymorph.array.ChunkGrid;
import io.arraymorph.array.ChunkSelection;
import io.arraymorph.array.DataType;
import io.arraymorph.engine.ChunkSource;
import java.util.concurrent.CompletableFuture;

/**
 * A bfloat16 dataset (HDF5 2.0's {@code H5T_NATIVE_BFLOAT16}: sign, 8 exponent and 7 mantissa bits)
 * read as float32, which holds every bfloat16 exactly: a bfloat16 is the upper half of the float32
 * of the same value. The wrapped source reads the stored values as little-endian uint16.
 */
final class Bfloat16ChunkSource implements ChunkSource {
  private final ChunkSource raw;

  Bfloat16ChunkSource(ChunkSource raw) {
    if (raw.dataType() != DataType.UINT16) {
      throw new IllegalArgumentException("bfloat16 bits are read as uint16: " + raw.dataType());
    }
    this.raw = raw;
  }

  @Override
  public ChunkGrid grid() {
    return raw.grid();
  }

  @Override
  public DataType dataType() {
    return DataType.FLOAT32;
  }

  @Override
  public byte[] fillValue() {
    return widen(raw.fillValue());
  }

  @Override
  public CompletableFuture<byte[]> readChunk(long[] chunkCoords) {
    return raw.readChunk(chunkCoords).thenApply(c -> c == null ? null : widen(c));
  }

  @Override
  public CompletableFuture<byte[]> readChunk(ChunkSelection selection) {
    return raw.readChunk(selection).thenApply(c -> c == null ? null : widen(c));
  }

  /** Little-endian bfloat16 values as little-endian float32 values (the low 16 bits zero). */
  static byte[] widen(byte[] bfloat16) {
    byte[] out = new byte[bfloat16.length * 2];
    for (int i = 0, j = 0; i + 1 < bfloat16.length; i += 2, j += 4) {
      out[j + 2] = bfloat16[i];
      out[j + 3] = bfloat16[i + 1];
    }
    return out;
  }
}
