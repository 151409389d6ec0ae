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
 * A flat key-value store of immutable objects: local disk, memory, S3, Azure Blob or a Hadoop
 * FileSystem. Keys are relative to the store's root and use {@code /} as separator. Every operation
 * is asynchronous; failures complete the future exceptionally with a {@link StoreException} (an
 * {@link ObjectNotFoundException} when the object is missing).
 */
public interface ObjectStore extends AutoCloseable {

  /** Reads a whole object. */
  CompletableFuture<byte[]> get(String key);

  /**
   * Reads a whole object and passes its bytes (from the buffer's position to its limit) to {@code
   * reader}, completing with what it returns. The buffer is valid only during the call: {@code
   * reader} copies what it keeps and never holds on to the buffer. Stores that can lend a reused
   * buffer (the local store) override this so that reading, say, a chunk into its place in a larger
   * array allocates nothing per object; by default this is {@link #get}.
   */
  default <T> CompletableFuture<T> getWith(String key, Function<ByteBuffer, T> reader) {
    return get(key).thenApply(bytes -> reader.apply(ByteBuffer.wrap(bytes)));
  }

  /**
   * Reads {@code length} bytes starting at {@code offset}. A range past the end of the object
   * returns the bytes that exist.
   */
  CompletableFuture<byte[]> getRange(String key, long offset, int length);

  /**
   * Reads several byte ranges of one object, one array per range in the order given, each as {@link
   * #getRange} returns it (a new array the caller keeps, never copied again): by default through
   * {@link #getRanges(String, long[], int[], RangeReader)}, so nearby ranges share a request
   * ({@link RangeGroups}) and both forms cost the same. Stores whose reader form lends reused
   * buffers (the local store) override this too.
   */
  default CompletableFuture<List<byte[]>> getRanges(String key, long[] offsets, int[] lengths) {
    byte[][] out = new byte[offsets.length][];
    return getRanges(
            key,
            offsets,
            lengths,
            (i, bytes, read) -> out[i] = read == bytes.length ? bytes : Arrays.copyOf(bytes, read))
        .thenApply(v -> Arrays.asList(out));
  }

  /**
   * Receives one range of {@link #getRanges(String, long[], int[], RangeReader)}: its bytes are
   * {@code bytes[0, length)}, valid only during the call (stores may lend a reused buffer: copy
   * what you keep).
   */
  @FunctionalInterface
  interface RangeReader {
    /**
     * Takes one range's bytes.
     *
     * @param index the range's position in the call's offsets
     * @param length the bytes of the range that exist (fewer than asked past the object's end)
     */
    void read(int index, byte[] bytes, int length);
  }

  /**
   * Reads several byte ranges of one object and passes each to {@code reader} (possibly from
   * several threads, each range once); completes when every range was passed, or exceptionally when
   * one cannot be read (ranges passed before stay passed) or {@code reader} throws. Stores where
   * opening an object costs more than reading a range (the local store: one open and one
   * confinement check instead of one per range, and one reused buffer per thread, so a granule's
   * chunks read together allocate nothing per chunk) override this; by default nearby ranges are
   * read together, one {@link #getRange} per group ({@link RangeGroups}), all issued at once.
   */
  default CompletableFuture<Void> getRanges(
      String key, long[] offsets, int[] lengths, RangeReader reader) {
    return RangeGroups.read(offsets, lengths, reader, (o, l) -> getRange(key, o, l));
  }

  /**
   * How many requests {@link #getRanges(String, long[], int[], RangeReader)} makes for these
   * ranges, for the read metrics: by default one per group of nearby ranges ({@link RangeGroups}).
   */
  default int rangeRequests(long[] offsets, int[] lengths) {
    return RangeGroups.requests(offsets, lengths);
  }

