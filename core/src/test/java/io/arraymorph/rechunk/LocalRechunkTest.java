package io.arraymorph.rechunk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.api.ArraySpec;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import io.arraymorph.api.ReadOnlyDataset;
import io.arraymorph.array.ChunkGrid;
import io.arraymorph.array.ChunkSelection;
import io.arraymorph.array.DataType;
import io.arraymorph.engine.ChunkPart;
import io.arraymorph.engine.ChunkSource;
import io.arraymorph.scan.Region;
import io.arraymorph.testing.PythonFixtures;
import io.arraymorph.zarr.ZarrDataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rechunks HDF5, NetCDF4 and Zarr v2 datasets written by h5py, netCDF4 and zarr-python on local
 * threads and compares every value of the result with what those libraries read.
 */
class LocalRechunkTest {
  @TempDir static Path fixtures;
  @TempDir Path out;

  @BeforeAll
  static void makeFixtures() {
    PythonFixtures.generate("make_rechunk_fixtures.py", fixtures);
  }

  static RechunkRequest request(
      String file,
      String dataset,
      Path target,
      int[] chunks,
      int[] shards,
      ArraySpec.Compression codec,
      long memory,
      boolean overwrite) {
    return new RechunkRequest(
        fixtures.resolve(file).toString(),
        dataset,
        target.toString(),
        "rechunked/" + dataset,
        chunks,
        shards,
        codec,
        -1,
        overwrite,
        memory,
        Duration.ofMinutes(5));
  }

  static RechunkResult rechunk(RechunkRequest r, int threads) {
    try (ArrayStore src = ArrayStore.open(r.source());
        ArrayStore dst = ArrayStore.open(r.target())) {
      return RechunkJob.run(
          src, dst, r, "test-" + UUID.randomUUID(), new LocalRechunk(src, dst, threads, 8));
    }
  }

  static byte[] expected(String file, String dataset) throws IOException {
    return Files.readAllBytes(fixtures.resolve("expected").resolve(file).resolve(dataset + ".bin"));
  }

  static Stream<Arguments> cases() {
    long big = 256L << 20;
    ArraySpec.Compression none = ArraySpec.Compression.NONE;
    ArraySpec.Compression zstd = ArraySpec.Compression.ZSTD;
    ArraySpec.Compression gzip = ArraySpec.Compression.GZIP;
    return Stream.of(
        // time steps -> long series of small tiles; nests, so no blocks move
        Arguments.of("series.h5", "temperature", new int[] {37, 5, 4}, null, zstd, big, true),
        // the same through blocks held in memory, then spilled to disk
        Arguments.of("series.h5", "temperature", new int[] {37, 5, 4}, null, zstd, 100_000L, false),
        Arguments.of("series.h5", "temperature", new int[] {37, 5, 4}, null, none, 16_000L, false),
        Arguments.of(
            "series.h5", "counts", new int[] {10, 10}, new int[] {20, 20}, zstd, 4_000L, false),
        Arguments.of("series.h5", "counts", new int[] {3, 31}, null, gzip, big, true),
        Arguments.of("series.h5", "wide", new int[] {4, 4}, null, none, 1_000L, false),
        Arguments.of("series.h5", "small", new int[] {7}, new int[] {14}, zstd, 64L, false),
        Arguments.of("series.h5", "doubles", new int[] {3, 4, 5}, null, gzip, 2_000L, false),
        Arguments.of(
            "series.nc", "tas", new int[] {24, 6, 6}, new int[] {24, 12, 12}, zstd, big, true),
        Arguments.of("series.nc", "tas", new int[] {24, 6, 6}, null, zstd, 20_000L, false),
        Arguments.of("series.zarr", "pressure", new int[] {25, 3}, null, none, 500L, false),
        Arguments.of("series.zarr", "pressure", new int[] {12, 7}, null, zstd, big, true),
        // target chunks straddling the source's in the last two dimensions: every source chunk
        // copied into several target chunks row by row, and (30 kB) regions cut off their grid
        Arguments.of("series.zarr", "field", new int[] {23, 5, 7}, null, none, big, true),
        Arguments.of("series.zarr", "field", new int[] {23, 5, 7}, null, gzip, 30_000L, false));
  }

