package io.arraymorph.hdf5.channel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.arraymorph.store.CountingObjectStore;
import io.arraymorph.store.ObjectNotFoundException;
import io.arraymorph.store.memory.MemoryObjectStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The block-cached channel returns the object's bytes exactly and saves requests by caching. */
class StoreByteChannelTest {
  private static final int SIZE = 100_000;
  private final byte[] data = new byte[SIZE];
  private final CountingObjectStore store = new CountingObjectStore(new MemoryObjectStore());

  StoreByteChannelTest() {
    new Random(7).nextBytes(data);
    store.put("obj", data).join();
    store.stats().reset();
  }

  private StoreByteChannel channel(int blockSize, int initial, int readAhead) {
    return StoreByteChannel.open(
        store, "obj", new ChannelOptions(blockSize, initial, readAhead, 1L << 20));
  }

  @Test
  void readsAcrossBlockBoundariesReturnTheObjectsBytes() throws IOException {
    try (StoreByteChannel ch = channel(1024, 0, 0)) {
      Random random = new Random(1);
      for (int i = 0; i < 200; i++) {
        int pos = random.nextInt(SIZE);
        int len = random.nextInt(5000);
        ByteBuffer buf = ByteBuffer.allocate(len);
        int n = ch.read(buf, pos);
        int expected = Math.min(len, SIZE - pos);
        assertEquals(expected, n);
        assertArrayEquals(
            Arrays.copyOfRange(data, pos, pos + expected), Arrays.copyOf(buf.array(), n));
      }
    }
  }

  @Test
  void repeatedReadsOfCachedBlocksIssueNoRequests() throws IOException {
    try (StoreByteChannel ch = channel(4096, 0, 0)) {
      ch.readFully(10, 100);
      long after = store.stats().rangeGets();
      for (int i = 0; i < 50; i++) {
        ch.readFully(10 + i, 100);
      }
      assertEquals(1, after);
      assertEquals(after, store.stats().rangeGets());
      assertEquals(1, ch.stats().rangeRequests());
    }
  }

  @Test
  void firstReadFetchesThePrefixAndMissesReadAhead() throws IOException {
    try (StoreByteChannel ch = channel(1024, 8192, 2)) {
      ch.readFully(0, 8); // signature: fetches blocks 0..7
      ch.readFully(8000, 100); // within the prefix
      assertEquals(1, store.stats().rangeGets());
      ch.readFully(20_000, 10); // block 19, plus blocks 20 and 21 of read-ahead
      ch.readFully(21_600, 10); // block 21: already there
      assertEquals(2, store.stats().rangeGets());
      assertEquals(1, store.stats().heads());
    }
  }

  @Test
  void sequentialChannelReadsMovePositionAndEndWithMinusOne() throws IOException {
    try (StoreByteChannel ch = channel(4096, 0, 0)) {
      ch.position(SIZE - 10);
      ByteBuffer buf = ByteBuffer.allocate(64);
      assertEquals(10, ch.read(buf));
      assertEquals(SIZE, ch.position());
      assertEquals(-1, ch.read(ByteBuffer.allocate(1)));
      assertEquals(SIZE, ch.size());
    }
  }

  @Test
  void concurrentReadersSeeConsistentBytes() throws Exception {
    try (StoreByteChannel ch = channel(2048, 0, 1)) {
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        Future<?>[] futures = new Future<?>[16];
        for (int t = 0; t < futures.length; t++) {
          int seed = t;
          futures[t] =
              pool.submit(
                  () -> {
                    Random random = new Random(seed);
                    for (int i = 0; i < 300; i++) {
                      int pos = random.nextInt(SIZE - 3000);
                      byte[] got = ch.readFully(pos, 3000);
                      assertArrayEquals(Arrays.copyOfRange(data, pos, pos + 3000), got);
                    }
                    return null;
                  });
        }
        assertTimeoutPreemptively(
            Duration.ofSeconds(30),
            () -> {
              for (Future<?> f : futures) {
                f.get();
              }
            });
      } finally {
        pool.shutdownNow();
      }
      // 49 blocks, each fetched once at most (plus read-ahead overlap never refetches).
      assertEquals(true, ch.stats().rangeRequests() <= 49, ch.stats().toString());
    }
  }

  @Test
  void missingObjectAndWritesAndClosedChannelFailClearly() throws IOException {
    assertThrows(
        ObjectNotFoundException.class,
        () -> StoreByteChannel.open(store, "nope", ChannelOptions.DEFAULT));
    StoreByteChannel ch = channel(4096, 0, 0);
    assertThrows(NonWritableChannelException.class, () -> ch.write(ByteBuffer.allocate(1)));
    ch.close();
    assertThrows(ClosedChannelException.class, () -> ch.read(ByteBuffer.allocate(1), 0));
  }
}
