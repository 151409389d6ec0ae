package io.arraymorph.engine;

/**
 * What a read fetched of one chunk: its elements from {@code firstElement} on, as little-endian
 * bytes in C order of the full chunk shape ({@code data} starts with element {@code firstElement}).
 * A source that can decode part of a chunk returns only the elements a read needs (a point series
 * over a granule manifest: one element of each 65 KB field), others the whole chunk.
 *
 * @param data the elements' bytes
 * @param firstElement the chunk's element (in C order) {@code data} starts with
 */
public record ChunkPart(byte[] data, long firstElement) {
  /** The whole chunk. */
  public static ChunkPart whole(byte[] chunk) {
    return new ChunkPart(chunk, 0);
  }
}
