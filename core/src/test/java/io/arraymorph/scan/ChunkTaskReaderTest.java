package io.arraymorph.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.arraymorph.ConcurrentWriteException;
import io.arraymorph.api.ArraySpec;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import io.arraymorph.api.DatasetRef;
import io.arraymorph.array.DataType;
import io.arraymorph.array.NdArray;
import io.arraymorph.store.CountingObjectStore;
import io.arraymorph.store.memory.MemoryObjectStore;
import io.arraymorph.zarr.Publication;
import io.arraymorph.zarr.ZarrDataset;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A planned task reads every element of its boxes with the values written, from datasets reopened
 * out of their references without metadata requests, and checks versions once at the end.
 */
class ChunkTaskReaderTest {
  private static final int N = 20;

  private static int[] values(int offset) {
    int[] v = new int[N * N];
    for (int k = 0; k < v.length; k++) {
      v[k] = k + offset;
    }
    return v;
  }

  @Test
  void readsEveryBoxedElementOfSameAndOtherGridDatasets() {
    CountingObjectStore objects = new CountingObjectStore(new MemoryObjectStore());
    try (ArrayStore store = ArrayStore.on(objects, 4)) {
      store
          .createDataset("a", ArraySpec.of(DataType.INT32, N, N).chunks(5, 5))
          .write(new long[] {0, 0}, NdArray.of(values(0), N, N));
      store
          .createDataset("b", ArraySpec.of(DataType.INT32, N, N).chunks(8, 3))
          .write(new long[] {0, 0}, NdArray.of(values(1000), N, N));
      List<DatasetRef> refs = List.of(store.datasetRef("a"), store.datasetRef("b"));
      Region region =
          new RegionTranslator(new long[] {N, N})
              .translate(
                  new DimPredicate.And(
                      new DimPredicate.Compare(0, DimPredicate.Op.GE, 3),
                      new DimPredicate.Compare(1, DimPredicate.Op.LT, 7)));
      Dataset a = store.dataset(refs.get(0));
      ChunkTask task =
          ScanPlanner.plan(
                  List.of(new ScanPlanner.Source("mem", refs, a.grid(), 100)), region, -1, 1 << 20)
              .get(0)
              .get(0)
              .task();
      long before = objects.stats().requests();
      List<Dataset> opened = List.of(store.dataset(refs.get(0)), store.dataset(refs.get(1)));
      assertEquals(before, objects.stats().requests(), "reopened without a request");
      long checked = 0;
      try (ChunkTaskReader reader = new ChunkTaskReader(task, opened, new int[] {5, 5}, 4)) {
        for (int i = 0; i < task.chunkCoords().size(); i++) {
          reader.prefetchFrom(i);
          List<Region.Box> boxes = task.boxes().get(i);
          for (int b = 0; b < boxes.size(); b++) {
            Region.Box box = boxes.get(b);
            for (long r = box.lo()[0]; r < box.hi()[0]; r++) {
              for (long c = box.lo()[1]; c < box.hi()[1]; c++) {
                for (int k = 0; k < 2; k++) {
                  ChunkTaskReader.Buffer buf = reader.numbers(i, k, b);
                  int got =
                      ByteBuffer.wrap(buf.data())
                          .order(ByteOrder.LITTLE_ENDIAN)
                          .getInt((int) buf.elementOf(new long[] {r, c}) * 4);
                  assertEquals(r * N + c + (k == 0 ? 0 : 1000), got, "(" + r + "," + c + ")");
                  checked++;
                }
              }
            }
          }
          reader.release(i);
        }
        reader.verifyVersions(store, List.of(-1L, -1L), "mem");
      }
      assertEquals(2L * 17 * 7, checked);
    }
  }

  @Test
  void theVersionCheckFailsWhenAnotherWriterPublished() {
    try (ArrayStore store = ArrayStore.on(new MemoryObjectStore(), 4)) {
      ZarrDataset d =
          (ZarrDataset) store.createDataset("v", ArraySpec.of(DataType.INT32, 4).chunks(2));
      Publication first = Publication.first();
      io.arraymorph.store.Futures.join(
          store.objectStore().put(d.metadataKey(), first.stamp(d.metadata()).toJson()));
      Dataset planned = store.dataset("v");
      assertEquals(first.generation(), planned.generation());
      VersionCheck.verify(store.objectStore(), "v", planned.generation(), "mem");
      io.arraymorph.store.Futures.join(
          store
              .objectStore()
              .put(
                  d.metadataKey(),
                  Publication.publishingAfter(first.generation()).stamp(d.metadata()).toJson()));
      assertThrows(
          ConcurrentWriteException.class,
          () -> VersionCheck.verify(store.objectStore(), "v", planned.generation(), "mem"));
    }
  }
}
