package io.arraymorph.testing;

import io.arraymorph.store.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wraps a store so that one chosen mutating request (put, putIfAbsent, copy or delete, counted from
 * 1 in the order they are made) fails once, as a dropped connection or a full disk would, and
 * counts mutations, so a test can fail a write at each of its steps in turn. Published in core's
 * test jar for the store, CLI and Spark tests.
 */
public final class FaultyObjectStore {
  private static final Set<String> MUTATIONS = Set.of("put", "putIfAbsent", "copy", "delete");

  private final AtomicInteger mutations = new AtomicInteger();
  private volatile int failAt = -1;
  private volatile String failMethod;
  private volatile String failed;
  private final ObjectStore store;

  /** Wraps {@code target}; nothing fails until {@link #failMutation}. */
  public FaultyObjectStore(ObjectStore target) {
    this.store =
        (ObjectStore)
            Proxy.newProxyInstance(
                ObjectStore.class.getClassLoader(),
                new Class<?>[] {ObjectStore.class},
                (proxy, method, args) -> {
                  if (MUTATIONS.contains(method.getName())) {
                    int n = mutations.incrementAndGet();
                    if (n == failAt || method.getName().equals(failMethod)) {
                      failMethod = null;
                      failed = method.getName() + " " + args[0];
                      return CompletableFuture.failedFuture(
                          new UncheckedIOException(new IOException("injected fault at " + failed)));
                    }
                  }
                  try {
                    return method.invoke(target, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
  }

  /** The wrapping store. */
  public ObjectStore store() {
    return store;
  }

  /** Makes the {@code k}-th mutation from now (1-based) fail once, and restarts the count. */
  public void failMutation(int k) {
    mutations.set(0);
    failed = null;
    failAt = k;
  }

  /** Makes the next mutation of this kind ("put", "copy", ...) fail once. */
  public void failNext(String method) {
    failed = null;
    failMethod = method;
  }

  /** Mutations since the last {@link #failMutation} (or since the start). */
  public int mutations() {
    return mutations.get();
  }

  /** The request that failed ("put key", ...), or null. */
  public String failed() {
    return failed;
  }
}
