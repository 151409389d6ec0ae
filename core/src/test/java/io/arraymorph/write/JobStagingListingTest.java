package io.arraymorph.write;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.api.ArraySpec;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.array.DataType;
import io.arraymorph.array.NdArray;
import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectInfo;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.memory.MemoryObjectStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A job lists its staging prefix once to clean it, however many datasets it publishes and in
 * whatever order: a job of one lists it during the publication, a job of several once after all
 * publications (a listing taken during one would miss the later datasets' journals).
 */
class JobStagingListingTest {
  private static final String STAGING_LIST = "list " + DatasetWrite.stagingRoot("job") + "/";

  private static WriteRequest overwrite(String path) {
    return new WriteRequest(
        path,
        WriteMode.OVERWRITE,
        2,
        DataType.FLOAT64,
        null,
        -1,
        0,
        new int[] {2, 2},
        new long[] {4, 2},
        null,
        null);
  }

  /** Element value of dataset {@code k} at flat index {@code e}. */
  private static double value(int k, int e) {
    return 100 * (k + 1) + e;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3})
  void aJobListsItsStagingOnceWhateverItsDatasetsAndTheirOrder(int datasets) {
    List<String> events = Collections.synchronizedList(new ArrayList<>());
    ObjectStore os = DatasetWriteTest.recording(new MemoryObjectStore(), events);
    ArrayStore store = ArrayStore.on(os, 4);
    List<DatasetWrite> writes = new ArrayList<>();
    for (int k = 0; k < datasets; k++) {
      String path = "d" + k;
      store
          .createDataset(path, ArraySpec.of(DataType.FLOAT64, 4, 2).chunks(2, 2))
          .write(new long[] {0, 0}, NdArray.of(new double[8], 4, 2));
      writes.add(DatasetWrite.plan(store, "job", overwrite(path)));
    }
    DatasetWrite.lockAll(writes, os, Duration.ofMinutes(1));
    List<List<long[]>> written = new ArrayList<>();
    for (int k = 0; k < datasets; k++) {
      double[] v = new double[8];
      for (int e = 0; e < 8; e++) {
        v[e] = value(k, e);
      }
      TaskWriter task = writes.get(k).openTask(os, 4);
      task.writeRegion(new long[] {0, 0}, NdArray.of(v, 4, 2));
      task.finish();
      written.add(List.copyOf(task.writtenChunks()));
    }
    events.clear();
    // Published last to first: the order must not matter.
    for (int k = datasets - 1; k >= 0; k--) {
      writes.get(k).publish(store, written.get(k), new long[] {3, 1});
    }
    DatasetWrite.finishJob(os, writes, "job");

    assertEquals(
        1, events.stream().filter(STAGING_LIST::equals).count(), "staging lists: " + events);
    if (datasets == 1) {
      assertTrue(
          events.indexOf(STAGING_LIST) < events.lastIndexOf("put d0/zarr.json"),
          "listed during the publication: " + events);
    }
    List<String> keys =
        Futures.join(os.list("")).stream()
            .map(ObjectInfo::key)
            .filter(k -> !k.endsWith("zarr.json"))
            .toList();
    assertTrue(keys.stream().allMatch(k -> k.matches("d\\d/c/\\d/0")), "only chunks left: " + keys);
    for (int k = 0; k < datasets; k++) {
      double[] expected = new double[8];
      for (int e = 0; e < 8; e++) {
        expected[e] = value(k, e);
      }
      assertArrayEquals(expected, store.dataset("d" + k).read().toDoubleArray(), 0.0);
    }
  }
}
