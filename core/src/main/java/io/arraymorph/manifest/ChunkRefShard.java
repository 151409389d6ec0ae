package io.arraymorph.manifest;

import io.arraymorph.ArrayMorphException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One shard of a virtual array's chunk references: fixed 16-byte little-endian entries, one per
 * chunk of the array in C order of its chunk grid, {@code int64 offset, int32 length, int32 file}
 * ({@code offset = -1}: no chunk stored, it reads as the fill value). Written once, never changed:
 * an append writes the shards it extends under a new generation's name.
 */
final class ChunkRefShard {
  static final int ENTRY_BYTES = 16;
  static final long ABSENT = -1;

  private final ByteBuffer buffer;
  private final String key;

  ChunkRefShard(byte[] data, String key) {
    if (data.length % ENTRY_BYTES != 0) {
      throw new ArrayMorphException(
          "Corrupt chunk reference shard '"
              + key
              + "': "
              + data.length
              + " bytes is not a whole number of "
              + ENTRY_BYTES
              + "-byte entries");
    }
    this.buffer = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    this.key = key;
  }

  int entries() {
    return buffer.capacity() / ENTRY_BYTES;
  }

  /** The reference of entry {@code i} of this shard. */
  ChunkRef get(int i) {
    if (i < 0 || i >= entries()) {
      throw new ArrayMorphException(
          "Chunk reference shard '" + key + "' has " + entries() + " entries, not " + (i + 1));
    }
    int at = i * ENTRY_BYTES;
    return new ChunkRef(buffer.getLong(at), buffer.getInt(at + 8), buffer.getInt(at + 12));
  }

  /** One chunk's location: a byte range of a granule. */
  record ChunkRef(long offset, int length, int file) {
    boolean absent() {
      return offset == ABSENT;
    }
  }

  /** Encodes entries {@code [from, to)} of the given columns as a shard. */
  static byte[] encode(long[] offsets, int[] lengths, int[] files, int from, int to) {
    ByteBuffer out = ByteBuffer.allocate((to - from) * ENTRY_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = from; i < to; i++) {
      out.putLong(offsets[i]).putInt(lengths[i]).putInt(files[i]);
    }
    return out.array();
  }
}
