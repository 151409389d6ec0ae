package io.arraymorph.kerchunk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arraymorph.ArrayMorphException;
import io.arraymorph.api.NodeInfo;
import io.arraymorph.array.DataType;
import io.arraymorph.array.NdArray;
import io.arraymorph.hdf5.Hdf5ChunkLocation;
import io.arraymorph.hdf5.Hdf5Dataset;
import io.arraymorph.hdf5.Hdf5File;
import io.arraymorph.hdf5.Hdf5Layout;
import io.arraymorph.hdf5.filter.FilterSpec;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Writes kerchunk "version 1" references for an HDF5 file: a Zarr v2 view ({@code .zgroup}, {@code
 * <var>/.zarray}, {@code <var>/.zattrs}) whose chunk keys point at byte ranges of the original
 * file, {@code "<var>/i.j": [url, offset, size]}, as kerchunk's HDF5 translator emits them.
 *
 * <p>Like kerchunk, the HDF5 filters become Zarr {@code filters} in pipeline order (shuffle as
 * {@code {"id":"shuffle","elementsize":N}}, deflate as {@code {"id":"zlib","level":N}}, the zstd
 * plugin filter 32015 as {@code {"id":"zstd","level":N}}) with {@code "compressor": null}, which
 * Zarr readers decode the same way as a zlib compressor. Datasets the references cannot express are
 * left out and listed with a reason in {@link Result#skipped()}: contiguous and compact layouts,
 * fletcher32, lz4, bitshuffle and other filters, and chunks stored with a nonzero filter mask (some
 * filter skipped for that chunk). No chunk is inlined; {@link KerchunkReferences} nevertheless
 * reads inline references.
 */
public final class KerchunkWriter {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** HDF5 and netCDF-4 bookkeeping attributes kerchunk does not copy into {@code .zattrs}. */
  private static final Set<String> INTERNAL_ATTRIBUTES =
      Set.of(
          "DIMENSION_LIST",
          "REFERENCE_LIST",
          "_Netcdf4Dimid",
          "_Netcdf4Coordinates",
          "_nc3_strict");

  private KerchunkWriter() {}

  /** A dataset left out of the references, and why. */
  public record Skipped(String path, String reason) {}

  /**
   * The references and what was left out.
   *
   * @param references the kerchunk JSON document ({@code version}, {@code refs})
   * @param variables the variables written, as ref key prefixes ({@code group/name})
   * @param skipped datasets left out, with a reason
   */
  public record Result(ObjectNode references, List<String> variables, List<Skipped> skipped) {
    /** The references as UTF-8 JSON. */
    public byte[] toJson() {
      try {
        return MAPPER.writeValueAsBytes(references);
      } catch (JsonProcessingException e) {
        throw new ArrayMorphException("Cannot serialize kerchunk references", e);
      }
    }
  }

  /**
   * References every dataset of {@code file} that Zarr v2 codecs can read in place.
   *
   * @param url what the chunk references name as the file, e.g. {@code s3://bucket/data.h5}
   */
  public static Result write(Hdf5File file, String url) {
    ObjectNode refs = NODES.objectNode();
    refs.put(".zgroup", "{\"zarr_format\":2}");
    List<String> variables = new ArrayList<>();
    List<Skipped> skipped = new ArrayList<>();
    Set<String> groups = new TreeSet<>();
    for (NodeInfo info : file.datasets()) {
      String path = info.path();
      String name = path.startsWith("/") ? path.substring(1) : path;
      if (info.dataType() != null && info.dataType().startsWith("unsupported")) {
        skipped.add(new Skipped(path, info.dataType()));
        continue;
      }
      Hdf5Dataset ds;
      try {
        ds = file.dataset(path);
      } catch (RuntimeException e) {
        skipped.add(new Skipped(path, "cannot be opened: " + e.getMessage()));
        continue;
      }
      String reason = describe(ds, name, url, refs);
      if (reason != null) {
        skipped.add(new Skipped(path, reason));
        continue;
      }
      variables.add(name);
      for (int slash = name.indexOf('/'); slash > 0; slash = name.indexOf('/', slash + 1)) {
        groups.add(name.substring(0, slash));
      }
    }
    for (String g : groups) {
      refs.put(g + "/.zgroup", "{\"zarr_format\":2}");
    }
    ObjectNode root = NODES.objectNode();
    root.put("version", 1);
    root.set("refs", refs);
    return new Result(root, List.copyOf(variables), List.copyOf(skipped));
  }

  /** Adds the dataset's refs, or returns why it cannot be referenced (adding nothing). */
  private static String describe(Hdf5Dataset ds, String name, String url, ObjectNode refs) {
    if (ds.layout() != Hdf5Layout.CHUNKED) {
      return ds.layout().name().toLowerCase() + " layout is not referenced (only chunked datasets)";
    }
    DataType type = ds.dataType();
    ArrayNode filters = NODES.arrayNode();
    for (FilterSpec f : ds.filters()) {
      int[] data = f.clientData();
      switch (f.id()) {
        case 1 -> filters.addObject().put("id", "zlib").put("level", data.length > 0 ? data[0] : 6);
        case 2 -> filters.addObject().put("id", "shuffle").put("elementsize", type.byteSize());
        case 3 -> {
          return "fletcher32 filter: each chunk ends with a checksum no Zarr codec strips";
        }
        // One zstd frame per chunk, what numcodecs' Zstd decodes (kerchunk maps it the same way).
        case 32015 ->
            filters.addObject().put("id", "zstd").put("level", data.length > 0 ? data[0] : 0);
        case 32004, 32008 -> {
          // numcodecs' LZ4 expects its own 4-byte size prefix, not HDF5's block framing, and it has
          // no bitshuffle codec; kerchunk refuses these filters too.
          return "filter "
              + f.name()
              + " (id "
              + f.id()
              + "): its HDF5 block format has no numcodecs codec";
        }
        default -> {
          return "filter " + f.name() + " (id " + f.id() + ") has no Zarr v2 codec here";
        }
      }
    }
    List<Hdf5ChunkLocation> chunks;
    try {
      chunks = ds.chunkIndex();
    } catch (RuntimeException e) {
      return "chunk index unreadable: " + e.getMessage();
    }
    for (Hdf5ChunkLocation c : chunks) {
      if (c.filterMask() != 0) {
        return "chunk " + c + " skipped some filters (nonzero filter mask)";
      }
    }
    ObjectNode zarray = NODES.objectNode();
    ArrayNode chunkShape = zarray.putArray("chunks");
    for (int c : ds.chunkShape()) {
      chunkShape.add(c);
    }
    zarray.putNull("compressor");
    zarray.put("dtype", dtype(type, ds.storedBigEndian()));
    zarray.set("fill_value", fillValue(type, ds.fillValue()));
    if (filters.isEmpty()) {
      zarray.putNull("filters");
    } else {
      zarray.set("filters", filters);
    }
    zarray.put("order", "C");
    ArrayNode shape = zarray.putArray("shape");
    for (long s : ds.shape()) {
      shape.add(s);
    }
    zarray.put("zarr_format", 2);

    Map<String, Object> attrs = new LinkedHashMap<>();
    ds.attributes()
        .forEach(
            (k, v) -> {
              if (!INTERNAL_ATTRIBUTES.contains(k)) {
                attrs.put(k, v);
              }
            });
    attrs.put("_ARRAY_DIMENSIONS", ds.dimensionNames());
    String zattrs;
    try {
      zattrs = MAPPER.writeValueAsString(attrs);
    } catch (JsonProcessingException e) {
      return "attributes cannot be written as JSON: " + e.getMessage();
    }
    refs.put(name + "/.zarray", zarray.toString());
    refs.put(name + "/.zattrs", zattrs);
    for (Hdf5ChunkLocation c : chunks) {
      ArrayNode ref = refs.putArray(name + "/" + chunkKey(c.chunkCoords()));
      ref.add(url).add(c.offset()).add(c.storedSize());
    }
    return null;
  }

  /** The Zarr v2 key of a chunk: grid coordinates joined with dots. */
  static String chunkKey(long[] coords) {
    if (coords.length == 0) {
      return "0";
    }
    StringBuilder sb = new StringBuilder();
    for (long c : coords) {
      if (sb.length() > 0) {
        sb.append('.');
      }
      sb.append(c);
    }
    return sb.toString();
  }

  /** A NumPy dtype string such as {@code <f4} or {@code >i2}; single bytes use {@code |}. */
  static String dtype(DataType type, boolean bigEndian) {
    String order = type.byteSize() == 1 ? "|" : bigEndian ? ">" : "<";
    char kind =
        switch (type.kind()) {
          case FLOAT -> 'f';
          case SIGNED -> 'i';
          case UNSIGNED -> 'u';
          case BOOL -> 'b';
        };
    return order + kind + type.byteSize();
  }

  private static com.fasterxml.jackson.databind.JsonNode fillValue(DataType type, byte[] le) {
    NdArray one = NdArray.wrap(type, new long[] {1}, le);
    if (type.isFloatingPoint()) {
      double v = one.getDouble(0);
      if (Double.isNaN(v)) {
        return NODES.textNode("NaN");
      }
      if (Double.isInfinite(v)) {
        return NODES.textNode(v > 0 ? "Infinity" : "-Infinity");
      }
      return NODES.numberNode(v);
    }
    long v = one.getLong(0);
    if (type == DataType.UINT64 && v < 0) {
      return NODES.numberNode(new BigInteger(Long.toUnsignedString(v)));
    }
    return NODES.numberNode(v);
  }
}
