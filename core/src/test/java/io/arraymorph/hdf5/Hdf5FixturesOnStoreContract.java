package io.arraymorph.hdf5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.NodeInfo;
import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.ObjectStores;
import io.arraymorph.store.StoreSettings;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every h5py fixture file (HDF5 and NetCDF4) uploaded once to a store and opened in place with
 * {@code ArrayStore.open("<scheme>://<bucket>/<dir>/<file>")} reads like h5py: every numeric
 * dataset byte for byte, every string, compound and enum value, and the expected error of each
 * unsupported dataset. A store module extends it with its server's location and settings (see
 * S3Hdf5FixturesInPlaceTest, AzureHdf5FixturesInPlaceTest).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class Hdf5FixturesOnStoreContract {
  /** Each fixture file, opened once for the whole class. */
  private final Map<String, ArrayStore> opened = new HashMap<>();

  /** The directory location the files go to, such as {@code s3://bucket/hdf5-fixtures}. */
  protected abstract String directory();

  /** The store settings (endpoint, credentials) that reach {@link #directory()}. */
  protected abstract StoreSettings settings();

  @BeforeAll
  void uploadEveryFixtureFile() {
    try (ObjectStore store = ObjectStores.open(directory(), settings())) {
      for (String file : Hdf5Fixtures.files()) {
        Futures.join(store.put(file, Hdf5Fixtures.bytes(file)));
      }
    }
  }

  @AfterAll
  void closeFiles() {
    opened.values().forEach(ArrayStore::close);
  }

  /** The file opened in place from the store, as a user opens it. */
  protected final ArrayStore open(String file) {
    return opened.computeIfAbsent(file, f -> ArrayStore.open(directory() + "/" + f, settings()));
  }

  private Hdf5File hdf5(String file) {
    return open(file).hdf5File().orElseThrow();
  }

  Stream<Hdf5Fixtures.Entry> numeric() {
    return Hdf5Fixtures.datasets().stream();
  }

  Stream<Hdf5Fixtures.Entry> typed() {
    return Hdf5Fixtures.typed().stream();
  }

  Stream<Hdf5Fixtures.Entry> unsupported() {
    return Hdf5Fixtures.unsupported().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("numeric")
  void numericDatasetEqualsH5pyByteForByte(Hdf5Fixtures.Entry entry) {
    Hdf5FixtureAssertions.assertReadsLikeH5py(hdf5(entry.file()), entry);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("typed")
  void typedDatasetValuesEqualH5py(Hdf5Fixtures.Entry entry) {
    Hdf5FixtureAssertions.assertTypedValuesLikeH5py(hdf5(entry.file()), entry);
    Hdf5FixtureAssertions.assertTypedBoxLikeH5py(hdf5(entry.file()), entry);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unsupported")
  void unsupportedDatasetFailsNamingFeatureAndPath(Hdf5Fixtures.Entry entry) {
    Hdf5FixtureAssertions.assertUnsupportedNamesFeatureAndPath(hdf5(entry.file()), entry);
  }

  /** The API's listing of each file names every dataset h5py saw, readable or not. */
  @Test
  void listingEveryFileNamesEveryDatasetOfTheManifest() {
    for (String file : Hdf5Fixtures.files()) {
      Set<String> expected = new TreeSet<>();
      Stream.of(Hdf5Fixtures.datasets(), Hdf5Fixtures.typed(), Hdf5Fixtures.unsupported())
          .flatMap(List::stream)
          .filter(e -> e.file().equals(file))
          // Not listed, as Hdf5File#nodes documents: links (external, user-defined) are not
          // followed.
          .filter(
              e -> {
                String feature = e.meta().path("feature").asText();
                return !feature.equals("external link") && !feature.startsWith("user-defined link");
              })
          .forEach(e -> expected.add(e.path()));
      Set<String> listed = new TreeSet<>();
      open(file).list().stream()
          .filter(n -> n.kind() == NodeInfo.Kind.DATASET)
          .forEach(n -> listed.add(n.path()));
      assertTrue(listed.containsAll(expected), file + ": " + expected + " not all in " + listed);
      assertTrue(expected.size() > 0, file);
    }
    // Every HDF5/NetCDF4 file the generator wrote is in the manifest, so none goes untested here.
    Set<String> written = new TreeSet<>();
    try (Stream<java.nio.file.Path> files = java.nio.file.Files.list(Hdf5Fixtures.dir())) {
      files
          .map(f -> f.getFileName().toString())
          .filter(n -> n.endsWith(".h5") || n.endsWith(".nc"))
          .forEach(written::add);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    assertEquals(written, new TreeSet<>(Hdf5Fixtures.files()), "fixture files");
  }
}
