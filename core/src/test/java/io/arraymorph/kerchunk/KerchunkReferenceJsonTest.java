package io.arraymorph.kerchunk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arraymorph.hdf5.Hdf5ChunkLocation;
import io.arraymorph.hdf5.Hdf5Dataset;
import io.arraymorph.hdf5.Hdf5File;
import io.arraymorph.store.memory.MemoryObjectStore;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The reference JSON has kerchunk's structure and points at the HDF5 chunk index's bytes. */
class KerchunkReferenceJsonTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static JsonNode refs(String file) throws Exception {
    JsonNode root = MAPPER.readTree(KerchunkFixtures.references(file).toJson());
    assertEquals(1, root.get("version").asInt());
    return root.get("refs");
  }

  private static JsonNode zarray(JsonNode refs, String var) throws Exception {
    JsonNode z = refs.get(var + "/.zarray");
    assertTrue(z.isTextual(), ".zarray must be a JSON string");
    return MAPPER.readTree(z.asText());
  }

  @Test
  void rootAndGroupsAreZarrV2Groups() throws Exception {
    JsonNode refs = refs("classic.h5");
    assertEquals(2, MAPPER.readTree(refs.get(".zgroup").asText()).get("zarr_format").asInt());
    assertEquals(
        2, MAPPER.readTree(refs.get("filters/.zgroup").asText()).get("zarr_format").asInt());
  }

  @Test
  void shuffleAndDeflateBecomeZarrFiltersInPipelineOrder() throws Exception {
    JsonNode z = zarray(refs("classic.h5"), "filters/shuffle_gzip");
    assertEquals("[16,20]", z.get("chunks").toString());
    assertEquals("<i4", z.get("dtype").asText());
    assertTrue(z.get("compressor").isNull());
    assertEquals(
        "[{\"id\":\"shuffle\",\"elementsize\":4},{\"id\":\"zlib\",\"level\":4}]",
        z.get("filters").toString());
    assertEquals("C", z.get("order").asText());
    assertEquals(2, z.get("zarr_format").asInt());
  }

  @Test
  void deflateKeepsItsLevelAndUnfilteredHasNullFilters() throws Exception {
    JsonNode refs = refs("classic.h5");
    assertEquals(
        "[{\"id\":\"zlib\",\"level\":6}]", zarray(refs, "filters/gzip").get("filters").toString());
    assertTrue(zarray(refs, "types/float32").get("filters").isNull());
  }

  @Test
  void dtypeNamesByteOrderLikeNumpy() throws Exception {
    JsonNode refs = refs("classic.h5");
    assertEquals(">i2", zarray(refs, "big_endian/int16_be").get("dtype").asText());
    assertEquals(">f8", zarray(refs, "big_endian/float64_be").get("dtype").asText());
    assertEquals("<u8", zarray(refs, "types/uint64").get("dtype").asText());
    assertEquals("|i1", zarray(refs, "types/int8").get("dtype").asText());
    assertEquals("<f2", zarray(refs, "types/float16").get("dtype").asText());
  }

  @Test
  void fillValueAndShapeAreCarried() throws Exception {
    JsonNode refs = refs("classic.h5");
    JsonNode partial = zarray(refs, "fill/partial");
    assertEquals(-7, partial.get("fill_value").asInt());
    assertEquals("[50,40]", partial.get("shape").toString());
    assertEquals("NaN", zarray(refs, "fill/never_written").get("fill_value").asText());
  }

  @Test
  void zattrsCarryDimensionNames() throws Exception {
    JsonNode attrs = MAPPER.readTree(refs("classic.h5").get("types/int16/.zattrs").asText());
    assertEquals(2, attrs.get("_ARRAY_DIMENSIONS").size());
  }

  @Test
  void chunkRefsEqualTheHdf5ChunkIndex() throws Exception {
    for (String file : new String[] {"classic.h5", "latest.h5", "userblock.h5"}) {
      JsonNode refs = refs(file);
      try (MemoryObjectStore store = KerchunkFixtures.storeWith(file);
          Hdf5File h5 = Hdf5File.open(store, file)) {
        for (String var : KerchunkFixtures.references(file).variables()) {
          Hdf5Dataset ds = h5.dataset(var);
          Set<String> expected = new HashSet<>();
          for (Hdf5ChunkLocation c : ds.chunkIndex()) {
            String key = var + "/" + KerchunkWriter.chunkKey(c.chunkCoords());
            expected.add(key);
            JsonNode ref = refs.get(key);
            assertEquals("s3://bucket/dir/" + file, ref.get(0).asText(), key);
            assertEquals(c.offset(), ref.get(1).asLong(), key);
            assertEquals(c.storedSize(), ref.get(2).asLong(), key);
          }
          Set<String> actual = new HashSet<>();
          for (Iterator<String> it = refs.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (k.startsWith(var + "/")
                && !k.substring(var.length() + 1).contains("/")
                && !k.substring(var.length() + 1).startsWith(".")) {
              actual.add(k);
            }
          }
          assertEquals(expected, actual, file + ":" + var);
        }
      }
    }
  }
}
