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
  private Compression compression = Compression.NONE;
  private int compressionLevel = -1;
  private boolean checksum;
  private ByteOrder byteOrder = ByteOrder.LITTLE_ENDIAN;
  private Number fillValue = 0;
  private List<String> dimensionNames;
  private Map<String, Object> attributes = new LinkedHashMap<>();

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
