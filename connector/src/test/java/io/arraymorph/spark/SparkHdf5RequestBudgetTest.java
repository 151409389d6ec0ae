package io.arraymorph.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.ObjectStores;
import io.arraymorph.store.StoreSettings;
import io.arraymorph.testing.FaultProxy;
import io.arraymorph.testing.S3ProxyServer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What a read of a chunked HDF5 dataset on S3 costs its tasks, counted at the server (a recording
 * proxy in front of S3Proxy): the driver parses the file once and ships each task its chunks'
 * offsets, sizes and filter masks, so a task makes exactly one range GET per stored chunk it reads
 * (never-written chunks cost nothing), each with {@code If-Match} on the file's planned entity tag,
 * and no HEAD (one per task before reads checked the version themselves); no task reads the
 * superblock, an object header or the chunk index. Values equal h5py's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkHdf5RequestBudgetTest {
  private static final String FILE = "classic.h5";
  private static final String TYPES = "types.h5";
  private static final String COMPACT = "compact_types.h5";
  private SparkSession spark;
  private FaultProxy proxy;
  private String root;
  private Map<String, String> direct;
  private Map<String, String> viaProxy;
  private Path dir;
  private JsonNode manifest;

  @BeforeAll
  void upload() throws Exception {
    S3ProxyServer server = S3ProxyServer.get();
    String bucket = S3ProxyServer.uniqueBucketName("spark-hdf5-budget");
    server.createBucket(bucket);
    direct = server.settings(bucket);
    root = "s3://" + bucket + "/fixtures";
    dir = SparkFixtureFiles.hdf5();
    manifest = SparkFixtureFiles.json(dir.resolve("manifest.json"));
    try (ObjectStore store = ObjectStores.open(root, StoreSettings.of(direct))) {
      Futures.join(store.put(FILE, Files.readAllBytes(dir.resolve(FILE))));
      Futures.join(store.put(TYPES, Files.readAllBytes(dir.resolve(TYPES))));
      Futures.join(store.put(COMPACT, Files.readAllBytes(dir.resolve(COMPACT))));
    }
    spark = SparkTestSupport.session();
    proxy = FaultProxy.start(server.endpoint(), FaultProxy.Flavor.S3, 1);
    proxy.recordOnly();
    viaProxy = new HashMap<>(direct);
    viaProxy.put("endpoint", proxy.endpoint());
  }

  @AfterAll
  void stop() {
    proxy.close();
    spark.stop();
  }

  private List<FaultProxy.Request> drain() {
    return proxy.drainRecorded();
  }

  /**
   * Reads {@code path} (rows {@code rowLo..rowHi} when given) in tasks of about {@code
   * chunksPerTask} chunks; {@code stored} is how many stored chunks the read overlaps (-1: every
   * stored chunk, as h5py lists them).
   */
  @ParameterizedTest(name = "{0} rows {1}..{2}")
  @CsvSource({
    "/filters/shuffle_gzip_fletcher32, -1, -1, 3, -1",
    "/big_endian/int32_be, -1, -1, 2, -1",
    "/fill/partial, -1, -1, 5, -1",
    "/large, 60, 69, 1, 20",
  })
  void tasksMakeOneConditionalRangeGetPerStoredChunkAndNoHead(
      String path, long rowLo, long rowHi, int chunksPerTask, int stored) throws Exception {
    JsonNode entry = entry(path);
    long[] shape = longs(entry.get("shape"));
    long[] chunks = longs(entry.get("chunks"));
    int size = Math.toIntExact(entry.path("itemsize").asLong(bytesOf(entry.get("dtype").asText())));
    long chunkBytes = size;
    for (long c : chunks) {
      chunkBytes *= c;
    }
    if (stored < 0) {
      stored = entry.get("chunk_index").size(); // h5py's chunk index: the stored chunks
    }
    drain();
    Dataset<Row> df =
        spark
            .read()
            .format("arraymorph")
            .options(viaProxy)
            .option("dataset", path)
            .option("partition_bytes", Long.toString(chunksPerTask * chunkBytes))
            .load(root + "/" + FILE);
    String i = df.columns()[0];
    if (rowLo >= 0) {
      df = df.where(i + " BETWEEN " + rowLo + " AND " + rowHi);
    }
    SparkTestSupport.Counted c = SparkTestSupport.counted(path, df, proxy);
    int tasks = c.tasks();
    List<Row> rows = c.rows();
    List<FaultProxy.Request> executors = c.executors();
    assertTrue(tasks > 1, "several tasks: " + tasks);
    assertTrue(
        executors.stream().allMatch(r -> r.decodedPath().split("\\?", -1)[0].endsWith("/" + FILE)),
        "every request reads the file: " + executors);
    assertEquals(
        stored,
        executors.stream().filter(r -> r.method().equals("GET")).count(),
        "one range GET per stored chunk: " + executors);
    assertTrue(
        executors.stream().allMatch(r -> r.ifMatch() != null),
        "each GET checks the file's version: " + executors);
    assertEquals(stored, executors.size(), "no HEAD, nothing else: " + executors);

    long rowCount = rowLo >= 0 ? (rowHi - rowLo + 1) * shape[1] : shape[0] * shape[1];
    assertEquals(rowCount, rows.size());
    ByteBuffer h5py = reference(entry);
    String dtype = entry.get("dtype").asText();
    for (Row r : rows) {
      int at = (int) (r.getLong(0) * shape[1] + r.getLong(1));
      assertEquals(element(h5py, dtype, at), ((Number) r.get(2)).doubleValue(), 0.0, r.toString());
    }
  }

  /**
   * A chunked compound dataset (big-endian members, a fixed-length string, shuffle and gzip, chunks
   * never written): each task rebuilds the element decoding from the datatype message it carries,
   * so it too makes one conditional range GET per stored chunk and no HEAD, and no task parses the
   * file: 6 executor requests for 4 tasks (10 with a HEAD per task; 18, 14 GETs, when every task
   * reopened the file). h5py's values.
   */
  @Test
  void compoundTasksReadOnlyTheirChunksAndNoHead() {
    JsonNode entry = null;
    for (JsonNode d : manifest.get("files").get(TYPES).get("typed")) {
      if (d.get("path").asText().equals("/compound")) {
        entry = d;
      }
    }
    int stored = entry.get("allocated_chunks").asInt();
    long chunkBytes = entry.get("chunks").get(0).asLong() * entry.get("element_size").asLong();
    drain();
    Dataset<Row> df =
        spark
            .read()
            .format("arraymorph")
            .options(viaProxy)
            .option("dataset", "/compound")
            .option("partition_bytes", Long.toString(2 * chunkBytes))
            .load(root + "/" + TYPES);
    SparkTestSupport.Counted c = SparkTestSupport.counted("/compound", df, proxy);
    int tasks = c.tasks();
    List<Row> rows = c.rows();
    List<FaultProxy.Request> executors = c.executors();
    long gets = c.executors("GET");
    long heads = c.executors("HEAD");
    assertTrue(tasks > 1, "several tasks: " + tasks);
    assertEquals(stored, gets, "one range GET per stored chunk: " + executors);
    assertEquals(0, heads, "the GETs check the file's version: " + executors);
    assertTrue(executors.stream().allMatch(r -> r.ifMatch() != null), "" + executors);
    assertEquals(stored, executors.size(), "nothing else: " + executors);
    SparkHdf5TypesTest.assertRowsEqualH5py(entry, rows);
  }

  /**
   * Contiguous strings, compounds and enums: each task rebuilds the decoding from the datatype
   * message it carries and reads the data at the planned offset, so it makes one range GET per
   * (synthetic) chunk, with {@code If-Match}, and no HEAD (one before reads checked the version
   * themselves), and no task parses the file (before that, each task reopened the file: 3 GETs and
   * the HEAD of opening it, and no check that it was the file planned). h5py's values.
   */
  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {"/compound_contiguous", "/enum_int16_be", "/fixed_ascii_nullterm"})
  void contiguousTypedTasksReadOnlyTheirDataAndNoHead(String path) {
    List<FaultProxy.Request> executors = readTyped(path).executors();
    long gets = executors.stream().filter(r -> r.method().equals("GET")).count();
    long heads = executors.stream().filter(r -> r.method().equals("HEAD")).count();
    // Datasets this small are one synthetic chunk: one range GET of the data.
    assertEquals(1, gets, "one range GET of the data: " + executors);
    assertEquals(0, heads, "the GET checks the file's version: " + executors);
    assertTrue(executors.stream().allMatch(r -> r.ifMatch() != null), "" + executors);
    assertEquals(1, executors.size(), "nothing else: " + executors);
  }

  /**
   * Variable-length strings cannot be read from planned offsets alone: the elements are references
   * into the file's global heap, whose collections the task must read (and find through the file),
   * so such tasks reopen the file. This measures what that costs (printed as REQUESTS) and checks
   * h5py's values.
   */
  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {"/vlen_utf8_contiguous", "/vlen_utf8_chunked"})
  void variableLengthTasksReopenTheFile(String path) {
    List<FaultProxy.Request> executors = readTyped(path).executors();
    assertTrue(
        executors.stream().filter(r -> r.method().equals("GET")).count() > 1,
        "the file is reopened: " + executors);
  }

  /**
   * Compact datasets (their data lives in the object header, under 64 KiB) of a number, a compound
   * and a string: each task carries the data and the datatype, so it reads nothing from the file
   * and makes no request: its values are those of the version planned, which no read can contradict
   * (before, a compact compound or string task reopened the file: 1 GET of this small file and a
   * HEAD). h5py's values.
   */
  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"/numbers", "/compound", "/strings"})
  void compactTasksMakeNoRequest(String path) throws Exception {
    SparkTestSupport.Counted c;
    if (path.equals("/numbers")) {
      drain();
      c =
          SparkTestSupport.counted(
              path, reader().option("dataset", path).load(root + "/" + COMPACT), proxy);
      JsonNode entry = entry(COMPACT, path);
      ByteBuffer h5py = reference(entry);
      assertEquals(entry.get("shape").get(0).asLong(), c.rows().size());
      for (Row r : c.rows()) {
        assertEquals(
            element(h5py, "float32", (int) r.getLong(0)), ((Number) r.get(1)).doubleValue(), 0.0);
      }
    } else {
      c = readTyped(COMPACT, path);
    }
    assertEquals(List.of(), c.executors(), "no request from the task");
  }

  private org.apache.spark.sql.DataFrameReader reader() {
    return spark.read().format("arraymorph").options(viaProxy);
  }

  private JsonNode typed(String file, String path) {
    for (JsonNode d : manifest.get("files").get(file).get("typed")) {
      if (d.get("path").asText().equals(path)) {
        return d;
      }
    }
    throw new IllegalArgumentException(file + ":" + path);
  }

  private SparkTestSupport.Counted readTyped(String path) {
    return readTyped(TYPES, path);
  }

  /**
   * Reads {@code path} of {@code file}, checks h5py's values; the driver's and executors' requests.
   */
  private SparkTestSupport.Counted readTyped(String file, String path) {
    drain();
    Dataset<Row> df = reader().option("dataset", path).load(root + "/" + file);
    SparkTestSupport.Counted c = SparkTestSupport.counted(path, df, proxy);
    SparkHdf5TypesTest.assertRowsEqualH5py(typed(file, path), c.rows());
    return c;
  }

  private JsonNode entry(String path) {
    return entry(FILE, path);
  }

  private JsonNode entry(String file, String path) {
    for (JsonNode d : manifest.get("files").get(file).get("datasets")) {
      if (d.get("path").asText().equals(path)) {
        return d;
      }
    }
    throw new IllegalArgumentException(file + ":" + path);
  }

  private ByteBuffer reference(JsonNode entry) throws Exception {
    byte[] bytes = Files.readAllBytes(dir.resolve(entry.get("ref").asText()));
    return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static double element(ByteBuffer b, String dtype, int at) {
    return switch (dtype) {
      case "int16" -> b.getShort(at * 2);
      case "int32" -> b.getInt(at * 4);
      case "float32" -> b.getFloat(at * 4);
      default -> throw new IllegalArgumentException(dtype);
    };
  }

  private static int bytesOf(String dtype) {
    return switch (dtype) {
      case "int16" -> 2;
      case "int32", "float32" -> 4;
      default -> throw new IllegalArgumentException(dtype);
    };
  }

  private static long[] longs(JsonNode a) {
    long[] out = new long[a.size()];
    for (int k = 0; k < out.length; k++) {
      out[k] = a.get(k).asLong();
    }
    return out;
  }
}
