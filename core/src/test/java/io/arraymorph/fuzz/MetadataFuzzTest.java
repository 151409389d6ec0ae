package io.arraymorph.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import io.arraymorph.array.Hyperslab;
import io.arraymorph.array.NdArray;
import io.arraymorph.legacy.LegacyMetadata;
import io.arraymorph.store.Futures;
import io.arraymorph.store.memory.MemoryObjectStore;
import io.arraymorph.zarr.ZarrArrayMetadata;
import io.arraymorph.zarr.ZarrNodes;
import io.arraymorph.zarr.v2.ZarrV2Metadata;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Hostile metadata: every parser either accepts a document or rejects it with a clear {@link
 * io.arraymorph.ArrayMorphException}; no other exception, hang or huge allocation. In a normal
 * build these run once per committed seed (Jazzer's regression mode, seeds under {@code
 * src/test/resources/io/arraymorph/fuzz/MetadataFuzzTestInputs/<method>/}); with {@code
 * JAZZER_FUZZ=1} one of them fuzzes for its {@code maxDuration} (see docs/reliability.md).
 */
class MetadataFuzzTest {

  @FuzzTest(maxDuration = "60s")
  void zarrV3Metadata(byte[] json) {
    try {
      ZarrNodes.Node node = ZarrNodes.parse(json, "zarr.json");
      if (node.array() != null) {
        ZarrArrayMetadata m = node.array();
        m.grid().chunkCount();
        // What we accept, we write back identically enough to accept again.
        ZarrArrayMetadata again = ZarrArrayMetadata.parse(m.toJson(), "zarr.json");
        if (!Arrays.equals(m.shape(), again.shape())
            || !Arrays.equals(m.chunkShape(), again.chunkShape())
            || m.dataType() != again.dataType()) {
          throw new AssertionError("round trip changed " + m + " into " + again);
        }
      }
    } catch (RuntimeException e) {
      Hostile.expected(e);
    }
  }

  @FuzzTest(maxDuration = "60s")
  void zarrV2Metadata(byte[] json) {
    try {
      ZarrV2Metadata m = ZarrV2Metadata.parse(json, ".zarray");
      m.grid().chunkCount();
    } catch (RuntimeException e) {
      Hostile.expected(e);
    }
  }

  @FuzzTest(maxDuration = "60s")
  void legacyMetadata(byte[] data) {
    try {
      LegacyMetadata.parse(data, "file.h5/dset/meta");
    } catch (RuntimeException e) {
      Hostile.expected(e);
    }
  }

  /**
   * Fuzzed zarr.json plus one fuzzed chunk object, then a read of the first element: declared sizes
   * must never be trusted for allocation beyond what one element needs and the stored bytes.
   */
  @FuzzTest(maxDuration = "60s")
  void zarrV3DatasetRead(FuzzedDataProvider data) {
    byte[] json = data.consumeString(4096).getBytes(StandardCharsets.UTF_8);
    byte[] chunk = data.consumeRemainingAsBytes();
    try (MemoryObjectStore memory = new MemoryObjectStore()) {
      Futures.join(memory.put("a/zarr.json", json));
      ZarrArrayMetadata m;
      try {
        m = ZarrArrayMetadata.parse(json, "a/zarr.json");
      } catch (RuntimeException e) {
        Hostile.expected(e);
        return;
      }
      long[] start = new long[m.shape().length];
      long[] count = new long[start.length];
      for (int d = 0; d < start.length; d++) {
        if (m.shape()[d] == 0) {
          return;
        }
        count[d] = 1;
      }
      Futures.join(memory.put("a/" + m.chunkKey(new long[start.length]), chunk));
      try (ArrayStore store = ArrayStore.on(memory, 2)) {
        Dataset dataset = store.dataset("a");
        NdArray one = dataset.read(Hyperslab.box(start, count));
        if (one.size() != 1) {
          throw new AssertionError("read " + one.size() + " elements, wanted 1");
        }
      } catch (RuntimeException e) {
        Hostile.expected(e);
      }
    }
  }
}
