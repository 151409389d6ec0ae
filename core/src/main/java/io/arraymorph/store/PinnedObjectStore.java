package io.arraymorph.store;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * A store whose reads of one key come only from one version of that object: each read of {@link
 * #key} goes through {@link ObjectStore#getRangesIfUnchanged} (on S3 and Azure {@code If-Match} on
 * each ranged GET, on the local store a stat of the file read), so a task reading a file at offsets
 * planned elsewhere needs no HEAD after its reads. A refused read fails with what {@code refusal}
 * makes of the {@link ObjectChangedException} (the caller's message naming its file); a read of the
 * replaced object never completes normally. Everything else goes to the inner store, which this
 * does not close.
 */
public final class PinnedObjectStore implements ObjectStore {
  private final ObjectStore inner;
  private final String key;
  private final ObjectInfo expected;
  private final Function<ObjectChangedException, RuntimeException> refusal;

  /**
   * @param expected the version reads of {@code key} must come from (its size and entity tag)
   * @param refusal the error a read of another version, or of none, fails with
   */
  public PinnedObjectStore(
      ObjectStore inner,
      String key,
      ObjectInfo expected,
      Function<ObjectChangedException, RuntimeException> refusal) {
    this.inner = inner;
    this.key = key;
    this.expected = expected;
    this.refusal = refusal;
  }

  /** The key whose reads are pinned. */
  public String key() {
    return key;
  }

  @Override
  public CompletableFuture<byte[]> get(String k) {
    if (!key.equals(k)) {
      return inner.get(k);
    }
    return getRange(k, 0, Math.toIntExact(expected.size()));
  }

  @Override
  public <T> CompletableFuture<T> getWith(String k, Function<ByteBuffer, T> reader) {
    if (!key.equals(k)) {
      return inner.getWith(k, reader);
    }
    return get(k).thenApply(bytes -> reader.apply(ByteBuffer.wrap(bytes)));
  }

  @Override
  public CompletableFuture<byte[]> getRange(String k, long offset, int length) {
    if (!key.equals(k)) {
      return inner.getRange(k, offset, length);
    }
    byte[][] out = new byte[1][];
    return getRanges(
            k,
            new long[] {offset},
            new int[] {length},
            (i, bytes, read) -> out[0] = Arrays.copyOf(bytes, read))
        .thenApply(v -> out[0]);
  }

  @Override
  public CompletableFuture<List<byte[]>> getRanges(String k, long[] offsets, int[] lengths) {
    if (!key.equals(k)) {
      return inner.getRanges(k, offsets, lengths);
    }
    byte[][] out = new byte[offsets.length][];
    return getRanges(k, offsets, lengths, (i, bytes, read) -> out[i] = Arrays.copyOf(bytes, read))
        .thenApply(v -> Arrays.asList(out));
  }

  @Override
  public CompletableFuture<Void> getRanges(
      String k, long[] offsets, int[] lengths, RangeReader reader) {
    if (!key.equals(k)) {
      return inner.getRanges(k, offsets, lengths, reader);
    }
    return inner
        .getRangesIfUnchanged(k, expected, offsets, lengths, reader)
        .exceptionally(
            e -> {
              Throwable cause = Futures.unwrap(e);
              throw new CompletionException(
                  cause instanceof ObjectChangedException changed ? refusal.apply(changed) : cause);
            });
  }

  @Override
  public CompletableFuture<Void> getRangesIfUnchanged(
      String k, ObjectInfo version, long[] offsets, int[] lengths, RangeReader reader) {
    return inner.getRangesIfUnchanged(k, version, offsets, lengths, reader);
  }

  @Override
  public int rangeRequests(long[] offsets, int[] lengths) {
    return inner.rangeRequests(offsets, lengths);
  }

  @Override
  public boolean readsIfUnchanged() {
    return inner.readsIfUnchanged();
  }

  @Override
  public CompletableFuture<Void> put(String k, byte[] data) {
    return inner.put(k, data);
  }

  @Override
  public CompletableFuture<Boolean> putIfAbsent(String k, byte[] data) {
    return inner.putIfAbsent(k, data);
  }

  @Override
  public CompletableFuture<Void> copy(String from, String to) {
    return inner.copy(from, to);
  }

  @Override
  public CompletableFuture<Optional<ObjectInfo>> head(String k) {
    return inner.head(k);
  }

  @Override
  public CompletableFuture<List<ObjectInfo>> list(String prefix) {
    return inner.list(prefix);
  }

  @Override
  public CompletableFuture<Optional<List<String>>> listChildren(String prefix) {
    return inner.listChildren(prefix);
  }

  @Override
  public CompletableFuture<Void> delete(String k) {
    return inner.delete(k);
  }

  @Override
  public CompletableFuture<Void> deleteAll(Collection<String> keys, int maxInFlight) {
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

  /** Leaves the inner store open: its owner closes it. */
  @Override
  public void close() {}
}
