package io.arraymorph.store;

/**
 * Opens stores for some URI schemes. Implementations are found with {@link
 * java.util.ServiceLoader}, so a store for a new platform is a jar on the classpath.
 */
public interface ObjectStoreProvider {

  /**
   * Whether this provider opens the location, given the settings (e.g. an explicit {@code
   * storage}).
   */
  boolean accepts(StoreUri location, StoreSettings settings);

  /** Opens a store whose root is the location. */
  ObjectStore open(StoreUri location, StoreSettings settings);
}
