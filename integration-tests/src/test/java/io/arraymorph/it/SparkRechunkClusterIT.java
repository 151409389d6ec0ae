package io.arraymorph.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.api.ArraySpec;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import io.arraymorph.array.DataType;
import io.arraymorph.array.NdArray;
import io.arraymorph.rechunk.RechunkResult;
import io.arraymorph.spark.rechunk.ArrayMorphRechunk;
import io.arraymorph.testing.StartsServers;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rechunk across two executor JVMs ({@code local-cluster[2,1,1024]}): the plan, the blocks of the
 * shuffle and the chunk lists are serialized between JVMs; every value of the result equals the
 * formula the source was written with.
 */
@StartsServers
@Order(3)
class SparkRechunkClusterIT {
  static SparkSession spark;
  @TempDir static Path dir;

  @BeforeAll
  static void start() {
    spark = Sessions.cluster();
  }

  /** A 30 x 21 x 17 int32 cube chunked one step per chunk: value t * 10000 + i * 100 + j. */
  private static String source() {
    String uri = dir.resolve("source.zarr").toString();
    try (ArrayStore store = ArrayStore.open(uri)) {
      if (!store.exists("cube")) {
        Dataset ds =
            store.createDataset(
                "cube",
                ArraySpec.of(DataType.INT32, 30, 21, 17)
                    .chunks(1, 21, 17)
                    .compression(ArraySpec.Compression.ZSTD));
        ds.write(new long[] {0, 0, 0}, NdArray.of(expected(), 30, 21, 17));
      }
    }
    return uri;
  }

  private static int[] expected() {
    int[] v = new int[30 * 21 * 17];
    for (int t = 0; t < 30; t++) {
      for (int i = 0; i < 21; i++) {
        for (int j = 0; j < 17; j++) {
          v[(t * 21 + i) * 17 + j] = t * 10000 + i * 100 + j;
        }
      }
    }
    return v;
  }

  private static void check(String target, String dataset) {
    try (ArrayStore store = ArrayStore.open(target)) {
      assertTrue(
          java.util.Arrays.equals(expected(), store.dataset(dataset).read().toIntArray()),
          "every value of the rechunked cube");
    }
  }

  @Test
  void blocksShuffledBetweenExecutorJvmsAssembleEveryValue() {
    String target = dir.resolve("shuffled.zarr").toString();
    RechunkResult r =
        ArrayMorphRechunk.run(
            spark,
            source(),
            "cube",
            target,
            Map.of(
                "chunks", "30,4,4", "shards", "30,8,8", "codec", "zstd", "rechunk_memory", "8000"));
    assertFalse(r.direct(), "blocks moved");
    check(target, "cube");
  }

  @Test
  void nestedChunkingsWriteFromTheReadTasks() {
    String target = dir.resolve("direct.zarr").toString();
    RechunkResult r =
        ArrayMorphRechunk.run(
            spark, source(), "cube", target, Map.of("chunks", "30,7,17", "codec", "gzip"));
    assertTrue(r.direct(), "no blocks moved");
    assertEquals(3, r.chunksWritten());
    check(target, "cube");
  }
}
