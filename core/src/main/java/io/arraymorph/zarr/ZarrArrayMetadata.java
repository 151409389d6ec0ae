package io.arraymorph.zarr;

import com.fasterxml.jackson.databind.JsonNode;
import io.arraymorph.ArrayMorphException;
import io.arraymorph.api.ArraySpec;
import io.arraymorph.array.ChunkGrid;
import io.arraymorph.array.DataType;
import io.arraymorph.array.Shapes;
import io.arraymorph.codec.BytesCodec;
import io.arraymorph.codec.CodecPipeline;
import io.arraymorph.codec.Crc32cCodec;
import io.arraymorph.codec.EndianCodec;
import io.arraymorph.codec.GzipCodec;
import io.arraymorph.codec.ShardingCodec;
import io.arraymorph.codec.ZstdCodec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The metadata of a Zarr v3 array: the contents of its {@code zarr.json}. */
public final class ZarrArrayMetadata {
  private final long[] shape;
  private final DataType dataType;
  private final int[] chunkShape;
  private final String keyEncoding;
  private final String separator;
  private final Object fillValueJson;
  private final byte[] fillValue;
  private final CodecPipeline codecs;
  private final Map<String, Object> attributes;
  private final List<String> dimensionNames;

  private ZarrArrayMetadata(
      long[] shape,
      DataType dataType,
      int[] chunkShape,
      String keyEncoding,
      String separator,
      Object fillValueJson,
      byte[] fillValue,
      CodecPipeline codecs,
      Map<String, Object> attributes,
      List<String> dimensionNames) {
    this.shape = shape;
    this.dataType = dataType;
    this.chunkShape = chunkShape;
    this.keyEncoding = keyEncoding;
    this.separator = separator;
    this.fillValueJson = fillValueJson;
    this.fillValue = fillValue;
    this.codecs = codecs;
    this.attributes = attributes;
    this.dimensionNames = dimensionNames;
  }

  /**
   * Builds the metadata for a new array.
   *
   * @throws IllegalArgumentException when the chunk shape or dimension names do not fit the shape
   */
  public static ZarrArrayMetadata fromSpec(ArraySpec spec) {
    long[] shape = spec.shape();
    int[] chunks = spec.chunkShape();
    new ChunkGrid(shape, chunks);
    List<String> names = spec.dimensionNames();
    if (names != null && names.size() != shape.length) {
      throw new IllegalArgumentException(
          names.size() + " dimension names given for an array of rank " + shape.length);
    }
    List<BytesCodec> bytesCodecs = new ArrayList<>();
    int level = spec.compressionLevel();
    switch (spec.compression()) {
      case GZIP -> bytesCodecs.add(new GzipCodec(level < 0 ? 5 : level));
      case ZSTD -> bytesCodecs.add(new ZstdCodec(level < 0 ? 3 : level, false));
      case NONE -> {}
    }
    if (spec.checksum()) {
      bytesCodecs.add(new Crc32cCodec());
    }
    Object fillJson = FillValues.toJson(spec.fillValue(), spec.dataType());
    byte[] fill = FillValues.parse(ZarrJson.MAPPER.valueToTree(fillJson), spec.dataType());
    CodecPipeline codecs = new CodecPipeline(new EndianCodec(spec.byteOrder()), bytesCodecs);
    int[] gridShape = chunks;
    if (spec.shardShape() != null) {
      gridShape = spec.shardShape();
      checkShards(gridShape, chunks);
      codecs = new CodecPipeline(new ShardingCodec(chunks, codecs, true, false));
    }
    return new ZarrArrayMetadata(
        shape,
        spec.dataType(),
        gridShape,
        spec.chunkKeyEncoding(),
        spec.chunkKeySeparator(),
        fillJson,
        fill,
        codecs,
        new LinkedHashMap<>(spec.attributes()),
        names);
  }

  /**
   * Parses a zarr.json document of node type {@code array}.
   *
   * @throws ArrayMorphException naming the key and the problem when the document is not valid Zarr
   *     v3 array metadata this library supports
   */
  public static ZarrArrayMetadata parse(byte[] json, String key) {
    JsonNode root = ZarrJson.parse(json, key);
    try {
      return parse(root);
    } catch (IllegalArgumentException | ClassCastException | ArithmeticException e) {
      throw new ArrayMorphException(
          "Invalid Zarr array metadata at '" + key + "': " + e.getMessage(), e);
    }
  }

