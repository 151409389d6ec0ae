package io.arraymorph.kerchunk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arraymorph.ArrayMorphException;
import io.arraymorph.api.ReadOnlyDataset;
import io.arraymorph.array.ChunkGrid;
import io.arraymorph.array.DataType;
import io.arraymorph.array.Shapes;
import io.arraymorph.codec.BytesCodec;
import io.arraymorph.codec.CodecException;
import io.arraymorph.codec.EndianCodec;
import io.arraymorph.codec.GzipCodec;
import io.arraymorph.codec.ZlibCodec;
import io.arraymorph.codec.ZstdCodec;
import io.arraymorph.engine.ChunkSource;
import io.arraymorph.zarr.v2.ZarrV2Metadata;
import java.io.IOException;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One array of a kerchunk reference document, read-only: its Zarr v2 {@code .zarray} gives shape,
 * chunks, dtype and codecs, and each chunk is fetched through its ref (one ranged GET of the
 * referenced file, or inline data), decoded (compressor, then {@code filters} in reverse: zlib,
 * zstd, gzip, shuffle) and converted to little-endian. Chunks without a ref read as the fill value.
 * No HDF5 parsing happens on this path.
 */
public final class KerchunkDataset extends ReadOnlyDataset implements ChunkSource {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int SLACK = 4096;

  private final KerchunkReferences refs;
  private final ZarrV2Metadata meta;
  private final List<Decoder> filters;
  private final List<String> filterNames;
  private final Map<String, Object> attributes;
  private final ChunkGrid grid;
  private final int chunkBytes;

  private interface Decoder {
    byte[] decode(byte[] data, int maxOutput);
  }

  KerchunkDataset(
      KerchunkReferences refs, String variable, byte[] zarray, byte[] zattrs, int maxInFlight) {
    super(variable, "kerchunk references", maxInFlight);
    this.refs = refs;
    String where = variable + "/.zarray";
    ObjectNode root;
    try {
      root = (ObjectNode) MAPPER.readTree(zarray);
    } catch (IOException | ClassCastException e) {
      throw new ArrayMorphException("Corrupt metadata at '" + where + "'", e);
    }
    JsonNode filterList = root.remove("filters");
    try {
      this.meta = ZarrV2Metadata.parse(MAPPER.writeValueAsBytes(root), where);
    } catch (IOException e) {
      throw new ArrayMorphException("Corrupt metadata at '" + where + "'", e);
    }
    if (meta.fortranOrder()) {
      throw new ArrayMorphException("'" + where + "': only C order is supported");
    }
    this.filters = new ArrayList<>();
    this.filterNames = new ArrayList<>();
    if (filterList != null && filterList.isArray()) {
      for (JsonNode f : filterList) {
        filters.add(decoder(f, meta.dataType(), where));
        filterNames.add(f.path("id").asText());
      }
    }
    this.attributes =
        zattrs == null ? Map.of() : ZarrV2Metadata.parseAttributes(zattrs, variable + "/.zattrs");
    this.grid = meta.grid();
    this.chunkBytes =
        Shapes.checkedIntSize(Shapes.toLong(meta.chunks()), meta.dataType().byteSize());
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

  /** Undoes the byte shuffle: byte {@code b} of element {@code i} is at {@code b * n + i}. */
  static byte[] unshuffle(byte[] data, int elementSize) {
    if (elementSize <= 1 || data.length < elementSize) {
      return data;
    }
    int n = data.length / elementSize;
    byte[] out = data.clone(); // a trailing partial element stays as it is
    for (int b = 0; b < elementSize; b++) {
      for (int i = 0; i < n; i++) {
        out[i * elementSize + b] = data[b * n + i];
      }
    }
    return out;
  }

  @Override
  public ChunkGrid grid() {
    return grid;
  }

  @Override
  public DataType dataType() {
    return meta.dataType();
  }

  @Override
  public byte[] fillValue() {
    return meta.fillValue().clone();
  }

  @Override
  public ChunkSource chunkSource() {
    return this;
  }

  @Override
  public Map<String, Object> attributes() {
    return attributes;
  }

  @Override
  public String codecDescription() {
    BytesCodec c = meta.compressor();
    return "kerchunk ("
        + (meta.byteOrder() == ByteOrder.BIG_ENDIAN ? "big" : "little")
        + "-endian"
        + (c == null ? "" : ", " + c.name())
        + (filterNames.isEmpty() ? "" : ", filters " + filterNames)
        + ")";
  }

  /** The ref key of a chunk, e.g. {@code group/name/1.2}. */
  public String chunkKey(long[] coords) {
    String k = meta.chunkKey(coords);
    return path().isEmpty() ? k : path() + "/" + k;
  }

  @Override
  public CompletableFuture<byte[]> readChunk(long[] coords) {
    String key = chunkKey(coords);
    return refs.fetch(key).thenApply(stored -> stored == null ? null : decode(key, stored));
  }

  private byte[] decode(String key, byte[] stored) {
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
