package io.arraymorph.store.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectChangedException;
import io.arraymorph.store.ObjectInfo;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.ObjectStores;
import io.arraymorph.store.RangeGroups;
import io.arraymorph.store.StoreSettings;
import io.arraymorph.testing.FaultProxy;
import io.arraymorph.testing.S3ProxyServer;
import io.arraymorph.testing.StartsServers;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A read conditional on an object's version costs no request of its own on S3: each range is one
 * GET with {@code If-Match}, counted at a recording proxy in front of S3Proxy (which answers 412 to
 * a ranged GET whose tag no longer matches); only a refused read HEADs, to say what changed.
 */
@StartsServers
class S3ConditionalRangeReadTest {
  private static S3ProxyServer server;
  private static String bucket;
  private static FaultProxy proxy;

  @BeforeAll
  static void start() {
    server = S3ProxyServer.get();
    bucket = S3ProxyServer.uniqueBucketName("ifmatch");
    server.createBucket(bucket);
    proxy = FaultProxy.start(server.endpoint(), FaultProxy.Flavor.S3, 1).recordOnly();
  }

  @AfterAll
  static void stop() {
    proxy.close();
  }

  @Test
  void nearbyRangesShareOneGetAFarOneHasItsOwnNoHeadAndAReplacementIsRefusedByTheGet() {
    Map<String, String> m = new HashMap<>(server.settings(bucket));
    m.put("endpoint", proxy.endpoint());
    try (ObjectStore store = ObjectStores.open("s3://" + bucket + "/c", StoreSettings.of(m))) {
      byte[] data = new byte[4096 + 2 * RangeGroups.MAX_GAP];
      Arrays.fill(data, (byte) 3);
      data[100] = 9;
      long far = 2008 + RangeGroups.MAX_GAP + 1;
      data[(int) far] = 7;
      Futures.join(store.put("granule.nc", data));
      ObjectInfo indexed = Futures.join(store.head("granule.nc")).orElseThrow();
      proxy.drainRecorded();
      byte[][] got = new byte[3][];
      Futures.join(
          store.getRangesIfUnchanged(
              "granule.nc",
              indexed,
              new long[] {100, 2000, far},
              new int[] {4, 8, 2},
              (i, bytes, length) -> got[i] = Arrays.copyOf(bytes, length)));
      assertArrayEquals(Arrays.copyOfRange(data, 100, 104), got[0]);
      assertArrayEquals(Arrays.copyOfRange(data, 2000, 2008), got[1]);
      assertArrayEquals(Arrays.copyOfRange(data, (int) far, (int) far + 2), got[2]);
      // 100 and 2000 are read by one GET (RangeGroups), the far range by its own.
      assertEquals(List.of("GET", "GET"), methods(proxy.drainRecorded()));

      byte[] other = data.clone();
      other[100] = 10;
      Futures.join(store.put("granule.nc", other));
      proxy.drainRecorded();
      Throwable t =
          Futures.unwrap(
              store
                  .getRangesIfUnchanged(
                      "granule.nc", indexed, new long[] {100}, new int[] {4}, (i, b, n) -> {})
                  .handle((v, e) -> e)
                  .join());
      ObjectChangedException changed = assertInstanceOf(ObjectChangedException.class, t);
      assertTrue(changed.change().contains("same size"), changed.getMessage());
      assertEquals(List.of("GET", "HEAD"), methods(proxy.drainRecorded()));
    }
  }

  @Test
  void theListFormOfGetRangesGroupsNearbyRangesLikeTheReaderForm() {
    Map<String, String> m = new HashMap<>(server.settings(bucket));
    m.put("endpoint", proxy.endpoint());
    try (ObjectStore store = ObjectStores.open("s3://" + bucket + "/c", StoreSettings.of(m))) {
      byte[] data = new byte[4096 + 2 * RangeGroups.MAX_GAP];
      for (int i = 0; i < data.length; i++) {
        data[i] = (byte) (i * 7);
      }
      long far = 2008 + RangeGroups.MAX_GAP + 1;
      Futures.join(store.put("ranges.bin", data));
      proxy.drainRecorded();
      List<byte[]> got =
          Futures.join(
              store.getRanges("ranges.bin", new long[] {2000, 100, far}, new int[] {8, 4, 2}));
      assertArrayEquals(Arrays.copyOfRange(data, 2000, 2008), got.get(0));
      assertArrayEquals(Arrays.copyOfRange(data, 100, 104), got.get(1));
      assertArrayEquals(Arrays.copyOfRange(data, (int) far, (int) far + 2), got.get(2));
      // 100 and 2000 share one GET (RangeGroups), the far range has its own: 2, not 3.
      assertEquals(List.of("GET", "GET"), methods(proxy.drainRecorded()));
    }
  }

  private static List<String> methods(List<FaultProxy.Request> sent) {
    return sent.stream().map(FaultProxy.Request::method).toList();
  }
}
