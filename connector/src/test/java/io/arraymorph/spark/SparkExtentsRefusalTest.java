package io.arraymorph.spark;

import static io.arraymorph.spark.SparkBadInputTest.assertFailsWith;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.arraymorph.spark.rechunk.ArrayMorphRechunk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A chunk or shard extent outside 1..2^31-1 is refused before anything is written, through both
 * doors that take extents ({@link SparkOptions#extents}): a DataFrame write and {@link
 * ArrayMorphRechunk}. The message names the option, the bad value and the range to choose from.
 */
class SparkExtentsRefusalTest {
  static SparkSession spark;
  @TempDir static Path dir;
  static String source;

  @BeforeAll
  static void start() {
    spark = SparkTestSupport.session();
    source = dir.resolve("source.zarr").toString();
    spark
        .sql(
            "SELECT i, j, CAST(i * 10 + j AS INT) AS v FROM range(10) a(i) CROSS JOIN range(10) b(j)")
        .write()
        .format("arraymorph")
        .option("dataset", "v")
        .option("dims", "i,j")
        .option("chunks", "5,5")
        .save(source);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static void write(String target, String option, String value) {
    var w =
        spark
            .sql("SELECT i, j, CAST(i AS INT) AS v FROM range(4) a(i) CROSS JOIN range(4) b(j)")
            .write()
            .format("arraymorph")
            .option("dataset", "v")
            .option("dims", "i,j");
    if (!option.equals("chunks")) {
      w = w.option("chunks", "4,4");
    }
    w.option(option, value).save(target);
  }

  @Test
  void aWriteRefusesAChunkExtentOfZeroNamingTheOptionTheValueAndTheRange() {
    String target = dir.resolve("zero-chunk.zarr").toString();
    assertFailsWith(
        () -> write(target, "chunks", "4,0"),
        "Option 'chunks'",
        "between 1 and 2147483647",
        "not 0");
    assertFalse(Files.exists(Path.of(target, "v")), "nothing written");
  }

  @Test
  void aWriteRefusesAShardExtentBeyondTheIntRange() {
    String target = dir.resolve("huge-shard.zarr").toString();
    assertFailsWith(
        () -> write(target, "shards", "3000000000,4"),
        "Option 'shards'",
        "between 1 and 2147483647",
        "not 3000000000");
    assertFalse(Files.exists(Path.of(target, "v")), "nothing written");
  }

  @Test
  void aRechunkRefusesAChunkExtentOfZeroAndWritesNothing() {
    String target = dir.resolve("rechunk-zero.zarr").toString();
    assertFailsWith(
        () -> ArrayMorphRechunk.run(spark, source, "v", target, Map.of("chunks", "0,5")),
        "Option 'chunks'",
        "between 1 and 2147483647",
        "not 0");
    assertFalse(Files.exists(Path.of(target)), "nothing written");
  }

  @Test
  void aRechunkRefusesAShardExtentBeyondTheIntRange() {
    String target = dir.resolve("rechunk-huge-shard.zarr").toString();
    assertFailsWith(
        () ->
            ArrayMorphRechunk.run(
                spark, source, "v", target, Map.of("chunks", "5,5", "shards", "5,3000000000")),
        "Option 'shards'",
        "between 1 and 2147483647",
        "not 3000000000");
    assertFalse(Files.exists(Path.of(target)), "nothing written");
  }
}
