package io.arraymorph.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The behaviour every {@link ObjectStore} implementation shares. */
abstract class ObjectStoreContractTest {
  @TempDir Path tempDir;
  protected ObjectStore store;

  /** A new, empty store. */
  protected abstract ObjectStore newStore(Path tempDir);

  @BeforeEach
  void open() {
    store = newStore(tempDir);
  }

  @AfterEach
  void close() {
    store.close();
  }

  protected static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  protected void put(String key, byte[] data) {
    Futures.join(store.put(key, data));
  }

  protected List<String> listKeys(String prefix) {
    return Futures.join(store.list(prefix)).stream().map(ObjectInfo::key).toList();
  }

  @Test
  void getReturnsWhatPutStored() {
    put("a/b/c.bin", new byte[] {1, 2, 3});
    assertArrayEquals(new byte[] {1, 2, 3}, Futures.join(store.get("a/b/c.bin")));
  }

  @Test
  void emptyObjectsAreObjects() {
    put("empty", new byte[0]);
    assertArrayEquals(new byte[0], Futures.join(store.get("empty")));
    assertEquals(Optional.of(new ObjectInfo("empty", 0)), untagged(store.head("empty")));
  }

  @Test
  void missingObjectIsNotFoundNamingTheKey() {
    ObjectNotFoundException e =
        assertThrows(ObjectNotFoundException.class, () -> Futures.join(store.get("no/such")));
    assertEquals("no/such", e.key());
    assertTrue(e.getMessage().contains("no/such"), e.getMessage());
    assertThrows(
        ObjectNotFoundException.class, () -> Futures.join(store.getRange("no/such", 0, 4)));
  }

  /** {@link ObjectStore#getWith} hands the reader exactly the object's bytes, for any size. */
  @Test
  void getWithHandsTheReaderTheObjectsBytes() {
    Random random = new Random(7);
    for (int size : new int[] {0, 1, 4097, 300_000, 40}) {
      byte[] data = new byte[size];
      random.nextBytes(data);
      put("w/" + size, data);
    }
    for (int size : new int[] {300_000, 40, 0, 4097, 1}) {
      byte[] expected = Futures.join(store.get("w/" + size));
      byte[] got =
          Futures.join(
              store.getWith(
                  "w/" + size,
                  buffer -> {
                    byte[] copy = new byte[buffer.remaining()];
                    buffer.get(copy);
                    return copy;
                  }));
      assertArrayEquals(expected, got, "object of " + size + " bytes");
    }
    ObjectNotFoundException e =
        assertThrows(
            ObjectNotFoundException.class,
            () -> Futures.join(store.getWith("no/such", java.nio.ByteBuffer::remaining)));
    assertEquals("no/such", e.key());
  }

