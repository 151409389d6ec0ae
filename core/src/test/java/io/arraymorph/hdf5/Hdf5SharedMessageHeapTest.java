package io.arraymorph.hdf5;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Datasets whose dataspace, datatype, fill value, filters and attributes (with their own datatype
 * and dataspace) libhdf5 keeps in the shared object header message heap (SOHM) read with h5py's
 * values and attributes through the Java API, in files with default and latest format bounds.
 */
class Hdf5SharedMessageHeapTest {

  @ParameterizedTest
  @ValueSource(strings = {"shared_messages_v1.h5", "shared_messages_latest.h5"})
  void datasetsWithHeapSharedMessagesReadLikeH5py(String file) {
    List<Hdf5Fixtures.Entry> entries =
        Hdf5Fixtures.datasets().stream().filter(e -> e.file().equals(file)).toList();
    assertEquals(3, entries.size());
    try (ArrayStore store = ArrayStore.open(Hdf5Fixtures.dir().resolve(file).toString())) {
      for (Hdf5Fixtures.Entry e : entries) {
        Dataset ds = store.dataset(e.path());
        assertArrayEquals(e.reference(), ds.read().bytes(), e.toString());
        assertEquals(Map.of("units", "m"), ds.attributes(), e.toString());
      }
    }
  }
}
