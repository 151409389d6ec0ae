package io.arraymorph.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.store.local.LocalObjectStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class LocalObjectStoreTest extends ObjectStoreContractTest {
  @Override
  protected ObjectStore newStore(Path tempDir) {
    return new LocalObjectStore(tempDir.resolve("root"), 4);
  }

  private Path root() {
    return tempDir.resolve("root");
  }

  private List<String> filesOnDisk() throws IOException {
    try (Stream<Path> s = Files.walk(tempDir)) {
      return s.filter(Files::isRegularFile)
          .map(p -> tempDir.relativize(p).toString().replace('\\', '/'))
          .sorted()
          .toList();
    }
  }

  /**
   * A listing racing puts and copies into the same folder (whose temporary files appear and are
   * renamed away while it walks) names every object that was there before, and nothing else: a
   * publication lists a dataset while its copies run.
   */
  @Test
  void aListingRacingPutsAndCopiesIntoItsFolderNamesEveryObjectAndNoTemporaryFile() {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      keys.add("d/c/" + i);
      put("d/c/" + i, bytes("old " + i));
      put("s/c/" + i, bytes("new " + i));
    }
    for (int round = 0; round < 50; round++) {
      List<CompletableFuture<Void>> writes = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        writes.add(
            i % 2 == 0 ? store.copy("s/c/" + i, "d/c/" + i) : store.put("d/c/" + i, bytes("x")));
      }
      List<String> listed = listKeys("d/");
      CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
      assertEquals(keys.stream().sorted().toList(), listed, "round " + round);
    }
    assertArrayEquals(bytes("new 4"), store.get("d/c/4").join());
  }

  /**
   * Objects larger than the reused buffer are read into an array of their own, and a small object
   * read after a large one on the same thread sees only its own bytes.
   */
  @Test
  void getWithReadsObjectsLargerThanTheReusedBufferAndSmallOnesAfterThem() {
    byte[] large = new byte[LocalObjectStore.REUSED_BUFFER_MAX + 3];
    new java.util.Random(3).nextBytes(large);
    byte[] small = {9, 8, 7};
    put("large", large);
    put("small", small);
    try (LocalObjectStore one = new LocalObjectStore(root(), 1)) {
      for (String key : List.of("large", "small", "large", "small")) {
        byte[] got =
            Futures.join(
                one.getWith(
                    key,
                    b -> {
                      byte[] copy = new byte[b.remaining()];
                      b.get(copy);
                      return copy;
                    }));
        assertArrayEquals(key.equals("large") ? large : small, got, key);
      }
    }
  }

  @Test
  void objectsAreFilesUnderTheRoot() throws IOException {
    put("a/b/c", new byte[] {1, 2});
    assertArrayEquals(new byte[] {1, 2}, Files.readAllBytes(root().resolve("a/b/c")));
    Files.write(root().resolve("a/written-by-hand"), new byte[] {7});
    assertArrayEquals(new byte[] {7}, Futures.join(store.get("a/written-by-hand")));
  }

  @Test
  void noTemporaryFilesRemainAfterPuts() throws IOException {
    for (int i = 0; i < 10; i++) {
      put("x/y/" + (i % 3), new byte[100 * i]);
    }
    assertEquals(List.of("root/x/y/0", "root/x/y/1", "root/x/y/2"), filesOnDisk());
  }

  @Test
  void keysEscapingTheRootWriteNothingOutsideIt() throws IOException {
    Files.createDirectories(tempDir.resolve("root"));
    for (String key : List.of("../x", "a/../../x", "/tmp/x", "..\\x")) {
      assertRejected(key, () -> store.put(key, new byte[] {1}));
    }
    assertEquals(List.of(), filesOnDisk());
    assertFalse(Files.exists(tempDir.resolve("x")));
  }

  @Test
  void deleteRemovesEmptyDirectoriesButNotTheRoot() {
    put("p/q/r", new byte[] {1});
    Futures.join(store.delete("p/q/r"));
    assertFalse(Files.exists(root().resolve("p")));
    assertTrue(Files.isDirectory(root()));
  }

  @Test
  void listOfMissingRootIsEmpty() {
    assertEquals(List.of(), listKeys(""));
    assertFalse(Files.exists(root()));
  }

  @Test
  void describeNamesTheRoot() {
    assertTrue(store.describe().contains(root().toString()), store.describe());
  }
}
