package io.arraymorph.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SparkOptionNamesTest {
  @Test
  void misspelledOptionsAreReportedByName() {
    assertEquals(
        Set.of("chunk", "secretkey"),
        SparkOptionNames.unknown(
            Map.of("chunk", "10,10", "SecretKey", "s3cr3t", "dataset", "v", "path", "/x")));
  }

  @Test
  void sourceStoreAndCatalogPrefixedOptionsAreKnown() {
    assertEquals(
        Set.of(),
        SparkOptionNames.unknown(
            Map.of(
                "Dataset", "v",
                "option.chunks", "10,10",
                "endpoint", "http://127.0.0.1:9000",
                "ACCESS_KEY", "k",
                "partition_bytes", "4096")));
  }

  @Test
  void hadoopPropertiesPassedToTheHadoopStoreAreNotTypos() {
    assertEquals(
        Set.of("fs3a.endpoint"),
        SparkOptionNames.unknown(
            Map.of(
                "fs.s3a.endpoint", "http://127.0.0.1:9000",
                "hadoop.conf.fs.s3a.path.style.access", "true",
                "spark.hadoop.fs.s3a.secret.key", "s",
                "fs3a.endpoint", "x")));
  }
}
