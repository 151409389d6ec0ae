package io.arraymorph.store.s3;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.store.StoreSettings;
import io.arraymorph.store.StoreUri;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The provider takes s3:// locations, and any location when storage=S3. */
class S3StoreProviderTest {
  private final S3StoreProvider provider = new S3StoreProvider();

  private boolean accepts(String location, Map<String, String> options) {
    return provider.accepts(StoreUri.parse(location), StoreSettings.of(options));
  }

  @Test
  void acceptsS3UrisAndExplicitStorage() {
    assertTrue(accepts("s3://bucket/path", Map.of()));
    assertTrue(accepts("demo.zarr", Map.of("storage", "S3")));
    assertTrue(accepts("s3://bucket/path", Map.of("storage", "s3")));
  }

  @Test
  void leavesOtherSchemesAndStoragesAlone() {
    assertFalse(accepts("s3a://bucket/path", Map.of()));
    assertFalse(accepts("demo.zarr", Map.of()));
    assertFalse(accepts("s3://bucket/path", Map.of("storage", "hadoop")));
    assertFalse(accepts("az://c/p", Map.of()));
  }
}
