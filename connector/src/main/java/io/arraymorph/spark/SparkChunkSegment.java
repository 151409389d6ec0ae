package io.arraymorph.spark;

import io.arraymorph.scan.Region;
import java.io.Serializable;
import java.util.List;

/**
 * Whole chunks of one location's primary grid, each with the boxes of indices to emit from it.
 *
 * @param location the store or file to open
 * @param label the {@code file} column's value, or null
 * @param primary the dataset whose chunk grid the chunks belong to
 * @param datasets the datasets to read (value columns), possibly none
 */
record SparkChunkSegment(
    String location,
    String label,
    SparkArrayInfo primary,
    List<SparkArrayInfo> datasets,
    List<long[]> chunkCoords,
    List<List<Region.Box>> boxes)
    implements Serializable {}
