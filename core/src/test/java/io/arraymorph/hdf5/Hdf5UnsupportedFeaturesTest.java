package io.arraymorph.hdf5;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.arraymorph.api.NodeInfo;
import io.arraymorph.array.Hyperslab;
import io.arraymorph.store.local.LocalObjectStore;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Features the reader does not implement fail with an error naming the feature and the path, and do
 * not stop the rest of the file from being listed and read.
 */
class Hdf5UnsupportedFeaturesTest {

  static Stream<Hdf5Fixtures.Entry> unsupported() {
    return Hdf5Fixtures.unsupported().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unsupported")
  void unsupportedFeatureFailsNamingFeatureAndPath(Hdf5Fixtures.Entry entry) {
    try (LocalObjectStore store = new LocalObjectStore(Hdf5Fixtures.dir(), 2);
        Hdf5File file = Hdf5File.open(store, entry.file())) {
      Hdf5FixtureAssertions.assertUnsupportedNamesFeatureAndPath(file, entry);
    }
  }

  @Test
  void listingShowsUnsupportedDatasetsAndReadsTheRest() {
    try (LocalObjectStore store = new LocalObjectStore(Hdf5Fixtures.dir(), 2);
        Hdf5File file = Hdf5File.open(store, "unsupported.h5")) {
      Map<String, String> types =
          file.datasets().stream().collect(Collectors.toMap(NodeInfo::path, NodeInfo::dataType));
      assertEquals("int32", types.get("/plain"));
      assertEquals("unsupported: variable-length sequence type", types.get("/vlen_ints"));
      assertEquals("unsupported: reference type", types.get("/references"));
      assertFalse(types.containsKey("/external"), "links are not followed when listing");
      assertEquals("int32", types.get("/vds/virtual"), "a virtual dataset lists and reads");
      assertArrayEquals(
          file.dataset("/plain").read(Hyperslab.all(new long[] {10})).bytes(),
          file.dataset("/vds/virtual").read(Hyperslab.all(new long[] {10})).bytes());
      List<String> groups =
          file.nodes().stream()
              .filter(n -> n.kind() == NodeInfo.Kind.GROUP)
              .map(NodeInfo::path)
              .toList();
      assertEquals(List.of("/", "/vds"), groups);
    }
  }

  /**
   * An optional filter with no decoder here (MAFISC): chunks stored without it read, a chunk that
   * applies it fails naming the filter and the dataset (h5py's values:
   * Hdf5ReadsEveryFixtureDataset).
   */
  @Test
  void aChunkApplyingAnOptionalFilterWithNoDecoderIsRefusedAndTheOthersRead() {
    try (LocalObjectStore store = new LocalObjectStore(Hdf5Fixtures.dir(), 2);
        Hdf5File file = Hdf5File.open(store, "optional_filter.h5")) {
      Hdf5Dataset applied = file.dataset("/applied");
      Hdf5Dataset skipped = file.dataset("/skipped");
      Hyperslab lastChunk = Hyperslab.box(new long[] {4, 8}, new long[] {4, 8});
      assertArrayEquals(skipped.read(lastChunk).bytes(), applied.read(lastChunk).bytes());
      RuntimeException thrown =
          org.junit.jupiter.api.Assertions.assertThrows(
              RuntimeException.class, () -> applied.read(Hyperslab.all(applied.shape())));
      Throwable t = thrown;
      while (t != null && !(t instanceof Hdf5UnsupportedException)) {
        t = t.getCause();
      }
      Hdf5UnsupportedException e = (Hdf5UnsupportedException) t;
      org.junit.jupiter.api.Assertions.assertNotNull(e, thrown.toString());
      assertEquals("/applied", e.path());
      org.junit.jupiter.api.Assertions.assertTrue(
          e.getMessage().contains("filter id 32002"), e.getMessage());
    }
  }
}
