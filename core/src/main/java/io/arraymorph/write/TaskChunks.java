package io.arraymorph.write;

import java.io.Serializable;
import java.util.List;

/**
 * What one write task produced for one dataset: chunks it wrote whole (every element given) and
 * fragments of the chunks it gave only part of.
 *
 * @param path the dataset's path
 * @param complete coordinates of the chunks written whole
 * @param fragments the partial chunks staged for the merge at commit
 * @param peakBufferedBytes the most bytes the task's chunk buffers held at once
 */
public record TaskChunks(
    String path, List<long[]> complete, List<Fragment> fragments, long peakBufferedBytes)
    implements Serializable {}
