package io.arraymorph.legacy;

import static org.bytedeco.hdf5.global.hdf5.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.ArrayMorphException;
import io.arraymorph.array.DataType;
import io.arraymorph.array.Hyperslab;
import io.arraymorph.store.memory.MemoryObjectStore;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The type handles the ArrayMorph C++ plugin records, as libhdf5 1.14 assigns them: read at run
 * time from the real library (org.bytedeco:hdf5 1.14.3, native x86-64 Linux binaries) after {@code
 * H5open}, and compared with the type libhdf5 itself reports for each handle (class, size, sign).
 * The native types map to the right element type, also where the same value means another type
 * under 1.10 (told apart by chunk size); the others fail with an error asking for dtype.
 */
class LegacyTypeIdsOnHdf5Test {

  @BeforeAll
  static void openLibrary() {
    assertEquals(0, H5open(), "H5open");
    int[] major = new int[1];
    int[] minor = new int[1];
    int[] release = new int[1];
    H5get_libversion(major, minor, release);
    assertEquals("1.14", major[0] + "." + minor[0], "libhdf5 version");
  }

  /** The native types the plugin writes, by their HDF5 names. */
  private static Map<String, LongSupplier> supported() {
    Map<String, LongSupplier> m = new LinkedHashMap<>();
    m.put("SCHAR", () -> H5T_NATIVE_SCHAR_g());
    m.put("UCHAR", () -> H5T_NATIVE_UCHAR_g());
    m.put("SHORT", () -> H5T_NATIVE_SHORT_g());
    m.put("USHORT", () -> H5T_NATIVE_USHORT_g());
    m.put("INT", () -> H5T_NATIVE_INT_g());
    m.put("UINT", () -> H5T_NATIVE_UINT_g());
    m.put("LONG", () -> H5T_NATIVE_LONG_g());
    m.put("ULONG", () -> H5T_NATIVE_ULONG_g());
    m.put("LLONG", () -> H5T_NATIVE_LLONG_g());
    m.put("ULLONG", () -> H5T_NATIVE_ULLONG_g());
    m.put("FLOAT", () -> H5T_NATIVE_FLOAT_g());
    m.put("DOUBLE", () -> H5T_NATIVE_DOUBLE_g());
    m.put("INT8", () -> H5T_NATIVE_INT8_g());
    m.put("UINT8", () -> H5T_NATIVE_UINT8_g());
    m.put("INT16", () -> H5T_NATIVE_INT16_g());
    m.put("UINT16", () -> H5T_NATIVE_UINT16_g());
    m.put("INT32", () -> H5T_NATIVE_INT32_g());
    m.put("UINT32", () -> H5T_NATIVE_UINT32_g());
    m.put("INT64", () -> H5T_NATIVE_INT64_g());
    m.put("UINT64", () -> H5T_NATIVE_UINT64_g());
    return m;
  }

  /** Native types with no ArrayMorph element type. */
  private static Map<String, LongSupplier> others() {
    Map<String, LongSupplier> m = new LinkedHashMap<>();
    m.put("LDOUBLE", () -> H5T_NATIVE_LDOUBLE_g());
    m.put("B8", () -> H5T_NATIVE_B8_g());
    m.put("B16", () -> H5T_NATIVE_B16_g());
    m.put("B64", () -> H5T_NATIVE_B64_g());
    m.put("OPAQUE", () -> H5T_NATIVE_OPAQUE_g());
    m.put("HADDR", () -> H5T_NATIVE_HADDR_g());
    m.put("HSIZE", () -> H5T_NATIVE_HSIZE_g());
    m.put("HSSIZE", () -> H5T_NATIVE_HSSIZE_g());
    m.put("HERR", () -> H5T_NATIVE_HERR_g());
    m.put("HBOOL", () -> H5T_NATIVE_HBOOL_g());
    return m;
  }

  /** What libhdf5 says the handle is, independently of our tables. */
  private static DataType libhdf5Type(long id) {
    long bits = 8 * H5Tget_size(id);
    int typeClass = H5Tget_class(id);
    if (typeClass == H5T_FLOAT) {
      return DataType.fromZarrName("float" + bits);
    }
    assertEquals(H5T_INTEGER, typeClass, "class of handle 0x" + Long.toHexString(id));
    return DataType.fromZarrName((H5Tget_sign(id) == H5T_SGN_2 ? "int" : "uint") + bits);
  }

