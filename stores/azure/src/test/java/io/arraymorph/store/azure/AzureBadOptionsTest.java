package io.arraymorph.store.azure;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.store.ObjectStores;
import io.arraymorph.store.StoreSettings;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every Azure option with a wrong value fails when the store opens, naming the option. */
class AzureBadOptionsTest {
  private static final String SECRET = "s3cr3t-VALUE-never-shown";

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "max_retries|-1|max_retries",
        "max_retries|three|max_retries",
        "max_connections|0|max_connections",
        "connect_timeout_ms|-1|connect_timeout_ms",
        "request_timeout_ms|abc|request_timeout_ms",
        "retry_delay_ms|0|retry_delay_ms",
        "multipart_threshold|-1|multipart_threshold",
        "multipart_part_size|x|multipart_part_size",
        "list_page_size|0|list_page_size",
        "use_tls|maybe|use_tls",
        "max_concurrency|-3|max_concurrency",
      })
  void wrongValuesNameTheOption(String option, String value, String named) {
    Map<String, String> m = new HashMap<>();
    m.put("account_name", "devstoreaccount1");
    m.put("endpoint", "http://127.0.0.1:9/devstoreaccount1");
    m.put("account_key", SECRET);
    m.put(option, value);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                io.arraymorph.api.ArrayStore.open("az://container/x", StoreSettings.of(m)).close());
    assertTrue(e.getMessage().contains("'" + named + "'"), e.getMessage());
    assertFalse(e.getMessage().contains(SECRET), e.getMessage());
  }

  @org.junit.jupiter.api.Test
  void missingCredentialsNameTheOptions() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ObjectStores.open(
                        "az://container/x",
                        StoreSettings.of(Map.of("endpoint", "http://127.0.0.1:9/acct")))
                    .close());
    assertTrue(e.getMessage().contains("connection_string"), e.getMessage());
    assertTrue(e.getMessage().contains("sas_token"), e.getMessage());
  }
}
