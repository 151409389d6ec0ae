package io.arraymorph.store.s3;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.store.ObjectStores;
import io.arraymorph.store.StoreSettings;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every S3 option with a wrong value fails when the store opens, naming the option. */
class S3BadOptionsTest {
  private static final String SECRET = "s3cr3t-VALUE-never-shown";

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "max_retries|-1|max_retries",
        "max_retries|three|max_retries",
        "max_connections|0|max_connections",
        "max_connections|-5|max_connections",
        "max_connections|9999999999|max_connections",
        "connect_timeout_ms|-1|connect_timeout_ms",
        "connect_timeout_ms|1.5|connect_timeout_ms",
        "request_timeout_ms|abc|request_timeout_ms",
        "request_timeout_ms|500|request_timeout_ms",
        "multipart_threshold|-1|multipart_threshold",
        "multipart_part_size|1000|multipart_part_size",
        "list_page_size|0|list_page_size",
        "addressing_style|sideways|addressing_style",
        "use_tls|maybe|use_tls",
        "signed_payloads|sure|signed_payloads",
        "anonymous|perhaps|anonymous",
        "endpoint|ftp://127.0.0.1:9|endpoint",
        "endpoint|http://|endpoint",
        "max_concurrency|-3|max_concurrency",
      })
  void wrongValuesNameTheOption(String option, String value, String named) {
    Map<String, String> m = new HashMap<>();
    m.put("endpoint", "http://127.0.0.1:9");
    m.put("access_key", "AKIAEXAMPLE");
    m.put("secret_key", SECRET);
    m.put(option, value);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> io.arraymorph.api.ArrayStore.open("s3://bucket/x", StoreSettings.of(m)).close());
    assertTrue(e.getMessage().contains("'" + named + "'"), e.getMessage());
    assertFalse(e.getMessage().contains(SECRET), e.getMessage());
  }

  @ParameterizedTest(name = "only {0}")
  @CsvSource({"access_key", "secret_key"})
  void halfTheCredentialsNameBothOptions(String given) {
    Map<String, String> m = new HashMap<>();
    m.put("endpoint", "http://127.0.0.1:9");
    m.put(given, SECRET);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ObjectStores.open("s3://bucket/x", StoreSettings.of(m)).close());
    assertTrue(e.getMessage().contains("access_key"), e.getMessage());
    assertTrue(e.getMessage().contains("secret_key"), e.getMessage());
    assertFalse(e.getMessage().contains(SECRET), e.getMessage());
  }
}
