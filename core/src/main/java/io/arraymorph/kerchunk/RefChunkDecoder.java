package io.arraymorph.kerchunk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arraymorph.ArrayMorphException;
import io.arraymorph.array.ChunkGrid;
import io.arraymorph.array.DataType;
import io.arraymorph.array.Shapes;
import io.arraymorph.codec.ByteShuffle;
import io.arraymorph.codec.BytesCodec;
import io.arraymorph.codec.CodecException;
import io.arraymorph.codec.EndianCodec;
import io.arraymorph.codec.GzipCodec;
import io.arraymorph.codec.ZlibCodec;
import io.arraymorph.codec.ZlibDecoder;
import io.arraymorph.codec.ZstdCodec;
import io.arraymorph.zarr.v2.ZarrV2Metadata;
import java.io.IOException;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Decodes the bytes a chunk reference points at (a byte range of an HDF5/NetCDF4 file, as kerchunk
 * writes them) into little-endian bytes of the full chunk, following a Zarr v2 {@code .zarray}: the
 * compressor, then its {@code filters} in reverse (zlib, zstd, gzip, shuffle), then the byte order.
 * Shared by kerchunk references and granule manifests, so both read the same way.
 */
public final class RefChunkDecoder {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int SLACK = 4096;

  private final ZarrV2Metadata meta;
  private final List<Decoder> filters;
  private final List<String> filterNames;
  private final int chunkBytes;

  /**
   * When the chunk is one zlib stream, optionally byte-shuffled (and nothing else), the shuffle's
   * element size (1 for none): such a chunk can be decoded only as far as a read needs. Else 0.
   */
  private final int zlibPrefixShuffle;

  private interface Decoder {
    byte[] decode(byte[] data, int maxOutput);
  }

  private RefChunkDecoder(
      ZarrV2Metadata meta, List<Decoder> filters, List<String> names, List<Integer> shuffleSizes) {
    this.meta = meta;
    this.filters = filters;
    this.filterNames = names;
    this.chunkBytes =
        Shapes.checkedIntSize(Shapes.toLong(meta.chunks()), meta.dataType().byteSize());
    this.zlibPrefixShuffle = zlibPrefixShuffle(meta, names, shuffleSizes, chunkBytes);
  }

  /** See {@link #zlibPrefixShuffle}: the stages in decoding order must be zlib, then shuffle. */
  private static int zlibPrefixShuffle(
      ZarrV2Metadata meta, List<String> filterNames, List<Integer> shuffleSizes, int chunkBytes) {
    List<String> stages = new ArrayList<>();
    if (meta.compressor() != null) {
      stages.add(meta.compressor().name());
    }
    for (int i = filterNames.size() - 1; i >= 0; i--) {
      stages.add(filterNames.get(i));
    }
    if (stages.equals(List.of("zlib"))) {
      return 1;
    }
    if (stages.equals(List.of("zlib", "shuffle"))) {
      int size = Math.max(1, shuffleSizes.get(filterNames.indexOf("shuffle")));
      return chunkBytes % size == 0 ? size : 0;
    }
    return 0;
  }

  /**
   * Parses a {@code .zarray} document.
   *
   * @param where what the document is, for error messages
   */
  public static RefChunkDecoder parse(byte[] zarray, String where) {
    ObjectNode root;
    try {
      root = (ObjectNode) MAPPER.readTree(zarray);
    } catch (IOException | ClassCastException e) {
      throw new ArrayMorphException("Corrupt metadata at '" + where + "'", e);
    }
    JsonNode filterList = root.remove("filters");
    ZarrV2Metadata meta;
    try {
      meta = ZarrV2Metadata.parse(MAPPER.writeValueAsBytes(root), where);
    } catch (IOException e) {
      throw new ArrayMorphException("Corrupt metadata at '" + where + "'", e);
    }
    if (meta.fortranOrder()) {
      throw new ArrayMorphException("'" + where + "': only C order is supported");
    }
    List<Decoder> filters = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<Integer> shuffleSizes = new ArrayList<>();
    if (filterList != null && filterList.isArray()) {
      for (JsonNode f : filterList) {
        filters.add(decoder(f, meta.dataType(), where));
        names.add(f.path("id").asText());
        shuffleSizes.add(f.path("elementsize").asInt(meta.dataType().byteSize()));
      }
    }
    return new RefChunkDecoder(meta, filters, names, shuffleSizes);
  }

