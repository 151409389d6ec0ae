package io.arraymorph.write;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.ConcurrentWriteException;
import io.arraymorph.api.ArraySpec;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import io.arraymorph.array.DataType;
import io.arraymorph.array.NdArray;
import io.arraymorph.store.Futures;
import io.arraymorph.store.local.LocalObjectStore;
import io.arraymorph.zarr.Publication;
import io.arraymorph.zarr.WriterLock;
import io.arraymorph.zarr.ZarrArrayMetadata;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java API's {@code Dataset.setAttributes} on a stored Zarr v3 dataset, under its lock. */
class AttributeWriteTest {
  @TempDir Path dir;

  private static ZarrArrayMetadata stored(ArrayStore store) {
    return ZarrArrayMetadata.parse(
        Futures.join(store.objectStore().get("v/zarr.json")), "v/zarr.json");
  }

  private static Dataset sample(ArrayStore store) {
    Dataset ds = store.createDataset("v", ArraySpec.of(DataType.INT32, 4, 4).chunks(2, 2));
    ds.write(new long[] {0, 0}, NdArray.of(new int[] {1, 2, 3, 4}, 2, 2));
    return ds;
  }

  @Test
  void anAttributeUpdateWhileAWriteHoldsTheLockIsRefusedAndWritesNothing() {
    try (ArrayStore store = ArrayStore.on(new LocalObjectStore(dir), 4)) {
      Dataset ds = sample(store);
      byte[] before = Futures.join(store.objectStore().get("v/zarr.json"));
      try (WriterLock held =
          WriterLock.acquire(store.objectStore(), "v", "spark-job-42", Duration.ofMinutes(5))) {
        ConcurrentWriteException e =
            assertThrows(
                ConcurrentWriteException.class, () -> ds.setAttributes(Map.of("units", "K")));
        assertTrue(e.getMessage().contains("spark-job-42"), e.getMessage());
        held.verifyHeld();
      }
      assertEquals(
          new String(before, StandardCharsets.UTF_8),
          new String(Futures.join(store.objectStore().get("v/zarr.json")), StandardCharsets.UTF_8));
      ds.setAttributes(Map.of("units", "K"));
      assertEquals("K", store.dataset("v").attributes().get("units"));
    }
  }

  /**
   * A handle opened before another writer published a new version updates the attributes of the
   * stored version: its stale generation is not written back, the other writer's values stay.
   */
  @Test
  void aStaleHandleChangesOnlyTheAttributesOfTheStoredVersion() {
    try (ArrayStore store = ArrayStore.on(new LocalObjectStore(dir), 4)) {
      sample(store);
      Dataset stale = store.dataset("v");
      store.dataset("v").write(new long[] {2, 2}, NdArray.of(new int[] {9, 8, 7, 6}, 2, 2));
      long generation = Publication.generationOf(stored(store));

      Map<String, Object> attributes = new HashMap<>(stale.attributes());
      attributes.put("units", "K");
      attributes.put(Publication.ATTRIBUTE, Map.of("generation", 1, "state", "stable"));
      stale.setAttributes(attributes);

      ZarrArrayMetadata after = stored(store);
      assertEquals(generation, Publication.generationOf(after), "the stored version is kept");
      assertEquals("K", after.attributes().get("units"));
      assertArrayEquals(
          new int[] {1, 2, 0, 0, 3, 4, 0, 0, 0, 0, 9, 8, 0, 0, 7, 6},
          store.dataset("v").read().toIntArray());
      assertEquals("K", stale.attributes().get("units"), "the handle follows what it wrote");
    }
  }
}
