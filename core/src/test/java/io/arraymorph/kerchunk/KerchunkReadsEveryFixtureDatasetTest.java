package io.arraymorph.kerchunk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arraymorph.array.Hyperslab;
import io.arraymorph.array.NdArray;
import io.arraymorph.hdf5.Hdf5Fixtures;
import io.arraymorph.store.ObjectStore;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every dataset of every h5py fixture - chunked, contiguous (allocated or not) and compact - whose
 * filters Zarr can express (none, gzip, shuffle, zstd) is referenced, and reading it through the
 * parsed references equals h5py's values byte for byte, with nothing inlined and with kerchunk's
 * default 500-byte inline threshold; the others are reported as skipped with a reason.
 */
class KerchunkReadsEveryFixtureDatasetTest {

  static Stream<Arguments> datasets() {
    return Hdf5Fixtures.datasets().stream()
        .flatMap(e -> Stream.of(Arguments.of(e, 0), Arguments.of(e, 500)));
  }

  /**
   * Only deflate (1), shuffle (2) and the zstd plugin (32015) have numcodecs equivalents; the
   * manifest marks other datasets Zarr cannot express (bfloat16, unfiltered edge chunks).
   */
  static boolean expressible(JsonNode meta) {
    if (!meta.path("kerchunk_expressible").asBoolean(true)) {
      return false;
    }
    for (JsonNode id : meta.get("filter_ids")) {
      if (!Set.of(1, 2, 32015).contains(id.asInt())) {
        return false;
      }
    }
    return true;
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
  void lz4AndBitshuffleAreSkippedWithAReasonAndZstdIsReferenced() {
    KerchunkWriter.Result plugins = KerchunkFixtures.references("plugin_filters.h5");
    assertTrue(
        plugins.skipped().stream()
            .anyMatch(s -> s.path().equals("/lz4/int16") && s.reason().contains("no numcodecs")),
        plugins.skipped().toString());
    assertTrue(
        plugins.skipped().stream()
            .anyMatch(
                s -> s.path().equals("/bitshuffle/float32_zstd") && s.reason().contains("32008")),
        plugins.skipped().toString());
    assertTrue(plugins.variables().contains("zstd/float32"), plugins.skipped().toString());
    JsonNode zarray = zarray(plugins, "zstd/float32");
    assertEquals("[{\"id\":\"zstd\",\"level\":3}]", zarray.get("filters").toString());
    assertTrue(zarray.get("compressor").isNull(), zarray.toString());
  }

  private static JsonNode zarray(KerchunkWriter.Result result, String variable) {
    try {
      ObjectMapper mapper = new ObjectMapper();
      JsonNode refs = mapper.readTree(result.toJson()).get("refs");
      return mapper.readTree(refs.get(variable + "/.zarray").asText());
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
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