  private static Decoder decoder(JsonNode f, DataType type, String where) {
    String id = f.path("id").asText();
    return switch (id) {
      case "zlib" -> new ZlibCodec(f.path("level").asInt(1))::decode;
      case "gzip" -> new GzipCodec(f.path("level").asInt(1))::decode;
      case "zstd" -> new ZstdCodec(f.path("level").asInt(1), false)::decode;
      case "shuffle" -> {
        int size = f.path("elementsize").asInt(type.byteSize());
        yield (data, max) -> unshuffle(data, size);
      }
      default ->
          throw new ArrayMorphException(
              "'" + where + "': filter '" + id + "' is not supported (zlib, gzip, zstd, shuffle)");
    };
  }

  /** Undoes the byte shuffle ({@link ByteShuffle}); a trailing partial element stays as it is. */
  static byte[] unshuffle(byte[] data, int elementSize) {
    if (elementSize <= 1 || data.length < elementSize) {
      return data;
    }
    byte[] out = new byte[data.length];
    ByteShuffle.unshuffle(data, 0, out, 0, data.length, elementSize);
    return out;
  }

  /** The parsed {@code .zarray}. */
  public ZarrV2Metadata metadata() {
    return meta;
  }

  public ChunkGrid grid() {
    return meta.grid();
  }

  public DataType dataType() {
    return meta.dataType();
  }

  /** One element of the fill value, little-endian. */
  public byte[] fillValue() {
    return meta.fillValue().clone();
  }

  /** Bytes of one decoded chunk. */
  public int chunkBytes() {
    return chunkBytes;
  }

  /** E.g. {@code kerchunk (little-endian, filters [shuffle, zlib])}. */
  public String description() {
    BytesCodec c = meta.compressor();
    return "kerchunk ("
        + (meta.byteOrder() == ByteOrder.BIG_ENDIAN ? "big" : "little")
        + "-endian"
        + (c == null ? "" : ", " + c.name())
        + (filterNames.isEmpty() ? "" : ", filters " + filterNames)
        + ")";
  }

  /**
   * Decodes what a read needs of one stored chunk: bytes {@code [fromByte, toByte)} of the result
   * are exactly those of {@link #decode(String, byte[])}, the others are those too or zero. A zlib
   * chunk (byte-shuffled or not) is inflated only as far as the part needs when that is cheaper,
   * and unshuffled only over the part ({@link ZlibDecoder#inflateNeeded}); any other is decoded
   * whole.
   *
   * @throws CodecException when the bytes are corrupt or do not decode to the chunk's size
   */
  public byte[] decode(String key, byte[] stored, long fromByte, long toByte) {
    if (zlibPrefixShuffle == 0) {
      return decode(key, stored);
    }
    byte[] data;
    try {
      data =
          ZlibDecoder.inflateNeeded(
              stored, chunkBytes, chunkBytes + SLACK, zlibPrefixShuffle, fromByte, toByte);
    } catch (CodecException e) {
      throw new CodecException("Chunk '" + key + "': " + e.getMessage(), e);
    }
    if (data == null) {
      return decode(key, stored);
    }
    if (meta.byteOrder() == ByteOrder.BIG_ENDIAN) {
      EndianCodec.swap(data, meta.dataType().byteSize());
    }
    return data;
  }

