package io.arraymorph.spark;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.hdf5.ScaleOffsetBitCountWiderThanTheTypeTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scaleoffset chunk whose bit count is wider than its type (libhdf5's damaged {@code tmisc38a.h5}
 * has one; here h5py's {@code builtin_filters.h5} with one chunk's bit count set to 127) fails the
 * query with the reader's error: the file, the dataset, the chunk, and that it is corrupt; no rows
 * come back.
 */
class SparkHdf5CorruptScaleOffsetChunkTest {
  static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SparkTestSupport.session();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void theQueryFailsNamingFileDatasetChunkAndCorruption(@TempDir Path dir) throws Exception {
    byte[] original =
        Files.readAllBytes(
            SparkFixtureFiles.hdf5().resolve(ScaleOffsetBitCountWiderThanTheTypeTest.FILE));
    Path file = ScaleOffsetBitCountWiderThanTheTypeTest.damaged(dir, original);
    Exception e =
        assertThrows(
            Exception.class,
            () ->
                spark
                    .read()
                    .format("arraymorph")
                    .option("dataset", ScaleOffsetBitCountWiderThanTheTypeTest.PATH)
                    .load(file.toString())
                    .collectAsList());
    String m = String.valueOf(e.getMessage());
    assertTrue(
        m.contains(
            "Chunk [0, 0] of dataset '" + ScaleOffsetBitCountWiderThanTheTypeTest.PATH + "'"),
        m);
    assertTrue(m.contains(ScaleOffsetBitCountWiderThanTheTypeTest.FILE), m);
    assertTrue(m.contains("127 bits, wider than the 16-bit type"), m);
    assertTrue(m.contains("corrupt"), m);
  }
}