  @ParameterizedTest(name = "{0}:{1} chunks {2} shards {3} {4} memory {5}")
  @MethodSource("cases")
  void rechunkedValuesEqualTheWritingLibrarys(
      String file,
      String dataset,
      int[] chunks,
      int[] shards,
      ArraySpec.Compression codec,
      long memory,
      boolean direct)
      throws IOException {
    RechunkRequest r = request(file, dataset, out, chunks, shards, codec, memory, false);
    RechunkResult result = rechunk(r, 2);
    assertEquals(direct, result.direct(), "whether blocks had to move");
    try (ArrayStore dst = ArrayStore.open(out.toString())) {
      Dataset ds = dst.dataset("rechunked/" + dataset);
      assertTrue(ds instanceof ZarrDataset, "a Zarr v3 dataset");
      ZarrDataset z = (ZarrDataset) ds;
      assertArrayEquals(shards != null ? shards : chunks, z.metadata().chunkShape());
      if (shards != null) {
        assertArrayEquals(chunks, z.metadata().codecs().sharding().innerShape());
      }
      assertArrayEquals(expected(file, dataset), ds.read().bytes(), "values of " + dataset);
    }
    assertFalse(
        Files.exists(out.resolve(".arraymorph-staging").resolve(result.targetDataset())),
        "no staging left");
  }

  /** Every case with each plan asked for: one stage and two. */
  static Stream<Arguments> casesByPlan() {
    return cases()
        .flatMap(
            a ->
                Stream.of(RechunkRequest.Stages.ONE, RechunkRequest.Stages.TWO)
                    .map(
                        stages -> {
                          Object[] args = Arrays.copyOf(a.get(), 8);
                          args[7] = stages;
                          return Arguments.of(args);
                        }));
  }

  @ParameterizedTest(name = "{0}:{1} chunks {2} shards {3} {4} memory {5} stages {7}")
  @MethodSource("casesByPlan")
  void eitherPlanGivesTheWritingLibrarysValues(
      String file,
      String dataset,
      int[] chunks,
      int[] shards,
      ArraySpec.Compression codec,
      long memory,
      boolean direct,
      RechunkRequest.Stages stages)
      throws IOException {
    RechunkRequest r =
        request(file, dataset, out, chunks, shards, codec, memory, false).withStages(stages);
    RechunkResult result = rechunk(r, 2);
    // Nesting chunks are read and written directly whatever is asked.
    assertEquals(direct || stages == RechunkRequest.Stages.ONE, result.direct(), result.plan());
    assertTrue(
        result
            .plan()
            .startsWith(
                direct
                    ? "direct"
                    : stages == RechunkRequest.Stages.ONE ? "one stage" : "two stages"),
        result.plan());
    try (ArrayStore dst = ArrayStore.open(out.toString())) {
      assertArrayEquals(
          expected(file, dataset),
          dst.dataset("rechunked/" + dataset).read().bytes(),
          "values of " + dataset);
    }
    assertFalse(
        Files.exists(out.resolve(".arraymorph-staging").resolve(result.targetDataset())),
        "no staging left");
  }

