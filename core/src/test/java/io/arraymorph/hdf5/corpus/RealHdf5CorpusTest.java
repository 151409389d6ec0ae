package io.arraymorph.hdf5.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import io.arraymorph.array.Hyperslab;
import io.arraymorph.array.NdArray;
import io.arraymorph.hdf5.Hdf5Dataset;
import io.arraymorph.hdf5.Hdf5FixtureAssertions;
import io.arraymorph.hdf5.Hdf5Values;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Every dataset of the shared corpus of real HDF5/NetCDF4 files, read through the Java API ({@link
 * ArrayStore}) and compared with h5py value by value. Any wrong value fails the test; refusals are
 * counted with their reasons in {@code target/real-hdf5-corpus/report-java.tsv}.
 */
class RealHdf5CorpusTest {

  @Test
  void everyDatasetReadsLikeH5pyOrIsRefusedByName() {
    var folder = RealHdf5Corpus.folder();
    Assumptions.assumeTrue(folder.isPresent(), RealHdf5Corpus::absentMessage);
    CorpusTally tally = new CorpusTally("Java API (ArrayStore)");
    List<String> files = RealHdf5Corpus.files();
    for (String file : files) {
      readFile(folder.get(), file, tally);
    }
    tally.write(Path.of("target", "real-hdf5-corpus", "report-java.tsv"), files.size());
    System.out.println(tally.summary(files.size()));
    assertEquals(List.of(), tally.wrongValues(), "datasets read with values h5py does not read");
    // One object this reader cannot parse costs that object, never the file's listing.
    assertEquals(List.of(), tally.listingFailures(), "files whose listing failed");
  }

  private static void readFile(Path folder, String file, CorpusTally tally) {
    try (ArrayStore store = ArrayStore.open(folder.resolve(file).toString())) {
      try {
        store.list();
      } catch (RuntimeException e) {
        tally.listingFailed(file, e);
      }
      for (RealHdf5Corpus.Entry e : RealHdf5Corpus.entries(file, "numeric")) {
        readNumeric(store, e, tally);
      }
      for (RealHdf5Corpus.Entry e : RealHdf5Corpus.entries(file, "typed")) {
        readTyped(store, e, tally);
      }
    } catch (RuntimeException e) {
      tally.listingFailed(file, e);
      RealHdf5Corpus.entries(file, "numeric").forEach(d -> tally.refused("numeric", d, e));
      RealHdf5Corpus.entries(file, "typed").forEach(d -> tally.refused("typed", d, e));
    }
  }

  private static void readNumeric(ArrayStore store, RealHdf5Corpus.Entry e, CorpusTally tally) {
    NdArray got;
    try {
      Dataset ds = store.dataset(e.path());
      got = ds.read(Hyperslab.all(ds.shape()));
    } catch (RuntimeException ex) {
      tally.refused("numeric", e, ex);
      return;
    }
    long[] shape = Hdf5FixtureAssertions.longs(e.meta().get("shape"));
    String dtype = e.meta().get("dtype").asText();
    if (!Arrays.equals(shape, got.shape())) {
      tally.wrong(
          "numeric",
          e,
          "shape " + Arrays.toString(got.shape()) + ", h5py " + Arrays.toString(shape));
    } else if (!dtype.equals(got.dataType().zarrName())) {
      tally.wrong("numeric", e, "dtype " + got.dataType().zarrName() + ", h5py " + dtype);
    } else {
      int at = Arrays.mismatch(e.reference(), got.bytes());
      if (at < 0) {
        tally.exact("numeric", e);
      } else {
        tally.wrong("numeric", e, "first differing byte " + at);
      }
    }
  }

  private static void readTyped(ArrayStore store, RealHdf5Corpus.Entry e, CorpusTally tally) {
    Hdf5Values values;
    try {
      Dataset ds = store.dataset(e.path());
      if (!(ds instanceof Hdf5Dataset h)) {
        throw new IllegalStateException("not an HDF5 dataset: " + ds);
      }
      values = h.readValues(Hyperslab.all(h.shape()));
    } catch (RuntimeException ex) {
      tally.refused("typed", e, ex);
      return;
    }
    try {
      assertEquals(e.meta().get("values").size(), values.size(), "value count");
      for (int i = 0; i < values.size(); i++) {
        Hdf5FixtureAssertions.assertValue(e.meta(), i, values, i);
      }
      tally.exact("typed", e);
    } catch (AssertionError | RuntimeException ex) {
      tally.wrong("typed", e, String.valueOf(ex.getMessage()));
    }
  }
}
