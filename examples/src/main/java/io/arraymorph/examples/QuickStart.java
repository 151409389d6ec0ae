package io.arraymorph.examples;

import io.arraymorph.api.ArraySpec;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import io.arraymorph.array.DataType;
import io.arraymorph.array.NdArray;
import java.nio.file.Path;

/**
 * Writes a 100x100 int32 array in 10x10 chunks to a local directory with the Java API (no Spark),
 * then reads the slice [5:15, 5:15] back and shows how many chunk objects that read fetched.
 */
public final class QuickStart {
  private QuickStart() {}

  public static void main(String[] args) {
    Path dir = Path.of(args.length > 0 ? args[0] : "quickstart.zarr").toAbsolutePath();
    try (ArrayStore store = ArrayStore.open(dir.toString())) {
      if (store.exists("values")) {
        store.delete("values");
      }
      Dataset values =
          store.createDataset(
              "values",
              ArraySpec.of(DataType.INT32, 100, 100).chunks(10, 10).dimensionNames("i", "j"));
      int[] data = new int[100 * 100];
      for (int i = 0; i < 100; i++) {
        for (int j = 0; j < 100; j++) {
          data[i * 100 + j] = i * 1000 + j;
        }
      }
      values.write(new long[] {0, 0}, NdArray.of(data, 100, 100));
      long written = store.stats().puts();

      store.stats().reset();
      NdArray slice = store.dataset("values").read(new long[] {5, 5}, new long[] {10, 10});
      // A write stages its chunks, then publishes them: more PUTs than objects.
      System.out.println(
          "Wrote " + dir + "/values: 100 chunk objects in " + written + " PUT requests");
      System.out.println("Slice [5:15, 5:15] (value = i * 1000 + j):");
      System.out.print(slice);
      System.out.println(
          // Two GETs are zarr.json: opening the dataset, and the version check after the read.
          "Chunk objects read: "
              + (store.stats().gets() - 2)
              + " (plus 2 metadata reads), bytes read: "
              + store.stats().bytesRead());
    }
  }
}
