package io.arraymorph.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.api.ArraySpec;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import io.arraymorph.array.DataType;
import io.arraymorph.array.NdArray;
import io.arraymorph.spark.metrics.SparkReadMetrics;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scans fetch only the part of each chunk that the pushed-down filter selects, when they can. */
class SparkPartialChunkReadTest {
  /** What an executor reads of metadata when it opens the dataset (one small zarr.json). */
  private static final long METADATA_ALLOWANCE = 1024;

  @TempDir static Path dir;
  static SparkSession spark;

  @BeforeAll
  static void writeArrays() {
    spark = SparkTestSupport.session();
    float[] data = new float[400 * 300];
    for (int i = 0; i < data.length; i++) {
      data[i] = i;
    }
    try (ArrayStore store = ArrayStore.open(dir.toString())) {
      Dataset plain =
          store.createDataset("plain", ArraySpec.of(DataType.FLOAT32, 400, 300).chunks(100, 100));
      plain.write(new long[] {0, 0}, NdArray.of(data, 400, 300));
      Dataset sharded =
          store.createDataset(
              "sharded",
              ArraySpec.of(DataType.FLOAT32, 400, 300)
                  .chunks(20, 20)
                  .shards(100, 100)
                  .compression(ArraySpec.Compression.ZSTD));
      sharded.write(new long[] {0, 0}, NdArray.of(data, 400, 300));
    }
  }

  private static org.apache.spark.sql.Dataset<Row> read(String dataset) {
    return spark
        .read()
        .format("arraymorph")
        .option("dataset", dataset)
        // Costs of a slow remote store, so that ranged reads pay off for 40 KB chunks.
        .option("request_latency_ms", "20")
        .option("request_bandwidth_mbps", "10")
        .load(dir.toString());
  }

  @Test
  void aRowOfUncompressedChunksMovesOnlyThatRowsBytes() {
    org.apache.spark.sql.Dataset<Row> df = read("plain").where("dim_0 = 250");
    List<Row> rows = df.collectAsList();
    assertEquals(300, rows.size());
    for (Row r : rows) {
      assertEquals(250 * 300 + r.getLong(1), (long) r.getFloat(2));
    }
    assertEquals(3, SparkTestSupport.metric(df, SparkReadMetrics.CHUNKS_FETCHED));
    long bytes = SparkTestSupport.metric(df, SparkReadMetrics.BYTES_FETCHED);
    // The row's 1200 bytes plus the executor's read of zarr.json; whole chunks would be 120000.
    assertTrue(bytes >= 300 * 4 && bytes < 300 * 4 + METADATA_ALLOWANCE, "fetched " + bytes);
  }

  @Test
  void aSmallBoxOfAShardedArrayFetchesTheIndexAndOneInnerChunkPerShard() {
    org.apache.spark.sql.Dataset<Row> df =
        read("sharded").where("dim_0 BETWEEN 42 AND 45 AND dim_1 BETWEEN 150 AND 155");
    List<Row> rows = df.collectAsList();
    assertEquals(4 * 6, rows.size());
    for (Row r : rows) {
      assertEquals(r.getLong(0) * 300 + r.getLong(1), (long) r.getFloat(2));
    }
    long bytes = SparkTestSupport.metric(df, SparkReadMetrics.BYTES_FETCHED);
    // Index (25 entries x 16 + 4 bytes), one 20x20 inner chunk (at most 1600 bytes compressed) and
    // zarr.json; the whole shard would be about 40000 bytes.
    assertTrue(bytes < 404 + 20 * 20 * 4 + METADATA_ALLOWANCE, "fetched " + bytes + " bytes");
  }
}
