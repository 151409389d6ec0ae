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
}
