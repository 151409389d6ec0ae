package io.arraymorph.codec;

import com.fasterxml.jackson.databind.JsonNode;
import io.arraymorph.array.ChunkGrid;
import io.arraymorph.array.ChunkSelection;
import io.arraymorph.array.ElementCopier;
import io.arraymorph.array.Hyperslab;
import io.arraymorph.array.Shapes;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Zarr v3 {@code sharding_indexed} codec: a shard (one stored object) holds many inner chunks,
 * each encoded on its own, plus an index of (offset, length) per inner chunk in row-major order, so
 * a reader fetches the index and then only the inner chunks it needs, by byte ranges.
 */
public final class ShardingCodec {
  /** Index entries of inner chunks that were never written (all fill value). */
  public static final long EMPTY = -1L;

  private final int[] innerShape;
  private final CodecPipeline inner;
  private final boolean indexChecksum;
  private final boolean indexAtEnd;

  public ShardingCodec(
      int[] innerShape, CodecPipeline inner, boolean indexChecksum, boolean indexAtEnd) {
    this.innerShape = innerShape.clone();
    this.inner = inner;
    this.indexChecksum = indexChecksum;
    this.indexAtEnd = indexAtEnd;
  }

  /**
   * Parses the codec's configuration.
   *
   * @throws IllegalArgumentException when the inner or index codecs are unsupported
   */
  public static ShardingCodec fromJson(JsonNode config) {
    JsonNode shape = config.path("chunk_shape");
    if (!shape.isArray() || shape.isEmpty()) {
      throw new IllegalArgumentException("sharding_indexed needs a chunk_shape");
    }
    int[] innerShape = new int[shape.size()];
    for (int d = 0; d < innerShape.length; d++) {
      innerShape[d] = shape.get(d).asInt(0);
      if (innerShape[d] < 1) {
        throw new IllegalArgumentException("sharding_indexed chunk_shape must be positive");
      }
    }
    CodecPipeline inner = CodecPipeline.fromJson(config.path("codecs"));
    if (inner.sharding() != null) {
      throw new IllegalArgumentException("nested sharding is not supported");
    }
    boolean checksum = false;
    JsonNode indexCodecs = config.path("index_codecs");
    for (JsonNode c : indexCodecs) {
      String name = c.isTextual() ? c.asText() : c.path("name").asText();
      switch (name) {
        case "bytes" -> {
          if (c.path("configuration").path("endian").asText("little").equals("big")) {
            throw new IllegalArgumentException("big-endian shard indexes are not supported");
          }
        }
        case "crc32c" -> checksum = true;
        default ->
            throw new IllegalArgumentException(
                "shard index codec '" + name + "' is not supported (bytes, crc32c)");
      }
    }
    String location = config.path("index_location").asText("end");
    if (!location.equals("end") && !location.equals("start")) {
      throw new IllegalArgumentException("index_location must be start or end");
    }
    return new ShardingCodec(innerShape, inner, checksum, location.equals("end"));
  }

