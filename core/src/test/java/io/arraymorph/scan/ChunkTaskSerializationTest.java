package io.arraymorph.scan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.api.DatasetRef;
import io.arraymorph.array.ChunkGrid;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A task ships its chunks and boxes exactly, in a few bytes per chunk. */
class ChunkTaskSerializationTest {

  @Test
  void shippedTaskKeepsEveryChunkAndBoxAndTakesFewBytesPerChunk() throws Exception {
    long[] shape = {1000, 90, 180};
    ChunkGrid grid = new ChunkGrid(shape, new int[] {1, 90, 180});
    // A region of two boxes: some chunks hold two parts, edge boxes start inside chunks.
    Region region =
        Region.ofIntervals(shape, 0, List.of(new long[] {3, 400}, new long[] {700, 1000}))
            .intersect(Region.ofIntervals(shape, 1, List.of(new long[] {5, 80})));
    List<ScanPlanner.Planned> planned =
        ScanPlanner.plan(
                List.of(
                    new ScanPlanner.Source(
                        "s3://b/g.nc", List.of(DatasetRef.inFile("tas")), grid, 64_800)),
                region,
                -1,
                Long.MAX_VALUE)
            .get(0);
    ChunkTask task = planned.get(0).task();
    assertTrue(task.chunkCoords().size() > 600, "chunks: " + task.chunkCoords().size());
    ChunkTask shipped = (ChunkTask) read(write(task));
    assertEquals(task.location(), shipped.location());
    assertEquals(task.datasets().size(), shipped.datasets().size());
    assertEquals(task.chunkCoords().size(), shipped.chunkCoords().size());
    for (int i = 0; i < task.chunkCoords().size(); i++) {
      assertArrayEquals(task.chunkCoords().get(i), shipped.chunkCoords().get(i));
      List<Region.Box> a = task.boxes().get(i);
      List<Region.Box> b = shipped.boxes().get(i);
      assertEquals(a.size(), b.size());
      for (int k = 0; k < a.size(); k++) {
        assertArrayEquals(a.get(k).lo(), b.get(k).lo());
        assertArrayEquals(a.get(k).hi(), b.get(k).hi());
      }
    }
    assertEquals(task.elements(), shipped.elements());
    int perChunk = write(task).length / task.chunkCoords().size();
    assertTrue(perChunk < 24, perChunk + " bytes per chunk");
  }

  private static byte[] write(Object o) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ObjectOutputStream s = new ObjectOutputStream(out)) {
      s.writeObject(o);
    }
    return out.toByteArray();
  }

  private static Object read(byte[] bytes) throws IOException, ClassNotFoundException {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
      return in.readObject();
    }
  }
}
