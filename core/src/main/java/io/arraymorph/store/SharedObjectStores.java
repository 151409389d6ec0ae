package io.arraymorph.store;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Stores kept open for reuse within a JVM, keyed by location and settings: creating an S3 or Azure
 * client and its first connection costs tens of milliseconds, which a short query on a Spark
 * executor would otherwise pay in every task. Each {@link #acquire} returns a view whose {@code
 * close()} only releases it; idle stores beyond {@link #MAX_IDLE} are closed, least recently used
 * first.
 */
public final class SharedObjectStores {
  /** Idle stores kept open. */
  public static final int MAX_IDLE = 16;

  private static final SharedResources<Key, ObjectStore> STORES =
      new SharedResources<>(MAX_IDLE, ObjectStore::close);

  private SharedObjectStores() {}

  private record Key(String location, StoreSettings settings) {}

  /** A shared store for the location; close the returned view when done with it. */
  public static ObjectStore acquire(String location, StoreSettings settings) {
    return new Lease(
        STORES.acquire(new Key(location, settings), () -> ObjectStores.open(location, settings)));
  }

  /** The number of stores currently kept, for tests. */
  static int size() {
    return STORES.size();
  }

  /** A view of a shared store whose close releases it (once). */
  private static final class Lease implements ObjectStore {
    private final SharedResources.Lease<ObjectStore> lease;

    Lease(SharedResources.Lease<ObjectStore> lease) {
      this.lease = lease;
    }

    private ObjectStore store() {
      return lease.value();
    }

    @Override
    public CompletableFuture<byte[]> get(String key) {
      return store().get(key);
    }

    @Override
    public <T> CompletableFuture<T> getWith(
        String key, java.util.function.Function<java.nio.ByteBuffer, T> reader) {
      return store().getWith(key, reader);
    }

    @Override
    public CompletableFuture<byte[]> getRange(String key, long offset, int length) {
      return store().getRange(key, offset, length);
    }

    @Override
    public CompletableFuture<Void> getRanges(
        String key, long[] offsets, int[] lengths, RangeReader reader) {
      return store().getRanges(key, offsets, lengths, reader);
    }

    @Override
    public CompletableFuture<List<byte[]>> getRanges(String key, long[] offsets, int[] lengths) {
      return store().getRanges(key, offsets, lengths);
    }

    @Override
    public CompletableFuture<Void> getRangesIfUnchanged(
        String key, ObjectInfo expected, long[] offsets, int[] lengths, RangeReader reader) {
      return store().getRangesIfUnchanged(key, expected, offsets, lengths, reader);
    }

    @Override
    public int rangeRequests(long[] offsets, int[] lengths) {
      return store().rangeRequests(offsets, lengths);
    }

    @Override
    public boolean readsIfUnchanged() {
      return store().readsIfUnchanged();
    }

    @Override
    public CompletableFuture<Void> put(String key, byte[] data) {
      return store().put(key, data);
    }

    @Override
    public CompletableFuture<Boolean> putIfAbsent(String key, byte[] data) {
      return store().putIfAbsent(key, data);
    }

    @Override
    public CompletableFuture<Void> copy(String from, String to) {
      return store().copy(from, to);
    }

    @Override
    public CompletableFuture<Optional<ObjectInfo>> head(String key) {
      return store().head(key);
    }

    @Override
    public CompletableFuture<List<ObjectInfo>> list(String prefix) {
      return store().list(prefix);
    }

    @Override
    public CompletableFuture<Optional<List<String>>> listChildren(String prefix) {
      return store().listChildren(prefix);
    }

    @Override
    public CompletableFuture<Void> delete(String key) {
      return store().delete(key);
    }

    @Override
    public CompletableFuture<Void> deleteAll(Collection<String> keys, int maxInFlight) {
      return store().deleteAll(keys, maxInFlight);
    }

    @Override
    public CostModel costModel() {
      return store().costModel();
    }

    @Override
    public String describe() {
      return store().describe();
    }

    @Override
    public void close() {
      lease.close();
    }
  }
}
