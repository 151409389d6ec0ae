package io.arraymorph.hdf5;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.array.Hyperslab;
import io.arraymorph.array.NdArray;
import io.arraymorph.hdf5.channel.ChannelOptions;
import io.arraymorph.store.CountingObjectStore;
import io.arraymorph.store.local.LocalObjectStore;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A 10x10 read of a large chunked dataset ({@code classic.h5:/large}, 800x600 float32 in 64x64 gzip
 * chunks, 3.2 MB file) fetches only metadata blocks and the chunks the selection overlaps: exactly
 * one range request per overlapping chunk, and at most a stated number of metadata requests.
 */
class Hdf5SliceReadRequestsTest {
  /**
   * Bound on metadata range requests to open the file and read /large's chunk index (measured 4).
   */
  private static final int METADATA_REQUESTS_DEFAULT = 5;

  /** The same bound with 64 KiB blocks and no read-ahead (measured 5). */
  private static final int METADATA_REQUESTS_SMALL_BLOCKS = 6;

  static Stream<Arguments> cases() {
    ChannelOptions small = new ChannelOptions(64 * 1024, 64 * 1024, 0, 64L << 20);
    return Stream.of(
        Arguments.of("default", ChannelOptions.DEFAULT, METADATA_REQUESTS_DEFAULT, 130, 1),
        Arguments.of("default", ChannelOptions.DEFAULT, METADATA_REQUESTS_DEFAULT, 60, 4),
        Arguments.of("64KiB", small, METADATA_REQUESTS_SMALL_BLOCKS, 130, 1),
        Arguments.of("64KiB", small, METADATA_REQUESTS_SMALL_BLOCKS, 60, 4));
  }

  @ParameterizedTest(name = "{0} blocks, slice at {3}: {4} chunk requests")
  @MethodSource("cases")
  void sliceFetchesOnlyMetadataAndOverlappingChunks(
      String name, ChannelOptions options, int metadataBound, int at, int chunks) {
    try (CountingObjectStore store =
            new CountingObjectStore(new LocalObjectStore(Hdf5Fixtures.dir(), 4));
        Hdf5File file = Hdf5File.open(store, "classic.h5", options)) {
      Hdf5Dataset large = file.dataset("/large");
      assertEquals(130, large.chunkIndex().size());
      long metadataRequests = file.metadataStats().rangeRequests();
      assertEquals(metadataRequests, store.stats().rangeGets(), "only metadata so far");
      assertEquals(1, store.stats().heads(), "one HEAD for the file size");
      assertTrue(
          metadataRequests <= metadataBound,
          "metadata requests " + metadataRequests + " > " + metadataBound);

      store.stats().reset();
      NdArray slab = large.read(Hyperslab.box(new long[] {at, at}, new long[] {10, 10}));

      assertEquals(chunks, store.stats().rangeGets(), "one range request per overlapping chunk");
      assertEquals(0, store.stats().gets() + store.stats().heads(), "no other requests");
      assertEquals(0, file.metadataStats().rangeRequests() - metadataRequests, "no new metadata");
      assertArrayEquals(expectedSlice(at), slab.bytes());
    }
  }

  /** The same 10x10 cut out of h5py's reference bytes of the whole dataset. */
  private static byte[] expectedSlice(int at) {
    return Hdf5FixtureAssertions.referenceBox(
        Hdf5Fixtures.dataset("classic.h5", "/large"), new long[] {at, at}, new long[] {10, 10});
  }
}
