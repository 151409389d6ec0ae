package io.arraymorph.kerchunk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arraymorph.array.Hyperslab;
import io.arraymorph.hdf5.Hdf5Fixtures;
import io.arraymorph.store.ObjectInfo;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.memory.MemoryObjectStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Reading through references touches only the references and the chunks' byte ranges: no HEAD, no
 * listing, no HDF5 metadata read. Inline refs need no request at all.
 */
class KerchunkReadRequestsTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Records every request as text. */
  static final class RecordingStore implements ObjectStore {
    final ObjectStore inner;
    final List<String> requests = Collections.synchronizedList(new ArrayList<>());

    RecordingStore(ObjectStore inner) {
      this.inner = inner;
    }

    @Override
    public CompletableFuture<byte[]> get(String key) {
      requests.add("GET " + key);
      return inner.get(key);
    }

    @Override
    public CompletableFuture<byte[]> getRange(String key, long offset, int length) {
      requests.add("RANGE " + key + " " + offset + " " + length);
      return inner.getRange(key, offset, length);
    }

    @Override
    public CompletableFuture<Void> put(String key, byte[] data) {
      requests.add("PUT " + key);
      return inner.put(key, data);
    }

    @Override
    public CompletableFuture<Optional<ObjectInfo>> head(String key) {
      requests.add("HEAD " + key);
      return inner.head(key);
    }

    @Override
    public CompletableFuture<List<ObjectInfo>> list(String prefix) {
      requests.add("LIST " + prefix);
      return inner.list(prefix);
    }

    @Override
    public CompletableFuture<Void> delete(String key) {
      requests.add("DELETE " + key);
      return inner.delete(key);
    }

    @Override
    public String describe() {
      return "recording " + inner.describe();
    }

    @Override
    public void close() {
      inner.close();
    }
  }

  @Test
  void readIsOneGetOfTheReferencesThenOneRangedGetPerStoredChunk() throws Exception {
    String file = "classic.h5";
    String var = "filters/shuffle_gzip";
    byte[] json = KerchunkFixtures.references(file).toJson();
    MemoryObjectStore mem = KerchunkFixtures.storeWith(file);
    mem.put("classic.h5.json", json).join();
    RecordingStore store = new RecordingStore(mem);

    KerchunkReferences refs = KerchunkReferences.read(store, "classic.h5.json");
    KerchunkDataset ds = refs.dataset(var);
    byte[] values = ds.read(Hyperslab.all(ds.shape())).bytes();

    assertArrayEquals(reference(file, "/" + var), values);
    Set<String> expected = new HashSet<>();
    JsonNode refsNode = MAPPER.readTree(json).get("refs");
    for (Iterator<Map.Entry<String, JsonNode>> it = refsNode.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().startsWith(var + "/") && e.getValue().isArray()) {
        JsonNode r = e.getValue();
        expected.add("RANGE " + file + " " + r.get(1).asLong() + " " + r.get(2).asLong());
      }
    }
    assertEquals("GET classic.h5.json", store.requests.get(0));
    List<String> rest = store.requests.subList(1, store.requests.size());
    assertEquals(expected.size(), rest.size(), "one request per chunk: " + rest);
    assertEquals(expected, new HashSet<>(rest));
  }

  @Test
  void unwrittenChunksReadAsFillWithoutRequests() {
    String file = "classic.h5";
    MemoryObjectStore mem = KerchunkFixtures.storeWith(file);
    RecordingStore store = new RecordingStore(mem);
    KerchunkReferences refs =
        KerchunkReferences.parse(
            KerchunkFixtures.references(file).toJson(), store, KerchunkReferences::defaultKey);
    KerchunkDataset ds = refs.dataset("fill/partial");
    assertArrayEquals(reference(file, "/fill/partial"), ds.read(Hyperslab.all(ds.shape())).bytes());
    int stored = entry(file, "/fill/partial").meta().get("allocated_chunks").asInt();
    int grid = 5 * 4;
    assertTrue(stored < grid, "the fixture leaves chunks unwritten");
    assertEquals(stored, store.requests.size(), "one request per written chunk: " + store.requests);
  }

  @Test
  void inlineBase64AndWholeObjectRefsAreRead() throws Exception {
    String file = "classic.h5";
    String var = "filters/gzip";
    byte[] h5 = Hdf5Fixtures.bytes(file);
    ObjectNode root = (ObjectNode) MAPPER.readTree(KerchunkFixtures.references(file).toJson());
    ObjectNode refsNode = (ObjectNode) root.get("refs");
    MemoryObjectStore mem = new MemoryObjectStore(); // the .h5 file is not in this store
    List<String> keys = new ArrayList<>();
    refsNode.fieldNames().forEachRemaining(keys::add);
    boolean first = true;
    for (String k : keys) {
      JsonNode r = refsNode.get(k);
      if (!k.startsWith(var + "/") || !r.isArray()) {
        continue;
      }
      byte[] chunk = new byte[r.get(2).asInt()];
      System.arraycopy(h5, r.get(1).asInt(), chunk, 0, chunk.length);
      if (first) { // one chunk as a whole object: ["url"]
        mem.put("chunks/" + k, chunk).join();
        refsNode.putArray(k).add("memory://x/chunks/" + k);
        first = false;
      } else {
        refsNode.put(k, "base64:" + Base64.getEncoder().encodeToString(chunk));
      }
    }
    RecordingStore store = new RecordingStore(mem);
    KerchunkReferences refs =
        KerchunkReferences.parse(
            MAPPER.writeValueAsBytes(root), store, url -> url.substring("memory://x/".length()));
    KerchunkDataset ds = refs.dataset(var);
    assertArrayEquals(reference(file, "/" + var), ds.read(Hyperslab.all(ds.shape())).bytes());
    assertEquals(1, store.requests.size(), store.requests.toString());
    assertTrue(store.requests.get(0).startsWith("GET chunks/"));
  }

  @Test
  void defaultUrlMappingUsesTheFileNameOfAbsoluteUrls() {
    assertEquals("x.h5", KerchunkReferences.defaultKey("s3://bucket/a/b/x.h5"));
    assertEquals("x.h5", KerchunkReferences.defaultKey("file:///tmp/x.h5"));
    assertEquals("a/x.h5", KerchunkReferences.defaultKey("a/x.h5"));
  }

  @Test
  void datasetExposesDimensionNamesAndIsReadOnly() {
    KerchunkReferences refs =
        KerchunkReferences.parse(
            KerchunkFixtures.references("classic.h5").toJson(),
            new MemoryObjectStore(),
            KerchunkReferences::defaultKey);
    KerchunkDataset ds = refs.dataset("types/int16");
    assertEquals(2, ds.dimensionNames().size());
    assertTrue(refs.variables().contains("types/int16"));
    try {
      ds.setAttributes(Map.of());
    } catch (UnsupportedOperationException expected) {
      return;
    }
    throw new AssertionError("setAttributes must fail");
  }

  private static byte[] reference(String file, String path) {
    return entry(file, path).reference();
  }

  private static Hdf5Fixtures.Entry entry(String file, String path) {
    return Hdf5Fixtures.datasets().stream()
        .filter(e -> e.file().equals(file) && e.path().equals(path))
        .findFirst()
        .orElseThrow();
  }
}
