package io.arraymorph.fuzz;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.arraymorph.api.NodeInfo;
import io.arraymorph.array.Hyperslab;
import io.arraymorph.array.NdArray;
import io.arraymorph.hdf5.Hdf5Dataset;
import io.arraymorph.hdf5.Hdf5File;
import io.arraymorph.hdf5.Hdf5Layout;
import io.arraymorph.hdf5.channel.ChannelOptions;
import io.arraymorph.store.memory.MemoryObjectStore;
import java.time.Duration;

/**
 * Hostile HDF5 files: open, list, read each dataset's chunk index and a small corner selection.
 * Allowed outcomes are values or a clear rejection ({@link Hostile#expected}: {@code
 * Hdf5FormatException}, {@code Hdf5UnsupportedException}, ...); any other exception, an
 * out-of-memory or a run longer than {@link #BOUND} is a finding. Seeds are small real files (see
 * scripts/make_hdf5_fuzz_seeds.py) under {@code Hdf5FuzzTestInputs/openListAndRead/}.
 */
class Hdf5FuzzTest {
  /**
   * A longer run means a loop that does not end. Far above what a few-KiB input takes, but jhdf
   * allocates (and zeroes) the up to 2 GiB an object header declares before reading it: with a
   * large heap that takes seconds (seed {@code huge_object_header_size}); with a small one it fails
   * at once and is reported as a corrupt file (see Jhdf).
   */
  private static final Duration BOUND = Duration.ofSeconds(30);

  /** Small blocks, so each header and index node is fetched through its own bounded read. */
  private static final ChannelOptions CHANNEL = new ChannelOptions(512, 512, 1, 1L << 20);

  @FuzzTest(maxDuration = "60s")
  void openListAndRead(byte[] file) {
    assertTimeoutPreemptively(BOUND, () -> openListAndReadAll(file));
  }

  private static void openListAndReadAll(byte[] bytes) {
    try (MemoryObjectStore store = new MemoryObjectStore()) {
      store.put("f.h5", bytes).join();
      try (Hdf5File file = Hdf5File.open(store, "f.h5", CHANNEL)) {
        for (NodeInfo info : file.datasets()) {
          try {
            readCorner(file.dataset(info.path()));
          } catch (RuntimeException e) {
            Hostile.expected(e);
          }
        }
      }
    } catch (RuntimeException e) {
      Hostile.expected(e);
    }
  }

  /** The chunk index, then up to 3 elements per dimension from the origin. */
  private static void readCorner(Hdf5Dataset ds) {
    if (ds.layout() == Hdf5Layout.CHUNKED) {
      ds.chunkIndex();
    }
    long[] shape = ds.shape();
    long[] count = new long[shape.length];
    long elements = 1;
    for (int d = 0; d < shape.length; d++) {
      count[d] = Math.min(3, shape[d]);
      elements *= count[d];
    }
    NdArray corner = ds.read(Hyperslab.box(new long[shape.length], count));
    if (corner.size() != elements) {
      throw new AssertionError("read " + corner.size() + " elements, wanted " + elements);
    }
  }
}
