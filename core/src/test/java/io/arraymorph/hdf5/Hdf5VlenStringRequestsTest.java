package io.arraymorph.hdf5;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.array.Hyperslab;
import io.arraymorph.hdf5.channel.ChannelOptions;
import io.arraymorph.store.CountingObjectStore;
import io.arraymorph.store.local.LocalObjectStore;
import org.junit.jupiter.api.Test;

/**
 * Two strings of a big chunked variable-length string dataset ({@code types.h5:/vlen_big}, 20000
 * strings in 1000 chunks, about 1 MB of global heap) cost one chunk request plus the metadata
 * blocks holding their global heap collection, never the whole file.
 */
class Hdf5VlenStringRequestsTest {

  @Test
  void twoStringsFetchOneChunkAndTheirHeapBlocksOnly() {
    Hdf5Fixtures.Entry entry = Hdf5Fixtures.typed("types.h5", "/vlen_big");
    try (CountingObjectStore store =
            new CountingObjectStore(new LocalObjectStore(Hdf5Fixtures.dir(), 4));
        // Small blocks without read-ahead, so heap blocks are not already cached by opening.
        Hdf5File file =
            Hdf5File.open(
                store, "types.h5", new ChannelOptions(16 * 1024, 16 * 1024, 0, 64L << 20))) {
      Hdf5Dataset big = file.dataset("/vlen_big");
      assertEquals(1000, big.chunkIndex().size());
      long metadataBefore = file.metadataStats().rangeRequests();
      store.stats().reset();

      Hdf5Values two = big.readValues(Hyperslab.box(new long[] {15001}, new long[] {2}));

      assertArrayEquals(
          new String[] {
            entry.meta().get("values").get(15001).asText(),
            entry.meta().get("values").get(15002).asText()
          },
          two.strings());
      long heapRequests = file.metadataStats().rangeRequests() - metadataBefore;
      System.out.println(
          "vlen_big 2 strings: " + heapRequests + " heap requests, " + store.stats());
      assertTrue(heapRequests >= 1 && heapRequests <= 2, "global heap requests: " + heapRequests);
      assertEquals(1 + heapRequests, store.stats().rangeGets(), "one chunk + the heap blocks");
      assertEquals(0, store.stats().gets() + store.stats().heads(), "no whole-object reads");
      assertTrue(
          store.stats().bytesRead() < file.size() / 2,
          "read " + store.stats().bytesRead() + " of " + file.size() + " bytes");
    }
  }
}
