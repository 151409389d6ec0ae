package io.arraymorph.hdf5;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arraymorph.array.Hyperslab;
import io.arraymorph.store.local.LocalObjectStore;
import io.arraymorph.testing.PythonFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every dataset of the shared corpus of real HDF5 files (other projects' test files) that uses
 * szip, nbit, scaleoffset or Blosc reads exactly as h5py reads it (the one damaged scaleoffset
 * chunk of libhdf5's own tests is refused as corrupt): never a silent wrong value. Skipped where
 * {@code ../shared/corpus/real-hdf5} is absent (it is not part of the project).
 */
class Hdf5CorpusFiltersTest {
  @TempDir Path refs;

  private static Path corpus() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path c = d.resolveSibling("shared").resolve("corpus").resolve("real-hdf5");
      if (Files.isDirectory(c)) {
        return c;
      }
    }
    return null;
  }

  @Test
  void filteredCorpusDatasetsReadLikeH5pyOrAreRefusedByName() throws IOException {
    Path corpus = corpus();
    assumeTrue(corpus != null, "../shared/corpus/real-hdf5 is absent: nothing to compare");
    PythonFixtures.generateWith("corpus_filter_refs.py", corpus.toString(), refs);
    JsonNode manifest = new ObjectMapper().readTree(refs.resolve("manifest.json").toFile());
    List<String> exact = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    try (LocalObjectStore store = new LocalObjectStore(corpus)) {
      for (JsonNode e : manifest) {
        if (!e.has("ref")) {
          continue; // h5py cannot read it either
        }
        String where = e.get("file").asText() + ":" + e.get("path").asText();
        try (Hdf5File file = Hdf5File.open(store, e.get("file").asText())) {
          Hdf5Dataset ds = file.dataset(e.get("path").asText());
          byte[] actual = ds.read(Hyperslab.all(ds.shape())).bytes();
          assertArrayEquals(Files.readAllBytes(refs.resolve(e.get("ref").asText())), actual, where);
          exact.add(where);
        } catch (Hdf5FormatException ex) {
          // tmisc38a.h5 is a corrupted file of libhdf5's test suite (test/tmisc.c, test_misc38)
          // with a damaged scaleoffset chunk (bit count 127 for a 16-bit type): libhdf5 1.10 reads
          // undefined values from it; current libhdf5 refuses it (src/H5Zscaleoffset.c,
          // H5Z__filter_scaleoffset, "minimum number of bits exceeds size of type"), as we do.
          assertTrue(
              where.contains("tmisc38") && ex.getMessage().contains("scaleoffset"),
              where + " failed: " + ex.getMessage());
          refused.add(where + " (corrupt scaleoffset chunk)");
        }
      }
    }
    System.out.println(
        "corpus filters: " + exact.size() + " exact, " + refused.size() + " refused " + refused);
    // 47 nbit/scaleoffset/Blosc datasets and the 11 szip ones (libhdf5's test files, 32-bit
    // integers and floats of both byte orders, nearest-neighbour and entropy coding).
    assertTrue(exact.size() >= 58, "exact: " + exact);
    assertTrue(refused.size() <= 1, "refused: " + refused);
  }
}
