package io.arraymorph.kerchunk;

import io.arraymorph.hdf5.Hdf5File;
import io.arraymorph.hdf5.Hdf5Fixtures;
import io.arraymorph.store.memory.MemoryObjectStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The h5py fixtures in a memory store, with kerchunk references written once per file. */
final class KerchunkFixtures {
  private static final Map<String, KerchunkWriter.Result> RESULTS = new ConcurrentHashMap<>();

  private KerchunkFixtures() {}

  /** A store holding just {@code file}. */
  static MemoryObjectStore storeWith(String file) {
    MemoryObjectStore store = new MemoryObjectStore();
    store.put(file, Hdf5Fixtures.bytes(file)).join();
    return store;
  }

  /** The references of {@code file}, naming it as {@code s3://bucket/dir/<file>}. */
  static KerchunkWriter.Result references(String file) {
    return RESULTS.computeIfAbsent(
        file,
        f -> {
          try (MemoryObjectStore store = storeWith(f);
              Hdf5File h5 = Hdf5File.open(store, f)) {
            return KerchunkWriter.write(h5, "s3://bucket/dir/" + f);
          }
        });
  }
}
