package io.arraymorph.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.arraymorph.testing.FaultProxy;
import io.arraymorph.testing.S3ProxyServer;
import io.arraymorph.testing.StartsServers;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * The {@link SparkDatasetsOnOwnGridsContract} scenarios on S3Proxy (or the CI's S3 server), and
 * what such a query costs its tasks, counted at the server (a recording proxy): no task reopens the
 * file; each makes the range GETs of its datasets' chunks and one file check.
 */
@StartsServers
class SparkDatasetsOnOwnGridsOnS3Test extends SparkDatasetsOnOwnGridsContract {
  private final String bucket = S3ProxyServer.uniqueBucketName("spark-grids");
  private final Map<String, String> options;

  SparkDatasetsOnOwnGridsOnS3Test() {
    S3ProxyServer server = S3ProxyServer.get();
    server.createBucket(bucket);
    options = server.settings(bucket);
  }

  @Override
  protected String root() {
    return "s3://" + bucket + "/grids";
  }

  @Override
  protected Map<String, String> options() {
    return options;
  }

  /**
   * A filtered query of the four datasets in several tasks: the executors' requests are exactly one
   * range GET per chunk read (per walked 10x10 chunk, its own chunk and, for each other dataset,
   * the chunks of its grid the chunk's part of the filter overlaps; the contiguous data is one
   * range) plus at most one file check per task; no superblock, object header or chunk index is
   * read again. Measured: 30 GETs and 2 HEADs in 2 tasks; before, when each task reopened the file
   * for the two chunked datasets off the walked grid, 34 GETs and 8 HEADs in 4 tasks.
   */
  @Test
  void tasksReadTheirDatasetsChunksOnEveryGridWithoutReopeningTheFile() {
    FaultProxy proxy = FaultProxy.start(S3ProxyServer.get().endpoint(), FaultProxy.Flavor.S3, 1);
    try {
      proxy.recordOnly();
      Map<String, String> viaProxy = new HashMap<>(options);
      viaProxy.put("endpoint", proxy.endpoint());
      long[] lo = {5, 11};
      long[] hi = {17, 25};
      Dataset<Row> df = query(viaProxy, FILE, DATASETS, "dim_0 BETWEEN 5 AND 17 AND dim_1 >= 11");
      SparkTestSupport.Counted c =
          SparkTestSupport.counted("grids.h5 4 datasets filtered", df, proxy);
      List<FaultProxy.Request> executors = c.executors();
      List<Row> rows = c.rows();
      int tasks = c.tasks();
      long gets = c.executors("GET");
      long heads = c.executors("HEAD");
      assertRowsEqualH5py(rows, DATASETS, lo, hi);
      assertTrue(tasks > 1, "several tasks: " + tasks);
      assertTrue(
          executors.stream()
              .allMatch(r -> r.decodedPath().split("\\?", -1)[0].endsWith("/" + FILE)),
          "every request reads the file: " + executors);
      assertEquals(chunkReads(lo, hi), gets, "one range GET per chunk read: " + executors);
      assertTrue(heads <= tasks, "at most one file check per task: " + executors);
      assertEquals(gets + heads, executors.size(), "nothing else: " + executors);
    } finally {
      proxy.close();
    }
  }

  /**
   * The chunk reads of the query of {@code lo..hi}: per walked chunk it overlaps, that chunk, and
   * for each other dataset the chunks of its grid overlapping the walked chunk's part of the region
   * (a contiguous dataset: one range).
   */
  private long chunkReads(long[] lo, long[] hi) {
    int[] walked = chunksOf(entry("/walked"));
    long reads = 0;
    for (long ci = lo[0] / walked[0]; ci <= hi[0] / walked[0]; ci++) {
      for (long cj = lo[1] / walked[1]; cj <= hi[1] / walked[1]; cj++) {
        long[] boxLo = {Math.max(lo[0], ci * walked[0]), Math.max(lo[1], cj * walked[1])};
        long[] boxHi = {
          Math.min(hi[0], (ci + 1) * walked[0] - 1), Math.min(hi[1], (cj + 1) * walked[1] - 1)
        };
        reads++;
        for (String p : List.of("/odd", "/contiguous", "/rows")) {
          int[] c = chunksOf(entry(p));
          reads +=
              c == null
                  ? 1
                  : (boxHi[0] / c[0] - boxLo[0] / c[0] + 1)
                      * (boxHi[1] / c[1] - boxLo[1] / c[1] + 1);
        }
      }
    }
    return reads;
  }

  private static int[] chunksOf(JsonNode entry) {
    JsonNode c = entry.get("chunks");
    return c.isNull() ? null : new int[] {c.get(0).asInt(), c.get(1).asInt()};
  }
}
