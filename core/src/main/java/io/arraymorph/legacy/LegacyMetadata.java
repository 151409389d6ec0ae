package io.arraymorph.legacy;

import io.arraymorph.ArrayMorphException;
import io.arraymorph.array.ChunkGrid;
import io.arraymorph.array.DataType;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code meta} object the ArrayMorph HDF5 plugin (C++) writes per dataset: packed little-endian
 * int32 name length, name, int32 uri length, uri, int64 HDF5 type id, int32 rank, uint64
 * shape[rank], uint64 chunk shape[rank], int32 chunk count.
 *
 * <p>The type is recorded as the HDF5 library's process-local handle of a predefined native type,
 * so it is mapped back through the handle values a given HDF5 release assigns; when the value is
 * unknown the caller must name the type with the {@code dtype} option.
 */
public record LegacyMetadata(
    String name, String uri, long typeId, long[] shape, int[] chunkShape, int chunkCount) {

  /**
   * Handle values of the native types in HDF5 1.10.8 on x86-64 Linux (checked against Debian's
   * libhdf5): {@code H5T_NATIVE_CHAR} is signed there, and LONG and LLONG are both 64-bit.
   */
  static final Map<Long, DataType> KNOWN_TYPE_IDS =
      Map.ofEntries(
          Map.entry(0x0300000000000008L, DataType.INT8),
          Map.entry(0x0300000000000009L, DataType.UINT8),
          Map.entry(0x030000000000000aL, DataType.INT16),
          Map.entry(0x030000000000000bL, DataType.UINT16),
          Map.entry(0x030000000000000cL, DataType.INT32),
          Map.entry(0x030000000000000dL, DataType.UINT32),
          Map.entry(0x030000000000000eL, DataType.INT64),
          Map.entry(0x030000000000000fL, DataType.UINT64),
          Map.entry(0x0300000000000028L, DataType.INT64),
          Map.entry(0x0300000000000029L, DataType.UINT64),
          Map.entry(0x030000000000002aL, DataType.FLOAT32),
          Map.entry(0x030000000000002bL, DataType.FLOAT64));

  private static final int MAX_RANK = 32;
  private static final int MAX_STRING = 1 << 16;

  /**
   * Parses a {@code meta} object, checking every length against the bytes present so a corrupt
   * object fails with a clear message instead of a huge allocation.
   *
   * @throws ArrayMorphException naming the key when the object is truncated or inconsistent
   */
  public static LegacyMetadata parse(byte[] data, String key) {
    ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    try {
      String name = string(b, "name");
      String uri = string(b, "uri");
      long typeId = b.getLong();
      int rank = b.getInt();
      if (rank < 0 || rank > MAX_RANK) {
        throw new IllegalArgumentException("rank " + rank + " is outside 0.." + MAX_RANK);
      }
      long[] shape = new long[rank];
      for (int d = 0; d < rank; d++) {
        shape[d] = b.getLong();
      }
      int[] chunks = new int[rank];
      for (int d = 0; d < rank; d++) {
        long c = b.getLong();
        if (c < 1 || c > Integer.MAX_VALUE) {
          throw new IllegalArgumentException("chunk extent " + c + " in dimension " + d);
        }
        chunks[d] = (int) c;
      }
      int count = b.getInt();
      ChunkGrid grid = new ChunkGrid(shape, chunks);
      if (count != grid.chunkCount()) {
        throw new IllegalArgumentException(
            "chunk count " + count + " does not match the grid's " + grid.chunkCount());
      }
      return new LegacyMetadata(name, uri, typeId, shape, chunks, count);
    } catch (BufferUnderflowException e) {
      throw new ArrayMorphException(
          "Corrupt ArrayMorph metadata at '" + key + "': truncated (" + data.length + " bytes)", e);
    } catch (IllegalArgumentException e) {
      throw new ArrayMorphException(
          "Corrupt ArrayMorph metadata at '" + key + "': " + e.getMessage(), e);
    }
  }

  private static String string(ByteBuffer b, String field) {
    int length = b.getInt();
    if (length < 0 || length > MAX_STRING || length > b.remaining()) {
      throw new IllegalArgumentException(field + " length " + length + " is impossible");
    }
    byte[] s = new byte[length];
    b.get(s);
    return new String(s, StandardCharsets.UTF_8);
  }

  /** The element type the recorded HDF5 type id stands for, if it is a known native type handle. */
  public Optional<DataType> knownDataType() {
    return Optional.ofNullable(KNOWN_TYPE_IDS.get(typeId));
  }
}
