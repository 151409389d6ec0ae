package io.arraymorph.kerchunk;

import io.arraymorph.hdf5.Hdf5File;
import io.arraymorph.hdf5.Hdf5Fixtures;
import io.arraymorph.store.memory.MemoryObjectStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The h5py fixtures in a memory store, with kerchunk references written once per file. */
final class KerchunkFixtures {
  private static final Map<String, KerchunkWriter.Result> RESULTS = new ConcurrentHashMap<>();
  private static final Map<String, KerchunkWriter.Result> DEFAULTS = new ConcurrentHashMap<>();

  private KerchunkFixtures() {}

  /** A store holding just {@code file}. */
  static MemoryObjectStore storeWith(String file) {
    MemoryObjectStore store = new MemoryObjectStore();
    store.put(file, Hdf5Fixtures.bytes(file)).join();
    return store;
  }

  /**
   * The references of {@code file} with nothing inlined (every chunk a byte range), naming it as
   * {@code s3://bucket/dir/<file>}.
   */
  static KerchunkWriter.Result references(String file) {
    return RESULTS.computeIfAbsent(
        file, f -> write(f, KerchunkWriter.Options.DEFAULT.withInlineThreshold(0)));
  }

  /** The references of {@code file} with the default options (chunks under 500 bytes inline). */
  static KerchunkWriter.Result defaultReferences(String file) {
    return DEFAULTS.computeIfAbsent(file, f -> write(f, KerchunkWriter.Options.DEFAULT));
  }

  static KerchunkWriter.Result write(String file, KerchunkWriter.Options options) {
    try (MemoryObjectStore store = storeWith(file);
        Hdf5File h5 = Hdf5File.open(store, file)) {
      return KerchunkWriter.write(h5, "s3://bucket/dir/" + file, options);
    }
  }
}
