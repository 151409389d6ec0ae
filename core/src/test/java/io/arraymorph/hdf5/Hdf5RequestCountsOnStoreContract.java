package io.arraymorph.hdf5;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import io.arraymorph.api.NodeInfo;
import io.arraymorph.kerchunk.KerchunkWriter;
import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.ObjectStores;
import io.arraymorph.store.StoreSettings;
import io.arraymorph.store.StoreStats;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The requests ArrayMorph makes to read HDF5 in place from a store, counted by the {@code
 * CountingObjectStore} every {@link ArrayStore} reads through: opening a file of forty datasets and
 * listing them takes one HEAD and one range GET, as on the local disk; a 10x10 slice of a large
 * chunked dataset ({@code classic.h5:/large}, 800x600 float32 in 64x64 gzip chunks) fetches the
 * metadata blocks and then one range GET per overlapping chunk, each sent with {@code If-Match} on
 * the tag the opening HEAD saw, so no HEAD after the read checks the file (it was two HEADs before
 * reads checked themselves); through kerchunk references whose URLs name the store, one GET of the
 * references, one HEAD of the data file when the dataset is opened, then the same one conditional
 * range GET per chunk and nothing more (a second HEAD before).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class Hdf5RequestCountsOnStoreContract {
  /**
   * Bound on the range requests that open {@code classic.h5} and read /large's chunk index with the
   * default 1 MiB blocks (measured 4, on a local disk and over S3 and Azure alike).
   */
  static final int METADATA_REQUESTS = 5;

  private static final String REFS = "classic.h5.json";

  /** The directory location the files go to, such as {@code s3://bucket/requests}. */
  protected abstract String directory();

  /** The store settings (endpoint, credentials) that reach {@link #directory()}. */
  protected abstract StoreSettings settings();

  /**
   * Uploads the two files and kerchunk references of {@code classic.h5} whose URLs name its copy in
   * the store.
   */
  @BeforeAll
  void uploadFilesAndReferences() {
    try (ObjectStore store = ObjectStores.open(directory(), settings())) {
      for (String file : List.of("classic.h5", "many_datasets.h5")) {
        Futures.join(store.put(file, Hdf5Fixtures.bytes(file)));
      }
      try (Hdf5File h5 = Hdf5File.open(store, "classic.h5")) {
        byte[] json = KerchunkWriter.write(h5, directory() + "/classic.h5").toJson();
        Futures.join(store.put(REFS, json));
      }
    }
  }

  @Test
  void openingAndListingFortyDatasetsTakesOneHeadAndOneRangeGetLikeTheLocalDisk() {
    StoreStats remote = openAndList(directory() + "/many_datasets.h5", settings());
    StoreStats local =
        openAndList(
            Hdf5Fixtures.dir().resolve("many_datasets.h5").toString(), StoreSettings.empty());

    // The 446 KB file is smaller than the first 1 MiB metadata read: one range GET serves it all.
    assertEquals(1, remote.heads(), remote.toString());
    assertEquals(1, remote.rangeGets(), remote.toString());
    assertEquals(2, remote.requests(), remote.toString());
    assertEquals(local.requests(), remote.requests(), "same as local: " + local);
  }

  private static StoreStats openAndList(String location, StoreSettings settings) {
    try (ArrayStore store = ArrayStore.open(location, settings)) {
      List<NodeInfo> datasets =
          store.list().stream().filter(n -> n.kind() == NodeInfo.Kind.DATASET).toList();
      assertEquals(40, datasets.size());
      Hdf5File file = store.hdf5File().orElseThrow();
      for (NodeInfo info : datasets) {
        assertEquals(8, file.dataset(info.path()).chunkIndex().size(), info.path());
        assertTrue(info.attributes().containsKey("index"), info.path());
      }
      return store.stats();
    }
  }

  @ParameterizedTest(name = "slice at {0}: {1} chunk requests")
  @CsvSource({"130, 1", "60, 4"})
  void sliceFetchesMetadataBlocksThenOneRangeGetPerOverlappingChunk(int at, int chunks) {
    SliceRequests remote = readSlice(directory() + "/classic.h5", settings(), at);
    SliceRequests local =
        readSlice(Hdf5Fixtures.dir().resolve("classic.h5").toString(), StoreSettings.empty(), at);

    assertEquals(1, remote.stats().heads(), "one HEAD for the file size; the GETs check the tag");
    assertEquals(0, remote.stats().gets(), "no whole-object GET");
    assertEquals(remote.metadata() + chunks, remote.stats().rangeGets(), "+1 range GET per chunk");
    assertEquals(1 + remote.metadata() + chunks, remote.stats().requests(), remote.toString());
    assertTrue(remote.metadata() <= METADATA_REQUESTS, "metadata requests " + remote.metadata());
    assertEquals(local.metadata(), remote.metadata(), "same metadata reads as local");
    assertEquals(local.stats().requests(), remote.stats().requests(), "same as local");
  }

  /** The requests of one 10x10 read, and the range GETs among them that fetched metadata. */
  private record SliceRequests(StoreStats stats, long metadata) {}

  /** Opens the file, reads the 10x10 box of /large at (at, at) and checks its values. */
  private static SliceRequests readSlice(String location, StoreSettings settings, int at) {
    try (ArrayStore store = ArrayStore.open(location, settings)) {
      Dataset large = store.dataset("/large");
      byte[] slice = large.read(new long[] {at, at}, new long[] {10, 10}).bytes();
      assertArrayEquals(expectedSlice(at), slice);
      // Metadata blocks (superblock, headers, the chunk index B-tree) are counted by the file's
      // channel; every other range GET fetched a chunk.
      return new SliceRequests(
          store.stats(), store.hdf5File().orElseThrow().metadataStats().rangeRequests());
    }
  }

  @ParameterizedTest(name = "slice at {0}: {1} chunk requests")
  @CsvSource({"130, 1", "60, 4"})
  void kerchunkSliceFetchesTheReferencesThenOneRangeGetPerOverlappingChunk(int at, int chunks) {
    try (ArrayStore store = ArrayStore.open(directory() + "/" + REFS, settings())) {
      assertEquals(1, store.stats().gets(), "the references");
      assertEquals(1, store.stats().requests(), store.stats().toString());

      Dataset large = store.dataset("large");
      assertEquals(1, store.stats().heads(), "the data file's version, when opened");
      byte[] slice = large.read(new long[] {at, at}, new long[] {10, 10}).bytes();

      assertEquals(chunks, store.stats().rangeGets(), "one range GET per chunk, no metadata");
      assertEquals(1, store.stats().heads(), "no HEAD after the read: the GETs check the tag");
      assertEquals(2 + chunks, store.stats().requests(), store.stats().toString());
      assertArrayEquals(expectedSlice(at), slice);
    }
  }

  /** h5py's values of the 10x10 box at (at, at). */
  private static byte[] expectedSlice(int at) {
    return Hdf5FixtureAssertions.referenceBox(
        Hdf5Fixtures.dataset("classic.h5", "/large"), new long[] {at, at}, new long[] {10, 10});
  }
}
