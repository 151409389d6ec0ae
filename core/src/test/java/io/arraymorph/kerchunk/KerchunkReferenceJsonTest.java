package io.arraymorph.kerchunk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arraymorph.hdf5.Hdf5ChunkLocation;
import io.arraymorph.hdf5.Hdf5Dataset;
import io.arraymorph.hdf5.Hdf5File;
import io.arraymorph.hdf5.Hdf5Fixtures;
import io.arraymorph.hdf5.Hdf5Layout;
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
          if (ds.layout() != Hdf5Layout.CHUNKED) {
            continue;
          }
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

  @Test
  void contiguousDatasetsAreRowRangesOfLibhdf5sDataOffset() throws Exception {
    int checked = 0;
    for (Hdf5Fixtures.Entry e : Hdf5Fixtures.datasets()) {
      if (!e.meta().get("layout").asText().equals("contiguous")
          || !KerchunkReadsEveryFixtureDatasetTest.expressible(e.meta())) {
        continue;
      }
      JsonNode refs = refs(e.file());
      String var = e.path().substring(1);
      JsonNode z = zarray(refs, var);
      JsonNode offset = e.meta().get("data_offset");
      long elementSize = Long.parseLong(z.get("dtype").asText().substring(2));
      long chunkBytes = elementSize;
      for (JsonNode c : z.get("chunks")) {
        chunkBytes *= c.asLong();
      }
      long total = elementSize;
      for (JsonNode d : e.meta().get("shape")) {
        total *= d.asLong();
      }
      long count = 0;
      for (Iterator<String> it = refs.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        if (k.startsWith(var + "/") && !k.substring(var.length() + 1).startsWith(".")) {
          JsonNode ref = refs.get(k);
          // H5Dget_offset counts the user block, as the refs must
          long row = Long.parseLong(k.substring(var.length() + 1).split("\\.", -1)[0]);
          assertEquals(offset.asLong() + row * chunkBytes, ref.get(1).asLong(), k);
          assertEquals(chunkBytes, ref.get(2).asLong(), k);
          count++;
        }
      }
      assertEquals(offset.isNull() || total == 0 ? 0 : total / chunkBytes, count, var);
      checked++;
    }
    assertTrue(checked >= 5, "contiguous fixtures checked: " + checked);
  }

  @Test
  void contiguousChunksDivideTheFirstDimensionWithinTheTarget() {
    assertArrayEquals(
        new int[] {100, 500}, KerchunkWriter.contiguousChunks(new long[] {300, 500}, 8, 400_000));
    assertArrayEquals(
        new int[] {1001}, KerchunkWriter.contiguousChunks(new long[] {1001}, 2, 8 << 20));
    assertArrayEquals(new int[] {1, 7}, KerchunkWriter.contiguousChunks(new long[] {13, 7}, 8, 60));
    assertArrayEquals(new int[] {1, 3}, KerchunkWriter.contiguousChunks(new long[] {0, 3}, 4, 100));
    assertArrayEquals(new int[0], KerchunkWriter.contiguousChunks(new long[0], 4, 100));
  }

  @Test
  void smallChunksAndCompactDataAreInlineAsBase64() throws Exception {
    JsonNode refs =
        MAPPER.readTree(KerchunkFixtures.defaultReferences("classic.h5").toJson()).get("refs");
    assertTrue(refs.get("layout/compact/0.0").asText().startsWith("base64:"));
    int inline = 0;
    int ranged = 0;
    for (Iterator<String> it = refs.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      JsonNode ref = refs.get(k);
      if (ref.isArray()) {
        assertTrue(ref.get(2).asLong() >= 500, k + " should be inline: " + ref);
        ranged++;
      } else if (ref.asText().startsWith("base64:")) {
        inline++;
      }
    }
    assertTrue(inline > 0 && ranged > 0, inline + " inline, " + ranged + " ranged");
  }
}
