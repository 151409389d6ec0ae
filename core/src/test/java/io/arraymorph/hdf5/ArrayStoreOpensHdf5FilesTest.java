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
