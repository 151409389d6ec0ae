package io.arraymorph.store;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A test store that passes each of a store's own requests to another store: tests extend it and
 * override only the calls they record, delay or fail. The interface's default methods (ranged
 * batches, copies, bulk deletes) are not forwarded, so they reach the overridden calls.
 */
public class ForwardingObjectStore implements ObjectStore {
  protected final ObjectStore inner;

  public ForwardingObjectStore(ObjectStore inner) {
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
