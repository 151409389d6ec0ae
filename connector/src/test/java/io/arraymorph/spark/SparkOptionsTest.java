package io.arraymorph.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Options of a read or write resolve by the registry: precedence, types, errors, redaction. */
class SparkOptionsTest {
  @Test
  void perCallOptionsBeatSessionConfBeatsEnvironment() {
    SparkOptions o =
        SparkOptions.resolve(
            Map.of("Region", "from-option", "decode_cf", "false"),
            Map.of("region", "from-session", "endpoint", "http://127.0.0.1:9000"),
            Map.of(
                "AWS_REGION", "from-env", "AWS_ENDPOINT_URL_S3", "http://env", "BUCKET_NAME", "b"));
    assertEquals(Optional.of("from-option"), o.storeSettings().get("region"));
    assertEquals(Optional.of("http://127.0.0.1:9000"), o.storeSettings().get("endpoint"));
    assertEquals(Optional.of("b"), o.storeSettings().get("bucket"));
    assertFalse(o.decodeCf());
  }

  @Test
  void documentedReadOptionsAreReadTyped() {
    SparkOptions o =
        SparkOptions.resolve(
            Map.of(
                "open_parallelism", "4",
                "executor_open_threshold", "8",
                "partition_bytes", "4096",
                "option.layout", "ROWS",
                "lock_timeout", "90s"),
            Map.of(),
            Map.of());
    assertEquals(4, o.get(io.arraymorph.options.ArrayMorphOptions.OPEN_PARALLELISM));
    assertEquals(8, o.get(io.arraymorph.options.ArrayMorphOptions.EXECUTOR_OPEN_THRESHOLD));
    assertEquals(4096L, o.partitionBytes());
    assertEquals(SparkOptions.Layout.ROWS, o.layout());
    assertEquals(Duration.ofSeconds(90), o.lockTimeout());
    SparkOptions defaults = SparkOptions.resolve(Map.of(), Map.of(), Map.of());
    assertTrue(defaults.decodeCf());
    assertEquals(16, defaults.maxConcurrency());
    assertEquals(128L << 20, defaults.partitionBytes());
    assertEquals(SparkOptions.Layout.CELLS, defaults.layout());
  }

  @Test
  void aBadValueFailsAtResolveNamingOptionValueAndWhatIsExpected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> SparkOptions.resolve(Map.of("decode_cf", "maybe"), Map.of(), Map.of()));
    assertEquals("Option 'decode_cf' must be true or false, not 'maybe'", e.getMessage());
    IllegalArgumentException fromSession =
        assertThrows(
            IllegalArgumentException.class,
            () -> SparkOptions.resolve(Map.of(), Map.of("list", "files"), Map.of()));
    assertEquals(
        "Option 'list' must be 'datasets' or 'chunks', not 'files'", fromSession.getMessage());
  }

  @Test
  void descriptionsHideEverySecretTheRegistryFlags() {
    SparkOptions o =
        SparkOptions.resolve(
            Map.of(
                "secret_key", "s3cr3t-value",
                "connection_string", "AccountKey=k3y-value",
                "fs.s3a.secret.key", "hadoop-s3cr3t",
                "dataset", "values"),
            Map.of(),
            Map.of("AWS_SESSION_TOKEN", "t0ken-value"));
    String shown = o.toString() + o.storeSettings().toString();
    for (String secret :
        new String[] {"s3cr3t-value", "AccountKey=k3y-value", "hadoop-s3cr3t", "t0ken-value"}) {
      assertFalse(shown.contains(secret), shown);
      assertEquals("failed with ***", o.redact("failed with " + secret));
    }
    assertFalse(shown.contains("k3y-value"), shown);
    assertTrue(shown.contains("values"), shown);
  }
}
