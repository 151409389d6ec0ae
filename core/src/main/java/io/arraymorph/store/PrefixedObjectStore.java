package io.arraymorph.store;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A view of another store under a key prefix, so that a location inside a bucket acts as a root.
 */
public final class PrefixedObjectStore implements ObjectStore {
  private final ObjectStore inner;
  private final String prefix;

  /** A view of {@code inner} under {@code prefix}; an empty prefix returns {@code inner} itself. */
  public static ObjectStore of(ObjectStore inner, String prefix) {
    String p = Keys.join(prefix);
    return p.isEmpty() ? inner : new PrefixedObjectStore(inner, p + "/");
  }

  private PrefixedObjectStore(ObjectStore inner, String prefix) {
    this.inner = inner;
    this.prefix = prefix;
  }

  private String full(String key) {
    return prefix + Keys.validate(key);
  }

  @Override
  public CompletableFuture<byte[]> get(String key) {
    return inner.get(full(key));
  }

  @Override
  public CompletableFuture<byte[]> getRange(String key, long offset, int length) {
    return inner.getRange(full(key), offset, length);
  }

  @Override
  public CompletableFuture<Void> put(String key, byte[] data) {
    return inner.put(full(key), data);
  }

  @Override
  public CompletableFuture<Optional<ObjectInfo>> head(String key) {
    return inner.head(full(key)).thenApply(o -> o.map(info -> new ObjectInfo(key, info.size())));
  }

  @Override
  public CompletableFuture<List<ObjectInfo>> list(String keyPrefix) {
    return inner
        .list(prefix + keyPrefix)
        .thenApply(
            all ->
                all.stream()
                    .map(i -> new ObjectInfo(i.key().substring(prefix.length()), i.size()))
                    .toList());
  }

  @Override
  public CompletableFuture<Void> delete(String key) {
    return inner.delete(full(key));
  }

  @Override
  public String describe() {
    return inner.describe() + " under '" + prefix + "'";
  }

  @Override
  public void close() {
    inner.close();
  }
}
