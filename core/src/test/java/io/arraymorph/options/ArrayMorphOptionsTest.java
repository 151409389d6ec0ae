package io.arraymorph.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ArrayMorphOptionsTest {
  @Test
  void documentedReadOptionsAreKnown() {
    assertEquals(
        Set.of(),
        ArrayMorphOptions.unknown(
            List.of("decode_cf", "open_parallelism", "executor_open_threshold", "paths")));
  }

  @Test
  void misspelledOptionsAreReportedByNameWithTheClosestKnownName() {
    Map<String, String> options =
        Map.of("chunk", "10,10", "SecretKey", "s3cr3tValue", "dataset", "v", "zzzzzz", "1");
    assertEquals(
        Set.of("chunk", "secretkey", "zzzzzz"), ArrayMorphOptions.unknown(options.keySet()));
    String warning = ArrayMorphOptions.unknownWarning(options.keySet(), o -> true).orElseThrow();
    assertEquals(
        "arraymorph: ignoring unknown option(s) [chunk (did you mean 'chunks'?),"
            + " secretkey (did you mean 'secret_key'?), zzzzzz]; see docs/configuration.md",
        warning);
    assertFalse(warning.contains("s3cr3tValue"), warning);
    assertEquals(Optional.empty(), ArrayMorphOptions.unknownWarning(List.of("Chunks"), o -> true));
  }

  @Test
  void aNameOutsideTheAcceptedScopesIsUnknownAndSuggestedOnlyFromThem() {
    Set<String> unknown =
        ArrayMorphOptions.unknown(List.of("chunks", "endpoint"), ArrayMorphOption::commandLine);
    assertEquals(Set.of("chunks"), unknown);
    assertEquals(
        Optional.of("endpoint"),
        ArrayMorphOptions.suggestion("endpont", ArrayMorphOption::commandLine));
  }

  @Test
  void catalogPrefixedOptionsAndHadoopPropertiesAreNotTypos() {
    assertEquals(
        Set.of("fs3a.endpoint"),
        ArrayMorphOptions.unknown(
            List.of(
                "option.chunks",
                "ACCESS_KEY",
                "fs.s3a.endpoint",
                "hadoop.conf.fs.s3a.path.style.access",
                "spark.hadoop.fs.s3a.secret.key",
                "__arraymorph_internal",
                "fs3a.endpoint")));
  }

  @Test
  void secretsAreTheRegistrysSecretOptionsAndSecretLookingProperties() {
    assertEquals(
        Set.of(
            "access_key",
            "secret_key",
            "session_token",
            "connection_string",
            "sas_token",
            "account_key"),
        ArrayMorphOptions.secretNames());
    assertTrue(ArrayMorphOptions.isSecret("Secret_Key"));
    assertTrue(ArrayMorphOptions.isSecret("option.connection_string"));
    assertTrue(ArrayMorphOptions.isSecret("fs.s3a.secret.key"));
    assertTrue(ArrayMorphOptions.isSecret("fs.azure.account.key.acct.blob.core.windows.net"));
    assertFalse(ArrayMorphOptions.isSecret("endpoint"));
    assertFalse(ArrayMorphOptions.isSecret("tls_ca_file"));
    for (String s : ArrayMorphOptions.secretNames()) {
      assertTrue(s.matches(ArrayMorphOptions.secretKeyRegex()), s);
    }
    assertFalse("dataset".matches(ArrayMorphOptions.secretKeyRegex()));
  }

  @Test
  void environmentVariablesKeepArrayMorphsNames() {
    Map<String, String> env = ArrayMorphOptions.environmentVariables();
    assertEquals("STORAGE_PLATFORM", env.get("storage"));
    assertEquals("BUCKET_NAME", env.get("bucket"));
    assertEquals("AWS_ACCESS_KEY_ID", env.get("access_key"));
    assertEquals("AWS_SECRET_ACCESS_KEY", env.get("secret_key"));
    assertEquals("AWS_SESSION_TOKEN", env.get("session_token"));
    assertEquals("AWS_REGION", env.get("region"));
    assertEquals("AWS_ENDPOINT_URL_S3", env.get("endpoint"));
    assertEquals("AWS_USE_TLS", env.get("use_tls"));
    assertEquals("AWS_S3_ADDRESSING_STYLE", env.get("addressing_style"));
    assertEquals("AWS_SIGNED_PAYLOADS", env.get("signed_payloads"));
    assertEquals("AZURE_STORAGE_CONNECTION_STRING", env.get("connection_string"));
  }

  @Test
  void valuesParseByTypeAndBadOnesNameOptionValueAndWhatIsExpected() {
    assertEquals(false, ArrayMorphOptions.DECODE_CF.get(Map.of("decode_cf", " No ")));
    assertEquals(true, ArrayMorphOptions.DECODE_CF.get(Map.of()));
    assertEquals(true, ArrayMorphOptions.DECODE_CF.get(Map.of("decode_cf", "  ")));
    assertEquals(
        Duration.ofMinutes(90), ArrayMorphOptions.LOCK_TIMEOUT.get(Map.of("lock_timeout", "90m")));
    assertEquals(Duration.ofHours(1), ArrayMorphOptions.LOCK_TIMEOUT.get(Map.of()));
    assertEquals("rows", ArrayMorphOptions.LAYOUT.get(Map.of("layout", "ROWS")));
    assertEquals(
        List.of(10L, 0L, 3L),
        java.util.Arrays.stream(ArrayMorphOptions.CHUNKS.get(Map.of("chunks", "10, 0,3")))
            .boxed()
            .toList());
    assertEquals(List.of("i", "j"), ArrayMorphOptions.DIMS.get(Map.of("dims", "i,,j ")));

    assertEquals(
        "Option 'open_parallelism' must be a positive integer, not '0'",
        assertThrows(
                IllegalArgumentException.class,
                () -> ArrayMorphOptions.validate(Map.of("open_parallelism", "0")))
            .getMessage());
    assertEquals(
        "Option 'codec' must be one of 'none', 'gzip', 'zstd', not 'lz4'",
        assertThrows(
                IllegalArgumentException.class,
                () -> ArrayMorphOptions.CODEC.get(Map.of("codec", "lz4")))
            .getMessage());
    assertEquals(
        "Option 'chunks' must be a comma-separated list of non-negative integers, not '10,-1'",
        assertThrows(
                IllegalArgumentException.class,
                () -> ArrayMorphOptions.CHUNKS.get(Map.of("chunks", "10,-1")))
            .getMessage());
    assertEquals(
        "Option 'lock_timeout' must be a positive duration such as 3600, 90s, 30m or 2h, not '0s'",
        assertThrows(
                IllegalArgumentException.class,
                () -> ArrayMorphOptions.LOCK_TIMEOUT.get(Map.of("lock_timeout", "0s")))
            .getMessage());
    // unknown keys and Hadoop properties are not validated here (they get the unknown warning)
    ArrayMorphOptions.validate(Map.of("chunk", "x", "fs.s3a.endpoint", "y"));
  }

  @Test
  void anInvalidSecretIsNeverEchoed() {
    String message = ArrayMorphOptions.ACCESS_KEY.invalid("AKIAEXAMPLEKEY").getMessage();
    assertFalse(message.contains("AKIAEXAMPLEKEY"), message);
    assertTrue(message.contains("'access_key'"), message);
  }

  @Test
  void everyOptionIsDeclaredOnceWithAScopeAndADocLine() {
    for (ArrayMorphOption<?> o : ArrayMorphOptions.all()) {
      assertTrue(o.name().matches("[a-z][a-z0-9_]*"), o.name());
      assertFalse(o.scopes().isEmpty(), o.name());
      assertFalse(o.doc().isBlank(), o.name());
      assertEquals(
          Optional.of(o), ArrayMorphOptions.find(o.name().toUpperCase(java.util.Locale.ROOT)));
    }
  }
}
