package io.arraymorph.store.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.ObjectStores;
import io.arraymorph.store.StoreSettings;
import io.arraymorph.testing.PythonFixtures;
import io.arraymorph.testing.S3ProxyServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * zarr-python 2's Blosc arrays (every inner codec and shuffle, zarr-python 2's default among them)
 * uploaded to S3Proxy and read through {@code ArrayStore.open("s3://…")} equal zarr-python's
 * values.
 */
class S3ZarrV2BloscTest {
  @TempDir Path fixtures;

  @Test
  void everyBloscArrayReadsFromS3AsZarrPythonReadsIt() throws IOException {
    PythonFixtures.generate("make_zarr_v2_fixtures.py", fixtures);
    S3ProxyServer server = S3ProxyServer.get();
    String bucket = S3ProxyServer.uniqueBucketName("zarr2");
    server.createBucket(bucket);
    StoreSettings settings = StoreSettings.of(server.settings(bucket));
    String root = "s3://" + bucket + "/v2";
    Path store = fixtures.resolve("store");
    try (ObjectStore s3 = ObjectStores.open(root, settings);
        Stream<Path> files = Files.walk(store)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String key = store.relativize(f).toString().replace('\\', '/');
        Futures.join(s3.put(key, Files.readAllBytes(f)));
      }
    }
    JsonNode manifest = new ObjectMapper().readTree(fixtures.resolve("manifest.json").toFile());
    List<String> checked = new ArrayList<>();
    try (ArrayStore arrays = ArrayStore.open(root, settings)) {
      Iterator<String> names = manifest.fieldNames();
      while (names.hasNext()) {
        String name = names.next();
        if (!name.startsWith("blosc/")) {
          continue;
        }
        Dataset d = arrays.dataset(name);
        byte[] expected =
            Files.readAllBytes(fixtures.resolve("ref").resolve(name.replace('/', '_') + ".bin"));
        assertArrayEquals(expected, d.read().bytes(), name);
        checked.add(name);
      }
    }
    assertTrue(checked.size() >= 23, "checked " + checked);
  }
}
