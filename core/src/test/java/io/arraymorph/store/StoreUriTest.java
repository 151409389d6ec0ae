package io.arraymorph.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StoreUriTest {
  private static void assertUri(String location, String scheme, String authority, String path) {
    StoreUri u = StoreUri.parse(location);
    assertEquals(scheme, u.scheme(), location);
    assertEquals(authority, u.authority(), location);
    assertEquals(path, u.path(), location);
    assertEquals(location, u.toString());
  }

  @Test
  void plainPathsAreLocal() {
    assertUri("/tmp/demo.zarr", "file", "", "/tmp/demo.zarr");
    assertUri("data/demo.zarr", "file", "", "data/demo.zarr");
    assertUri("demo.zarr", "file", "", "demo.zarr");
    assertUri("C:\\data\\demo.zarr", "file", "", "C:\\data\\demo.zarr");
  }

  @Test
  void fileUrisAreLocal() {
    assertUri("file:/tmp/demo.zarr", "file", "", "/tmp/demo.zarr");
    assertUri("file:///tmp/demo.zarr", "file", "", "/tmp/demo.zarr");
  }

  @Test
  void s3UrisSplitBucketAndKey() {
    assertUri("s3://bucket/key/sub/", "s3", "bucket", "key/sub");
    assertUri("s3://bucket", "s3", "bucket", "");
    assertUri("S3://my-bucket/demo.zarr", "s3", "my-bucket", "demo.zarr");
  }

  @Test
  void azureUrisSplitContainerAndPath() {
    assertUri("az://container/path/to/x.zarr", "az", "container", "path/to/x.zarr");
    assertUri(
        "abfss://container@account.dfs.core.windows.net/dir/x.zarr",
        "abfss",
        "container@account.dfs.core.windows.net",
        "dir/x.zarr");
  }

  @Test
  void memUrisNameTheStore() {
    assertUri("mem://name/x", "mem", "name", "x");
    assertUri("mem://name", "mem", "name", "");
  }

  @Test
  void blankAndInvalidLocationsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> StoreUri.parse(" "));
    assertThrows(IllegalArgumentException.class, () -> StoreUri.parse(null));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> StoreUri.parse("s3://bucket/a b"));
    assertTrue(e.getMessage().contains("s3://bucket/a b"), e.getMessage());
  }
}
