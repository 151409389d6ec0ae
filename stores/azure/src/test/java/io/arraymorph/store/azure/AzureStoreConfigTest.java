package io.arraymorph.store.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.store.StoreSettings;
import io.arraymorph.store.StoreUri;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Azure locations and options are read as documented. */
class AzureStoreConfigTest {
  private static AzureStoreConfig config(String location, Map<String, String> options) {
    return AzureStoreConfig.from(StoreUri.parse(location), StoreSettings.of(options));
  }

  @Test
  void azUriNamesContainerAndPrefix() {
    AzureStoreConfig c = config("az://box/a/b.zarr", Map.of());
    assertEquals("box", c.container());
    assertEquals("a/b.zarr", c.prefix());
    assertEquals(Optional.empty(), c.account());
  }

  @Test
  void abfsAndWasbUrisNameContainerAndAccount() {
    AzureStoreConfig abfs = config("abfss://box@acct.dfs.core.windows.net/x/y", Map.of());
    assertEquals("box", abfs.container());
    assertEquals(Optional.of("acct"), abfs.account());
    assertEquals("x/y", abfs.prefix());
    assertEquals(Optional.of("https://acct.blob.core.windows.net"), abfs.endpoint());
    AzureStoreConfig wasb = config("wasb://c2@other.blob.core.windows.net/p", Map.of());
    assertEquals("c2", wasb.container());
    assertEquals(Optional.of("other"), wasb.account());
  }

  @Test
  void storageAzureTakesTheContainerFromBucket() {
    AzureStoreConfig c = config("data/demo.zarr", Map.of("storage", "Azure", "bucket", "box"));
    assertEquals("box", c.container());
    assertEquals("data/demo.zarr", c.prefix());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> config("demo.zarr", Map.of("storage", "Azure")));
    assertTrue(e.getMessage().contains("'bucket'"));
  }

  @Test
  void providerTakesAzureSchemesAndExplicitStorage() {
    AzureStoreProvider p = new AzureStoreProvider();
    for (String uri :
        new String[] {
          "az://c/p", "abfss://c@a.dfs.core.windows.net/p", "wasbs://c@a.blob.core.windows.net/"
        }) {
      assertTrue(p.accepts(StoreUri.parse(uri), StoreSettings.empty()), uri);
    }
    assertTrue(p.accepts(StoreUri.parse("x.zarr"), StoreSettings.of(Map.of("storage", "azure"))));
    assertFalse(p.accepts(StoreUri.parse("s3://b/p"), StoreSettings.empty()));
    assertFalse(p.accepts(StoreUri.parse("az://c/p"), StoreSettings.of(Map.of("storage", "S3"))));
  }
}
