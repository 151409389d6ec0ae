package io.arraymorph.hdf5;

import io.arraymorph.ArrayMorphException;
import io.arraymorph.store.ObjectNotFoundException;
import io.arraymorph.store.ObjectStore;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The source files of one file's virtual datasets, opened on the same store as that file and closed
 * with it. A source name is resolved as libhdf5 does by default: {@code .} is the file itself, a
 * relative name is taken from the file's folder, and an absolute one by its last component in that
 * folder (a store has no absolute paths). A missing file or dataset is reported as empty: libhdf5
 * then reads the fill value.
 */
final class VirtualSources implements AutoCloseable {
  private final ObjectStore store;
  private final String key;
  private final Hdf5ReadOptions options;
  private final Function<String, Hdf5Dataset> sameFile;
  private final Map<String, Optional<Hdf5File>> files = new ConcurrentHashMap<>();

  /**
   * @param sameFile opens a dataset of this file (source file {@code .})
   */
  VirtualSources(
      ObjectStore store,
      String key,
      Hdf5ReadOptions options,
      Function<String, Hdf5Dataset> sameFile) {
    this.store = store;
    this.key = key;
    this.options = options;
    this.sameFile = sameFile;
  }

  /**
   * The source dataset {@code dataset} of file {@code file}, or empty when the file or the dataset
   * does not exist.
   *
   * @throws ArrayMorphException when it exists but cannot be read
   */
  Optional<Hdf5Dataset> find(String file, String dataset) {
    try {
      if (file.equals(".") || resolve(file).equals(key)) {
        return Optional.of(sameFile.apply(dataset));
      }
      Optional<Hdf5File> source = files.computeIfAbsent(resolve(file), this::open);
      return source.map(f -> f.dataset(dataset));
    } catch (ArrayMorphException e) {
      if (e.getClass() == ArrayMorphException.class) {
        return Optional.empty(); // no such node (or a group): libhdf5 reads the fill value
      }
      throw e;
    }
  }

  private Optional<Hdf5File> open(String sourceKey) {
    try {
      return Optional.of(Hdf5File.open(store, sourceKey, options));
    } catch (RuntimeException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof ObjectNotFoundException) {
          return Optional.empty();
        }
      }
      throw e;
    }
  }

  /** The store key of source file {@code name}, relative to this file's folder. */
  String resolve(String name) {
    String n = name.replace('\\', '/');
    if (n.startsWith("/")) {
      n = n.substring(n.lastIndexOf('/') + 1);
    }
    int slash = key.lastIndexOf('/');
    String joined = slash < 0 ? n : key.substring(0, slash + 1) + n;
    Deque<String> parts = new ArrayDeque<>();
    for (String part : joined.split("/", -1)) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (parts.isEmpty()) {
          throw new Hdf5UnsupportedException(
              "virtual dataset source '" + name + "' outside the store's root", key);
        }
        parts.removeLast();
      } else {
        parts.addLast(part);
      }
    }
    return String.join("/", parts);
  }

  @Override
  public void close() {
    for (Optional<Hdf5File> f : files.values()) {
      f.ifPresent(Hdf5File::close);
    }
    files.clear();
  }
}
