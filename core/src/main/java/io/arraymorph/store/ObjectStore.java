package io.arraymorph.store;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

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
   * Reads {@code length} bytes starting at {@code offset}. A range past the end of the object
   * returns the bytes that exist.
   */
  CompletableFuture<byte[]> getRange(String key, long offset, int length);

  /** Writes a whole object, replacing any previous one; readers see the old or the new bytes. */
  CompletableFuture<Void> put(String key, byte[] data);

  /** The object's size, or empty when it does not exist. */
  CompletableFuture<Optional<ObjectInfo>> head(String key);

  /** Every object whose key starts with {@code prefix}, sorted by key. */
  CompletableFuture<List<ObjectInfo>> list(String prefix);

  /** Deletes an object; deleting a missing object succeeds. */
  CompletableFuture<Void> delete(String key);

  /** A description of where the store is, safe to log (never holds a secret). */
  String describe();

  @Override
  void close();
}