  /** A one-chunk dataset of 5 elements whose chunk holds {@code elementSize}-byte elements. */
  private static MemoryObjectStore storeWith(long typeId, byte[] chunk) {
    MemoryObjectStore store = new MemoryObjectStore();
    store.put("f.h5/d/meta", meta(typeId)).join();
    store.put("f.h5/d/0", chunk).join();
    return store;
  }

  private static byte[] meta(long typeId) {
    byte[] name = "d".getBytes(StandardCharsets.UTF_8);
    byte[] uri = "f.h5".getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(100).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(name.length).put(name).putInt(uri.length).put(uri).putLong(typeId).putInt(1);
    b.putLong(5).putLong(5).putInt(1);
    byte[] out = new byte[b.position()];
    b.flip().get(out);
    return out;
  }

  private static byte[] pattern(int bytes) {
    byte[] chunk = new byte[bytes];
    for (int i = 0; i < bytes; i++) {
      chunk[i] = (byte) (i * 37 + 11);
    }
    return chunk;
  }

  @Test
  void everyNativeTypeHandleOfHdf5_114ResolvesToItsType() {
    int ambiguousWith110 = 0;
    for (Map.Entry<String, LongSupplier> e : supported().entrySet()) {
      long id = e.getValue().getAsLong();
      DataType expected = libhdf5Type(id);
      LegacyMetadata meta = LegacyMetadata.parse(meta(id), "f.h5/d/meta");
      assertEquals(expected, meta.candidateTypes().get("HDF5 1.14"), "H5T_NATIVE_" + e.getKey());
      if (meta.knownDataType().isEmpty()) {
        ambiguousWith110++;
      }
      byte[] chunk = pattern(5 * expected.byteSize());
      try (MemoryObjectStore store = storeWith(id, chunk)) {
        LegacyDataset ds = LegacyDataset.open(store, "f.h5/d", meta, null, 2);
        assertEquals(expected, ds.dataType(), "H5T_NATIVE_" + e.getKey() + " opened as");
        assertArrayEquals(chunk, ds.read(Hyperslab.all(new long[] {5})).bytes());
      }
    }
    // 1.14 shifted the values: most of them name another type under 1.10.
    assertTrue(ambiguousWith110 > 10, "handles shared with 1.10: " + ambiguousWith110);
  }

  @Test
  void otherNativeTypesFailAskingForDtype() {
    for (Map.Entry<String, LongSupplier> e : others().entrySet()) {
      long id = e.getValue().getAsLong();
      int size = (int) H5Tget_size(id);
      LegacyMetadata meta = LegacyMetadata.parse(meta(id), "f.h5/d/meta");
      try (MemoryObjectStore store = storeWith(id, pattern(5 * size))) {
        ArrayMorphException x =
            assertThrows(
                ArrayMorphException.class,
                () ->
                    LegacyDataset.open(store, "f.h5/d", meta, null, 2)
                        .read(Hyperslab.all(new long[] {5})),
                "H5T_NATIVE_" + e.getKey());
        assertTrue(x.getMessage().contains("dtype"), x.getMessage());
      }
    }
  }

  @Test
  void aHandleMeaningTwoTypesOfOneSizeReadsAsHdf5_114AndDtypeOverrides() {
    long id = H5T_NATIVE_INT64_g(); // 1.14's INT64 is 1.10's ULLONG: both 8 bytes
    LegacyMetadata meta = LegacyMetadata.parse(meta(id), "f.h5/d/meta");
    assertEquals(
        Map.of("HDF5 1.10", DataType.UINT64, "HDF5 1.14", DataType.INT64), meta.candidateTypes());
    try (MemoryObjectStore store = storeWith(id, pattern(40))) {
      assertEquals(DataType.INT64, LegacyDataset.open(store, "f.h5/d", meta, null, 2).dataType());
      assertEquals(
          DataType.UINT64, LegacyDataset.open(store, "f.h5/d", meta, "uint64", 2).dataType());
    }
  }
}
