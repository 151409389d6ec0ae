package io.arraymorph.write;

import java.io.Serializable;

/**
 * A partial chunk a write task staged instead of writing it: some of the chunk's elements (a
 * validity bitmap and the given values), merged with the chunk's other fragments at commit ({@link
 * FragmentMerge}).
 *
 * @param coords the chunk's coordinates in the chunk grid
 * @param key the object holding it (a task's pack of fragments), under the job's staging prefix
 * @param offset where it starts in that object
 * @param elements how many elements it gives
 * @param bytes its size in the store
 */
public record Fragment(long[] coords, String key, long offset, int elements, long bytes)
    implements Serializable {}