  @Test
  void getRangeReturnsTheBytesThatExist() {
    put("r", new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
    assertArrayEquals(new byte[] {2, 3, 4}, Futures.join(store.getRange("r", 2, 3)));
    assertArrayEquals(new byte[] {0}, Futures.join(store.getRange("r", 0, 1)));
    assertArrayEquals(new byte[] {8, 9}, Futures.join(store.getRange("r", 8, 5)));
    assertArrayEquals(new byte[0], Futures.join(store.getRange("r", 10, 4)));
    assertArrayEquals(new byte[0], Futures.join(store.getRange("r", 1000, 4)));
    assertArrayEquals(new byte[0], Futures.join(store.getRange("r", 3, 0)));
  }

  @Test
  void getRangesReturnsEachRangeInTheOrderGiven() {
    put("r", new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
    List<byte[]> parts =
        Futures.join(store.getRanges("r", new long[] {7, 0, 2, 8, 12}, new int[] {2, 3, 0, 5, 1}));
    assertEquals(5, parts.size());
    assertArrayEquals(new byte[] {7, 8}, parts.get(0));
    assertArrayEquals(new byte[] {0, 1, 2}, parts.get(1));
    assertArrayEquals(new byte[0], parts.get(2));
    assertArrayEquals(
        new byte[] {8, 9}, parts.get(3), "a range past the end: the bytes that exist");
    assertArrayEquals(new byte[0], parts.get(4));
    assertThrows(
        ObjectNotFoundException.class,
        () -> Futures.join(store.getRanges("no/such", new long[] {0}, new int[] {1})));
  }

  @Test
  void getRangesPassesEachRangeToTheReaderOnceWithItsIndex() {
    put("r", new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
    byte[][] got = new byte[4][];
    int[] calls = new int[1];
    Futures.join(
        store.getRanges(
            "r",
            new long[] {7, 0, 9, 3},
            new int[] {2, 3, 4, 1},
            (index, bytes, length) -> {
              synchronized (calls) {
                calls[0]++;
                // The buffer may be lent and reused: only bytes[0, length) are the range's.
                got[index] = java.util.Arrays.copyOf(bytes, length);
              }
            }));
    assertEquals(4, calls[0]);
    assertArrayEquals(new byte[] {7, 8}, got[0]);
    assertArrayEquals(new byte[] {0, 1, 2}, got[1]);
    assertArrayEquals(new byte[] {9}, got[2], "a range past the end: the bytes that exist");
    assertArrayEquals(new byte[] {3}, got[3]);
    assertThrows(
        ObjectNotFoundException.class,
        () ->
            Futures.join(
                store.getRanges(
                    "no/such", new long[] {0}, new int[] {1}, (i, b, n) -> fail("no range"))));
  }

  @Test
  void putReplacesTheObject() {
    put("k", new byte[] {1, 2, 3, 4});
    put("k", new byte[] {9});
    assertArrayEquals(new byte[] {9}, Futures.join(store.get("k")));
    assertEquals(Optional.of(new ObjectInfo("k", 1)), untagged(store.head("k")));
    assertEquals(List.of("k"), listKeys(""));
  }

  @Test
  void storedBytesDoNotChangeWithTheCallersArrays() {
    byte[] data = {1, 2, 3};
    put("k", data);
    data[0] = 42;
    byte[] read = Futures.join(store.get("k"));
    read[1] = 42;
    assertArrayEquals(new byte[] {1, 2, 3}, Futures.join(store.get("k")));
  }

  @Test
  void headGivesSizeOrEmpty() {
    put("dir/obj", new byte[17]);
    assertEquals(Optional.of(new ObjectInfo("dir/obj", 17)), untagged(store.head("dir/obj")));
    assertEquals(Optional.empty(), Futures.join(store.head("dir/other")));
    assertEquals(Optional.empty(), Futures.join(store.head("nothing")));
  }

  @Test
  void listFiltersByPrefixIncludingPartialSegments() {
    for (String k : List.of("b", "a/c/x", "ab", "a/bc", "a/b/d", "a/b/c")) {
      put(k, bytes(k));
    }
    assertEquals(List.of("a/b/c", "a/b/d", "a/bc", "a/c/x", "ab", "b"), listKeys(""));
    assertEquals(List.of("a/b/c", "a/b/d", "a/bc"), listKeys("a/b"));
    assertEquals(List.of("a/b/c", "a/b/d"), listKeys("a/b/"));
    assertEquals(List.of("a/b/c", "a/b/d", "a/bc", "a/c/x"), listKeys("a/"));
    assertEquals(List.of("a/b/c", "a/b/d", "a/bc", "a/c/x", "ab"), listKeys("a"));
    assertEquals(List.of("a/b/c"), listKeys("a/b/c"));
    assertEquals(List.of(), listKeys("zz"));
    assertEquals(List.of(), listKeys("q/r/"));
    List<ObjectInfo> infos = Futures.join(store.list("a/c"));
    assertEquals(List.of(new ObjectInfo("a/c/x", 5)), infos);
  }

  @Test
  void listIsSortedByKey() {
    List<String> keys =
        new ArrayList<>(
            List.of("x/1", "x/10", "x/2", "x-1", "x0", "x/11/0", "x/09", "y", "X", "x/a/b/c"));
    Collections.shuffle(keys, new Random(5));
    for (String k : keys) {
      put(k, bytes(k));
    }
    List<String> sorted = new ArrayList<>(keys);
    Collections.sort(sorted);
    assertEquals(sorted, listKeys(""));
    // '-' < '/' < '0' in key order
    assertEquals(
        List.of("x-1", "x/09", "x/1", "x/10", "x/11/0", "x/2", "x/a/b/c", "x0"), listKeys("x"));
  }

  @Test
  void deleteIsIdempotent() {
    put("d/one", new byte[] {1});
    put("d/two", new byte[] {2});
    Futures.join(store.delete("d/one"));
    Futures.join(store.delete("d/one"));
    Futures.join(store.delete("never/was"));
    assertThrows(ObjectNotFoundException.class, () -> Futures.join(store.get("d/one")));
    assertEquals(Optional.empty(), Futures.join(store.head("d/one")));
    assertEquals(List.of("d/two"), listKeys(""));
    Futures.join(store.delete("d/two"));
    assertEquals(List.of(), listKeys(""));
    // A key can be reused after its siblings are gone.
    put("d/one", new byte[] {3});
    assertArrayEquals(new byte[] {3}, Futures.join(store.get("d/one")));
  }

  /** Whether the operation fails (synchronously or through its future) with a bad-key error. */
  protected static void assertRejected(String key, Supplier<CompletableFuture<?>> op) {
    try {
      Futures.join(op.get());
    } catch (IllegalArgumentException e) {
      assertTrue(e.getMessage().contains("key"), e.getMessage());
      return;
    }
    fail("key '" + key + "' was accepted");
  }

  @Test
  void keysEscapingTheRootAreRejected() {
    for (String key : List.of("../x", "/abs", "a/../../b", "a/./b", "a\\b", "", "a//b", "..")) {
      assertRejected(key, () -> store.put(key, new byte[] {1}));
      assertRejected(key, () -> store.get(key));
      assertRejected(key, () -> store.getRange(key, 0, 1));
      assertRejected(key, () -> store.getRanges(key, new long[] {0, 1}, new int[] {1, 1}));
      assertRejected(key, () -> store.head(key));
      assertRejected(key, () -> store.delete(key));
    }
    assertEquals(List.of(), listKeys(""));
  }

  @Test
  void listAfterPutsShowsOnlyTheObjects() {
    for (int i = 0; i < 20; i++) {
      put("t/" + i, new byte[i]);
      put("t/" + i, new byte[i + 1]);
    }
    List<ObjectInfo> infos = Futures.join(store.list(""));
    assertEquals(20, infos.size(), infos.toString());
    for (ObjectInfo info : infos) {
      int i = Integer.parseInt(info.key().substring(2));
      assertEquals(i + 1, info.size(), info.key());
    }
  }

  @Test
  void concurrentPutsAndGetsAreConsistent() throws Exception {
    byte[] first = new byte[64 * 1024];
    byte[] second = new byte[64 * 1024];
    Arrays.fill(first, (byte) 1);
    Arrays.fill(second, (byte) 2);
    put("shared", first);
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<?>> tasks = new ArrayList<>();
      for (int t = 0; t < 6; t++) {
        int thread = t;
        tasks.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 40; i++) {
                    String own = "c/" + thread + "/" + i;
                    put(own, bytes(own));
                    if (thread % 2 == 0) {
                      put("shared", i % 2 == 0 ? first : second);
                    } else {
                      byte[] seen = Futures.join(store.get("shared"));
                      assertTrue(
                          Arrays.equals(seen, first) || Arrays.equals(seen, second),
                          "a reader saw a mixed or partial object");
                    }
                    assertArrayEquals(bytes(own), Futures.join(store.get(own)));
                  }
                  return null;
                }));
      }
      for (Future<?> f : tasks) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(6 * 40, listKeys("c/").size());
    assertEquals(List.of("shared"), listKeys("s"));
  }

  /** A head result's key and size: the tag is store-specific (the shared contract checks it). */
  static Optional<ObjectInfo> untagged(CompletableFuture<Optional<ObjectInfo>> head) {
    return Futures.join(head).map(i -> new ObjectInfo(i.key(), i.size()));
  }
}
