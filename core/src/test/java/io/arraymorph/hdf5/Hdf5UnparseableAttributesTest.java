package io.arraymorph.hdf5;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.NodeInfo;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A dataset with an attribute jhdf 0.13 cannot parse (a region reference; libhdf5 1.12's datatype
 * version 4 fails the same way) reads with h5py's values through the Java API, keeps its other
 * attributes, and costs its neighbours nothing: in version-1 object headers and in checksummed
 * version-2 ones.
 */
class Hdf5UnparseableAttributesTest {

  @ParameterizedTest
  @ValueSource(strings = {"unparseable_attributes_v1.h5", "unparseable_attributes_latest.h5"})
  void datasetReadsWithH5pyValuesAndItsOtherAttributes(String file) {
    List<Hdf5Fixtures.Entry> entries =
        Hdf5Fixtures.datasets().stream().filter(e -> e.file().equals(file)).toList();
    assertEquals(2, entries.size());
    try (ArrayStore store = ArrayStore.open(Hdf5Fixtures.dir().resolve(file).toString())) {
      assertEquals(
          List.of("/grp/beside", "/values"),
          store.list().stream()
              .filter(n -> n.kind() == NodeInfo.Kind.DATASET)
              .map(NodeInfo::path)
              .sorted()
              .toList());
      for (Hdf5Fixtures.Entry e : entries) {
        assertArrayEquals(e.reference(), store.dataset(e.path()).read().bytes(), e.toString());
      }
      assertEquals(Map.of("scale", 2.5, "units", "m"), store.dataset("/values").attributes());
    }
  }
}
