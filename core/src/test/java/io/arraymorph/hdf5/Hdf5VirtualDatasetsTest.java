package io.arraymorph.hdf5;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import io.arraymorph.api.NodeInfo;
import io.arraymorph.array.Hyperslab;
import io.arraymorph.array.NdArray;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.local.LocalObjectStore;
import io.arraymorph.store.memory.MemoryObjectStore;
import io.arraymorph.testing.PythonFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Virtual datasets (VDS) written by Debian's h5py/libhdf5 ({@code scripts/make_vds_fixtures.py}):
 * fixed and strided selections, a source in the same file, a missing source file, unlimited
 * selections growing with their sources and printf-named ({@code %b}) sources. Every one reads with
 * the values and the extent h5py reads, whole and by slices crossing mappings.
 */
class Hdf5VirtualDatasetsTest {
  private static Path dir;
  private static JsonNode manifest;

  record Entry(String file, JsonNode meta) {
    String path() {
      return meta.get("path").asText();
    }

    long[] shape() {
      long[] shape = new long[meta.get("shape").size()];
      for (int d = 0; d < shape.length; d++) {
        shape[d] = meta.get("shape").get(d).asLong();
      }
      return shape;
    }

    byte[] reference() throws IOException {
      return Files.readAllBytes(dir.resolve(meta.get("ref").asText()));
    }

    @Override
    public String toString() {
      return file + ":" + path();
    }
  }

  /** Generates the fixtures once per test run (a second or two), so they follow the script. */
  @BeforeAll
  static synchronized void generate() throws IOException {
    if (manifest != null) {
      return;
    }
    dir = Paths.get("target", "vds-fixtures").toAbsolutePath();
    PythonFixtures.generate("make_vds_fixtures.py", dir);
    manifest = new ObjectMapper().readTree(dir.resolve("manifest.json").toFile());
  }

  static Stream<Entry> entries() throws IOException {
    generate();
    List<Entry> out = new ArrayList<>();
    manifest
        .get("files")
        .fields()
        .forEachRemaining(f -> f.getValue().forEach(d -> out.add(new Entry(f.getKey(), d))));
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("entries")
  void readsWithTheValuesAndExtentH5pyReads(Entry e) throws IOException {
    try (ObjectStore store = new LocalObjectStore(dir, 4);
        Hdf5File file = Hdf5File.open(store, e.file())) {
      Hdf5Dataset ds = file.dataset(e.path());
      assertEquals(Hdf5Layout.VIRTUAL, ds.layout());
      assertArrayEquals(e.shape(), ds.shape(), "extent of " + e);
      assertArrayEquals(e.reference(), ds.read(Hyperslab.all(ds.shape())).bytes(), e.toString());
    }
  }

  /** Small synthetic chunks: every chunk meets several mappings, and slices cross them. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("entries")
  void slicesAcrossMappingsMatchTheWholeRead(Entry e) throws IOException {
    Hdf5ReadOptions tiny = new Hdf5ReadOptions(Hdf5ReadOptions.DEFAULT.channel(), 8);
    try (ObjectStore store = new LocalObjectStore(dir, 4);
        Hdf5File file = Hdf5File.open(store, e.file(), tiny)) {
      Hdf5Dataset ds = file.dataset(e.path());
      long[] shape = ds.shape();
      byte[] whole = e.reference();
      int size = ds.dataType().byteSize();
      long[] start = new long[shape.length];
      long[] count = new long[shape.length];
      for (int d = 0; d < shape.length; d++) {
        start[d] = shape[d] / 3;
        count[d] = Math.max(1, shape[d] - shape[d] / 3 - shape[d] / 4);
      }
      NdArray part = ds.read(Hyperslab.box(start, count));
      assertArrayEquals(slice(whole, shape, start, count, size), part.bytes(), e.toString());
    }
  }

  /** The Java API's door: a VDS file's location lists the VDS and reads it. */
  @Test
  void theJavaApiListsAndReadsAVirtualDatasetByItsFileLocation() throws IOException {
    Entry e = entries().filter(x -> x.file().equals("vds_fixed.h5")).findFirst().orElseThrow();
    try (ArrayStore store = ArrayStore.open(dir.resolve(e.file()).toString())) {
      NodeInfo info =
          store.list().stream().filter(n -> n.path().equals(e.path())).findFirst().orElseThrow();
      assertArrayEquals(e.shape(), info.shape());
      Dataset d = store.dataset(e.path());
      assertArrayEquals(e.reference(), d.read().bytes());
    }
  }

  /**
   * A store holding only the VDS file: every source is missing and every element reads as the fill
   * value, as libhdf5 reads a VDS whose sources are gone.
   */
  @Test
  void missingSourcesReadAsTheFillValue() throws IOException {
    Entry e = entries().filter(x -> x.file().equals("vds_fixed.h5")).findFirst().orElseThrow();
    try (MemoryObjectStore store = new MemoryObjectStore()) {
      store.put(e.file(), Files.readAllBytes(dir.resolve(e.file()))).join();
      try (Hdf5File file = Hdf5File.open(store, e.file())) {
        Hdf5Dataset ds = file.dataset(e.path());
        int[] values = ints(ds.read(Hyperslab.all(ds.shape())).bytes());
        int[] reference = ints(e.reference());
        for (int i = 0; i < values.length; i++) {
          // Column 6 comes from a dataset of the same file; everything else is -7, the fill value.
          int expected = i % 7 == 6 ? reference[i] : -7;
          assertEquals(expected, values[i], "element " + i);
        }
        assertTrue(Arrays.stream(reference).filter(v -> v == -7).count() < values.length / 2);
      }
    }
  }

  /** A VDS mapping itself (libhdf5 1.10 crashes on it) fails naming the cycle, without hanging. */
  @Test
  void aMappingThatReachesItselfIsRefusedByName() throws IOException {
    try (ObjectStore store = new LocalObjectStore(dir, 4);
        Hdf5File file = Hdf5File.open(store, "vds_cycle.h5")) {
      Hdf5UnsupportedException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              Hdf5UnsupportedException.class, () -> file.dataset("/loop"));
      assertTrue(e.getMessage().contains("reaches itself"), e.getMessage());
      assertTrue(e.getMessage().contains("/loop"), e.getMessage());
    }
  }

  private static int[] ints(byte[] bytes) {
    int[] out = new int[bytes.length / 4];
    java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(out);
    return out;
  }

  /** A box of a C-order array's bytes. */
  static byte[] slice(byte[] whole, long[] shape, long[] start, long[] count, int size) {
    int rank = shape.length;
    long n = 1;
    for (long c : count) {
      n *= c;
    }
    byte[] out = new byte[Math.toIntExact(n * size)];
    long[] at = new long[rank];
    for (int k = 0; k < n; k++) {
      long flat = 0;
      for (int d = 0; d < rank; d++) {
        flat = flat * shape[d] + start[d] + at[d];
      }
      System.arraycopy(whole, (int) (flat * size), out, k * size, size);
      for (int d = rank - 1; d >= 0 && ++at[d] == count[d]; d--) {
        at[d] = 0;
      }
    }
    return out;
  }
}
