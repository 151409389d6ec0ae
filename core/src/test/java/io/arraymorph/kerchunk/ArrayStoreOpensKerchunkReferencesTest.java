package io.arraymorph.kerchunk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.ArrayMorphException;
import io.arraymorph.api.ArraySpec;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import io.arraymorph.api.DatasetNotFoundException;
import io.arraymorph.api.NodeInfo;
import io.arraymorph.array.DataType;
import io.arraymorph.array.Hyperslab;
import io.arraymorph.hdf5.Hdf5File;
import io.arraymorph.hdf5.Hdf5Fixtures;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.ObjectStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ArrayStore.open("…/refs.json")} opens kerchunk references as a read-only group whose
 * datasets read the referenced HDF5 file (here on the local store, named by a {@code file://} URL)
 * and equal h5py's values.
 */
class ArrayStoreOpensKerchunkReferencesTest {
  @TempDir Path tmp;

  private Path writeRefs(String file, String url) throws Exception {
    Path h5 = Hdf5Fixtures.dir().resolve(file);
    try (ObjectStore store = ObjectStores.open(Hdf5Fixtures.dir().toString());
        Hdf5File f = Hdf5File.open(store, file)) {
      Path json = tmp.resolve(file + ".json");
      Files.write(
          json, KerchunkWriter.write(f, url == null ? h5.toUri().toString() : url).toJson());
      return json;
    }
  }

  @Test
  void everyReferencedDatasetReadsLikeH5py() throws Exception {
    Path json = writeRefs("classic.h5", null);
    List<Hdf5Fixtures.Entry> classic =
        Hdf5Fixtures.datasets().stream().filter(e -> e.file().equals("classic.h5")).toList();
    try (ArrayStore store = ArrayStore.open(json.toUri().toString())) {
      List<String> listed = store.list().stream().map(NodeInfo::path).toList();
      int read = 0;
      for (Hdf5Fixtures.Entry e : classic) {
        String var = e.path().substring(1);
        if (!KerchunkReadsEveryFixtureDatasetTest.expressible(e.meta())) {
          assertTrue(!store.exists(var), var + " should not be referenced");
          continue;
        }
        assertTrue(listed.contains(var), var + " in " + listed);
        Dataset d = store.dataset(var);
        assertArrayEquals(e.reference(), d.read(Hyperslab.all(d.shape())).bytes(), var);
        read++;
      }
      assertTrue(read > 10, "datasets read: " + read);
      assertTrue(store.exists("layout"), "groups exist");
      // the 300x500 float64 contiguous block is one 1.2 MB chunk: one ranged GET, counted here
      long before = store.stats().rangeGets();
      store.dataset("layout/contiguous").read(new long[] {10, 0}, new long[] {5, 5});
      assertEquals(1, store.stats().rangeGets() - before);
    }
  }

  @Test
  void missingDatasetsAndWritesFailWithWhatToDo() throws Exception {
    Path json = writeRefs("classic.h5", null);
    try (ArrayStore store = ArrayStore.open(json.toString())) {
      DatasetNotFoundException missing =
          assertThrows(DatasetNotFoundException.class, () -> store.dataset("nope"));
      assertTrue(missing.getMessage().contains("layout/contiguous"), missing.getMessage());
      UnsupportedOperationException write =
          assertThrows(
              UnsupportedOperationException.class,
              () -> store.createDataset("x", ArraySpec.of(DataType.INT8, 4)));
      assertTrue(write.getMessage().contains("read-only"), write.getMessage());
    }
  }

  @Test
  void relativeUrlsAreRejectedNamingTheUrl() throws Exception {
    Path json = writeRefs("classic.h5", "classic.h5");
    try (ArrayStore store = ArrayStore.open(json.toString())) {
      // Refused when the dataset is opened (its data files are looked up) or read.
      ArrayMorphException e =
          assertThrows(ArrayMorphException.class, () -> store.dataset("layout/contiguous").read());
      assertTrue(
          e.getMessage().contains("'classic.h5' is relative")
              && e.getMessage().contains("absolute"),
          e.getMessage());
    }
  }

  @Test
  void aDataFileThatDoesNotExistIsRefusedNamingItNotReadAsFill() throws Exception {
    String url = tmp.resolve("gone.h5").toUri().toString();
    Path json = writeRefs("classic.h5", url);
    try (ArrayStore store = ArrayStore.open(json.toString())) {
      ArrayMorphException e =
          assertThrows(ArrayMorphException.class, () -> store.dataset("layout/contiguous").read());
      assertTrue(e.getMessage().contains(url), e.getMessage());
      assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
      assertThrows(ArrayMorphException.class, () -> store.datasetRef("layout/contiguous"));
    }
  }
}
