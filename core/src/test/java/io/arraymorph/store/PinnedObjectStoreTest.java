package io.arraymorph.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.store.local.LocalObjectStore;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every form of read of the pinned key (a range, ranges as arrays or to a reader, the whole object)
 * gives the pinned version's bytes and, once another object is at the key, fails with the caller's
 * refusal and no bytes; other keys read as they are.
 */
class PinnedObjectStoreTest {
  @TempDir Path dir;

  /** The refusal a pinned read fails with, naming what changed. */
  static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Refused(ObjectChangedException changed) {
      super(changed.change(), changed);
    }
  }

  @Test
  void everyReadOfThePinnedKeyComesFromThePinnedVersionOrFails() {
    byte[] data = new byte[300];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 3);
    }
    try (CountingObjectStore store = new CountingObjectStore(new LocalObjectStore(dir, 2))) {
      Futures.join(store.put("file.h5", data));
      Futures.join(store.put("other", new byte[] {7}));
      ObjectInfo planned = Futures.join(store.head("file.h5")).orElseThrow();
      ObjectStore pinned = new PinnedObjectStore(store, "file.h5", planned, Refused::new);

      assertArrayEquals(
          Arrays.copyOfRange(data, 10, 20), Futures.join(pinned.getRange("file.h5", 10, 10)));
      List<byte[]> parts =
          Futures.join(pinned.getRanges("file.h5", new long[] {200, 0}, new int[] {5, 3}));
      assertArrayEquals(Arrays.copyOfRange(data, 200, 205), parts.get(0));
      assertArrayEquals(Arrays.copyOfRange(data, 0, 3), parts.get(1));
      assertArrayEquals(data, Futures.join(pinned.get("file.h5")));
      assertArrayEquals(new byte[] {7}, Futures.join(pinned.get("other")), "another key as it is");
      assertEquals(1, store.stats().heads(), "the planning HEAD only: reads check themselves");

      byte[] other = data.clone();
      other[15] ^= 0x5a;
      Futures.join(store.put("file.h5", other));
      List<CompletableFuture<?>> reads =
          List.of(
              pinned.getRange("file.h5", 10, 10),
              pinned.getRanges("file.h5", new long[] {10}, new int[] {10}),
              pinned.get("file.h5"),
              pinned.getRanges("file.h5", new long[] {10}, new int[] {10}, (i, b, n) -> {}));
      for (CompletableFuture<?> read : reads) {
        RuntimeException e = assertThrows(RuntimeException.class, () -> Futures.join(read));
        assertSame(Refused.class, e.getClass(), e.toString());
        assertTrue(e.getMessage().contains("same size (300 bytes)"), e.getMessage());
      }
      assertArrayEquals(new byte[] {7}, Futures.join(pinned.get("other")));
    }
  }
}
