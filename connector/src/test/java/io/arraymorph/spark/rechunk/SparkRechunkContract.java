package io.arraymorph.spark.rechunk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import io.arraymorph.rechunk.RechunkResult;
import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectInfo;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.ObjectStores;
import io.arraymorph.store.StoreSettings;
import io.arraymorph.zarr.ZarrDataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A rechunk run as a Spark job ({@link ArrayMorphRechunk}) on a store: HDF5, NetCDF4 and Zarr v2
 * datasets written by h5py, netCDF4 and zarr-python become Zarr v3 datasets with other chunks
 * (sharded or not) whose every value equals what those libraries read; an existing target is
 * refused unless overwrite is asked; a failing job leaves nothing visible. Subclasses give the
 * store.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class SparkRechunkContract {
  private SparkSession spark;
  private Path fixtures;

  /** The directory the fixtures go to, such as {@code s3://bucket/rechunk}. */
  protected abstract String root();

  /** The options (endpoint, credentials) that reach {@link #root()}. */
  protected abstract Map<String, String> options();

  /** The session the jobs run in. */
  protected abstract SparkSession session();

  @BeforeAll
  void uploadFixtures() throws IOException {
    fixtures = io.arraymorph.spark.SparkFixtureFilesAccess.rechunk();
    try (ObjectStore store = ObjectStores.open(root(), StoreSettings.of(options()));
        Stream<Path> files = Files.walk(fixtures)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String key = fixtures.relativize(f).toString().replace('\\', '/');
        if (!key.startsWith("expected/")) {
          Futures.join(store.put(key, Files.readAllBytes(f)));
        }
      }
      // A Zarr v2 copy with one chunk that does not decode: a job reading it fails midway.
      List<Path> chunks;
      try (Stream<Path> listed = Files.list(fixtures.resolve("series.zarr/pressure"))) {
        chunks = listed.toList();
      }
      for (Path f : chunks) {
        String name = f.getFileName().toString();
        byte[] bytes = Files.readAllBytes(f);
        if (name.equals("2.1")) {
          bytes = "not a blosc frame".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        Futures.join(store.put("broken.zarr/pressure/" + name, bytes));
      }
      Futures.join(
          store.put(
              "broken.zarr/.zgroup", Files.readAllBytes(fixtures.resolve("series.zarr/.zgroup"))));
    }
    spark = session();
  }

  @AfterAll
  void stop() {
    spark.stop();
  }

  private Map<String, String> with(String... kv) {
    Map<String, String> out = new HashMap<>(options());
    for (int i = 0; i < kv.length; i += 2) {
      out.put(kv[i], kv[i + 1]);
    }
    return out;
  }

  private byte[] expected(String file, String dataset) throws IOException {
    return Files.readAllBytes(fixtures.resolve("expected").resolve(file).resolve(dataset + ".bin"));
  }

  private ArrayStore target(String out) {
    return ArrayStore.open(root() + "/" + out, StoreSettings.of(options()));
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        // time steps -> long series of small tiles; nests: no shuffle
        Arguments.of("series.h5", "temperature", "37,5,4", null, "zstd", null, true),
        // the same through a shuffle of blocks
        Arguments.of("series.h5", "temperature", "37,5,4", null, "zstd", "20000", false),
        Arguments.of("series.h5", "counts", "10,10", "20,20", "gzip", "4000", false),
        Arguments.of("series.h5", "wide", "4,4", null, "none", "1000", false),
        Arguments.of("series.h5", "doubles", "3,4,5", null, "zstd", "2000", false),
        Arguments.of("series.nc", "tas", "24,6,6", "24,12,12", "zstd", null, true),
        Arguments.of("series.zarr", "pressure", "25,3", "25,6", "none", "500", false));
  }

  @ParameterizedTest(name = "{0}:{1} chunks {2} shards {3} {4} memory {5}")
  @MethodSource("cases")
  void rechunkedValuesEqualTheWritingLibrarys(
      String file,
      String dataset,
      String chunks,
      String shards,
      String codec,
      String memory,
      boolean direct)
      throws IOException {
    RechunkResult result = rechunkAndCheck(file, dataset, chunks, shards, codec, memory, "auto");
    assertTrue(result.plan().startsWith(direct ? "direct" : "two stages"), result.plan());
  }

  /** The cases that do not nest, each through one stage and through two. */
  static Stream<Arguments> casesByPlan() {
    return cases()
        .filter(a -> !(boolean) a.get()[6])
        .flatMap(
            a ->
                Stream.of("one_stage", "two_stage")
                    .map(
                        plan -> {
                          Object[] args = java.util.Arrays.copyOf(a.get(), 7);
                          args[6] = plan;
                          return Arguments.of(args);
                        }));
  }

  @ParameterizedTest(name = "{0}:{1} chunks {2} shards {3} {4} memory {5} {6}")
  @MethodSource("casesByPlan")
  void eitherPlanGivesTheWritingLibrarysValues(
      String file,
      String dataset,
      String chunks,
      String shards,
      String codec,
      String memory,
      String plan)
      throws IOException {
    RechunkResult result = rechunkAndCheck(file, dataset, chunks, shards, codec, memory, plan);
    assertEquals(plan.equals("one_stage"), result.direct(), result.plan());
    assertTrue(
        result.plan().startsWith(plan.equals("one_stage") ? "one stage" : "two stages"),
        result.plan());
  }

  /**
   * Rechunks through {@link ArrayMorphRechunk} and compares every value with the writing library's,
   * then counts the result's rows through {@code format("arraymorph")}.
   */
  private RechunkResult rechunkAndCheck(
      String file,
      String dataset,
      String chunks,
      String shards,
      String codec,
      String memory,
      String plan)
      throws IOException {
    String out = "out-" + UUID.randomUUID() + ".zarr";
    Map<String, String> opts = with("chunks", chunks, "codec", codec, "rechunk_plan", plan);
    if (shards != null) {
      opts.put("shards", shards);
    }
    if (memory != null) {
      opts.put("rechunk_memory", memory);
    }
    RechunkResult result =
        ArrayMorphRechunk.run(
            spark,
            root() + "/" + file,
            dataset,
            root() + "/" + out,
            "tiles/" + dataset,
            false,
            opts);
    try (ArrayStore store = target(out)) {
      Dataset d = store.dataset("tiles/" + dataset);
      ZarrDataset z = (ZarrDataset) d;
      int[] object = z.metadata().chunkShape();
      assertEquals(shards != null ? shards : chunks, join(object));
      assertArrayEquals(expected(file, dataset), d.read().bytes(), "values of " + dataset);
    }
    // The Spark door reads the result back with the same values.
    long rows =
        spark
            .read()
            .format("arraymorph")
            .options(options())
            .option("dataset", "tiles/" + dataset)
            .load(root() + "/" + out)
            .count();
    assertEquals(expected(file, dataset).length / elementSize(dataset), rows);
    return result;
  }

  private static int elementSize(String dataset) {
    return switch (dataset) {
      case "wide", "doubles", "pressure" -> 8;
      default -> 4;
    };
  }

  private static String join(int[] extents) {
    StringBuilder b = new StringBuilder();
    for (int e : extents) {
      b.append(b.length() == 0 ? "" : ",").append(e);
    }
    return b.toString();
  }

  @Test
  void anExistingTargetIsRefusedUnlessOverwriteIsAsked() throws IOException {
    String out = "out-" + UUID.randomUUID() + ".zarr";
    String src = root() + "/series.h5";
    String dst = root() + "/" + out;
    ArrayMorphRechunk.run(spark, src, "counts", dst, with("chunks", "10,10"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ArrayMorphRechunk.run(spark, src, "counts", dst, with("chunks", "5,5")));
    assertTrue(e.getMessage().contains("already exists"), e.getMessage());
    ArrayMorphRechunk.run(
        spark, src, "counts", dst, null, true, with("chunks", "5,5", "rechunk_memory", "1000"));
    try (ArrayStore store = target(out)) {
      Dataset d = store.dataset("counts");
      assertArrayEquals(new int[] {5, 5}, d.chunkShape());
      assertArrayEquals(expected("series.h5", "counts"), d.read().bytes());
    }
  }

  @Test
  void aFailedJobLeavesNothingVisible() {
    String out = "failed-" + UUID.randomUUID() + ".zarr";
    assertThrows(
        RuntimeException.class,
        () ->
            ArrayMorphRechunk.run(
                spark,
                root() + "/broken.zarr",
                "pressure",
                root() + "/" + out,
                with("chunks", "25,3", "rechunk_memory", "500")));
    try (ArrayStore store = target(out)) {
      assertFalse(store.exists("pressure"));
    }
    try (ObjectStore os = ObjectStores.open(root(), StoreSettings.of(options()))) {
      List<ObjectInfo> left = Futures.join(os.list(out + "/"));
      assertEquals(List.of(), left, "no chunk left behind");
    }
  }

  @Test
  void missingChunksOptionIsRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ArrayMorphRechunk.run(
                    spark, root() + "/series.h5", "counts", root() + "/never.zarr", options()));
    assertTrue(e.getMessage().contains("chunks"), e.getMessage());
  }
}
