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
    Duration lockLease)
    implements Serializable {}
