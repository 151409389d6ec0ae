package io.arraymorph.store.memory;

import io.arraymorph.store.CostModel;
import io.arraymorph.store.Keys;
import io.arraymorph.store.ObjectInfo;
import io.arraymorph.store.ObjectNotFoundException;
import io.arraymorph.store.ObjectStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Objects in memory, for tests and scratch work. Stores opened by name ({@code mem://name}) are
 * shared within one JVM, so they suit a single-JVM Spark session but not executors in other
 * processes.
 */
public final class MemoryObjectStore implements ObjectStore {
  private static final Map<String, MemoryObjectStore> NAMED = new ConcurrentHashMap<>();
  private final ConcurrentSkipListMap<String, byte[]> objects = new ConcurrentSkipListMap<>();

  /** Each object's entity tag: the number of the put that wrote it. */
  private final Map<String, Long> tags = new ConcurrentHashMap<>();

  private final AtomicLong puts = new AtomicLong();
  private final String name;

  public MemoryObjectStore() {
    this("anonymous");
  }

  private MemoryObjectStore(String name) {
    this.name = name;
  }

  /** The JVM-wide store of this name, created on first use. */
  public static MemoryObjectStore named(String name) {
    return NAMED.computeIfAbsent(name, MemoryObjectStore::new);
  }

  /** Forgets the named store and its objects. */
  public static void dropNamed(String name) {
    NAMED.remove(name);
  }

  @Override
  public CompletableFuture<byte[]> get(String key) {
    byte[] data = objects.get(Keys.validate(key));
    return data == null
        ? CompletableFuture.failedFuture(new ObjectNotFoundException(key))
        : CompletableFuture.completedFuture(data.clone());
  }

  @Override
  public CompletableFuture<byte[]> getRange(String key, long offset, int length) {
    byte[] data = objects.get(Keys.validate(key));
    if (data == null) {
      return CompletableFuture.failedFuture(new ObjectNotFoundException(key));
    }
    int from = (int) Math.min(offset, data.length);
    int to = (int) Math.min((long) from + length, data.length);
    return CompletableFuture.completedFuture(Arrays.copyOfRange(data, from, to));
  }

  @Override
  public CompletableFuture<Void> put(String key, byte[] data) {
    objects.put(Keys.validate(key), data.clone());
    tags.put(key, puts.incrementAndGet());
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Boolean> putIfAbsent(String key, byte[] data) {
    boolean created = objects.putIfAbsent(Keys.validate(key), data.clone()) == null;
    if (created) {
      tags.put(key, puts.incrementAndGet());
    }
    return CompletableFuture.completedFuture(created);
  }

  /** Shares the stored array: objects are never changed in place. */
  @Override
  public CompletableFuture<Void> copy(String from, String to) {
    byte[] data = objects.get(Keys.validate(from));
    if (data == null) {
      return CompletableFuture.failedFuture(new ObjectNotFoundException(from));
    }
    objects.put(Keys.validate(to), data);
    tags.put(to, puts.incrementAndGet());
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Optional<ObjectInfo>> head(String key) {
    byte[] data = objects.get(Keys.validate(key));
    return CompletableFuture.completedFuture(
        data == null
            ? Optional.empty()
            : Optional.of(new ObjectInfo(key, data.length, "put-" + tags.get(key))));
  }

  @Override
  public CompletableFuture<List<ObjectInfo>> list(String prefix) {
    List<ObjectInfo> out = new ArrayList<>();
    for (Map.Entry<String, byte[]> e : objects.tailMap(prefix).entrySet()) {
      if (!e.getKey().startsWith(prefix)) {
        break;
      }
      out.add(new ObjectInfo(e.getKey(), e.getValue().length));
    }
    return CompletableFuture.completedFuture(out);
  }

  @Override
  public CompletableFuture<Void> delete(String key) {
    objects.remove(Keys.validate(key));
    tags.remove(key);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CostModel costModel() {
    return CostModel.LOCAL;
  }

  @Override
  public String describe() {
    return "memory store '" + name + "'";
  }

  @Override
  public void close() {}
}
