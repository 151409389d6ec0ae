package io.arraymorph.spark.rechunk;

import io.arraymorph.api.ArraySpec;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.options.ArrayMorphOptions;
import io.arraymorph.rechunk.RechunkJob;
import io.arraymorph.rechunk.RechunkRequest;
import io.arraymorph.rechunk.RechunkResult;
import io.arraymorph.spark.SparkOptions;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.spark.sql.SparkSession;

/**
 * Rechunks any dataset ArrayMorph reads (Zarr v3/v2, HDF5/NetCDF4, kerchunk references) into a Zarr
 * v3 dataset with other chunks, optionally sharded, as one Spark job; the target appears atomically
 * when every chunk is written, and a failed job leaves nothing (or the previous target) visible.
 * Callable from Java, Scala and PySpark ({@code arraymorph.rechunk} in the Python package, or
 * {@code spark._jvm.io.arraymorph.spark.rechunk.ArrayMorphRechunk.run(...)}).
 *
 * <p>Options (the same names as writes, plus the store settings and the session's {@code
 * spark.datasource.arraymorph.*} configuration): {@code chunks} (required), {@code shards}, {@code
 * codec}, {@code rechunk_memory}, {@code rechunk_plan}, {@code lock_timeout}. When the source
 * chunking and the target's nest (or a common multiple fits in half of {@code rechunk_memory}) each
 * task reads whole chunks of both and writes its own target chunks. Otherwise the planner's cost
 * model ({@link io.arraymorph.rechunk.RechunkPlanner}) chooses one stage (each task owns a region
 * of target chunks within {@code rechunk_memory} and reads every source chunk it overlaps, once per
 * region) or two (reads cut, one slice at a time, into blocks packed into one byte array per group
 * of target chunks, shuffled to the task owning the group, which assembles them in any order,
 * holding at most about half of {@code rechunk_memory} of target chunks); {@link
 * RechunkResult#plan()} says which and why.
 */
public final class ArrayMorphRechunk {
  private ArrayMorphRechunk() {}

  /** Rechunks {@code dataset} of {@code source} into the same path at {@code target}. */
  public static RechunkResult run(
      SparkSession spark,
      String source,
      String dataset,
      String target,
      Map<String, String> options) {
    return run(spark, source, dataset, target, null, false, options);
  }

  /**
   * Rechunks {@code dataset} of {@code source} into {@code targetDataset} at {@code target}.
   *
   * @param targetDataset the target's dataset path, or null for {@code dataset}
   * @param overwrite whether an existing target dataset is replaced; else it is refused
   * @throws IllegalArgumentException before anything is written, naming the option and the fix
   */
  public static RechunkResult run(
      SparkSession spark,
      String source,
      String dataset,
      String target,
      String targetDataset,
      boolean overwrite,
      Map<String, String> options) {
    SparkOptions opts = SparkOptions.resolve(options, sessionConf(spark), System.getenv());
    RechunkRequest request =
        new RechunkRequest(
            source,
            dataset,
            target,
            targetDataset,
            extents("chunks", opts.find(ArrayMorphOptions.CHUNKS))
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "A rechunk needs option 'chunks' (the target chunk shape, e.g."
                                + " 8760,10,10)")),
            extents("shards", opts.find(ArrayMorphOptions.SHARDS)).orElse(null),
            compression(opts.get(ArrayMorphOptions.CODEC)),
            -1,
            overwrite,
            opts.get(ArrayMorphOptions.RECHUNK_MEMORY),
            opts.lockTimeout(),
            RechunkRequest.Stages.of(opts.get(ArrayMorphOptions.RECHUNK_PLAN)));
    String job = "spark-rechunk-" + UUID.randomUUID();
    try (ArrayStore src = ArrayStore.open(source, opts.storeSettings());
        ArrayStore dst = ArrayStore.open(target, opts.storeSettings())) {
      return RechunkJob.run(
          src,
          dst,
          request,
          job,
          new SparkRechunkRunner(spark, opts.storeSettings(), opts.maxConcurrency()));
    }
  }

  private static Map<String, String> sessionConf(SparkSession spark) {
    Map<String, String> out = new java.util.TreeMap<>();
    scala.jdk.javaapi.CollectionConverters.asJava(spark.conf().getAll())
        .forEach(
            (k, v) -> {
              if (k.startsWith(SparkOptions.SESSION_PREFIX)) {
                out.put(k.substring(SparkOptions.SESSION_PREFIX.length()), v);
              }
            });
    return out;
  }

  private static Optional<int[]> extents(String option, Optional<long[]> given) {
    return given.map(c -> SparkOptions.extents(option, c));
  }

  private static ArraySpec.Compression compression(String codec) {
    return switch (codec) {
      case "gzip" -> ArraySpec.Compression.GZIP;
      case "zstd" -> ArraySpec.Compression.ZSTD;
      default -> ArraySpec.Compression.NONE;
    };
  }
}
