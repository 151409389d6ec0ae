package io.arraymorph.hdf5;

import io.arraymorph.store.ObjectStore;
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
    return Hdf5Fixtures.fromLocalAndMemory(Hdf5Fixtures.datasets());
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void wholeArrayEqualsH5pyValues(String kind, Hdf5Fixtures.Entry entry) {
    try (ObjectStore store = Hdf5Fixtures.store(kind, entry.file());
        Hdf5File file = Hdf5File.open(store, entry.file())) {
      Hdf5FixtureAssertions.assertReadsLikeH5py(file, entry);
    }
  }
}
