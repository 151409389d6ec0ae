package io.arraymorph.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arraymorph.array.DataType;
import io.arraymorph.array.NdArray;
import io.arraymorph.store.ForwardingObjectStore;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.StoreStats;
import io.arraymorph.store.local.LocalObjectStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #2's acceptance test: a 100x100 int32 dataset in 10x10 chunks written with the Java API is
 * 100 chunk objects plus metadata, and reading [5:15, 5:15] fetches exactly the 4 overlapping
 * chunks.
 */
class IssueTwoAcceptanceTest {
  @TempDir Path tempDir;

  /** Remembers the keys of whole-object GETs. */
  private static final class RecordingStore extends ForwardingObjectStore {
    final List<String> gets = Collections.synchronizedList(new ArrayList<>());

    RecordingStore(ObjectStore inner) {
      super(inner);
    }

    @Override
    public CompletableFuture<byte[]> get(String key) {
      gets.add(key);
      return inner.get(key);
    }

    @Override
    public CompletableFuture<byte[]> getRange(String key, long offset, int length) {
      gets.add(key + "@" + offset);
      return inner.getRange(key, offset, length);
    }
  }

  @Test
  void hundredChunkFilesAndFourChunkReadForTheSlice() throws IOException {
    Path root = tempDir.resolve("demo.zarr");
    int[] data = new int[100 * 100];
    for (int i = 0; i < 100; i++) {
      for (int j = 0; j < 100; j++) {
        data[i * 100 + j] = i * 1000 + j;
      }
    }
    try (ArrayStore store = ArrayStore.open(root.toString())) {
      Dataset values =
          store.createDataset("values", ArraySpec.of(DataType.INT32, 100, 100).chunks(10, 10));
      values.write(new long[] {0, 0}, NdArray.of(data, 100, 100));
    }

    Set<String> expected = new TreeSet<>();
    for (int i = 0; i < 10; i++) {
      for (int j = 0; j < 10; j++) {
        expected.add("values/c/" + i + "/" + j);
      }
    }
    expected.add("values/zarr.json");
    expected.add("zarr.json");
    Set<String> onDisk = new TreeSet<>();
    try (Stream<Path> files = Files.walk(root)) {
      files
          .filter(Files::isRegularFile)
          .forEach(p -> onDisk.add(root.relativize(p).toString().replace('\\', '/')));
    }
    assertEquals(expected, onDisk);
    try (Stream<Path> files = Files.walk(root.resolve("values/c"))) {
      List<Path> chunks = files.filter(Files::isRegularFile).toList();
      assertEquals(100, chunks.size());
      for (Path chunk : chunks) {
        assertEquals(400, Files.size(chunk), chunk.toString());
      }
    }

    RecordingStore recording = new RecordingStore(new LocalObjectStore(root, 4));
    try (ArrayStore store = ArrayStore.on(recording, 8)) {
      Dataset values = store.dataset("values");
      StoreStats stats = store.stats();
      assertEquals(1, stats.gets());
      NdArray slice = values.read(new long[] {5, 5}, new long[] {10, 10});
      // The Java API's write published a version, so the read checks it once after the chunks.
      assertEquals(6, stats.gets(), "1 metadata GET + 4 chunk GETs + 1 version check");
      assertEquals(0, stats.rangeGets());
      assertEquals(0, stats.notFound());
      assertEquals(0, stats.puts());
      assertEquals(Files.size(root.resolve("values/zarr.json")) * 2 + 4 * 400, stats.bytesRead());
      assertEquals(
          Set.of(
              "values/zarr.json", "values/c/0/0", "values/c/0/1", "values/c/1/0", "values/c/1/1"),
          new TreeSet<>(recording.gets));
      assertArrayEquals(new long[] {10, 10}, slice.shape());
      for (int a = 0; a < 10; a++) {
        for (int b = 0; b < 10; b++) {
          assertEquals((5 + a) * 1000 + 5 + b, slice.getInt(a, b), "slice[" + a + "," + b + "]");
        }
      }
    }
  }
}
