package io.arraymorph.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.ConcurrentWriteException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    Dataset<Row> df =
        spark
            .read()
            .format("arraymorph")
            .option("dataset", dataset)
            .option("decode_cf", "false")
            .load(file.toString());
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
}
