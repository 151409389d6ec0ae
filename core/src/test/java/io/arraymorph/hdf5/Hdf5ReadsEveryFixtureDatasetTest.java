package io.arraymorph.hdf5;

import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.local.LocalObjectStore;
import io.arraymorph.store.memory.MemoryObjectStore;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every dataset of every fixture, read whole through the read engine from a local and a memory
 * store, equals what h5py (libhdf5) reads, byte for byte; its metadata matches too.
 */
class Hdf5ReadsEveryFixtureDatasetTest {

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (Hdf5Fixtures.Entry e : Hdf5Fixtures.datasets()) {
      out.add(Arguments.of("local", e));
      out.add(Arguments.of("memory", e));
    }
    return out.stream();
  }

  private static ObjectStore store(String kind, String file) {
    if (kind.equals("local")) {
      return new LocalObjectStore(Hdf5Fixtures.dir(), 4);
    }
    MemoryObjectStore mem = new MemoryObjectStore();
    mem.put(file, Hdf5Fixtures.bytes(file)).join();
    return mem;
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void wholeArrayEqualsH5pyValues(String kind, Hdf5Fixtures.Entry entry) {
    try (ObjectStore store = store(kind, entry.file());
        Hdf5File file = Hdf5File.open(store, entry.file())) {
      Hdf5FixtureAssertions.assertReadsLikeH5py(file, entry);
    }
  }
}