  /**
   * Like {@link #getRanges(String, long[], int[], RangeReader)}, but only from the object {@code
   * expected} describes (its size and, when set, its entity tag; its key is not used): completes
   * exceptionally with an {@link ObjectChangedException} when another object, or none, is at the
   * key, also when the ranges were read (then {@code reader} may already have had bytes of the
   * other object: callers keep what they read until the future completes normally). A read that
   * fails for another reason fails with that reason unless the object changed. By default the
   * ranges are read, then one {@link #head} compares; stores that can check within the read itself
   * ({@link #readsIfUnchanged}) override this.
   */
  default CompletableFuture<Void> getRangesIfUnchanged(
      String key, ObjectInfo expected, long[] offsets, int[] lengths, RangeReader reader) {
    return getRanges(key, offsets, lengths, reader)
        .handle((v, error) -> error)
        .thenCompose(
            readError ->
                head(key)
                    .handle(
                        (now, headError) -> {
                          if (headError == null) {
                            try {
                              ObjectChangedException.check(key, expected, now);
                            } catch (ObjectChangedException changed) {
                              if (readError != null) {
                                changed.addSuppressed(Futures.unwrap(readError));
                              }
                              throw changed;
                            }
                          }
                          Throwable failure = readError != null ? readError : headError;
                          if (failure != null) {
                            throw new CompletionException(Futures.unwrap(failure));
                          }
                          return null;
                        }));
  }

  /**
   * Whether {@link #getRangesIfUnchanged} checks the object's version within the read, with no
   * request of its own (the local store compares the file it read; wrappers say what their store
   * does).
   */
  default boolean readsIfUnchanged() {
    return false;
  }

  /** Writes a whole object, replacing any previous one; readers see the old or the new bytes. */
  CompletableFuture<Void> put(String key, byte[] data);

  /**
   * Creates an object only if no object has the key, atomically: of many concurrent calls on one
   * key (from any process), exactly one completes with {@code true}; the others complete with
   * {@code false} and change nothing. The building block of writer locks.
   *
   * @throws UnsupportedOperationException (through the future) when the store cannot do it
   *     atomically
   */
  default CompletableFuture<Boolean> putIfAbsent(String key, byte[] data) {
    return CompletableFuture.failedFuture(
        new UnsupportedOperationException(
            describe()
                + " cannot create an object only if it is absent, so it cannot hold a writer"
                + " lock; write through the local, S3, Azure or Hadoop stores"));
  }

  /**
   * Copies an object to another key, replacing any object there; readers of {@code to} see the old
   * or the new bytes. Stores copy on the server where they can (no bytes through this process);
   * this default reads and writes.
   *
   * @throws ObjectNotFoundException (through the future) when {@code from} does not exist
   */
  default CompletableFuture<Void> copy(String from, String to) {
    return get(from).thenCompose(bytes -> put(to, bytes));
  }

  /** The object's size, or empty when it does not exist. */
  CompletableFuture<Optional<ObjectInfo>> head(String key);

  /** Every object whose key starts with {@code prefix}, sorted by key. */
  CompletableFuture<List<ObjectInfo>> list(String prefix);

  /**
   * The names directly under {@code prefix} (empty, or ending with {@code /}): each object's name
   * and each deeper prefix's first segment, without the prefix and without a trailing {@code /},
   * sorted and distinct. One request where the store can list a single level (S3's delimiter
   * listing); empty where it could only do so by listing everything below {@code prefix}, so
   * callers then look up the names they want one by one instead.
   */
  default CompletableFuture<Optional<List<String>>> listChildren(String prefix) {
    return CompletableFuture.completedFuture(Optional.empty());
  }

  /** Deletes an object; deleting a missing object succeeds. */
  CompletableFuture<Void> delete(String key);

  /**
   * Deletes every object of {@code keys}; deleting a missing object succeeds. Stores with a batch
   * call send many keys per request (S3's DeleteObjects: up to 1000); by default each key is its
   * own {@link #delete}. At most {@code maxInFlight} requests are in flight at once. Every key is
   * tried; the future then fails with a {@link StoreException} naming the keys not deleted and why.
   */
  default CompletableFuture<Void> deleteAll(Collection<String> keys, int maxInFlight) {
    return BulkDelete.oneByOne(this, keys, maxInFlight);
  }

  /** What a request to this store costs, for choosing between whole-object and ranged reads. */
  default CostModel costModel() {
    return CostModel.REMOTE;
  }

  /** A description of where the store is, safe to log (never holds a secret). */
  String describe();

  @Override
  void close();
}
