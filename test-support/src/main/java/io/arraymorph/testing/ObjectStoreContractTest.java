package io.arraymorph.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.engine.AsyncLimiter;
import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectChangedException;
import io.arraymorph.store.ObjectInfo;
import io.arraymorph.store.ObjectNotFoundException;
import io.arraymorph.store.ObjectStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link ObjectStore} must have. A store's test extends this class and opens a
 * store rooted at a fresh, empty location in {@link #openEmptyStore()}. Every wait is bounded, so a
 * hanging store fails instead of stalling the build.
 */
public abstract class ObjectStoreContractTest {
  /** The longest any single operation may take in these tests. */
  protected static final long TIMEOUT_SECONDS = 60;

  protected ObjectStore store;

  /** A store rooted at a location nothing else uses (a fresh prefix, bucket or directory). */
  protected abstract ObjectStore openEmptyStore() throws Exception;

  /**
   * How many keys {@link #listReturnsEveryKeyAcrossPages} writes: more than the store's listing
   * page size, which a store's test should set small (or this large, if cheap).
   */
  protected int keysForPagination() {
    return 25;
  }

  /**
   * The size of the object {@link #largeObjectRoundTrips} writes (above any multipart threshold).
   */
  protected int largeObjectSize() {
    return 3 * 1024 * 1024 + 17;
  }

  /** Secret values that {@link ObjectStore#describe()} must never show. */
  protected Set<String> secrets() {
    return Set.of();
  }

  @BeforeEach
  void openStore() throws Exception {
    store = openEmptyStore();
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  /** Waits for a store operation, at most {@link #TIMEOUT_SECONDS}, rethrowing its failure. */
  protected static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return Futures.join(CompletableFuture.failedFuture(Futures.unwrap(e)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (TimeoutException e) {
      throw new AssertionError("Store operation took more than " + TIMEOUT_SECONDS + " s", e);
    }
  }

  /** The failure a store operation completes with. */
  protected static Throwable failureOf(CompletableFuture<?> future) {
    try {
      future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return Futures.unwrap(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (TimeoutException e) {
      throw new AssertionError("Store operation took more than " + TIMEOUT_SECONDS + " s", e);
    } catch (RuntimeException e) {
      return e;
    }
    throw new AssertionError("Expected the operation to fail, but it succeeded");
  }

  protected static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void putThenGetReturnsTheSameBytes() {
    byte[] data = bytes(10_000, 1);
    await(store.put("a/b/c.bin", data));
    assertArrayEquals(data, await(store.get("a/b/c.bin")));
  }

  @Test
  void putReplacesThePreviousObject() {
    await(store.put("k", utf8("first version")));
    await(store.put("k", utf8("second")));
    assertEquals("second", new String(await(store.get("k")), StandardCharsets.UTF_8));
    assertEquals(Optional.of(new ObjectInfo("k", 6)), untagged(await(store.head("k"))));
  }

  /**
   * How far apart two puts must be for the tag to tell them apart: 0 for tags that change with
   * every put (ETags, file identity), a file system's time resolution for tags made of times.
   */
  protected long tagResolutionMillis() {
    return 0;
  }

  /** Key and size only: the tag is store-specific. */
  private static Optional<ObjectInfo> untagged(Optional<ObjectInfo> info) {
    return info.map(i -> new ObjectInfo(i.key(), i.size()));
  }

  /**
   * HEAD gives an entity tag that stays while the object does and changes when a put replaces it,
   * also with content of the same size: readers planned on a file detect its replacement by it.
   */
  @Test
  void headTagChangesWhenAnObjectIsReplacedBySameSizedContent() {
    await(store.put("tagged", utf8("version one")));
    ObjectInfo first = await(store.head("tagged")).orElseThrow();
    assertTrue(first.tag() != null && !first.tag().isEmpty(), "head gives a tag: " + first);
    assertEquals(first, await(store.head("tagged")).orElseThrow(), "unchanged object, same tag");
    try {
      Thread.sleep(tagResolutionMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    await(store.put("tagged", utf8("version two")));
    ObjectInfo second = await(store.head("tagged")).orElseThrow();
    assertEquals(first.size(), second.size());
    assertTrue(
        second.changedSince(first.size(), first.tag()),
        "a same-sized replacement changes the tag: " + first + " then " + second);
  }

  /**
   * A read conditional on the object's version reads it while it is that version, and refuses
   * (whether the store checks within the read or with a HEAD after it) once a put replaced it by
   * same-sized content or a delete removed it: what manifest granule reads rely on.
   */
  @Test
  void getRangesIfUnchangedReadsThatVersionOnlyAndRefusesAReplacement() {
    byte[] data = bytes(10_000, 5);
    await(store.put("versioned", data));
    ObjectInfo planned = await(store.head("versioned")).orElseThrow();
    byte[][] got = new byte[2][];
    await(
        store.getRangesIfUnchanged(
            "versioned",
            planned,
            new long[] {10, 5_000},
            new int[] {20, 100},
            (i, bytes, length) -> got[i] = Arrays.copyOf(bytes, length)));
    assertArrayEquals(Arrays.copyOfRange(data, 10, 30), got[0]);
    assertArrayEquals(Arrays.copyOfRange(data, 5_000, 5_100), got[1]);
    try {
      Thread.sleep(tagResolutionMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    await(store.put("versioned", bytes(10_000, 6)));
    ObjectChangedException changed =
        assertInstanceOf(
            ObjectChangedException.class,
            failureOf(
                store.getRangesIfUnchanged(
                    "versioned", planned, new long[] {10}, new int[] {20}, (i, b, n) -> {})));
    assertTrue(changed.change().contains("same size"), changed.getMessage());
    await(store.delete("versioned"));
    changed =
        assertInstanceOf(
            ObjectChangedException.class,
            failureOf(
                store.getRangesIfUnchanged(
                    "versioned", planned, new long[] {10}, new int[] {20}, (i, b, n) -> {})));
    assertTrue(changed.change().contains("now gone"), changed.getMessage());
  }

  @Test
  void emptyObjectRoundTrips() {
    await(store.put("empty", new byte[0]));
    assertArrayEquals(new byte[0], await(store.get("empty")));
    assertEquals(Optional.of(new ObjectInfo("empty", 0)), untagged(await(store.head("empty"))));
    assertArrayEquals(new byte[0], await(store.getRange("empty", 0, 10)));
  }

  @Test
  void getOfMissingKeyFailsWithObjectNotFound() {
    Throwable t = failureOf(store.get("no/such/key"));
    ObjectNotFoundException e = assertInstanceOf(ObjectNotFoundException.class, t);
    assertEquals("no/such/key", e.key());
  }

  @Test
  void rangedGetOfMissingKeyFailsWithObjectNotFound() {
    assertInstanceOf(ObjectNotFoundException.class, failureOf(store.getRange("missing", 0, 10)));
  }

  @Test
  void rangedGetReturnsExactlyTheRequestedBytes() {
    byte[] data = bytes(100_000, 2);
    await(store.put("r", data));
    assertArrayEquals(Arrays.copyOfRange(data, 0, 1), await(store.getRange("r", 0, 1)));
    assertArrayEquals(
        Arrays.copyOfRange(data, 12_345, 12_345 + 4_096),
        await(store.getRange("r", 12_345, 4_096)));
    assertArrayEquals(
        Arrays.copyOfRange(data, 99_990, 100_000), await(store.getRange("r", 99_990, 10)));
  }

  @Test
  void severalRangesOfOneObjectComeBackInTheOrderAsked() {
    byte[] data = bytes(100_000, 6);
    await(store.put("r", data));
    List<byte[]> parts =
        await(
            store.getRanges(
                "r", new long[] {50_000, 0, 99_990, 12_345}, new int[] {4_096, 1, 100, 0}));
    assertEquals(4, parts.size());
    assertArrayEquals(Arrays.copyOfRange(data, 50_000, 54_096), parts.get(0));
    assertArrayEquals(Arrays.copyOfRange(data, 0, 1), parts.get(1));
    assertArrayEquals(Arrays.copyOfRange(data, 99_990, 100_000), parts.get(2));
    assertArrayEquals(new byte[0], parts.get(3));
    assertInstanceOf(
        ObjectNotFoundException.class,
        failureOf(store.getRanges("missing", new long[] {0}, new int[] {10})));
  }

  @Test
  void rangedGetPastTheEndReturnsTheBytesThatExist() {
    byte[] data = bytes(1_000, 3);
    await(store.put("r", data));
    assertArrayEquals(Arrays.copyOfRange(data, 990, 1_000), await(store.getRange("r", 990, 100)));
    assertArrayEquals(new byte[0], await(store.getRange("r", 1_000, 10)));
    assertArrayEquals(new byte[0], await(store.getRange("r", 5_000, 10)));
  }

  @Test
  void rangedGetOfZeroBytesIsEmpty() {
    await(store.put("r", bytes(100, 4)));
    assertArrayEquals(new byte[0], await(store.getRange("r", 10, 0)));
  }

  @Test
  void headReturnsTheSizeOfAnExistingObject() {
    await(store.put("dir/obj", bytes(1_234, 5)));
    assertEquals(
        Optional.of(new ObjectInfo("dir/obj", 1_234)), untagged(await(store.head("dir/obj"))));
  }

  @Test
  void headOfMissingKeyIsEmpty() {
    assertEquals(Optional.empty(), await(store.head("dir/missing")));
  }

  @Test
  void listReturnsOnlyKeysUnderThePrefixSortedWithSizes() {
    await(store.put("x/2", bytes(2, 6)));
    await(store.put("x/1", bytes(1, 6)));
    await(store.put("x/sub/3", bytes(3, 6)));
    await(store.put("y/4", bytes(4, 6)));
    assertEquals(
        List.of(new ObjectInfo("x/1", 1), new ObjectInfo("x/2", 2), new ObjectInfo("x/sub/3", 3)),
        await(store.list("x/")));
  }

  @Test
  void listMatchesPrefixesThatEndInsideASegment() {
    await(store.put("c/10/0", bytes(1, 7)));
    await(store.put("c/1/0", bytes(1, 7)));
    await(store.put("c/2/0", bytes(1, 7)));
    List<String> keys = await(store.list("c/1")).stream().map(ObjectInfo::key).toList();
    assertEquals(List.of("c/1/0", "c/10/0"), keys);
  }

  @Test
  void listWithEmptyPrefixReturnsEveryObject() {
    await(store.put("b", bytes(1, 8)));
    await(store.put("a/a", bytes(1, 8)));
    List<String> keys = await(store.list("")).stream().map(ObjectInfo::key).toList();
    assertEquals(List.of("a/a", "b"), keys);
  }

  @Test
  void listOfUnknownPrefixIsEmpty() {
    await(store.put("present", bytes(1, 9)));
    assertEquals(List.of(), await(store.list("absent/")));
  }

  @Test
  void listReturnsEveryKeyAcrossPages() {
    int n = keysForPagination();
    List<CompletableFuture<Void>> puts = new ArrayList<>();
    AsyncLimiter limiter = new AsyncLimiter(16);
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String key = String.format("many/%05d", i);
      expected.add(key);
      puts.add(limiter.submit(() -> store.put(key, new byte[] {1})));
    }
    await(CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)));
    List<String> keys = await(store.list("many/")).stream().map(ObjectInfo::key).toList();
    assertEquals(expected, keys);
  }

  @Test
  void deleteRemovesTheObject() {
    await(store.put("d/x", bytes(10, 10)));
    await(store.delete("d/x"));
    assertEquals(Optional.empty(), await(store.head("d/x")));
    assertInstanceOf(ObjectNotFoundException.class, failureOf(store.get("d/x")));
    assertEquals(List.of(), await(store.list("d/")));
  }

  @Test
  void deleteIsIdempotent() {
    await(store.put("d/y", bytes(10, 11)));
    await(store.delete("d/y"));
    await(store.delete("d/y"));
    await(store.delete("never/existed"));
    assertEquals(Optional.empty(), await(store.head("d/y")));
  }

  @Test
  void deleteAllRemovesEveryKeyGivenAndNothingElse() {
    List<String> gone = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      gone.add(String.format("bulk/%02d", i));
    }
    List<CompletableFuture<Void>> puts = new ArrayList<>();
    for (String k : gone) {
      puts.add(store.put(k, bytes(3, k.hashCode())));
    }
    puts.add(store.put("bulk/kept", bytes(5, 1)));
    puts.add(store.put("bulk-kept", bytes(5, 2)));
    await(CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)));
    List<String> asked = new ArrayList<>(gone);
    asked.add("bulk/never-existed"); // missing keys count as deleted, as for delete
    await(store.deleteAll(asked, 4));
    assertEquals(
        List.of("bulk-kept", "bulk/kept"),
        await(store.list("bulk")).stream().map(ObjectInfo::key).toList());
    assertArrayEquals(bytes(5, 1), await(store.get("bulk/kept")));
    await(store.deleteAll(List.of(), 4));
    await(store.deleteAll(gone, 1)); // again: nothing left to delete, still succeeds
  }

  @Test
  void concurrentPutsAndGetsKeepEveryObjectIntact() {
    int objects = 200;
    AsyncLimiter limiter = new AsyncLimiter(32);
    List<CompletableFuture<Void>> puts = new ArrayList<>();
    for (int i = 0; i < objects; i++) {
      int id = i;
      puts.add(limiter.submit(() -> store.put("conc/" + id, bytes(1_000 + id * 37, 1_000 + id))));
    }
    await(CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)));
    List<CompletableFuture<Boolean>> checks = new ArrayList<>();
    for (int i = 0; i < objects; i++) {
      int id = i;
      checks.add(
          limiter.submit(
              () ->
                  store
                      .get("conc/" + id)
                      .thenApply(b -> Arrays.equals(b, bytes(1_000 + id * 37, 1_000 + id)))));
    }
    await(CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new)));
    long intact = checks.stream().filter(CompletableFuture::join).count();
    assertEquals(objects, intact);
    assertEquals(objects, await(store.list("conc/")).size());
  }

  @Test
  void keysWithSpacesUnicodeAndPunctuationRoundTrip() {
    List<String> keys =
        List.of(
            "with space/file name.bin",
            "unicode/ünïcødé/数据/🙂.bin",
            "punct/a+b=c&d%20e,f;g'h(i)!~@$.bin");
    for (int i = 0; i < keys.size(); i++) {
      await(store.put(keys.get(i), utf8("value " + i)));
    }
    for (int i = 0; i < keys.size(); i++) {
      assertEquals("value " + i, new String(await(store.get(keys.get(i))), StandardCharsets.UTF_8));
      assertEquals(
          Optional.of(new ObjectInfo(keys.get(i), utf8("value " + i).length)),
          untagged(await(store.head(keys.get(i)))));
      assertArrayEquals(utf8("lue"), await(store.getRange(keys.get(i), 2, 3)));
    }
    List<String> listed = await(store.list("")).stream().map(ObjectInfo::key).sorted().toList();
    assertEquals(keys.stream().sorted().toList(), listed);
    await(store.delete(keys.get(1)));
    assertFalse(await(store.head(keys.get(1))).isPresent());
  }

  @Test
  void largeObjectRoundTrips() {
    byte[] data = bytes(largeObjectSize(), 12);
    await(store.put("large/object", data));
    assertEquals(
        Optional.of(new ObjectInfo("large/object", data.length)),
        untagged(await(store.head("large/object"))));
    assertArrayEquals(data, await(store.get("large/object")));
    int mid = data.length / 2;
    assertArrayEquals(
        Arrays.copyOfRange(data, mid, mid + 70_000),
        await(store.getRange("large/object", mid, 70_000)));
  }

  @Test
  void invalidKeysAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> await(store.put("../escape", new byte[1])));
    assertThrows(IllegalArgumentException.class, () -> await(store.get("/absolute")));
  }

  @Test
  void describeNamesNoSecret() {
    String description = store.describe();
    assertFalse(description.isBlank());
    for (String secret : secrets()) {
      assertFalse(description.contains(secret), "describe() shows a secret: " + description);
      assertFalse(store.toString().contains(secret), "toString() shows a secret");
    }
    assertTrue(description.length() < 2_000);
  }

  @Test
  void putIfAbsentCreatesOnlyAMissingObject() {
    byte[] first = bytes(300, 21);
    assertTrue(await(store.putIfAbsent("locks/a", first)));
    assertArrayEquals(first, await(store.get("locks/a")));
    assertFalse(await(store.putIfAbsent("locks/a", bytes(10, 22))));
    assertArrayEquals(
        first, await(store.get("locks/a")), "a losing putIfAbsent changed the object");
    assertEquals(List.of("locks/a"), keys(await(store.list("locks/"))));
    await(store.delete("locks/a"));
    byte[] again = bytes(7, 23);
    assertTrue(await(store.putIfAbsent("locks/a", again)), "the key is free after a delete");
    assertArrayEquals(again, await(store.get("locks/a")));
  }

  @Test
  void concurrentPutIfAbsentHasExactlyOneWinner() {
    for (int round = 0; round < 4; round++) {
      String key = "race/" + round;
      List<byte[]> bodies = new ArrayList<>();
      List<CompletableFuture<Boolean>> calls = new ArrayList<>();
      for (int c = 0; c < 6; c++) {
        bodies.add(bytes(64, 100L * round + c));
      }
      // All requests are in flight together: a store that checks before it writes lets two win.
      for (byte[] body : bodies) {
        calls.add(
            CompletableFuture.supplyAsync(() -> body).thenCompose(b -> store.putIfAbsent(key, b)));
      }
      List<Integer> winners = new ArrayList<>();
      for (int c = 0; c < calls.size(); c++) {
        if (await(calls.get(c))) {
          winners.add(c);
        }
      }
      assertEquals(1, winners.size(), "winners of round " + round + ": " + winners);
      assertArrayEquals(bodies.get(winners.get(0)), await(store.get(key)), "the winner's bytes");
    }
  }

  @Test
  void copyMakesAnIndependentObjectAndReplacesTheTarget() {
    byte[] a = bytes(5_000, 31);
    byte[] b = bytes(200, 32);
    await(store.put("src/a", a));
    await(store.put("dst/b", b));
    await(store.copy("src/a", "dst/b"));
    await(store.copy("src/a", "dst/new/c"));
    assertArrayEquals(a, await(store.get("dst/b")));
    assertArrayEquals(a, await(store.get("dst/new/c")));
    // Later changes to the source do not reach the copies.
    await(store.put("src/a", b));
    await(store.delete("src/a"));
    assertArrayEquals(a, await(store.get("dst/b")));
    assertEquals(
        Optional.of(new ObjectInfo("dst/new/c", a.length)),
        untagged(await(store.head("dst/new/c"))));
    assertInstanceOf(ObjectNotFoundException.class, failureOf(store.copy("src/a", "dst/x")));
    assertEquals(List.of("dst/b", "dst/new/c"), keys(await(store.list(""))));
  }

  private static List<String> keys(List<ObjectInfo> infos) {
    return infos.stream().map(ObjectInfo::key).toList();
  }

  /**
   * A store that lists one level names each child once, without the prefix, across pages; one that
   * cannot says so with an empty answer.
   */
  @Test
  void listChildrenNamesOneLevelOnceOrNothing() {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      keys.add("g/a" + i + "/zarr.json");
      keys.add("g/a" + i + "/c/0/0");
    }
    keys.addAll(List.of("g/zarr.json", "g/deep/x/y/z", "gg/zarr.json", "top"));
    await(
        CompletableFuture.allOf(
            keys.stream()
                .map(k -> store.put(k, new byte[] {1}))
                .toArray(CompletableFuture[]::new)));
    Optional<List<String>> g = await(store.listChildren("g/"));
    if (g.isEmpty()) {
      return; // this store looks names up one by one
    }
    List<String> want = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      want.add("a" + i);
    }
    want.addAll(List.of("deep", "zarr.json"));
    assertEquals(want, g.get());
    assertEquals(Optional.of(List.of("g", "gg", "top")), await(store.listChildren("")));
    assertEquals(Optional.of(List.of()), await(store.listChildren("none/")));
  }
}
