package io.arraymorph.scan;

import io.arraymorph.store.ObjectInfo;
import io.arraymorph.store.ObjectStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Another store's objects seen through a store that cannot check an object's version within its
 * reads (as the Hadoop store): reads of files planned elsewhere are then checked by a HEAD after
 * them ({@link VersionCheck#verifyFiles}).
 */
final class HeadCheckedStore implements ObjectStore {
  private final ObjectStore inner;

  HeadCheckedStore(ObjectStore inner) {
    this.inner = inner;
  }

  @Override
  public CompletableFuture<byte[]> get(String key) {
    return inner.get(key);
  }

  @Override
  public CompletableFuture<byte[]> getRange(String key, long offset, int length) {
    return inner.getRange(key, offset, length);
  }

  @Override
  public CompletableFuture<Void> put(String key, byte[] data) {
    return inner.put(key, data);
  }

  @Override
  public CompletableFuture<Optional<ObjectInfo>> head(String key) {
    return inner.head(key);
  }

  @Override
  public CompletableFuture<List<ObjectInfo>> list(String prefix) {
    return inner.list(prefix);
  }

  @Override
  public CompletableFuture<Void> delete(String key) {
    return inner.delete(key);
  }

  @Override
  public String describe() {
    return inner.describe();
  }

  @Override
  public void close() {
    inner.close();
  }
}
