package io.arraymorph.store;

import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

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
    return relativeNotFound(inner.get(full(key)), key);
  }

  @Override
  public <T> CompletableFuture<T> getWith(String key, Function<ByteBuffer, T> reader) {
    return relativeNotFound(inner.getWith(full(key), reader), key);
  }

  @Override
  public CompletableFuture<byte[]> getRange(String key, long offset, int length) {
    return relativeNotFound(inner.getRange(full(key), offset, length), key);
  }

  @Override
  public CompletableFuture<Void> getRanges(
      String key, long[] offsets, int[] lengths, RangeReader reader) {
    return relativeNotFound(inner.getRanges(full(key), offsets, lengths, reader), key);
  }

  @Override
  public CompletableFuture<List<byte[]>> getRanges(String key, long[] offsets, int[] lengths) {
    return relativeNotFound(inner.getRanges(full(key), offsets, lengths), key);
  }

  @Override
  public CompletableFuture<Void> getRangesIfUnchanged(
      String key, ObjectInfo expected, long[] offsets, int[] lengths, RangeReader reader) {
    return relativeNotFound(
        inner.getRangesIfUnchanged(full(key), expected, offsets, lengths, reader), key);
  }

  @Override
  public int rangeRequests(long[] offsets, int[] lengths) {
    return inner.rangeRequests(offsets, lengths);
  }

  @Override
  public boolean readsIfUnchanged() {
    return inner.readsIfUnchanged();
  }

  /** Reports a missing object under the caller's key, not the inner store's prefixed one. */
  private static <T> CompletableFuture<T> relativeNotFound(CompletableFuture<T> f, String key) {
    return f.handle(
        (value, failure) -> {
          if (failure == null) {
            return value;
          }
          Throwable cause = Futures.unwrap(failure);
          if (cause instanceof ObjectNotFoundException) {
            throw new ObjectNotFoundException(key);
          }
          throw failure instanceof CompletionException c ? c : new CompletionException(cause);
        });
  }

  @Override
  public CompletableFuture<Void> put(String key, byte[] data) {
    return inner.put(full(key), data);
  }

  @Override
  public CompletableFuture<Boolean> putIfAbsent(String key, byte[] data) {
    return inner.putIfAbsent(full(key), data);
  }

  @Override
  public CompletableFuture<Void> copy(String from, String to) {
    return relativeNotFound(inner.copy(full(from), full(to)), from);
  }

  @Override
  public CompletableFuture<Optional<ObjectInfo>> head(String key) {
    return inner
        .head(full(key))
        .thenApply(o -> o.map(info -> new ObjectInfo(key, info.size(), info.tag())));
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
  public CompletableFuture<Optional<List<String>>> listChildren(String keyPrefix) {
    return inner.listChildren(prefix + keyPrefix); // names are relative to the listed prefix
  }

  @Override
  public CompletableFuture<Void> delete(String key) {
    return inner.delete(full(key));
  }

  @Override
  public CompletableFuture<Void> deleteAll(Collection<String> keys, int maxInFlight) {
    return inner.deleteAll(keys.stream().map(this::full).toList(), maxInFlight);
  }

  @Override
  public CostModel costModel() {
    return inner.costModel();
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
