package io.arraymorph.rechunk;

import io.arraymorph.api.ArraySpec;
import java.io.Serializable;
import java.time.Duration;

/**
 * What a rechunk is asked to do. Holds no secrets: store settings travel separately.
 *
 * @param source the source location (a Zarr hierarchy, an HDF5/NetCDF4 file, kerchunk references)
 * @param dataset the source dataset's path
 * @param target the target location (a Zarr v3 hierarchy)
 * @param targetDataset the target dataset's path, or null for the source dataset's path
 * @param chunks the target chunk shape, or null to keep the source's
 * @param shards the target shard shape (multiples of {@code chunks}), or null for no sharding
 * @param compression the target chunk compression
 * @param compressionLevel the compression level, -1 for the codec's default
 * @param overwrite whether an existing target dataset is replaced (else it is refused)
 * @param memoryBytes decoded bytes one task holds at once (option {@code rechunk_memory})
 * @param lockLease how long the target's writer lock lasts
 * @param stages how many stages the plan may take (option {@code rechunk_plan})
 */
public record RechunkRequest(
    String source,
    String dataset,
    String target,
    String targetDataset,
    int[] chunks,
    int[] shards,
    ArraySpec.Compression compression,
    int compressionLevel,
    boolean overwrite,
    long memoryBytes,
    Duration lockLease,
    Stages stages)
    implements Serializable {

  /** The plans a rechunk may take (option {@code rechunk_plan}). */
  public enum Stages {
    /** The planner's cost model chooses ({@link RechunkPlanner}). */
    AUTO,
    /** One stage: tasks owning regions of target chunks read the source they overlap. */
    ONE,
    /** Two stages: read tasks cut their reads into pieces moved to the tasks owning them. */
    TWO;

    /**
     * The value of option {@code rechunk_plan}: {@code auto}, {@code one_stage}, {@code two_stage}.
     */
    public static Stages of(String option) {
      return switch (option) {
        case "one_stage" -> ONE;
        case "two_stage" -> TWO;
        default -> AUTO;
      };
    }
  }

  /** A request whose plan the planner chooses. */
  public RechunkRequest(
      String source,
      String dataset,
      String target,
      String targetDataset,
      int[] chunks,
      int[] shards,
      ArraySpec.Compression compression,
      int compressionLevel,
      boolean overwrite,
      long memoryBytes,
      Duration lockLease) {
    this(
        source,
        dataset,
        target,
        targetDataset,
        chunks,
        shards,
        compression,
        compressionLevel,
        overwrite,
        memoryBytes,
        lockLease,
        Stages.AUTO);
  }

  /** This request with another choice of plan. */
  public RechunkRequest withStages(Stages s) {
    return new RechunkRequest(
        source,
        dataset,
        target,
        targetDataset,
        chunks,
        shards,
        compression,
        compressionLevel,
        overwrite,
        memoryBytes,
        lockLease,
        s);
  }
}