  /**
   * Decodes exactly bytes {@code [fromByte, toByte)} (whole elements) of one stored chunk, read
   * into {@code stored[0, storedLength)} (which may be a reused buffer): those bytes of {@link
   * #decode(String, byte[])}. A zlib chunk (byte-shuffled or not) is inflated into a reused buffer
   * and only the part is unshuffled and copied out ({@link ZlibDecoder#inflatePart}); any other is
   * decoded whole and the part copied out.
   *
   * @param key names the chunk in error messages, made only for one (a point series decodes
   *     thousands of chunks a second, and the name's concatenation showed in its profile)
   * @throws CodecException when the bytes are corrupt or do not decode to the chunk's size
   * @throws IllegalArgumentException when the part is not whole elements inside the chunk
   */
  public byte[] decodePart(
      Supplier<String> key, byte[] stored, int storedLength, int fromByte, int toByte) {
    int size = meta.dataType().byteSize();
    if (fromByte % size != 0 || toByte % size != 0) {
      throw new IllegalArgumentException(
          "Bytes [" + fromByte + ", " + toByte + ") are not whole elements of " + size + " bytes");
    }
    byte[] part = null;
    if (zlibPrefixShuffle != 0) {
      try {
        part =
            ZlibDecoder.inflatePart(
                stored,
                storedLength,
                chunkBytes,
                chunkBytes + SLACK,
                zlibPrefixShuffle,
                fromByte,
                toByte);
      } catch (CodecException e) {
        throw new CodecException("Chunk '" + key.get() + "': " + e.getMessage(), e);
      }
    }
    if (part == null) {
      byte[] whole =
          decode(
              key.get(),
              storedLength == stored.length ? stored : Arrays.copyOf(stored, storedLength));
      // A chunk stored without codecs decodes to its input: never hand out the caller's buffer.
      return whole != stored && fromByte == 0 && toByte == whole.length
          ? whole
          : Arrays.copyOfRange(whole, fromByte, toByte);
    }
    if (meta.byteOrder() == ByteOrder.BIG_ENDIAN) {
      EndianCodec.swap(part, size);
    }
    return part;
  }

  /**
   * The element size of the byte shuffle {@link #decodeShuffled} leaves a chunk in, or 1 when it
   * cannot: only a chunk stored as one zlib stream of little-endian elements shuffled by their own
   * size is inflated and left shuffled.
   */
  public int shuffledWhole() {
    int size = meta.dataType().byteSize();
    return zlibPrefixShuffle > 1
            && zlibPrefixShuffle == size
            && meta.byteOrder() != ByteOrder.BIG_ENDIAN
        ? size
        : 1;
  }

  /**
   * Inflates one stored chunk, read into {@code stored[0, storedLength)} (which may be a reused
   * buffer), and leaves it byte-shuffled, in a buffer it lends ({@link ZlibDecoder#inflateLent}:
   * the chunk is its first {@link #chunkBytes} bytes, valid until this thread's next inflation):
   * for a caller that undoes the shuffle as it copies the elements elsewhere at once. The stream's
   * length and Adler-32 are checked as in {@link #decodePart}.
   *
   * @param key names the chunk in error messages, made only for one (a rechunk decodes thousands of
   *     chunks a second, and the name's concatenation showed in its profile)
   * @throws IllegalStateException when {@link #shuffledWhole} is 1
   * @throws CodecException when the bytes are corrupt or do not decode to the chunk's size
   */
  public byte[] decodeShuffled(Supplier<String> key, byte[] stored, int storedLength) {
    if (shuffledWhole() == 1) {
      throw new IllegalStateException(
          "'" + key.get() + "' is not stored as shuffled zlib elements");
    }
    try {
      return ZlibDecoder.inflateLent(stored, storedLength, chunkBytes, chunkBytes + SLACK);
    } catch (CodecException e) {
      throw new CodecException("Chunk '" + key.get() + "': " + e.getMessage(), e);
    }
  }

  /**
   * Decodes one stored chunk.
   *
   * @param key names the chunk in error messages
   * @throws CodecException when the bytes do not decode to exactly one chunk
   */
  public byte[] decode(String key, byte[] stored) {
    int max = chunkBytes + SLACK;
    byte[] data = stored;
    try {
      if (meta.compressor() != null) {
        data = meta.compressor().decode(data, max);
      }
      for (int i = filters.size() - 1; i >= 0; i--) {
        data = filters.get(i).decode(data, max);
      }
    } catch (CodecException e) {
      throw new CodecException("Chunk '" + key + "': " + e.getMessage(), e);
    }
    if (data.length != chunkBytes) {
      throw new CodecException(
          "Chunk '" + key + "' decodes to " + data.length + " bytes, expected " + chunkBytes);
    }
    if (meta.byteOrder() == ByteOrder.BIG_ENDIAN) {
      EndianCodec.swap(data, meta.dataType().byteSize());
    }
    return data;
  }
}