  private static ZarrArrayMetadata parse(JsonNode root) {
    if (root.path("zarr_format").asInt() != 3) {
      throw new IllegalArgumentException(
          "zarr_format must be 3, found " + root.path("zarr_format"));
    }
    if (!root.path("node_type").asText().equals("array")) {
      throw new IllegalArgumentException(
          "node_type is '" + root.path("node_type").asText() + "', not 'array'");
    }
    for (String field : REQUIRED_FIELDS) {
      if (!root.has(field)) {
        throw new IllegalArgumentException("missing required field '" + field + "'");
      }
    }
    long[] shape = longs(root.path("shape"), "shape");
    DataType type = DataType.fromZarrName(root.path("data_type").asText());
    JsonNode grid = root.path("chunk_grid");
    if (!grid.path("name").asText().equals("regular")) {
      throw new IllegalArgumentException(
          "chunk_grid '" + grid.path("name").asText() + "' is not supported; only 'regular'");
    }
    long[] chunkLongs = longs(grid.path("configuration").path("chunk_shape"), "chunk_shape");
    int[] chunks = new int[chunkLongs.length];
    for (int d = 0; d < chunks.length; d++) {
      chunks[d] = Math.toIntExact(chunkLongs[d]);
    }
    new ChunkGrid(shape, chunks);
    try {
      Shapes.checkedIntSize(Shapes.toLong(chunks), type.byteSize());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "chunk_shape "
              + Arrays.toString(chunks)
              + " of "
              + type
              + " needs more than 2 GiB per chunk, more than one buffer holds");
    }
    JsonNode enc = root.path("chunk_key_encoding");
    String encoding = enc.path("name").asText("default");
    if (!encoding.equals("default") && !encoding.equals("v2")) {
      throw new IllegalArgumentException("chunk_key_encoding '" + encoding + "' is not supported");
    }
    String separator =
        enc.path("configuration").path("separator").asText(encoding.equals("v2") ? "." : "/");
    if (!separator.equals("/") && !separator.equals(".")) {
      throw new IllegalArgumentException("chunk key separator must be '/' or '.'");
    }
    JsonNode transformers = root.path("storage_transformers");
    if (transformers.isArray() && !transformers.isEmpty()) {
      throw new IllegalArgumentException("storage_transformers are not supported");
    }
    Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      if (f.getValue().isObject()
          && f.getValue().path("must_understand").asBoolean(true)
          && !KNOWN_FIELDS.contains(f.getKey())) {
        throw new IllegalArgumentException(
            "unknown extension '" + f.getKey() + "' must be understood");
      }
    }
    JsonNode fillNode = root.get("fill_value");
    byte[] fill = FillValues.parse(fillNode, type);
    List<String> names = null;
    JsonNode dn = root.path("dimension_names");
    if (dn.isArray()) {
      if (dn.size() != shape.length) {
        throw new IllegalArgumentException(
            "dimension_names has " + dn.size() + " entries for rank " + shape.length);
      }
      names = new ArrayList<>();
      for (JsonNode n : dn) {
        names.add(n.isNull() ? null : n.asText());
      }
    }
    CodecPipeline codecs = CodecPipeline.fromJson(root.get("codecs"));
    if (codecs.sharding() != null) {
      checkShards(chunks, codecs.sharding().innerShape());
    }
    return new ZarrArrayMetadata(
        shape,
        type,
        chunks,
        encoding,
        separator,
        ZarrJson.MAPPER.convertValue(fillNode, Object.class),
        fill,
        codecs,
        ZarrJson.toMap(root.get("attributes")),
        names);
  }

  private static void checkShards(int[] shards, int[] chunks) {
    if (shards.length != chunks.length) {
      throw new IllegalArgumentException(
          "Shard shape "
              + Arrays.toString(shards)
              + " and chunk shape "
              + Arrays.toString(chunks)
              + " differ in rank");
    }
    for (int d = 0; d < shards.length; d++) {
      if (chunks[d] < 1 || shards[d] % chunks[d] != 0) {
        throw new IllegalArgumentException(
            "Shard shape "
                + Arrays.toString(shards)
                + " must be a multiple of the chunk shape "
                + Arrays.toString(chunks)
                + " in every dimension");
      }
    }
  }

  private static final List<String> REQUIRED_FIELDS =
      List.of("shape", "data_type", "chunk_grid", "fill_value", "codecs");

  private static final List<String> KNOWN_FIELDS =
      List.of(
          "zarr_format",
          "node_type",
          "shape",
          "data_type",
          "chunk_grid",
          "chunk_key_encoding",
          "fill_value",
          "codecs",
          "attributes",
          "dimension_names",
          "storage_transformers");

  private static long[] longs(JsonNode node, String field) {
    if (!node.isArray()) {
      throw new IllegalArgumentException("'" + field + "' must be an array of integers");
    }
    long[] out = new long[node.size()];
    for (int i = 0; i < out.length; i++) {
      if (!node.get(i).isIntegralNumber() || node.get(i).asLong() < 0) {
        throw new IllegalArgumentException("'" + field + "' must hold non-negative integers");
      }
      out[i] = node.get(i).asLong();
    }
    return out;
  }

  /** The zarr.json document, keys in the order the specification lists them. */
  public byte[] toJson() {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("zarr_format", 3);
    doc.put("node_type", "array");
    doc.put("shape", shape);
    doc.put("data_type", dataType.zarrName());
    doc.put("chunk_grid", named("regular", Map.of("chunk_shape", chunkShape)));
    doc.put("chunk_key_encoding", named(keyEncoding, Map.of("separator", separator)));
    doc.put("fill_value", fillValueJson);
    doc.put("codecs", codecs.toJson());
    doc.put("attributes", attributes);
    if (dimensionNames != null) {
      doc.put("dimension_names", dimensionNames);
    }
    return ZarrJson.write(doc);
  }

  /** {@code {"name": ..., "configuration": ...}} in that order (Map.of's order varies per JVM). */
  private static Map<String, Object> named(String name, Map<String, Object> configuration) {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("name", name);
    entry.put("configuration", configuration);
    return entry;
  }

  /** The key of a chunk, relative to the array's prefix, e.g. {@code c/1/2}. */
  public String chunkKey(long[] coords) {
    StringBuilder sb = new StringBuilder(keyEncoding.equals("default") ? "c" : "");
    for (long c : coords) {
      if (sb.length() > 0) {
        sb.append(separator);
      }
      sb.append(c);
    }
    return sb.length() == 0 ? "0" : sb.toString();
  }

  /**
   * A copy with another shape (an array that grows or shrinks keeps its chunks and codecs).
   *
   * @throws IllegalArgumentException when the shape's rank differs
   */
  public ZarrArrayMetadata withShape(long[] newShape) {
    if (newShape.length != shape.length) {
      throw new IllegalArgumentException(
          "Shape "
              + Arrays.toString(newShape)
              + " has another rank than "
              + Arrays.toString(shape));
    }
    new ChunkGrid(newShape, chunkShape);
    return new ZarrArrayMetadata(
        newShape.clone(),
        dataType,
        chunkShape,
        keyEncoding,
        separator,
        fillValueJson,
        fillValue,
        codecs,
        attributes,
        dimensionNames);
  }

  /** The fill value as zarr.json records it, e.g. {@code 0} or {@code "NaN"}. */
  public Object fillValueJson() {
    return fillValueJson;
  }

  /** The little-endian bytes of {@code value} as the fill value of a {@code type} array. */
  public static byte[] fillBytes(Number value, DataType type) {
    return FillValues.parse(ZarrJson.MAPPER.valueToTree(FillValues.toJson(value, type)), type);
  }

  /**
   * Whether {@code relativeKey} (from the array's prefix) is a chunk key of this array's key
   * encoding, such as {@code c/1/2} or {@code 1.2}.
   */
  public boolean isChunkKey(String relativeKey) {
    String rest = relativeKey;
    if (keyEncoding.equals("default")) {
      if (rest.equals("c")) {
        return shape.length == 0;
      }
      if (!rest.startsWith("c" + separator)) {
        return false;
      }
      rest = rest.substring(2);
    }
    String[] parts = rest.split(java.util.regex.Pattern.quote(separator), -1);
    if (parts.length != Math.max(1, shape.length)) {
      return false;
    }
    for (String p : parts) {
      if (p.isEmpty() || !p.chars().allMatch(Character::isDigit)) {
        return false;
      }
    }
    return true;
  }

  /** The chunk key encoding's name: {@code default} or {@code v2}. */
  public String chunkKeyEncoding() {
    return keyEncoding;
  }

  /** The chunk key separator: {@code /} or {@code .}. */
  public String chunkKeySeparator() {
    return separator;
  }

  /** A copy with other attributes. */
  public ZarrArrayMetadata withAttributes(Map<String, Object> newAttributes) {
    return new ZarrArrayMetadata(
        shape,
        dataType,
        chunkShape,
        keyEncoding,
        separator,
        fillValueJson,
        fillValue,
        codecs,
        new LinkedHashMap<>(newAttributes),
        dimensionNames);
  }

  public ChunkGrid grid() {
    return new ChunkGrid(shape, chunkShape);
  }

  public long[] shape() {
    return shape.clone();
  }

  public DataType dataType() {
    return dataType;
  }

  public int[] chunkShape() {
    return chunkShape.clone();
  }

  public byte[] fillValue() {
    return fillValue.clone();
  }

  public CodecPipeline codecs() {
    return codecs;
  }

  public Map<String, Object> attributes() {
    return attributes;
  }

  /** Dimension names as recorded (entries may be null), or null when none are. */
  public List<String> dimensionNames() {
    return dimensionNames;
  }

  @Override
  public String toString() {
    return "ZarrArray["
        + dataType.zarrName()
        + ", shape="
        + Arrays.toString(shape)
        + ", chunks="
        + Arrays.toString(chunkShape)
        + ", codecs="
        + codecs.describe()
        + "]";
  }
}
