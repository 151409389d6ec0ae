package io.arraymorph.bench;

import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectInfo;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.ObjectStores;
import io.arraymorph.store.StoreSettings;
import io.arraymorph.testing.S3ProxyServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * Where the granule benchmark reads a generated collection from: the local disk as generated, or a
 * filesystem-backed S3Proxy on 127.0.0.1 (started on first use, its blobs under {@code
 * <granules>/s3proxy}) that the collection is uploaded to once.
 */
final class GranuleStores {
  private static final String BUCKET = "granules";

  private final Path root;
  private S3ProxyServer s3;

  /**
   * {@code root}: the directory of the generated collections ({@code benchmarks/target/granules}).
   */
  GranuleStores(Path root) {
    this.root = root;
  }

  /**
   * A collection's locations on a store ("local" or "s3"): its granules, its manifest and its
   * rechunked store beside them, and the reader options that reach them.
   */
  record Collection(String files, String manifest, String rechunked, Map<String, String> options) {
    /** The options with one more. */
    Map<String, String> with(String key, String value) {
      Map<String, String> m = new HashMap<>(options);
      m.put(key, value);
      return m;
    }

    /** Deletes everything under {@code location} (a manifest or store from an earlier run). */
    void delete(String location) {
      String parent = location.substring(0, location.lastIndexOf('/') + 1);
      String name = location.substring(parent.length());
      try (ObjectStore store = ObjectStores.open(parent, StoreSettings.of(options))) {
        List<CompletableFuture<Void>> deletes = new ArrayList<>();
        for (ObjectInfo o : Futures.join(store.list(name + "/"))) {
          deletes.add(store.delete(o.key()));
        }
        deletes.forEach(Futures::join);
      }
    }
  }

  /** The collection generated in {@code dir} ({@code <root>/<N>}), on the store named. */
  Collection collection(String store, Path dir) {
    String n = dir.getFileName().toString();
    return switch (store) {
      case "local" -> {
        String d = dir.toAbsolutePath().toString();
        yield new Collection(d + "/", d + ".manifest", d + ".rechunked.zarr", Map.of());
      }
      case "s3" -> {
        Map<String, String> settings = s3Settings();
        upload(dir, n + "/", settings);
        String base = "s3://" + BUCKET + "/" + n;
        yield new Collection(base + "/", base + ".manifest", base + ".rechunked.zarr", settings);
      }
      default ->
          throw new IllegalArgumentException("Unknown store '" + store + "': use local or s3");
    };
  }

  private Map<String, String> s3Settings() {
    if (s3 == null) {
      s3 = S3ProxyServer.startFilesystem(root.resolve("s3proxy").toAbsolutePath());
      s3.createBucket(BUCKET);
    }
    return s3.settings(BUCKET);
  }

  /** Uploads the granules of {@code dir} under {@code prefix}, but those already there. */
  private static void upload(Path dir, String prefix, Map<String, String> settings) {
    try (ObjectStore store = ObjectStores.open("s3://" + BUCKET + "/", StoreSettings.of(settings));
        Stream<Path> files = Files.list(dir)) {
      Set<String> there = new HashSet<>();
      for (ObjectInfo o : Futures.join(store.list(prefix))) {
        there.add(o.key());
      }
      List<CompletableFuture<Void>> puts = new ArrayList<>();
      for (Path f :
          files.filter(p -> p.getFileName().toString().endsWith(".nc")).sorted().toList()) {
        String key = prefix + f.getFileName();
        if (!there.contains(key)) {
          puts.add(store.put(key, Files.readAllBytes(f)));
          if (puts.size() >= 32) {
            puts.forEach(Futures::join);
            puts.clear();
          }
        }
      }
      puts.forEach(Futures::join);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