  /** The codec's entry in zarr.json's {@code codecs}. */
  public Map<String, Object> toJson() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("chunk_shape", innerShape);
    config.put("codecs", inner.toJson());
    config.put(
        "index_codecs",
        indexChecksum
            ? List.of(
                CodecPipeline.codecJson("bytes", Map.of("endian", "little")),
                Map.of("name", "crc32c"))
            : List.of(CodecPipeline.codecJson("bytes", Map.of("endian", "little"))));
    config.put("index_location", indexAtEnd ? "end" : "start");
    return CodecPipeline.codecJson("sharding_indexed", config);
  }

  public int[] innerShape() {
    return innerShape.clone();
  }

  public CodecPipeline inner() {
    return inner;
  }

  public boolean indexAtEnd() {
    return indexAtEnd;
  }

  /** The grid of inner chunks inside one shard. */
  public ChunkGrid innerGrid(int[] shardShape) {
    return new ChunkGrid(Shapes.toLong(shardShape), innerShape);
  }

  /** The stored size of the index of a shard holding {@code innerCount} inner chunks. */
  public int indexBytes(long innerCount) {
    return Math.toIntExact(innerCount * 16 + (indexChecksum ? 4 : 0));
  }

  /**
   * Decodes a shard index into (offset, length) pairs, {@link #EMPTY} for absent inner chunks.
   *
   * @throws CodecException when the checksum fails or an entry points outside the shard
   */
  public long[][] decodeIndex(byte[] encoded, long innerCount, long shardSize) {
    byte[] raw = indexChecksum ? new Crc32cCodec().decode(encoded, encoded.length) : encoded;
    if (raw.length != innerCount * 16) {
      throw new CodecException(
          "shard index has " + raw.length + " bytes, expected " + innerCount * 16);
    }
    ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
    long[][] entries = new long[(int) innerCount][2];
    for (int i = 0; i < innerCount; i++) {
      long offset = b.getLong();
      long length = b.getLong();
      if (offset == EMPTY && length == EMPTY) {
        entries[i][0] = EMPTY;
        entries[i][1] = EMPTY;
        continue;
      }
      if (offset < 0 || length < 0 || (shardSize >= 0 && length > shardSize - offset)) {
        throw new CodecException(
            "shard index entry "
                + i
                + " (offset "
                + offset
                + ", length "
                + length
                + ") points outside the shard of "
                + shardSize
                + " bytes");
      }
      entries[i][0] = offset;
      entries[i][1] = length;
    }
    return entries;
  }

  /**
   * Encodes a whole shard given as little-endian elements of the shard shape. Inner chunks holding
   * only the fill value are left out (empty in the index).
   */
  public byte[] encode(byte[] shard, int[] shardShape, int elementSize, byte[] fillChunk) {
    ChunkGrid grid = innerGrid(shardShape);
    int innerBytes = Math.toIntExact(grid.chunkElements() * elementSize);
    ElementCopier copier = new ElementCopier(elementSize, innerShape, Shapes.toLong(shardShape));
    long count = grid.chunkCount();
    int indexSize = indexBytes(count);
    byte[][] parts = new byte[(int) count][];
    long[][] entries = new long[(int) count][];
    long offset = indexAtEnd ? 0 : indexSize;
    int i = 0;
    for (ChunkSelection sel : grid.plan(Hyperslab.all(Shapes.toLong(shardShape)))) {
      byte[] chunk = new byte[innerBytes];
      copier.outputToChunk(sel, shard, chunk);
      if (Arrays.equals(chunk, fillChunk)) {
        entries[i] = new long[] {EMPTY, EMPTY};
      } else {
        parts[i] = inner.encode(chunk, elementSize);
        entries[i] = new long[] {offset, parts[i].length};
        offset += parts[i].length;
      }
      i++;
    }
    ByteBuffer index = ByteBuffer.allocate((int) count * 16).order(ByteOrder.LITTLE_ENDIAN);
    for (long[] e : entries) {
      index.putLong(e[0]).putLong(e[1]);
    }
    byte[] indexBytes = indexChecksum ? new Crc32cCodec().encode(index.array()) : index.array();
    ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(offset + (indexAtEnd ? indexSize : 0)));
    if (!indexAtEnd) {
      out.put(indexBytes);
    }
    for (byte[] p : parts) {
      if (p != null) {
        out.put(p);
      }
    }
    if (indexAtEnd) {
      out.put(indexBytes);
    }
    return out.array();
  }

  /**
   * Decodes a whole stored shard into little-endian elements of the shard shape; absent inner
   * chunks hold the fill value.
   */
  public byte[] decode(byte[] stored, int[] shardShape, int elementSize, byte[] fillChunk) {
    ChunkGrid grid = innerGrid(shardShape);
    long count = grid.chunkCount();
    int indexSize = indexBytes(count);
    if (stored.length < indexSize) {
      throw new CodecException("shard of " + stored.length + " bytes is shorter than its index");
    }
    int at = indexAtEnd ? stored.length - indexSize : 0;
    long[][] entries =
        decodeIndex(Arrays.copyOfRange(stored, at, at + indexSize), count, stored.length);
    byte[] shard = new byte[Math.toIntExact(Shapes.product(shardShape) * elementSize)];
    ElementCopier copier = new ElementCopier(elementSize, innerShape, Shapes.toLong(shardShape));
    int i = 0;
    for (ChunkSelection sel : grid.plan(Hyperslab.all(Shapes.toLong(shardShape)))) {
      long[] e = entries[i++];
      byte[] chunk =
          e[0] == EMPTY
              ? fillChunk
              : decodeInner(
                  Arrays.copyOfRange(stored, (int) e[0], (int) (e[0] + e[1])),
                  elementSize,
                  fillChunk.length);
      copier.chunkToOutput(sel, chunk, shard);
    }
    return shard;
  }

  /** Decodes one inner chunk. */
  public byte[] decodeInner(byte[] stored, int elementSize, int innerBytes) {
    return inner.decode(stored, elementSize, innerBytes);
  }
}
