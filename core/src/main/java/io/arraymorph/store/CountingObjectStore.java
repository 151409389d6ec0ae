package io.arraymorph.store;

import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/** Counts the requests and bytes that pass through to another store. */
public final class CountingObjectStore implements ObjectStore {
  private final ObjectStore inner;
  private final StoreStats stats;

  public CountingObjectStore(ObjectStore inner) {
    this(inner, new StoreStats());
  }

  /** Counts into shared {@code stats}, e.g. one set of counters for every store a task opens. */
  public CountingObjectStore(ObjectStore inner, StoreStats stats) {
    this.inner = inner;
    this.stats = stats;
  }

  public StoreStats stats() {
    return stats;
  }

  @Override
  public CompletableFuture<byte[]> get(String key) {
    return timedRead(stats.gets, inner.get(key));
  }

  @Override
  public <T> CompletableFuture<T> getWith(String key, Function<ByteBuffer, T> reader) {
    stats.gets.increment();
    long start = System.nanoTime();
    return inner
        .getWith(
            key,
            buffer -> {
              stats.bytesRead.add(buffer.remaining());
              return reader.apply(buffer);
            })
        .whenComplete(
            (value, error) -> {
              stats.waitNanos.add(System.nanoTime() - start);
              if (Futures.unwrap(error) instanceof ObjectNotFoundException) {
                stats.notFound.increment();
              }
            });
  }

  @Override
  public CompletableFuture<byte[]> getRange(String key, long offset, int length) {
    return timedRead(stats.rangeGets, inner.getRange(key, offset, length));
  }

  /** Counted as the inner store says it reads them ({@link ObjectStore#rangeRequests}). */
  @Override
  public CompletableFuture<List<byte[]>> getRanges(String key, long[] offsets, int[] lengths) {
    stats.rangeGets.add(inner.rangeRequests(offsets, lengths));
    long start = System.nanoTime();
    return inner
        .getRanges(key, offsets, lengths)
        .whenComplete(
            (parts, error) -> {
              stats.waitNanos.add(System.nanoTime() - start);
              if (parts != null) {
                parts.forEach(p -> stats.bytesRead.add(p.length));
              } else if (Futures.unwrap(error) instanceof ObjectNotFoundException) {
                stats.notFound.increment();
              }
            });
  }

  /** Counted as the inner store says it reads them ({@link ObjectStore#rangeRequests}). */
  @Override
  public CompletableFuture<Void> getRanges(
      String key, long[] offsets, int[] lengths, RangeReader reader) {
    stats.rangeGets.add(inner.rangeRequests(offsets, lengths));
    long start = System.nanoTime();
    return inner
        .getRanges(
            key,
            offsets,
            lengths,
            (index, bytes, length) -> {
              stats.bytesRead.add(length);
              reader.read(index, bytes, length);
            })
        .whenComplete(
            (v, error) -> {
              stats.waitNanos.add(System.nanoTime() - start);
              if (Futures.unwrap(error) instanceof ObjectNotFoundException) {
                stats.notFound.increment();
              }
            });
  }

  /**
   * Counted as {@link #getRanges} counts, plus the HEAD the check makes where the inner store
   * cannot check within the read (then this store's own getRanges and head are used).
   */
  @Override
  public CompletableFuture<Void> getRangesIfUnchanged(
      String key, ObjectInfo expected, long[] offsets, int[] lengths, RangeReader reader) {
    if (!inner.readsIfUnchanged()) {
      return ObjectStore.super.getRangesIfUnchanged(key, expected, offsets, lengths, reader);
    }
    stats.rangeGets.add(inner.rangeRequests(offsets, lengths));
    long start = System.nanoTime();
    return inner
        .getRangesIfUnchanged(
            key,
            expected,
            offsets,
            lengths,
            (index, bytes, length) -> {
              stats.bytesRead.add(length);
              reader.read(index, bytes, length);
            })
        .whenComplete((v, error) -> stats.waitNanos.add(System.nanoTime() - start));
  }

  @Override
  public int rangeRequests(long[] offsets, int[] lengths) {
    return inner.rangeRequests(offsets, lengths);
  }

  @Override
  public boolean readsIfUnchanged() {
    return inner.readsIfUnchanged();
  }

  private CompletableFuture<byte[]> timedRead(LongAdder counter, CompletableFuture<byte[]> f) {
    counter.increment();
    long start = System.nanoTime();
    return f.whenComplete(
        (data, error) -> {
          stats.waitNanos.add(System.nanoTime() - start);
          if (data != null) {
            stats.bytesRead.add(data.length);
          } else if (Futures.unwrap(error) instanceof ObjectNotFoundException) {
            stats.notFound.increment();
          }
        });
  }

  @Override
  public CompletableFuture<Void> put(String key, byte[] data) {
    stats.puts.increment();
    stats.bytesWritten.add(data.length);
    return inner.put(key, data);
  }

  @Override
  public CompletableFuture<Boolean> putIfAbsent(String key, byte[] data) {
    stats.puts.increment();
    stats.bytesWritten.add(data.length);
    return inner.putIfAbsent(key, data);
  }

  /** A copy is counted as one put; its bytes do not pass through this process. */
  @Override
  public CompletableFuture<Void> copy(String from, String to) {
    stats.puts.increment();
    return inner.copy(from, to);
  }

  @Override
  public CompletableFuture<Optional<ObjectInfo>> head(String key) {
    stats.heads.increment();
    return inner.head(key);
  }

  @Override
  public CompletableFuture<List<ObjectInfo>> list(String prefix) {
    stats.lists.increment();
    return inner.list(prefix);
  }

  @Override
  public CompletableFuture<Optional<List<String>>> listChildren(String prefix) {
    stats.lists.increment();
    return inner.listChildren(prefix);
  }

  @Override
  public CompletableFuture<Void> delete(String key) {
    stats.deletes.increment();
    return inner.delete(key);
  }

  /** Counted as one delete per key, whether or not the store batches them. */
  @Override
  public CompletableFuture<Void> deleteAll(Collection<String> keys, int maxInFlight) {
    stats.deletes.add(keys.size());
    return inner.deleteAll(keys, maxInFlight);
  }

  @Override
  public CostModel costModel() {
    return inner.costModel();
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
