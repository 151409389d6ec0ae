package io.arraymorph.api;

import io.arraymorph.array.DataType;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a new dataset looks like: shape, type, chunks, codecs, fill value, names and attributes. */
public final class ArraySpec {
  /** Compression applied to each chunk. */
  public enum Compression {
    NONE,
    GZIP,
    ZSTD
  }

  private final long[] shape;
  private final DataType dataType;
  private int[] chunks;
  private int[] shards;
  private Compression compression = Compression.NONE;
  private int compressionLevel = -1;
  private boolean checksum;
  private ByteOrder byteOrder = ByteOrder.LITTLE_ENDIAN;
  private Number fillValue = 0;
  private List<String> dimensionNames;
  private Map<String, Object> attributes = new LinkedHashMap<>();
  private String keyEncoding = "default";
  private String keySeparator = "/";

  private ArraySpec(long[] shape, DataType dataType) {
    this.shape = shape.clone();
    this.dataType = dataType;
  }

  /** A spec for an array of this type and shape; chunks default to the whole array. */
  public static ArraySpec of(DataType dataType, long... shape) {
    return new ArraySpec(shape, dataType);
  }

  public ArraySpec chunks(int... chunks) {
    this.chunks = chunks.clone();
    return this;
  }

  /**
   * Stores chunks in shards of this shape (Zarr v3 {@code sharding_indexed}): one object per shard,
   * holding its chunks and an index, so many small chunks cost few objects while reads still fetch
   * single chunks by byte ranges. Each shard extent must be a multiple of the chunk extent.
   */
  public ArraySpec shards(int... shards) {
    this.shards = shards.clone();
    return this;
  }

  /** The shard shape, or null when chunks are stored one object each. */
  public int[] shardShape() {
    return shards == null ? null : shards.clone();
  }

  /** Compresses chunks; a level below 0 picks the codec's default. */
  public ArraySpec compression(Compression compression, int level) {
    this.compression = compression;
    this.compressionLevel = level;
    return this;
  }

  public ArraySpec compression(Compression compression) {
    return compression(compression, -1);
  }

  /** Appends a CRC32C checksum to each chunk, verified on every read. */
  public ArraySpec checksum(boolean checksum) {
    this.checksum = checksum;
    return this;
  }

  /** The byte order of stored chunks; little-endian by default. */
  public ArraySpec byteOrder(ByteOrder byteOrder) {
    this.byteOrder = byteOrder;
    return this;
  }

  /** The value of elements never written (0 by default; NaN allowed for floating-point types). */
  public ArraySpec fillValue(Number fillValue) {
    this.fillValue = fillValue;
    return this;
  }

  /**
   * How chunk keys are spelled: Zarr v3's {@code default} encoding ({@code c/1/2}, the default) or
   * the {@code v2} encoding ({@code 1.2}), each with separator {@code /} or {@code .}.
   *
   * @throws IllegalArgumentException naming the encoding or separator when it is not one of these
   */
  public ArraySpec chunkKeyEncoding(String encoding, String separator) {
    if (!encoding.equals("default") && !encoding.equals("v2")) {
      throw new IllegalArgumentException(
          "Chunk key encoding must be 'default' or 'v2', not '" + encoding + "'");
    }
    if (!separator.equals("/") && !separator.equals(".")) {
      throw new IllegalArgumentException(
          "Chunk key separator must be '/' or '.', not '" + separator + "'");
    }
    this.keyEncoding = encoding;
    this.keySeparator = separator;
    return this;
  }

  /** The chunk key encoding's name: {@code default} or {@code v2}. */
  public String chunkKeyEncoding() {
    return keyEncoding;
  }

  /** The chunk key separator: {@code /} or {@code .}. */
  public String chunkKeySeparator() {
    return keySeparator;
  }

  public ArraySpec dimensionNames(String... names) {
    this.dimensionNames = new ArrayList<>(Arrays.asList(names));
    return this;
  }

  public ArraySpec attributes(Map<String, Object> attributes) {
    this.attributes = new LinkedHashMap<>(attributes);
    return this;
  }

  public long[] shape() {
    return shape.clone();
  }

  public DataType dataType() {
    return dataType;
  }

  /** The chunk shape: as set, or the whole array (at least 1 per dimension). */
  public int[] chunkShape() {
    if (chunks != null) {
      return chunks.clone();
    }
    return Arrays.stream(shape)
        .mapToInt(s -> (int) Math.max(1, Math.min(s, Integer.MAX_VALUE)))
        .toArray();
  }

  public Compression compression() {
    return compression;
  }

  public int compressionLevel() {
    return compressionLevel;
  }

  public boolean checksum() {
    return checksum;
  }

  public ByteOrder byteOrder() {
    return byteOrder;
  }

  public Number fillValue() {
    return fillValue;
  }

  /** Dimension names, or null when none were given. */
  public List<String> dimensionNames() {
    return dimensionNames == null ? null : List.copyOf(dimensionNames);
  }

  public Map<String, Object> attributes() {
    return attributes;
  }
}
