package io.arraymorph.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.arraymorph.ConcurrentWriteException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An HDF5 file replaced by another of the same size after Spark planned the query (its chunk
 * offsets come from the planned file) fails the query through the public Spark API with an error
 * naming the file and saying to re-run it: when a chunk then fails to decode, core's {@code
 * ChunkTaskReader.explain} reports the replacement (with the decode failure attached); when the
 * bytes at the planned offsets still decode, the task's version check refuses its rows.
 */
class SparkReplacedFileTest {
  static SparkSession spark;
  static Path fixtures;

  @BeforeAll
  static void start() {
    fixtures = SparkFixtureFiles.hdf5();
    spark = SparkTestSupport.session();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** A query on {@code dataset} of a copy of classic.h5, planned (not run) before it returns. */
  private static Dataset<Row> planned(Path file, String dataset) {
    return planned(file, dataset, "cells", null);
  }

  /**
   * A query on {@code dataset} of a copy of classic.h5 in {@code layout}, filtered by {@code where}
   * (or not when null), planned (not run) before it returns.
   */
  private static Dataset<Row> planned(Path file, String dataset, String layout, String where) {
    Dataset<Row> df =
        spark
            .read()
            .format("arraymorph")
            .option("dataset", dataset)
            .option("decode_cf", "false")
            .option("layout", layout)
            .load(file.toString());
    if (where != null) {
      df = df.where(df.columns()[0] + " " + where);
    }
    df.queryExecution().executedPlan();
    return df;
  }

  /** Replaces {@code file} (by a rename, as writers do) with its bytes, each XOR {@code 0x5a}. */
  private static void replaceWithSameSizedGarbage(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] ^= 0x5a;
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(tmp, bytes);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    assertEquals(bytes.length, Files.size(file), "the same size");
  }

  private static List<Throwable> chain(Throwable t) {
    List<Throwable> all = new ArrayList<>();
    for (Throwable c = t; c != null && !all.contains(c); c = c.getCause()) {
      all.add(c);
    }
    return all;
  }

  private static ConcurrentWriteException replacement(Throwable failure) {
    return chain(failure).stream()
        .filter(ConcurrentWriteException.class::isInstance)
        .map(ConcurrentWriteException.class::cast)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no replacement error in", failure));
  }

  @Test
  void aChunkThatFailsToDecodeInAReplacedFileIsReportedAsTheReplacement(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("classic.h5");
    Files.copy(fixtures.resolve("classic.h5"), file);
    Dataset<Row> df = planned(file, "/filters/shuffle_gzip_fletcher32");
    assertTrue(df.count() > 0, "the file reads before it is replaced");
    replaceWithSameSizedGarbage(file);
    Throwable failure = assertThrows(Exception.class, df::collectAsList);
    ConcurrentWriteException e = replacement(failure);
    assertTrue(e.getMessage().contains("classic.h5"), e.getMessage());
    assertTrue(e.getMessage().contains("same size"), e.getMessage());
    assertTrue(e.getMessage().contains("Re-run the query"), e.getMessage());
    assertTrue(e.getSuppressed().length > 0, "the decode failure is attached");
    assertTrue(
        !(e.getSuppressed()[0] instanceof ConcurrentWriteException),
        "the attached failure is the chunk's own: " + e.getSuppressed()[0]);
  }

  @Test
  void bytesThatStillDecodeFromAReplacedFileAreRefusedByTheTasksVersionCheck(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("classic.h5");
    Files.copy(fixtures.resolve("classic.h5"), file);
    Dataset<Row> df = planned(file, "/types/int16");
    assertTrue(df.count() > 0, "the file reads before it is replaced");
    replaceWithSameSizedGarbage(file);
    Throwable failure = assertThrows(Exception.class, df::collectAsList);
    ConcurrentWriteException e = replacement(failure);
    assertTrue(e.getMessage().contains("classic.h5"), e.getMessage());
    assertTrue(e.getMessage().contains("Re-run the query"), e.getMessage());
  }

  /**
   * The rows layout (one row per index of the first axis) reads through core's chunk-task reader
   * too: its values equal h5py's, and once the file is replaced by same-sized other bytes after the
   * query was planned, the query fails naming the file and saying to re-run it (a chunk that fails
   * to decode is explained as the replacement; bytes that still decode are refused by the task's
   * file check).
   */
  @ParameterizedTest(name = "{0} where {1}")
  @CsvSource({
    "/filters/shuffle_gzip_fletcher32,>= 20,20,64",
    "/types/int16,>= 0,0,37",
    "/filters/gzip_float64_3d,BETWEEN 2 AND 6,2,7",
    "/layout/chunked_1d,< 300,0,300"
  })
  void aRowsLayoutQueryEqualsH5pyAndFailsOnceItsFileIsReplaced(
      String dataset, String where, long lo, long hi, @TempDir Path dir) throws IOException {
    Path file = dir.resolve("classic.h5");
    Files.copy(fixtures.resolve("classic.h5"), file);
    Dataset<Row> df = planned(file, dataset, "rows", where);
    JsonNode e = entry(dataset);
    long[] shape = new long[e.get("shape").size()];
    for (int d = 0; d < shape.length; d++) {
      shape[d] = e.get("shape").get(d).asLong();
    }
    long inner = 1;
    for (int d = 1; d < shape.length; d++) {
      inner *= shape[d];
    }
    List<Row> rows = df.collectAsList();
    assertEquals(hi - lo, rows.size(), "one row per selected index");
    Set<Long> seen = new HashSet<>();
    for (Row r : rows) {
      long i = r.getLong(0);
      assertTrue(i >= lo && i < hi && seen.add(i), "row " + i);
      List<Object> flat = new ArrayList<>();
      flatten(r.get(1), flat);
      assertEquals(inner, flat.size(), "elements of row " + i);
      for (int j = 0; j < inner; j++) {
        assertEquals(
            SparkHdf5ReadTest.reference(fixtures, e, i * inner + j),
            flat.get(j),
            dataset + " row " + i + " element " + j);
      }
    }
    replaceWithSameSizedGarbage(file);
    Throwable failure = assertThrows(Exception.class, df::collectAsList);
    ConcurrentWriteException c = replacement(failure);
    assertTrue(c.getMessage().contains("classic.h5"), c.getMessage());
    assertTrue(c.getMessage().contains("same size"), c.getMessage());
    assertTrue(c.getMessage().contains("Re-run the query"), c.getMessage());
  }

  /** h5py's description of {@code path} in classic.h5 (shape, dtype, reference file). */
  private static JsonNode entry(String path) {
    JsonNode manifest = SparkFixtureFiles.json(fixtures.resolve("manifest.json"));
    for (JsonNode d : manifest.get("files").get("classic.h5").get("datasets")) {
      if (d.get("path").asText().equals(path)) {
        return d;
      }
    }
    throw new IllegalArgumentException(path);
  }

  /** The leaves of a row's nested arrays (Spark's lists), in order. */
  private static void flatten(Object value, List<Object> out) {
    if (value instanceof scala.collection.Seq<?> seq) {
      scala.jdk.javaapi.CollectionConverters.asJava(seq).forEach(v -> flatten(v, out));
    } else if (value instanceof List<?> list) {
      list.forEach(v -> flatten(v, out));
    } else {
      out.add(value);
    }
  }
}
