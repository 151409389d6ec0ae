package io.arraymorph.hdf5;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arraymorph.array.Hyperslab;
import io.arraymorph.array.NdArray;
import io.arraymorph.store.CountingObjectStore;
import io.arraymorph.store.local.LocalObjectStore;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Contiguous datasets are read in synthetic runs of consecutive bytes: with small runs, whole reads
 * still equal h5py's values (partial last runs included), and a slice fetches only the runs it
 * touches.
 */
class Hdf5ContiguousRunsTest {
  private static final Hdf5ReadOptions SMALL_RUNS =
      new Hdf5ReadOptions(Hdf5ReadOptions.DEFAULT.channel(), 1000);

  static Stream<Hdf5Fixtures.Entry> contiguous() {
    return Hdf5Fixtures.datasets().stream()
        .filter(e -> e.meta().get("layout").asText().equals("contiguous"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("contiguous")
  void smallRunsReadTheSameValues(Hdf5Fixtures.Entry entry) {
    try (LocalObjectStore store = new LocalObjectStore(Hdf5Fixtures.dir(), 4);
        Hdf5File file = Hdf5File.open(store, entry.file(), SMALL_RUNS)) {
      Hdf5Dataset ds = file.dataset(entry.path());
      NdArray all = ds.read(Hyperslab.all(ds.shape()));
      assertArrayEquals(entry.reference(), all.bytes());
    }
  }

  @Test
  void sliceOfContiguousDataFetchesOnlyTouchedRuns() {
    // /layout/contiguous: 300 x 500 float64, 4000 bytes per row; 1000-byte runs hold 125 elements.
    try (CountingObjectStore store =
            new CountingObjectStore(new LocalObjectStore(Hdf5Fixtures.dir(), 4));
        Hdf5File file = Hdf5File.open(store, "classic.h5", SMALL_RUNS)) {
      Hdf5Dataset ds = file.dataset("/layout/contiguous");
      assertEquals("[1, 125]", Arrays.toString(ds.chunkShape()));
      store.stats().reset();
      // Rows 10..19, columns 120..129: two runs per row (120..124 and 125..129).
      NdArray slab = ds.read(Hyperslab.box(new long[] {10, 120}, new long[] {10, 10}));
      assertEquals(20, store.stats().rangeGets());
      assertEquals(20 * 1000, store.stats().bytesRead());
      assertEquals(100, slab.size());
    }
  }
}
