package io.arraymorph.hdf5;

import java.util.Arrays;

/**
 * Where one stored chunk of a dataset lives in the file: what a chunk index entry says.
 *
 * @param chunkCoords the chunk's position in the chunk grid (element offset / chunk shape)
 * @param offset the chunk's first byte in the object (user block included)
 * @param storedSize bytes stored, after filters
 * @param filterMask bit {@code i} set means filter {@code i} of the pipeline was skipped for this
 *     chunk
 */
public record Hdf5ChunkLocation(long[] chunkCoords, long offset, int storedSize, int filterMask) {

  public Hdf5ChunkLocation {
    chunkCoords = chunkCoords.clone();
  }

  @Override
  public long[] chunkCoords() {
    return chunkCoords.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Hdf5ChunkLocation c
        && Arrays.equals(chunkCoords, c.chunkCoords)
        && offset == c.offset
        && storedSize == c.storedSize
        && filterMask == c.filterMask;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(chunkCoords) * 31 + Long.hashCode(offset);
  }

  @Override
  public String toString() {
    return "Chunk"
        + Arrays.toString(chunkCoords)
        + "@"
        + offset
        + "+"
        + storedSize
        + (filterMask == 0 ? "" : " mask=" + Integer.toBinaryString(filterMask));
  }
}
