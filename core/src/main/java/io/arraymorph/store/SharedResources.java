package io.arraymorph.store;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Expensive resources (clients, stores) shared by reference count: {@link #acquire} hands out a
 * lease on the value kept for a key, creating it on first use; a released value stays for the next
 * user, and idle values beyond {@code maxIdle} are closed, least recently used first.
 *
 * @param <K> what makes two requests share a value
 * @param <V> the shared value
 */
public final class SharedResources<K, V> {
  private final int maxIdle;
  private final Consumer<V> closer;
  private final Map<K, Entry<V>> entries = new LinkedHashMap<>(16, 0.75f, true);

  /**
   * @param maxIdle idle values kept open
   * @param closer closes a value evicted from the cache
   */
  public SharedResources(int maxIdle, Consumer<V> closer) {
    this.maxIdle = maxIdle;
    this.closer = closer;
  }

  private static final class Entry<V> {
    final V value;
    int users;

    Entry(V value) {
      this.value = value;
    }
  }

  /** A lease on the value for {@code key}, made by {@code create} when none is kept. */
  public Lease<V> acquire(K key, Supplier<V> create) {
    Entry<V> entry;
    synchronized (entries) {
      entry = entries.get(key);
      if (entry == null) {
        entry = new Entry<>(create.get());
        entries.put(key, entry);
      }
      entry.users++;
    }
    return new Lease<>(this, entry);
  }

  private void release(Entry<V> entry) {
    List<V> toClose = new ArrayList<>();
    synchronized (entries) {
      entry.users--;
      int idle = 0;
      for (Entry<V> e : entries.values()) {
        idle += e.users == 0 ? 1 : 0;
      }
      Iterator<Entry<V>> it = entries.values().iterator();
      while (idle > maxIdle && it.hasNext()) {
        Entry<V> e = it.next();
        if (e.users == 0) {
          it.remove();
          toClose.add(e.value);
          idle--;
        }
      }
    }
    toClose.forEach(closer);
  }

  /** The number of values kept, in use or idle. */
  public int size() {
    synchronized (entries) {
      return entries.size();
    }
  }

  /** The number of open leases over all values. */
  public int users() {
    synchronized (entries) {
      return entries.values().stream().mapToInt(e -> e.users).sum();
    }
  }

  /**
   * One user's hold on a shared value; closing it releases the hold (once).
   *
   * @param <V> the shared value
   */
  public static final class Lease<V> implements AutoCloseable {
    private final SharedResources<?, V> owner;
    private final Entry<V> entry;
    private boolean released;

    private Lease(SharedResources<?, V> owner, Entry<V> entry) {
      this.owner = owner;
      this.entry = entry;
    }

    /** The shared value; valid until this lease is closed. */
    public V value() {
      return entry.value;
    }

    @Override
    public void close() {
      synchronized (this) {
        if (released) {
          return;
        }
        released = true;
      }
      owner.release(entry);
    }
  }
}
