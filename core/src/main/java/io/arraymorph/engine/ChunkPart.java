package io.arraymorph.engine;

/**
 * What a read fetched of one chunk: its elements from {@code firstElement} on, as little-endian
 * bytes in C order of the full chunk shape ({@code data} starts with element {@code firstElement}).
 * A source that can decode part of a chunk returns only the elements a read needs (a point series
 * over a granule manifest: one element of each 65 KB field), others the whole chunk.
 *
 * <p>Only when the caller accepts it ({@link ChunkSource#useChunks}) may a part be the whole chunk
 * still byte-shuffled ({@code shuffle} > 1): byte {@code b} of element {@code i} at {@code data[b *
 * n + i]} for the chunk's {@code n} elements of {@code shuffle} bytes each ({@code data} may be
 * longer), so that a copy into other chunks can undo the shuffle as it goes instead of in a pass of
 * its own.
 *
 * @param data the elements' bytes
 * @param firstElement the chunk's element (in C order) {@code data} starts with
 * @param shuffle 1 for plain elements; else the element size of the byte shuffle {@code data} is
 *     still in (the whole chunk, {@code firstElement} 0)
 */
public record ChunkPart(byte[] data, long firstElement, int shuffle) {
  /** Validates that a shuffled part is a whole chunk. */
  public ChunkPart {
    if (shuffle < 1 || (shuffle > 1 && firstElement != 0)) {
      throw new IllegalArgumentException(
          "A chunk part shuffled by " + shuffle + " bytes must be a whole chunk");
    }
  }

  /** Plain elements from {@code firstElement} on. */
  public ChunkPart(byte[] data, long firstElement) {
    this(data, firstElement, 1);
  }

  /** The whole chunk. */
  public static ChunkPart whole(byte[] chunk) {
    return new ChunkPart(chunk, 0);
  }

  /** Whether {@link #data} is still byte-shuffled. */
  public boolean shuffled() {
    return shuffle > 1;
  }
}
