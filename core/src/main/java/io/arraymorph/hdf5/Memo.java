package io.arraymorph.hdf5;

import java.util.function.Supplier;

/**
 * A value computed on first use and kept, computed at most once even under concurrent first calls.
 * A failure is not kept, so a later call retries (e.g. after a transient store error).
 */
final class Memo<T> implements Supplier<T> {
  private final Supplier<T> compute;
  private volatile T value;

  Memo(Supplier<T> compute) {
    this.compute = compute;
  }

  @Override
  public T get() {
    T v = value;
    if (v == null) {
      synchronized (this) {
        v = value;
        if (v == null) {
          v = compute.get();
          value = v;
        }
      }
    }
    return v;
  }
}