  /**
   * Source chunks decoded only from the first element a region needs (as a granule manifest decodes
   * them) and handed over by several threads in any order land in place: one-stage regions of a 30
   * kB budget, cut off the source's chunk grid, give every value zarr-python reads.
   */
  @Test
  void partlyDecodedSourceChunksCopiedOnSeveralThreadsGiveTheWritingLibrarysValues()
      throws IOException {
    RechunkRequest r =
        request(
                "series.zarr",
                "field",
                out,
                new int[] {23, 5, 7},
                null,
                ArraySpec.Compression.NONE,
                30_000L,
                false)
            .withStages(RechunkRequest.Stages.ONE);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (ArrayStore src = ArrayStore.open(r.source());
        ArrayStore dst = ArrayStore.open(r.target())) {
      PartlyDecoded chunks =
          new PartlyDecoded(((ReadOnlyDataset) src.dataset("field")).chunkSource(), pool);
      RechunkJob.Runner runner =
          plan -> {
            List<long[]> written = new ArrayList<>();
            for (Region.Box box : plan.readBoxes()) {
              written.addAll(
                  RechunkTasks.assembleInto(
                      dst, plan, 8, a -> ChunkScatter.run(chunks, plan, box, a, 8)));
            }
            return written;
          };
      RechunkResult result = RechunkJob.run(src, dst, r, "test-" + UUID.randomUUID(), runner);
      assertTrue(result.plan().startsWith("one stage"), result.plan());
      assertTrue(chunks.partly.get() > 0, "some source chunks were decoded only in part");
      assertArrayEquals(
          expected("series.zarr", "field"),
          dst.dataset("rechunked/field").read().bytes(),
          "values of field");
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * A task whose first slice opens 19 MB of target chunks (over {@link
   * ChunkAssembler#PARALLEL_START_BYTES}) allocates them on every core: every value is still
   * zarr-python's, every target chunk cut at the array's edges, a column never written the fill
   * value.
   */
  @Test
  void targetChunksOpenedOnEveryCoreGiveTheWritingLibrarysValues() throws IOException {
    int[] chunks = {48, 64, 64};
    long targetBytes = 25L * chunks[0] * chunks[1] * chunks[2] * 4;
    assertTrue(targetBytes >= ChunkAssembler.PARALLEL_START_BYTES, "opened on every core");
    RechunkRequest r =
        request(
                "series.zarr",
                "large",
                out,
                chunks,
                null,
                ArraySpec.Compression.NONE,
                256L << 20,
                false)
            .withStages(RechunkRequest.Stages.ONE);
    RechunkResult result = rechunk(r, 2);
    // The chunkings nest, so the task reads its region through the scatter without a stage.
    assertTrue(result.plan().startsWith("direct: 1 tasks"), result.plan());
    assertEquals(25L, result.chunksWritten());
    try (ArrayStore dst = ArrayStore.open(r.target())) {
      assertArrayEquals(
          expected("series.zarr", "large"),
          dst.dataset("rechunked/large").read().bytes(),
          "values of large");
    }
  }

  /**
   * A chunk source that returns each chunk from the first element its selection needs on (as {@link
   * ChunkPart#firstElement}), completed on another thread.
   */
  private static final class PartlyDecoded implements ChunkSource {
    private final ChunkSource whole;
    private final ExecutorService pool;
    final AtomicInteger partly = new AtomicInteger();

    PartlyDecoded(ChunkSource whole, ExecutorService pool) {
      this.whole = whole;
      this.pool = pool;
    }

    @Override
    public ChunkGrid grid() {
      return whole.grid();
    }

    @Override
    public DataType dataType() {
      return whole.dataType();
    }

    @Override
    public byte[] fillValue() {
      return whole.fillValue();
    }

    @Override
    public CompletableFuture<byte[]> readChunk(long[] chunkCoords) {
      return whole.readChunk(chunkCoords);
    }

    @Override
    public List<CompletableFuture<ChunkPart>> readChunks(
        List<long[]> coords, List<ChunkSelection> needed) {
      int size = dataType().byteSize();
      List<CompletableFuture<ChunkPart>> out = new ArrayList<>();
      for (int i = 0; i < coords.size(); i++) {
        long[] range = needed.get(i).elementRange(grid().chunkShape());
        out.add(
            readChunk(coords.get(i))
                .thenApplyAsync(
                    bytes -> {
                      if (bytes == null) {
                        return null;
                      }
                      if (range[0] > 0) {
                        partly.incrementAndGet();
                      }
                      return new ChunkPart(
                          Arrays.copyOfRange(
                              bytes, (int) (range[0] * size), (int) (range[1] * size)),
                          range[0]);
                    },
                    pool));
      }
      return out;
    }
  }

  /**
   * A one-stage region's task holds the region's target chunks and one slice of source chunks:
   * together within {@code rechunk_memory}; a smaller budget gives more, smaller regions, which
   * cover the array once.
   */
  @Test
  void oneStageRegionsHoldTheirChunksAndASliceWithinTheMemory() {
    int previous = 0;
    for (long memory : new long[] {100_000, 40_000, 8_000}) {
      RechunkRequest r =
          request(
                  "series.h5",
                  "temperature",
                  out,
                  new int[] {37, 5, 4},
                  null,
                  ArraySpec.Compression.NONE,
                  memory,
                  false)
              .withStages(RechunkRequest.Stages.ONE);
      try (ArrayStore src = ArrayStore.open(r.source());
          ArrayStore dst = ArrayStore.open(r.target())) {
        RechunkPlan plan = RechunkPlanner.plan(src, dst, r, "test-plan");
        assertEquals(RechunkPlan.Kind.ONE_STAGE, plan.kind(), plan.explain());
        long covered = 0;
        for (Region.Box box : plan.readBoxes()) {
          long chunks = 1;
          for (int d = 0; d < 3; d++) {
            int c = plan.targetChunks()[d];
            assertEquals(0, box.lo()[d] % c, "a region starts on a target chunk");
            chunks *= (box.hi()[d] - box.lo()[d] + c - 1) / c;
          }
          long slice = 0;
          for (Region.Box s : plan.slices(box)) {
            slice = Math.max(slice, s.size() * 4);
            covered += s.size();
          }
          long held = chunks * plan.targetChunkBytes() + ChunkScatter.SLICES_IN_FLIGHT * slice;
          assertTrue(
              held <= memory || chunks == 1,
              held + " bytes held by a region's task, budget " + memory + ": " + plan.explain());
        }
        assertEquals(37L * 23 * 19, covered, "the regions' slices cover the array once");
        assertTrue(
            plan.readBoxes().size() > previous,
            plan.readBoxes().size() + " regions at " + memory + " bytes, " + previous + " before");
        previous = plan.readBoxes().size();
      }
    }
  }

  /** Slices of a region that is not on the source's chunk boundaries still cut on them. */
  @Test
  void slicesOfARegionCutOnSourceChunkBoundaries() {
    Region.Box region = new Region.Box(new long[] {3, 5}, new long[] {30, 9});
    List<Region.Box> slices = RechunkPlanner.slices(region, new int[] {4, 2}, 4, 200);
    long covered = 0;
    for (Region.Box s : slices) {
      covered += s.size();
      assertTrue(s.size() * 4 <= 100 || s.shape()[0] <= 4, "within half the memory: " + s);
      for (int d = 0; d < 2; d++) {
        int chunk = d == 0 ? 4 : 2;
        if (s.lo()[d] != region.lo()[d]) {
          assertEquals(0, s.lo()[d] % chunk, "cut on a source chunk boundary: " + s);
        }
        if (s.hi()[d] != region.hi()[d]) {
          assertEquals(0, s.hi()[d] % chunk, "cut on a source chunk boundary: " + s);
        }
      }
    }
    assertEquals(27L * 4, covered, "the slices cover the region once");
  }

  /**
   * Runs a plan the way the Spark runner does: each read box in slices, each slice cut into one
   * block pack per assembling group, each group's packs assembled in a shuffled order ({@code
   * drop}: the number of packs lost on the way, to see the assembler refuse).
   */
  static RechunkResult rechunkThroughPacks(RechunkRequest r, long seed, int drop) {
    try (ArrayStore src = ArrayStore.open(r.source());
        ArrayStore dst = ArrayStore.open(r.target())) {
      return RechunkJob.run(
          src,
          dst,
          r,
          "test-" + UUID.randomUUID(),
          plan -> {
            int groups = plan.assemblyGroups(2);
            Map<Integer, List<byte[]>> byGroup = new TreeMap<>();
            Dataset source = src.dataset(plan.sourceRef());
            for (Region.Box box : plan.readBoxes()) {
              for (Region.Box slice : plan.slices(box)) {
                BlockPacks.cut(plan, slice, RechunkTasks.read(source, slice), groups)
                    .forEach((g, p) -> byGroup.computeIfAbsent(g, k -> new ArrayList<>()).add(p));
              }
            }
            Random random = new Random(seed);
            List<long[]> written = new ArrayList<>();
            for (List<byte[]> packs : byGroup.values()) {
              Collections.shuffle(packs, random);
              List<byte[]> sent = packs.subList(Math.min(drop, packs.size() - 1), packs.size());
              written.addAll(RechunkTasks.assemblePacks(dst, plan, sent.iterator(), 4));
            }
            return written;
          });
    }
  }

  @ParameterizedTest(name = "{0}:{1} chunks {2} shards {3} {4} memory {5}")
  @MethodSource("cases")
  void blockPacksAssembledInAnyOrderGiveTheWritingLibrarysValues(
      String file,
      String dataset,
      int[] chunks,
      int[] shards,
      ArraySpec.Compression codec,
      long memory,
      boolean direct)
      throws IOException {
    RechunkRequest r = request(file, dataset, out, chunks, shards, codec, memory, false);
    RechunkResult result = rechunkThroughPacks(r, memory, 0);
    try (ArrayStore dst = ArrayStore.open(out.toString())) {
      assertArrayEquals(
          expected(file, dataset),
          dst.dataset("rechunked/" + dataset).read().bytes(),
          "values of " + dataset);
    }
    assertFalse(
        Files.exists(out.resolve(".arraymorph-staging").resolve(result.targetDataset())),
        "no staging left");
  }

  @Test
  void aTargetChunkMissingABlockIsRefusedAndNothingIsPublished() {
    RechunkRequest r =
        request(
            "series.h5",
            "temperature",
            out,
            new int[] {37, 5, 4},
            null,
            ArraySpec.Compression.NONE,
            16_000,
            false);
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> rechunkThroughPacks(r, 7, 1));
    assertTrue(e.getMessage().contains("refusing to write it"), e.getMessage());
    try (ArrayStore dst = ArrayStore.open(out.toString())) {
      assertFalse(dst.exists("rechunked/temperature"), "nothing published");
    }
  }

  @Test
  void anAssemblingGroupHoldsAtMostHalfTheMemoryPlusOneChunk() {
    long memory = 16_000;
    RechunkRequest r =
        request(
            "series.h5",
            "temperature",
            out,
            new int[] {37, 5, 4},
            null,
            ArraySpec.Compression.NONE,
            memory,
            false);
    try (ArrayStore src = ArrayStore.open(r.source());
        ArrayStore dst = ArrayStore.open(r.target())) {
      RechunkPlan plan =
          RechunkPlanner.plan(src, dst, r.withStages(RechunkRequest.Stages.TWO), "test-plan");
      int groups = plan.assemblyGroups(1);
      long objects = plan.targetGrid().chunkCount();
      long[] held = new long[groups];
      for (long t = 0; t < objects; t++) {
        held[plan.assemblyGroup(t, groups)] += plan.targetChunkBytes();
      }
      for (long bytes : held) {
        assertTrue(
            bytes <= memory / 2 + plan.targetChunkBytes(),
            bytes + " bytes of target chunks in one group, budget " + memory);
      }
      long slices = 0;
      for (Region.Box b : plan.readBoxes()) {
        for (Region.Box s : plan.slices(b)) {
          assertTrue(s.size() * 4 <= memory / 2, "a slice within half the budget");
          slices += s.size();
        }
      }
      assertEquals(37L * 23 * 19, slices, "the slices cover the array once");
    }
  }

  @Test
  void sourceReadsStayWithinTheMemoryBudget() {
    long memory = 16_000;
    RechunkRequest r =
        request(
            "series.h5",
            "temperature",
            out,
            new int[] {37, 5, 4},
            null,
            ArraySpec.Compression.NONE,
            memory,
            false);
    try (ArrayStore src = ArrayStore.open(r.source());
        ArrayStore dst = ArrayStore.open(r.target())) {
      RechunkPlan plan =
          RechunkPlanner.plan(src, dst, r.withStages(RechunkRequest.Stages.TWO), "test-plan");
      assertFalse(plan.direct());
      long total = 0;
      for (Region.Box b : plan.readBoxes()) {
        long bytes = b.size() * 4;
        assertTrue(bytes <= memory / 2, "read of " + bytes + " bytes within half the budget");
        total += b.size();
      }
      assertEquals(37L * 23 * 19, total, "the reads cover the array once");
    }
  }

  @Test
  void existingTargetIsRefusedUnlessOverwriteIsAsked() throws IOException {
    long big = 256L << 20;
    rechunk(
        request(
            "series.h5",
            "counts",
            out,
            new int[] {10, 10},
            null,
            ArraySpec.Compression.NONE,
            big,
            false),
        1);
    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                rechunk(
                    request(
                        "series.h5",
                        "counts",
                        out,
                        new int[] {5, 5},
                        null,
                        ArraySpec.Compression.NONE,
                        big,
                        false),
                    1));
    assertTrue(refused.getMessage().contains("already exists"), refused.getMessage());
    assertTrue(refused.getMessage().contains("overwrite"), refused.getMessage());
    try (ArrayStore dst = ArrayStore.open(out.toString())) {
      assertArrayEquals(new int[] {10, 10}, dst.dataset("rechunked/counts").chunkShape());
    }
    rechunk(
        request(
            "series.h5",
            "counts",
            out,
            new int[] {5, 5},
            null,
            ArraySpec.Compression.NONE,
            2_000L,
            true),
        2);
    try (ArrayStore dst = ArrayStore.open(out.toString())) {
      Dataset ds = dst.dataset("rechunked/counts");
      assertArrayEquals(new int[] {5, 5}, ds.chunkShape());
      assertArrayEquals(expected("series.h5", "counts"), ds.read().bytes());
    }
  }

  /** A runner that writes every chunk, then fails before the job can publish. */
  private static RechunkJob.Runner failingAfterWriting(ArrayStore src, ArrayStore dst) {
    return plan -> {
      List<long[]> written = new LocalRechunk(src, dst, 2, 8).run(plan);
      assertFalse(written.isEmpty());
      throw new IllegalStateException("executor lost");
    };
  }

  @Test
  void anAbortedRechunkLeavesNothingVisible() throws IOException {
    RechunkRequest r =
        request(
            "series.h5",
            "temperature",
            out,
            new int[] {37, 5, 4},
            null,
            ArraySpec.Compression.ZSTD,
            100_000L,
            false);
    try (ArrayStore src = ArrayStore.open(r.source());
        ArrayStore dst = ArrayStore.open(r.target())) {
      assertThrows(
          IllegalStateException.class,
          () -> RechunkJob.run(src, dst, r, "test-abort", failingAfterWriting(src, dst)));
      assertFalse(dst.exists("rechunked/temperature"));
    }
    try (Stream<Path> files = Files.walk(out)) {
      List<Path> left = files.filter(Files::isRegularFile).toList();
      assertEquals(List.of(), left, "nothing left in the target store");
    }
  }

  @Test
  void anAbortedOverwriteLeavesThePreviousTargetReadable() throws IOException {
    long big = 256L << 20;
    rechunk(
        request(
            "series.h5",
            "counts",
            out,
            new int[] {10, 10},
            null,
            ArraySpec.Compression.NONE,
            big,
            false),
        1);
    RechunkRequest again =
        request(
            "series.h5",
            "counts",
            out,
            new int[] {4, 4},
            null,
            ArraySpec.Compression.GZIP,
            1_000L,
            true);
    try (ArrayStore src = ArrayStore.open(again.source());
        ArrayStore dst = ArrayStore.open(again.target())) {
      assertThrows(
          IllegalStateException.class,
          () -> RechunkJob.run(src, dst, again, "test-abort2", failingAfterWriting(src, dst)));
    }
    try (ArrayStore dst = ArrayStore.open(out.toString())) {
      Dataset ds = dst.dataset("rechunked/counts");
      assertArrayEquals(new int[] {10, 10}, ds.chunkShape());
      assertArrayEquals(expected("series.h5", "counts"), ds.read().bytes());
    }
    assertFalse(Files.exists(out.resolve(".arraymorph-staging").resolve("test-abort2")));
  }

  @Test
  void shardsThatAreNotMultiplesOfTheChunksAreRefusedBeforeWriting() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                rechunk(
                    request(
                        "series.h5",
                        "counts",
                        out,
                        new int[] {10, 10},
                        new int[] {15, 20},
                        ArraySpec.Compression.NONE,
                        1L << 20,
                        false),
                    1));
    assertTrue(e.getMessage().contains("multiples"), e.getMessage());
    assertFalse(Files.exists(out.resolve("rechunked")));
  }
}
