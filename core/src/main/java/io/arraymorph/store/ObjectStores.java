package io.arraymorph.store;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Opens the store for a location, with the provider that accepts it. */
public final class ObjectStores {
  private ObjectStores() {}

  /**
   * Opens a store whose root is {@code location} (a path, {@code file:}, {@code mem://}, {@code
   * s3://}, {@code az://}, ... URI).
   *
   * @throws IllegalArgumentException naming the location when no provider on the classpath handles
   *     it
   */
  public static ObjectStore open(String location, StoreSettings settings) {
    StoreUri uri = StoreUri.parse(location);
    List<String> known = new ArrayList<>();
    for (ObjectStoreProvider provider :
        ServiceLoader.load(ObjectStoreProvider.class, ObjectStores.class.getClassLoader())) {
      if (provider.accepts(uri, settings)) {
        return provider.open(uri, settings);
      }
      known.add(provider.getClass().getSimpleName());
    }
    throw new IllegalArgumentException(
        "No store handles '"
            + location
            + "' (scheme '"
            + uri.scheme()
            + "', storage="
            + settings.get("storage", "<unset>")
            + "); providers on the classpath: "
            + known
            + ". Use a path, file:, mem://, s3://, az:// or a Hadoop scheme with hadoop on the"
            + " classpath.");
  }

  public static ObjectStore open(String location) {
    return open(location, StoreSettings.empty());
  }
}
