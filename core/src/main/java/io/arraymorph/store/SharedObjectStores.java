package io.arraymorph.store;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  private static final Map<Key, Entry> ENTRIES = new LinkedHashMap<>(16, 0.75f, true);

  private SharedObjectStores() {}

  private record Key(String location, StoreSettings settings) {}

  private static final class Entry {
    final ObjectStore store;
    int users;

    Entry(ObjectStore store) {
      this.store = store;
    }
  }

  /** A shared store for the location; close the returned view when done with it. */
  public static ObjectStore acquire(String location, StoreSettings settings) {
    Key key = new Key(location, settings);
    Entry entry;
    synchronized (ENTRIES) {
      entry = ENTRIES.get(key);
      if (entry == null) {
        entry = new Entry(ObjectStores.open(location, settings));
        ENTRIES.put(key, entry);
      }
      entry.users++;
    }
    return new Lease(entry);
  }

  private static void release(Entry entry) {
    List<ObjectStore> toClose = new ArrayList<>();
    synchronized (ENTRIES) {
      entry.users--;
      int idle = 0;
      for (Entry e : ENTRIES.values()) {
        idle += e.users == 0 ? 1 : 0;
      }
      Iterator<Entry> it = ENTRIES.values().iterator();
      while (idle > MAX_IDLE && it.hasNext()) {
        Entry e = it.next();
        if (e.users == 0) {
          it.remove();
          toClose.add(e.store);
          idle--;
        }
      }
    }
    toClose.forEach(ObjectStore::close);
  }

  /** The number of stores currently kept, for tests. */
  static int size() {
    synchronized (ENTRIES) {
      return ENTRIES.size();
    }
  }

  /** A view of a shared store whose close releases it (once). */
  private static final class Lease implements ObjectStore {
    private final Entry entry;
    private boolean released;

    Lease(Entry entry) {
      this.entry = entry;
    }

    private ObjectStore store() {
      return entry.store;
    }

    @Override
    public CompletableFuture<byte[]> get(String key) {
      return store().get(key);
    }

    @Override
    public CompletableFuture<byte[]> getRange(String key, long offset, int length) {
      return store().getRange(key, offset, length);
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
    public CompletableFuture<Void> delete(String key) {
      return store().delete(key);
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
    public synchronized void close() {
      if (!released) {
        released = true;
        release(entry);
      }
    }
  }
}
