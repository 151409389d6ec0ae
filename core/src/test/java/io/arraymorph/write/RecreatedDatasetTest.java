package io.arraymorph.write;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.ConcurrentWriteException;
import io.arraymorph.api.ArraySpec;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.array.DataType;
import io.arraymorph.array.NdArray;
import io.arraymorph.scan.VersionCheck;
import io.arraymorph.store.memory.MemoryObjectStore;
import org.junit.jupiter.api.Test;

/**
 * A dataset deleted and created again (as another process might, between a read's planning and its
 * tasks) does not repeat its earlier generation, so the read's version check refuses it rather than
 * decoding the new chunks with the planned metadata.
 */
class RecreatedDatasetTest {
  @Test
  void aDatasetDeletedAndCreatedAgainFailsTheVersionCheckOfAReadPlannedBefore() {
    try (ArrayStore store = ArrayStore.on(new MemoryObjectStore(), 4)) {
      store
          .createDataset("v", ArraySpec.of(DataType.INT32, 4, 4).chunks(2, 2))
          .write(new long[] {0, 0}, NdArray.of(new int[] {1, 2, 3, 4}, 2, 2));
      long planned = store.dataset("v").generation();
      assertTrue(planned >= 1, "versioned after its first write: " + planned);
      VersionCheck.verify(store.objectStore(), "v", planned, "mem");

      store.delete("v");
      store
          .createDataset("v", ArraySpec.of(DataType.FLOAT32, 4, 4).chunks(2, 2))
          .write(new long[] {0, 0}, NdArray.of(new float[] {9, 9, 9, 9}, 2, 2));
      long recreated = store.dataset("v").generation();
      assertNotEquals(planned, recreated);
      assertThrows(
          ConcurrentWriteException.class,
          () -> VersionCheck.verify(store.objectStore(), "v", planned, "mem"));
    }
  }
}
