package io.arraymorph.scan;

/**
 * One stored chunk: its bytes are {@code [offset, offset + size)} of the object {@code key}.
 *
 * @param chunkCoords the chunk's coordinates in the dataset's chunk grid
 * @param key the object holding it, from the store's root
 * @param offset where its bytes start in that object (0 for one object per chunk)
 * @param size its stored (encoded) size in bytes
 */
public record StoredChunk(long[] chunkCoords, String key, long offset, long size) {}
