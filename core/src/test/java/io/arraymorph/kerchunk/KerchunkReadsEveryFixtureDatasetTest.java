package io.arraymorph.kerchunk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.arraymorph.array.Hyperslab;
import io.arraymorph.array.NdArray;
import io.arraymorph.hdf5.Hdf5Fixtures;
import io.arraymorph.store.ObjectStore;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every dataset of every h5py fixture - chunked, contiguous (allocated or not) and compact - whose
 * filters Zarr can express (none, gzip, shuffle) is referenced, and reading it through the parsed
 * references equals h5py's values byte for byte, with nothing inlined and with kerchunk's default
 * 500-byte inline threshold; the others are reported as skipped with a reason.
 */
class KerchunkReadsEveryFixtureDatasetTest {

  static Stream<Arguments> datasets() {
    return Hdf5Fixtures.datasets().stream()
        .flatMap(e -> Stream.of(Arguments.of(e, 0), Arguments.of(e, 500)));
  }

  static boolean expressible(JsonNode meta) {
    String compression = meta.get("compression").isNull() ? "" : meta.get("compression").asText();
    return (compression.isEmpty() || compression.equals("gzip"))
        && !meta.get("fletcher32").asBoolean();
  }

  @ParameterizedTest(name = "{0} inline<{1}")
  @MethodSource("datasets")
  void datasetReadsLikeH5pyThroughReferences(Hdf5Fixtures.Entry entry, int inlineThreshold) {
    KerchunkWriter.Result result =
        inlineThreshold == 0
            ? KerchunkFixtures.references(entry.file())
            : KerchunkFixtures.defaultReferences(entry.file());
    String variable = entry.path().substring(1);
    if (!expressible(entry.meta())) {
      assertTrue(
          result.skipped().stream().anyMatch(s -> s.path().equals(entry.path())),
          "expected " + entry + " to be skipped: " + result.skipped());
      return;
    }
    assertTrue(result.variables().contains(variable), "not referenced: " + result.skipped());
    try (ObjectStore store = KerchunkFixtures.storeWith(entry.file())) {
      KerchunkReferences refs =
          KerchunkReferences.parse(result.toJson(), store, KerchunkReferences::defaultKey);
      KerchunkDataset ds = refs.dataset(variable);
      long[] shape = ds.shape();
      JsonNode s = entry.meta().get("shape");
      assertEquals(s.size(), shape.length, "rank");
      for (int d = 0; d < s.size(); d++) {
        assertEquals(s.get(d).asLong(), shape[d], "shape");
      }
      assertEquals(entry.meta().get("dtype").asText(), ds.dataType().zarrName(), "dtype");
      NdArray all = ds.read(Hyperslab.all(shape));
      assertArrayEquals(entry.reference(), all.bytes(), "values of " + entry);
    }
  }

  @Test
  void fletcher32AndLzfDatasetsAreSkippedWithAReason() {
    KerchunkWriter.Result classic = KerchunkFixtures.references("classic.h5");
    assertTrue(
        classic.skipped().stream()
            .anyMatch(s -> s.path().endsWith("/fletcher32") && s.reason().contains("fletcher32")),
        classic.skipped().toString());
    assertTrue(
        classic.skipped().stream()
            .anyMatch(s -> s.path().endsWith("/lzf") && s.reason().contains("lzf")),
        classic.skipped().toString());
  }

  @Test
  void everyLayoutIsReferenced() {
    KerchunkWriter.Result classic = KerchunkFixtures.references("classic.h5");
    for (String v :
        new String[] {
          "layout/contiguous",
          "layout/contiguous_1d",
          "layout/contiguous_unwritten",
          "layout/compact"
        }) {
      assertTrue(classic.variables().contains(v), v + " skipped: " + classic.skipped());
    }
  }
}
