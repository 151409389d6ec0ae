package io.arraymorph.store;

/**
 * The requested object does not exist. Readers of chunked arrays treat it as a chunk never written.
 */
public class ObjectNotFoundException extends StoreException {
  private final String key;

  public ObjectNotFoundException(String key) {
    super("No object at key '" + key + "'");
    this.key = key;
  }

  public String key() {
    return key;
  }
}
