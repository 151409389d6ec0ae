package io.arraymorph.hdf5;

import io.arraymorph.array.ChunkGrid;
import io.arraymorph.array.ChunkSelection;
import io.arraymorph.array.DataType;
import io.arraymorph.engine.ChunkSource;
import java.util.concurrent.CompletableFuture;

/**
 * The chunks of an n-bit integer dataset (an integer type whose value is {@code precision} bits
 * starting at bit {@code offset}, as HDF5 allows and the nbit filter packs), turned into plain
 * integers of the element's size: the value bits shifted down and, for signed types, sign-extended
 * from the top value bit, as libhdf5's conversion to a native integer does. Padding bits are
 * ignored.
 */
final class NbitIntegerSource implements ChunkSource {
  private final ChunkSource raw;
  private final ElementType type;

  /**
   * @param raw the stored elements, little-endian; its fill value already holds plain values
   */
  NbitIntegerSource(ChunkSource raw, ElementType type) {
    this.raw = raw;
    this.type = type;
  }

  @Override
  public ChunkGrid grid() {
    return raw.grid();
  }

  @Override
  public DataType dataType() {
    return raw.dataType();
  }

  @Override
  public byte[] fillValue() {
    return raw.fillValue();
  }

  @Override
  public CompletableFuture<byte[]> readChunk(long[] chunkCoords) {
    return raw.readChunk(chunkCoords).thenApply(this::valuesOrNull);
  }

  @Override
  public CompletableFuture<byte[]> readChunk(ChunkSelection selection) {
    return raw.readChunk(selection).thenApply(this::valuesOrNull);
  }

  private byte[] valuesOrNull(byte[] chunk) {
    return chunk == null ? null : values(chunk, type);
  }

  /**
   * A new array of the values of little-endian elements of an n-bit type (a new array: sources may
   * reuse theirs).
   */
  static byte[] values(byte[] elements, ElementType type) {
    int size = type.dataType().byteSize();
    int precision = type.precision();
    int offset = type.bitOffset();
    boolean signed = type.dataType().kind() == DataType.Kind.SIGNED;
    byte[] out = new byte[elements.length];
    long mask = precision == 64 ? -1L : (1L << precision) - 1;
    long sign = 1L << (precision - 1);
    for (int at = 0; at + size <= elements.length; at += size) {
      long bits = 0;
      for (int i = 0; i < size; i++) {
        bits |= (elements[at + i] & 0xffL) << (8 * i);
      }
      long v = (bits >>> offset) & mask;
      if (signed && (v & sign) != 0) {
        v |= ~mask;
      }
      for (int i = 0; i < size; i++) {
        out[at + i] = (byte) (v >>> (8 * i));
      }
    }
    return out;
  }
}
