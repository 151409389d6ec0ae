package io.arraymorph.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.arraymorph.testing.StartsServers;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One combined scenario per store on a real multi-JVM cluster ({@code local-cluster[2,1,1024]}):
 * the store settings, credentials included, are given only as write/read options on the driver, so
 * the two executor JVMs can reach the store only through the settings shipped in the plan. The test
 * checks that the executors' environment, Spark configuration and task properties hold no store
 * setting.
 */
@StartsServers
@Order(1)
class ClusterEndToEndIT {

  static Stream<StoreFixture> stores() {
    return StoreFixture.all().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void writesAndReadsThroughExecutorJvmsWithSettingsOnlyFromThePlan(StoreFixture store) {
    SparkSession spark = Sessions.cluster();
    var back =
        Scenarios.twoColumnWriteThenFilteredRead(
            spark, store.newLocation("cluster"), store.options());

    String driverPid = Long.toString(ProcessHandle.current().pid());
    Set<String> readPids = new TreeSet<>();
    back.selectExpr("reflect('java.lang.ProcessHandle', 'current') AS p")
        .distinct()
        .collectAsList()
        .forEach(r -> readPids.add(r.getString(0)));
    assertFalse(
        readPids.isEmpty() || readPids.contains(driverPid), "read tasks ran in " + readPids);

    List<String> watched = new ArrayList<>(store.secrets());
    store
        .options()
        .forEach(
            (k, v) -> {
              if (k.contains("endpoint")) {
                watched.add(v);
              }
            });
    List<String> reports =
        spark
            .range(0, 4, 1, 4)
            .mapPartitions(new ExecutorProbe(watched), Encoders.STRING())
            .collectAsList();
    Set<String> pids = new TreeSet<>();
    for (String report : reports) {
      String pid = report.substring(0, report.indexOf(' '));
      pids.add(pid);
      assertEquals("[]", report.substring(report.indexOf(' ') + 1), "executor " + pid);
    }
    assertFalse(pids.contains(driverPid), "probes ran in executors " + pids);
  }
}
