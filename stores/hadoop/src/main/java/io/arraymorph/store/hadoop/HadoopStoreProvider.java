package io.arraymorph.store.hadoop;

import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.ObjectStoreProvider;
import io.arraymorph.store.StoreSettings;
import io.arraymorph.store.StoreUri;
import java.net.URI;
import java.nio.file.Path;
import java.util.Set;

/**
 * Opens locations of any scheme Hadoop knows ({@code s3a://}, {@code hdfs://}, {@code gs://}, ...)
 * through the Hadoop FileSystem API, and any location when {@code storage=hadoop}. Schemes with a
 * dedicated store (local paths, {@code mem}, {@code s3}, Azure's) go there unless {@code
 * storage=hadoop}. This class touches no Hadoop type, so it loads even without Hadoop.
 */
public final class HadoopStoreProvider implements ObjectStoreProvider {
  private static final Set<String> DEDICATED =
      Set.of("file", "mem", "s3", "az", "abfs", "abfss", "wasb", "wasbs");

  @Override
  public boolean accepts(StoreUri location, StoreSettings settings) {
    String storage = settings.get("storage", "").trim();
    if (!storage.isEmpty()) {
      return storage.equalsIgnoreCase("hadoop") && hadoopPresent();
    }
    return !DEDICATED.contains(location.scheme()) && hadoopPresent();
  }

  @Override
  public ObjectStore open(StoreUri location, StoreSettings settings) {
    return HadoopObjectStore.open(toUri(location), settings);
  }

  /** The Hadoop URI of a location; plain paths become absolute {@code file:} URIs. */
  static URI toUri(StoreUri location) {
    if (location.scheme().equals("file")) {
      return Path.of(location.path()).toAbsolutePath().normalize().toUri();
    }
    return URI.create(location.original().trim());
  }

  private static boolean hadoopPresent() {
    try {
      Class.forName(
          "org.apache.hadoop.fs.FileSystem", false, HadoopStoreProvider.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
