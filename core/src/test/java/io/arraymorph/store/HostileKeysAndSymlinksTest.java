package io.arraymorph.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.store.local.LocalObjectStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Keys with {@code ..}, absolute paths and other escapes, and symbolic links leading out of the
 * root, can neither read nor write outside a local store's root. Decision: links that stay inside
 * the root are followed; links that lead outside are refused (reads, writes, deletes) and left out
 * of listings.
 */
class HostileKeysAndSymlinksTest {
  @TempDir Path dir;

  private static final String[] HOSTILE =
      new String[] {
        "..",
        "../outside/secret",
        "a/../../outside/secret",
        "/etc/passwd",
        "a//b",
        "./a",
        "a/./b",
        "a\\..\\..\\outside",
        "a\0b",
        ""
      };

  private static List<Function<ObjectStore, CompletableFuture<?>>> operations(String key) {
    return List.of(
        s -> s.get(key),
        s -> s.getRange(key, 0, 4),
        s -> s.getRanges(key, new long[] {0, 2}, new int[] {2, 2}),
        s -> s.put(key, new byte[] {1}),
        s -> s.head(key),
        s -> s.delete(key));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9})
  void hostileKeysAreRejectedByEveryOperation(int which) throws IOException {
    String key = HOSTILE[which];
    Path root = dir.resolve("root");
    Path outside = dir.resolve("outside");
    Files.createDirectories(outside);
    Files.writeString(outside.resolve("secret"), "keep");
    try (LocalObjectStore store = new LocalObjectStore(root, 2)) {
      for (Function<ObjectStore, CompletableFuture<?>> op : operations(key)) {
        Throwable t = assertThrows(Throwable.class, () -> op.apply(store).join());
        Throwable cause = Futures.unwrap(t);
        assertTrue(cause instanceof IllegalArgumentException, key + ": " + cause);
        assertTrue(
            cause.getMessage().contains("key") || cause.getMessage().contains("Key"),
            cause.getMessage());
      }
    }
    assertEquals("keep", Files.readString(outside.resolve("secret")));
    try (Stream<Path> files = Files.walk(dir)) {
      assertEquals(1, files.filter(Files::isRegularFile).count(), "nothing else was written");
    }
  }

  @Test
  void symlinksLeadingOutOfTheRootAreRefused() throws IOException {
    Path root = Files.createDirectories(dir.resolve("root"));
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Files.writeString(outside.resolve("secret"), "keep");
    Files.createSymbolicLink(root.resolve("dirlink"), outside);
    Files.createSymbolicLink(root.resolve("filelink"), outside.resolve("secret"));
    Files.createSymbolicLink(root.resolve("dangling"), outside.resolve("not-yet"));
    try (LocalObjectStore store = new LocalObjectStore(root, 2)) {
      for (String key : List.of("dirlink/secret", "filelink", "dirlink/new", "dangling")) {
        for (Function<ObjectStore, CompletableFuture<?>> op : operations(key)) {
          Throwable cause =
              Futures.unwrap(assertThrows(Throwable.class, () -> op.apply(store).join()));
          assertTrue(cause instanceof IllegalArgumentException, key + ": " + cause);
          assertTrue(cause.getMessage().contains("symbolic link"), cause.getMessage());
        }
      }
      assertTrue(Futures.join(store.list("")).isEmpty(), "links out are not listed");
    }
    assertEquals("keep", Files.readString(outside.resolve("secret")));
    assertFalse(Files.exists(outside.resolve("new")));
    assertFalse(Files.exists(outside.resolve("not-yet")));
  }

  @Test
  void symlinksInsideTheRootAreFollowed() throws IOException {
    Path root = Files.createDirectories(dir.resolve("root"));
    Path real = Files.createDirectories(root.resolve("real"));
    Files.writeString(real.resolve("obj"), "data");
    Files.createSymbolicLink(root.resolve("alias"), real);
    try (LocalObjectStore store = new LocalObjectStore(root, 2)) {
      assertArrayEquals(
          "data".getBytes(StandardCharsets.UTF_8), Futures.join(store.get("alias/obj")));
      assertArrayEquals(
          "at".getBytes(StandardCharsets.UTF_8),
          Futures.join(store.getRanges("alias/obj", new long[] {1}, new int[] {2})).get(0));
      Futures.join(store.put("alias/new", new byte[] {7}));
    }
    assertArrayEquals(new byte[] {7}, Files.readAllBytes(real.resolve("new")));
  }
}
