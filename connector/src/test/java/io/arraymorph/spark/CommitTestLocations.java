package io.arraymorph.spark;

import io.arraymorph.api.ArrayStore;
import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectInfo;
import io.arraymorph.store.StoreSettings;
import io.arraymorph.testing.S3ProxyServer;
import java.util.List;
import java.util.Map;

/** Locations and checks shared by the Spark commit tests (concurrent and interrupted commits). */
final class CommitTestLocations {
  private CommitTestLocations() {}

  /** A fresh bucket on S3Proxy: returns its location and puts the options that reach it. */
  static String s3Location(S3ProxyServer s3, String name, Map<String, String> optsOut) {
    String bucket = S3ProxyServer.uniqueBucketName(name);
    s3.createBucket(bucket);
    optsOut.putAll(s3.settings(bucket));
    optsOut.remove("bucket");
    return "s3://" + bucket + "/" + name + ".zarr";
  }

  /** Keys under the location that are neither metadata nor chunks: staging and locks. */
  static List<String> leftovers(String uri, Map<String, String> opts) {
    try (ArrayStore store = ArrayStore.open(uri, StoreSettings.of(opts))) {
      return Futures.join(store.objectStore().list("")).stream()
          .map(ObjectInfo::key)
          .filter(k -> k.startsWith(".arraymorph"))
          .toList();
    }
  }

  /** The messages of {@code t} and its causes, joined: what a user sees of a failed job. */
  static String chain(Throwable t) {
    StringBuilder sb = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      sb.append(c.getMessage()).append(" | ");
    }
    return sb.toString();
  }
}
