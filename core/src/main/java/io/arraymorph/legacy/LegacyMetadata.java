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
   * libhdf5): {@code H5T_NATIVE_CHAR} is signed there, and LONG and LLONG are both 64-bit. Both the
   * C names (SCHAR ... DOUBLE) and the fixed-width aliases (INT8 ... UINT64) are mapped.
   */
  static final Map<Long, DataType> HDF5_1_10_TYPE_IDS =
      Map.ofEntries(
          Map.entry(0x0300000000000008L, DataType.INT8), // SCHAR
          Map.entry(0x0300000000000009L, DataType.UINT8), // UCHAR
          Map.entry(0x030000000000000aL, DataType.INT16), // SHORT
          Map.entry(0x030000000000000bL, DataType.UINT16), // USHORT
          Map.entry(0x030000000000000cL, DataType.INT32), // INT
          Map.entry(0x030000000000000dL, DataType.UINT32), // UINT
          Map.entry(0x030000000000000eL, DataType.INT64), // LONG
          Map.entry(0x030000000000000fL, DataType.UINT64), // ULONG
          Map.entry(0x0300000000000010L, DataType.INT8), // INT8
          Map.entry(0x0300000000000011L, DataType.UINT8), // UINT8
          Map.entry(0x0300000000000016L, DataType.INT16), // INT16
          Map.entry(0x0300000000000017L, DataType.UINT16), // UINT16
          Map.entry(0x030000000000001cL, DataType.INT32), // INT32
          Map.entry(0x030000000000001dL, DataType.UINT32), // UINT32
          Map.entry(0x0300000000000022L, DataType.INT64), // INT64
          Map.entry(0x0300000000000023L, DataType.UINT64), // UINT64
          Map.entry(0x0300000000000028L, DataType.INT64), // LLONG
          Map.entry(0x0300000000000029L, DataType.UINT64), // ULLONG
          Map.entry(0x030000000000002aL, DataType.FLOAT32), // FLOAT
          Map.entry(0x030000000000002bL, DataType.FLOAT64)); // DOUBLE

  /**
   * The same in HDF5 1.14.3 on x86-64 Linux (checked at test time against the libhdf5 of
   * org.bytedeco:hdf5): 1.14 registers more types before the native ones, so the values shift and
   * most of them mean another type under 1.10. See {@link #candidateTypes()}.
   */
  static final Map<Long, DataType> HDF5_1_14_TYPE_IDS =
      Map.ofEntries(
          Map.entry(0x0300000000000008L, DataType.FLOAT32), // FLOAT
          Map.entry(0x0300000000000009L, DataType.FLOAT64), // DOUBLE
          Map.entry(0x030000000000000bL, DataType.INT8), // SCHAR
          Map.entry(0x030000000000000cL, DataType.UINT8), // UCHAR
          Map.entry(0x030000000000000dL, DataType.INT16), // SHORT
          Map.entry(0x030000000000000eL, DataType.UINT16), // USHORT
          Map.entry(0x0300000000000011L, DataType.INT32), // INT
          Map.entry(0x0300000000000012L, DataType.UINT32), // UINT
          Map.entry(0x0300000000000013L, DataType.INT64), // LONG
          Map.entry(0x0300000000000014L, DataType.UINT64), // ULONG
          Map.entry(0x0300000000000015L, DataType.INT64), // LLONG
          Map.entry(0x0300000000000016L, DataType.UINT64), // ULLONG
          Map.entry(0x0300000000000017L, DataType.INT8), // INT8
          Map.entry(0x0300000000000018L, DataType.UINT8), // UINT8
          Map.entry(0x030000000000001dL, DataType.INT16), // INT16
          Map.entry(0x030000000000001eL, DataType.UINT16), // UINT16
          Map.entry(0x0300000000000023L, DataType.INT32), // INT32
          Map.entry(0x0300000000000024L, DataType.UINT32), // UINT32
          Map.entry(0x0300000000000029L, DataType.INT64), // INT64
          Map.entry(0x030000000000002aL, DataType.UINT64)); // UINT64

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

  /**
   * The element types the recorded id stands for under the HDF5 releases whose handle values are
   * known (1.10, then 1.14), keyed by release. The meta object does not say which release wrote it,
   * so one id may name two types; {@link LegacyDataset#open} tells them apart by chunk size.
   */
  public Map<String, DataType> candidateTypes() {
    Map<String, DataType> out = new java.util.LinkedHashMap<>();
    DataType v110 = HDF5_1_10_TYPE_IDS.get(typeId);
    DataType v114 = HDF5_1_14_TYPE_IDS.get(typeId);
    if (v110 != null) {
      out.put("HDF5 1.10", v110);
    }
    if (v114 != null) {
      out.put("HDF5 1.14", v114);
    }
    return out;
  }

  /** The element type of the recorded id if every known HDF5 release agrees on it. */
  public Optional<DataType> knownDataType() {
    java.util.Set<DataType> types = java.util.EnumSet.noneOf(DataType.class);
    types.addAll(candidateTypes().values());
    return types.size() == 1 ? Optional.of(types.iterator().next()) : Optional.empty();
  }
}
