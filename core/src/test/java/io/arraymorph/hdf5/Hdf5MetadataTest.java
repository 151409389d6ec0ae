package io.arraymorph.hdf5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.arraymorph.ArrayMorphException;
import io.arraymorph.api.NodeInfo;
import io.arraymorph.store.local.LocalObjectStore;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Metadata as libhdf5 and netCDF see it: chunk indexes, listings, attributes, dimension names. */
class Hdf5MetadataTest {

  static Stream<Hdf5Fixtures.Entry> chunked() {
    return Hdf5Fixtures.datasets().stream().filter(e -> !e.meta().get("chunk_index").isNull());
  }

  /**
   * Every index type yields exactly libhdf5's entries (H5Dget_chunk_info): coords, offset, size,
   * mask.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("chunked")
  void chunkIndexEqualsLibhdf5s(Hdf5Fixtures.Entry entry) {
    try (LocalObjectStore store = new LocalObjectStore(Hdf5Fixtures.dir(), 2);
        Hdf5File file = Hdf5File.open(store, entry.file())) {
      List<String> ours =
          file.dataset(entry.path()).chunkIndex().stream()
              .map(
                  c ->
                      Arrays.toString(c.chunkCoords())
                          + " @"
                          + c.offset()
                          + " +"
                          + c.storedSize()
                          + " m"
                          + c.filterMask())
              .sorted()
              .toList();
      long userblock = entry.meta().get("userblock").asLong();
      List<String> theirs =
          streamOf(entry.meta().get("chunk_index"))
              .map(
                  row -> {
                    int rank = row.size() - 3;
                    long[] coords = new long[rank];
                    for (int d = 0; d < rank; d++) {
                      coords[d] = row.get(d).asLong();
                    }
                    return Arrays.toString(coords)
                        + " @"
                        + (row.get(rank).asLong() + userblock)
                        + " +"
                        + row.get(rank + 1).asLong()
                        + " m"
                        + row.get(rank + 2).asInt();
                  })
              .sorted()
              .toList();
      assertEquals(theirs, ours);
    }
  }

  private static Stream<JsonNode> streamOf(JsonNode array) {
    return java.util.stream.StreamSupport.stream(array.spliterator(), false);
  }

  @Test
  void netcdfVariablesAreNamedByTheirDimensions() {
    try (LocalObjectStore store = new LocalObjectStore(Hdf5Fixtures.dir(), 2);
        Hdf5File file = Hdf5File.open(store, "climate.nc")) {
      Hdf5Dataset t = file.dataset("temperature");
      assertEquals(List.of("time", "lat", "lon"), t.dimensionNames());
      assertEquals(List.of("lat", "nv"), file.dataset("/lat_bnds").dimensionNames());
      assertEquals(List.of("time"), file.dataset("/time").dimensionNames());
      assertEquals("K", t.attributes().get("units"));
      assertFalse(t.attributes().containsKey("DIMENSION_LIST"), "bookkeeping is hidden");
      assertFalse(file.dataset("/lat").attributes().containsKey("CLASS"));
      assertEquals("ArrayMorph NetCDF4 fixture", file.attributes("/").get("title"));
      assertEquals("bytes(little), shuffle[4] -> deflate[4]", t.codecDescription());
      byte[] fill = t.fillValue();
      assertEquals(
          -999.0f,
          java.nio.ByteBuffer.wrap(fill).order(java.nio.ByteOrder.LITTLE_ENDIAN).getFloat());
    }
  }

  @Test
  void plainHdf5DimensionsAreNumbered() {
    try (LocalObjectStore store = new LocalObjectStore(Hdf5Fixtures.dir(), 2);
        Hdf5File file = Hdf5File.open(store, "classic.h5")) {
      assertEquals(List.of("dim_0", "dim_1"), file.dataset("/large").dimensionNames());
      assertEquals(List.of(), file.dataset("/layout/scalar").dimensionNames());
    }
  }

  @Test
  void listingShowsGroupsDatasetsAndAttributes() {
    try (LocalObjectStore store = new LocalObjectStore(Hdf5Fixtures.dir(), 2);
        Hdf5File file = Hdf5File.open(store, "classic.h5")) {
      List<NodeInfo> nodes = file.nodes();
      assertEquals(
          nodes.stream().sorted(Comparator.comparing(NodeInfo::path)).toList(), nodes, "sorted");
      Map<String, NodeInfo> byPath =
          nodes.stream().collect(Collectors.toMap(NodeInfo::path, n -> n));
      NodeInfo root = byPath.get("/");
      assertEquals(NodeInfo.Kind.GROUP, root.kind());
      assertEquals("ArrayMorph fixture", root.attributes().get("title"));
      assertEquals(-42, ((Number) root.attributes().get("int_scalar")).intValue());
      assertEquals(List.of(0L, 1L, 2L, 3L), root.attributes().get("int_array"));
      assertEquals(NodeInfo.Kind.GROUP, byPath.get("/types").kind());
      NodeInfo gz = byPath.get("/filters/shuffle_gzip_fletcher32");
      assertEquals("int32", gz.dataType());
      assertEquals("bytes(little), shuffle[4] -> deflate[4] -> fletcher32", gz.codecs());
      assertEquals(
          "bytes(big), none", byPath.get("/big_endian/float64_be").codecs(), "byte order shown");
      NodeInfo large = byPath.get("/large");
      assertTrue(Arrays.equals(new long[] {800, 600}, large.shape()));
      assertTrue(Arrays.equals(new int[] {64, 64}, large.chunkShape()));
      assertEquals(2.5, large.attributes().get("float_scalar"));
      long datasets = nodes.stream().filter(n -> n.kind() == NodeInfo.Kind.DATASET).count();
      assertEquals(38, datasets);
    }
  }

  @Test
  void layoutsAndIndexTypesAreReported() {
    try (LocalObjectStore store = new LocalObjectStore(Hdf5Fixtures.dir(), 2);
        Hdf5File file = Hdf5File.open(store, "classic.h5")) {
      assertEquals("btree-v1", file.dataset("/large").indexType());
      Hdf5Dataset contiguous = file.dataset("/layout/contiguous");
      assertEquals(Hdf5Layout.CONTIGUOUS, contiguous.layout());
      // 300 x 500 float64 = 1.2 MB: one synthetic chunk of whole rows under 2 MiB.
      assertTrue(Arrays.equals(new int[] {300, 500}, contiguous.chunkShape()));
      assertEquals(List.of(), contiguous.chunkIndex());
      assertEquals(Hdf5Layout.COMPACT, file.dataset("/layout/compact").layout());
    }
  }

  @Test
  void missingPathsAndGroupsAreClearErrors() {
    try (LocalObjectStore store = new LocalObjectStore(Hdf5Fixtures.dir(), 2);
        Hdf5File file = Hdf5File.open(store, "classic.h5")) {
      ArrayMorphException missing =
          assertThrows(ArrayMorphException.class, () -> file.dataset("/types/nope"));
      assertTrue(missing.getMessage().contains("No node '/types/nope'"), missing.getMessage());
      ArrayMorphException group =
          assertThrows(ArrayMorphException.class, () -> file.dataset("/types"));
      assertTrue(group.getMessage().contains("is a group"), group.getMessage());
      assertThrows(
          UnsupportedOperationException.class,
          () -> file.dataset("/large").setAttributes(Map.of()));
      assertNull(file.dataset("/fill/never_written").chunkSource().readChunk(new long[2]).join());
    }
  }

  @Test
  void syntheticContiguousChunksAreContiguousRunsNearTheTarget() {
    int[] rows = ContiguousChunkSource.syntheticChunks(new long[] {10_000, 1000}, 8, 2 << 20);
    assertTrue(Arrays.equals(new int[] {262, 1000}, rows), Arrays.toString(rows));
    int[] partial = ContiguousChunkSource.syntheticChunks(new long[] {4, 5, 1_000_000}, 4, 1 << 20);
    assertTrue(Arrays.equals(new int[] {1, 1, 262_144}, partial), Arrays.toString(partial));
    assertEquals(0, ContiguousChunkSource.syntheticChunks(new long[0], 8, 1 << 20).length);
  }
}
