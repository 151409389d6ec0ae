package io.arraymorph.hdf5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.api.NodeInfo;
import io.arraymorph.hdf5.channel.ChannelOptions;
import io.arraymorph.store.CountingObjectStore;
import io.arraymorph.store.local.LocalObjectStore;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Opening a file with forty datasets ({@code many_datasets.h5}, 446 KB) and listing every dataset
 * with its shape, type, chunks, filters, attributes and chunk index takes a small, stated number of
 * requests, because the channel reads metadata in large cached blocks.
 */
class Hdf5OpenRequestsTest {

  @Test
  void openingAndListingFortyDatasetsTakesOneHeadAndOneRangeRequestWithDefaults() {
    try (CountingObjectStore store =
            new CountingObjectStore(new LocalObjectStore(Hdf5Fixtures.dir(), 4));
        Hdf5File file = Hdf5File.open(store, "many_datasets.h5")) {
      List<NodeInfo> datasets = file.datasets();
      assertEquals(40, datasets.size());
      for (NodeInfo info : datasets) {
        assertEquals(8, file.dataset(info.path()).chunkIndex().size());
        assertTrue(info.attributes().containsKey("index"), info.path());
      }
      // The whole file is smaller than the first read (1 MiB), so one range request serves it all.
      assertEquals(1, store.stats().heads());
      assertEquals(1, store.stats().rangeGets());
      assertEquals(2, store.stats().requests());
    }
  }

  @Test
  void withSmallBlocksOpeningAndListingStaysWithinTenRequests() {
    ChannelOptions small = new ChannelOptions(64 * 1024, 64 * 1024, 0, 64L << 20);
    try (CountingObjectStore store =
            new CountingObjectStore(new LocalObjectStore(Hdf5Fixtures.dir(), 4));
        Hdf5File file = Hdf5File.open(store, "many_datasets.h5", small)) {
      long afterOpen = store.stats().requests();
      for (NodeInfo info : file.datasets()) {
        file.dataset(info.path()).chunkIndex();
      }
      // Measured: 2 to open (HEAD + first block), 8 in all; the file spans 7 blocks of 64 KiB.
      assertTrue(afterOpen <= 2, "open took " + afterOpen);
      assertTrue(store.stats().requests() <= 10, "open + list took " + store.stats());
      assertEquals(store.stats().rangeGets(), file.metadataStats().rangeRequests());
    }
  }
}
