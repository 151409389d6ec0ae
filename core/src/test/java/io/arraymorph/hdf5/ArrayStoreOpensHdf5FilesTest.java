package io.arraymorph.hdf5;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.api.ArraySpec;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import io.arraymorph.api.NodeInfo;
import io.arraymorph.array.DataType;
import io.arraymorph.store.ObjectStore;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Java API opens an HDF5 or NetCDF4 file by its location and reads it in place. */
class ArrayStoreOpensHdf5FilesTest {

  @Test
  void aFileLocationListsAndReadsItsDatasetsWithTheValuesH5pyRead() {
    List<Hdf5Fixtures.Entry> classic =
        Hdf5Fixtures.datasets().stream().filter(e -> e.file().equals("classic.h5")).toList();
    assertTrue(classic.size() > 5);
    try (ArrayStore store = ArrayStore.open(Hdf5Fixtures.dir().resolve("classic.h5").toString())) {
      List<String> listed = store.list().stream().map(NodeInfo::path).toList();
      for (Hdf5Fixtures.Entry e : classic) {
        assertTrue(listed.contains(e.path()), e.path() + " in " + listed);
        assertTrue(store.exists(e.path().substring(1)), "exists without the leading slash");
        Dataset d = store.dataset(e.path());
        assertArrayEquals(e.reference(), d.read().bytes(), e.toString());
      }
      assertTrue(store.hdf5File().isPresent());
    }
  }

  /**
   * Strings, compounds and enums are described and read through {@link Dataset} itself (no cast to
   * the HDF5 class): the element type, its size, and every value as h5py read it.
   */
  @Test
  void typedDatasetsAreDescribedAndReadThroughTheDatasetInterface() {
    List<Hdf5Fixtures.Entry> typed =
        Hdf5Fixtures.typed().stream().filter(e -> e.file().equals("types.h5")).toList();
    assertTrue(typed.size() > 5);
    try (ArrayStore store = ArrayStore.open(Hdf5Fixtures.dir().resolve("types.h5").toString());
        ObjectStore objects = Hdf5Fixtures.store("local", "types.h5");
        Hdf5File file = Hdf5File.open(objects, "types.h5")) {
      for (Hdf5Fixtures.Entry e : typed) {
        Dataset d = store.dataset(e.path());
        Hdf5Dataset direct = file.dataset(e.path());
        assertTrue(d.readsValues(), e.toString());
        assertEquals(direct.elementType().describe(), d.elementType().describe(), e.toString());
        assertEquals(direct.elementBytes(), d.elementBytes(), e.toString());
        int n = Math.toIntExact(java.util.Arrays.stream(d.shape()).reduce(1, (a, b) -> a * b));
        Hdf5Values all = d.readValuesAsync(io.arraymorph.array.Hyperslab.all(d.shape())).join();
        for (int i = 0; i < n; i++) {
          Hdf5FixtureAssertions.assertValue(e.meta(), i, all, i);
        }
      }
      Dataset numbers = store.dataset("/numbers");
      assertTrue(!numbers.readsValues());
      assertEquals(numbers.dataType().byteSize(), numbers.elementBytes());
      UnsupportedOperationException refused =
          assertThrows(
              UnsupportedOperationException.class,
              () -> numbers.readValuesAsync(io.arraymorph.array.Hyperslab.all(numbers.shape())));
      assertTrue(refused.getMessage().contains("read()"), refused.getMessage());
    }
  }

  /** Every other format's dataset is numeric: its element type is its data type. */
  @Test
  void zarrDatasetsAreNumericThroughTheDatasetInterface() {
    try (ArrayStore store = ArrayStore.open("mem://element-kind-" + System.nanoTime())) {
      Dataset d = store.createDataset("v", ArraySpec.of(DataType.INT16, 6).chunks(4));
      assertTrue(!d.readsValues());
      assertEquals("int16", d.elementType().describe());
      assertEquals(2, d.elementBytes());
      assertThrows(
          UnsupportedOperationException.class,
          () -> d.readValuesAsync(io.arraymorph.array.Hyperslab.all(d.shape())));
    }
  }

  @Test
  void netcdfDimensionsNameTheDimensions() {
    Hdf5Fixtures.Entry withDims =
        Hdf5Fixtures.datasets().stream()
            .filter(e -> e.file().equals("climate.nc") && e.meta().has("dimension_names"))
            .findFirst()
            .orElseThrow();
    try (ArrayStore store = ArrayStore.open("file:" + Hdf5Fixtures.dir().resolve("climate.nc"))) {
      Dataset d = store.dataset(withDims.path());
      List<String> expected = new java.util.ArrayList<>();
      withDims.meta().get("dimension_names").forEach(n -> expected.add(n.asText()));
      assertEquals(expected, d.dimensionNames());
    }
  }

  @Test
  void writingIntoAnHdf5FileIsRefusedWithWhatToDoInstead() {
    try (ArrayStore store = ArrayStore.open(Hdf5Fixtures.dir().resolve("classic.h5").toString())) {
      UnsupportedOperationException e =
          assertThrows(
              UnsupportedOperationException.class,
              () -> store.createDataset("x", ArraySpec.of(DataType.INT8, 4)));
      assertTrue(e.getMessage().contains("Zarr v3"), e.getMessage());
    }
  }
}
