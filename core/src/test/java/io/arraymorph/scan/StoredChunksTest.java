package io.arraymorph.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arraymorph.api.ArraySpec;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import io.arraymorph.array.DataType;
import io.arraymorph.array.NdArray;
import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.memory.MemoryObjectStore;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Stored chunks are the chunk objects written, never other objects under the dataset's prefix. */
class StoredChunksTest {

  @Test
  void listsTheWrittenChunksOfAZarrV3DatasetAndIgnoresStrayObjects() {
    ObjectStore objects = new MemoryObjectStore();
    try (ArrayStore store = ArrayStore.on(objects, 4)) {
      Dataset d = store.createDataset("g/v", ArraySpec.of(DataType.INT32, 10, 10).chunks(4, 4));
      d.write(new long[] {4, 0}, NdArray.of(new int[16], 4, 4));
      d.write(new long[] {8, 8}, NdArray.of(new int[4], 2, 2));
      Futures.join(objects.put("g/v/c/9/9", new byte[3])); // outside the 3 x 3 grid
      Futures.join(objects.put("g/v/notes.txt", new byte[3]));
      List<StoredChunk> chunks = StoredChunks.of(objects, store.dataset("g/v"));
      assertEquals(
          List.of("g/v/c/1/0", "g/v/c/2/2"), chunks.stream().map(StoredChunk::key).toList());
      assertEquals(
          List.of(1L, 0L), List.of(chunks.get(0).chunkCoords()[0], chunks.get(0).chunkCoords()[1]));
    }
  }

  /** Keys of the dot-separated v3 encoding ({@code c.1.0}) and a scalar's one chunk are listed. */
  @Test
  void listsDotSeparatedV3KeysAndAScalarsChunk() {
    ObjectStore objects = new MemoryObjectStore();
    try (ArrayStore store = ArrayStore.on(objects, 4)) {
      Dataset dots =
          store.createDataset(
              "d",
              ArraySpec.of(DataType.INT32, 10, 10).chunks(4, 4).chunkKeyEncoding("default", "."));
      dots.write(new long[] {4, 0}, NdArray.of(new int[16], 4, 4));
      Futures.join(objects.put("d/c.7.0", new byte[3])); // outside the grid
      assertEquals(
          List.of("d/c.1.0"),
          StoredChunks.of(objects, store.dataset("d")).stream().map(StoredChunk::key).toList());

      Dataset scalar = store.createDataset("s", ArraySpec.of(DataType.INT32));
      NdArray five = NdArray.allocate(DataType.INT32, new long[0]);
      five.bytes()[0] = 5;
      scalar.write(new long[0], five);
      List<StoredChunk> one = StoredChunks.of(objects, store.dataset("s"));
      assertEquals(1, one.size());
      assertEquals(0, one.get(0).chunkCoords().length);
      assertEquals(store.dataset("s").chunkObjectKey(new long[0]).get(), one.get(0).key());
    }
  }
}
