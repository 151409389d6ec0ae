package io.arraymorph.kerchunk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arraymorph.ArrayMorphException;
import io.arraymorph.api.NodeInfo;
import io.arraymorph.array.DataType;
import io.arraymorph.array.Hyperslab;
import io.arraymorph.array.NdArray;
import io.arraymorph.hdf5.Hdf5ChunkLocation;
import io.arraymorph.hdf5.Hdf5Dataset;
import io.arraymorph.hdf5.Hdf5File;
import io.arraymorph.hdf5.filter.FilterSpec;
import io.arraymorph.store.Futures;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

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
   * How references are written.
   *
   * @param inlineThreshold chunks whose stored size is below this many bytes are stored in the JSON
   *     as {@code "base64:..."} instead of a byte range (kerchunk's {@code SingleHdf5ToZarr}
   *     default is 500; 0 inlines nothing); compact datasets are always inline
   * @param contiguousChunkBytes contiguous datasets are split along their first dimension into
   *     chunks of at most this many bytes (when the first dimension divides evenly, as Zarr v2
   *     needs whole edge chunks), so readers fetch row ranges rather than the whole block
   */
  public record Options(int inlineThreshold, long contiguousChunkBytes) {
    /** kerchunk's inline threshold (500 bytes) and 8 MiB contiguous chunks. */
    public static final Options DEFAULT = new Options(500, 8L << 20);

    public Options {
      if (inlineThreshold < 0) {
        throw new IllegalArgumentException(
            "inlineThreshold must be >= 0 (0 disables inlining), got " + inlineThreshold);
      }
      if (contiguousChunkBytes < 1) {
        throw new IllegalArgumentException(
            "contiguousChunkBytes must be >= 1, got " + contiguousChunkBytes);
      }
    }

    /** These options with another inline threshold. */
    public Options withInlineThreshold(int bytes) {
      return new Options(bytes, contiguousChunkBytes);
    }
  }

  /** {@link #write(Hdf5File, String, Options)} with {@link Options#DEFAULT}. */
  public static Result write(Hdf5File file, String url) {
    return write(file, url, Options.DEFAULT);
  }

  /**
   * References every dataset of {@code file} that Zarr v2 codecs can read in place: chunked ones
   * chunk by chunk, contiguous ones as row-range chunks of their single block, compact ones inline.
   *
   * @param url what the chunk references name as the file, e.g. {@code s3://bucket/data.h5}
   */
  public static Result write(Hdf5File file, String url, Options options) {
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
      String reason = describe(file, ds, name, url, refs, options);
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

  /** One chunk's ref before it is written: a byte range of the file or inline bytes. */
  private record ChunkRef(String key, long offset, long size, byte[] inline) {}

  /** Adds the dataset's refs, or returns why it cannot be referenced (adding nothing). */
  private static String describe(
      Hdf5File file, Hdf5Dataset ds, String name, String url, ObjectNode refs, Options options) {
    if (!ds.elementType().isNumeric()) {
      return ds.elementType().describe() + " is not referenced (only numeric datasets)";
    }
    if (ds.storedBytesDiffer() != null) {
      return ds.storedBytesDiffer() + " are not referenced";
    }
    DataType type = ds.dataType();
    ArrayNode filters = NODES.arrayNode();
    int[] chunkShape;
    boolean bigEndian = ds.storedBigEndian();
    List<ChunkRef> chunks = new ArrayList<>();
    switch (ds.layout()) {
      case CHUNKED -> {
        String reason = filters(ds, filters);
        if (reason != null) {
          return reason;
        }
        List<Hdf5ChunkLocation> index;
        try {
          index = ds.chunkIndex();
        } catch (RuntimeException e) {
          return "chunk index unreadable: " + e.getMessage();
        }
        for (Hdf5ChunkLocation c : index) {
          if (c.filterMask() != 0) {
            return "chunk " + c + " skipped some filters (nonzero filter mask)";
          }
          chunks.add(new ChunkRef(chunkKey(c.chunkCoords()), c.offset(), c.storedSize(), null));
        }
        chunkShape = ds.chunkShape();
      }
      case CONTIGUOUS -> {
        chunkShape = contiguousChunks(ds.shape(), type.byteSize(), options.contiguousChunkBytes());
        OptionalLong offset = ds.contiguousDataOffset();
        if (offset.isPresent() && elements(ds.shape()) > 0) {
          addContiguousChunks(ds.shape(), chunkShape, type.byteSize(), offset.getAsLong(), chunks);
        } // unallocated storage: no chunk refs, every element reads as the fill value
      }
      case COMPACT -> {
        chunkShape = new int[ds.shape().length];
        for (int d = 0; d < chunkShape.length; d++) {
          chunkShape[d] = (int) Math.max(1, ds.shape()[d]);
        }
        bigEndian = false; // the data is read from the object header, already little-endian
        if (elements(ds.shape()) > 0) {
          byte[] data = ds.read(Hyperslab.all(ds.shape())).bytes();
          chunks.add(new ChunkRef(chunkKey(new long[ds.shape().length]), 0, 0, data));
        }
      }
      default -> {
        return ds.layout().name().toLowerCase(Locale.ROOT) + " layout cannot be referenced";
      }
    }
    try {
      chunks = inlineSmall(file, chunks, options.inlineThreshold());
    } catch (RuntimeException e) {
      return "small chunks could not be read for inlining: " + e.getMessage();
    }

    ObjectNode zarray = NODES.objectNode();
    ArrayNode chunkArray = zarray.putArray("chunks");
    for (int c : chunkShape) {
      chunkArray.add(c);
    }
    zarray.putNull("compressor");
    zarray.put("dtype", dtype(type, bigEndian));
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
    for (ChunkRef c : chunks) {
      String key = name + "/" + c.key();
      if (c.inline() != null) {
        refs.put(key, "base64:" + Base64.getEncoder().encodeToString(c.inline()));
      } else {
        refs.putArray(key).add(url).add(c.offset()).add(c.size());
      }
    }
    return null;
  }

  /** Adds the Zarr filters of an HDF5 pipeline, or returns why it has no Zarr equivalent. */
  private static String filters(Hdf5Dataset ds, ArrayNode filters) {
    for (FilterSpec f : ds.filters()) {
      int[] data = f.clientData();
      switch (f.id()) {
        case 1 -> filters.addObject().put("id", "zlib").put("level", data.length > 0 ? data[0] : 6);
        case 2 ->
            filters.addObject().put("id", "shuffle").put("elementsize", ds.dataType().byteSize());
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
    return null;
  }

  /**
   * The chunk shape of a contiguous dataset: whole trailing dimensions, and along the first the
   * largest divisor of its length whose rows fit in {@code targetBytes} (at least one row). Zarr v2
   * readers expect every stored chunk, edge ones included, to be whole, hence the divisor.
   */
  static int[] contiguousChunks(long[] shape, int elementSize, long targetBytes) {
    int[] chunks = new int[shape.length];
    if (shape.length == 0) {
      return chunks;
    }
    long rowBytes = elementSize;
    for (int d = 1; d < shape.length; d++) {
      chunks[d] = Math.toIntExact(Math.max(1, shape[d]));
      rowBytes = Math.multiplyExact(rowBytes, chunks[d]);
    }
    long rows = Math.max(1, shape[0]);
    long best = 1;
    for (long r = 1; r * r <= rows; r++) {
      if (rows % r == 0) {
        for (long candidate : new long[] {r, rows / r}) {
          if (candidate > best && candidate * rowBytes <= targetBytes) {
            best = candidate;
          }
        }
      }
    }
    chunks[0] = Math.toIntExact(best);
    return chunks;
  }

  /** One byte-range ref per row-range chunk of a contiguous block starting at {@code offset}. */
  private static void addContiguousChunks(
      long[] shape, int[] chunkShape, int elementSize, long offset, List<ChunkRef> out) {
    long chunkBytes = elementSize;
    for (int c : chunkShape) {
      chunkBytes *= c;
    }
    long count = shape.length == 0 ? 1 : shape[0] / chunkShape[0];
    for (long i = 0; i < count; i++) {
      long[] coords = new long[shape.length];
      if (coords.length > 0) {
        coords[0] = i;
      }
      out.add(new ChunkRef(chunkKey(coords), offset + i * chunkBytes, chunkBytes, null));
    }
  }

  /** Reads the chunks stored in fewer than {@code threshold} bytes, to be written inline. */
  private static List<ChunkRef> inlineSmall(Hdf5File file, List<ChunkRef> chunks, int threshold) {
    List<CompletableFuture<ChunkRef>> out = new ArrayList<>();
    for (ChunkRef c : chunks) {
      if (c.inline() == null && c.size() < threshold) {
        out.add(
            file.readBytes(c.offset(), (int) c.size())
                .thenApply(b -> new ChunkRef(c.key(), c.offset(), c.size(), b)));
      } else {
        out.add(CompletableFuture.completedFuture(c));
      }
    }
    return out.stream().map(Futures::join).toList();
  }

  private static long elements(long[] shape) {
    long n = 1;
    for (long s : shape) {
      n *= s;
    }
    return n;
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
  public static String dtype(DataType type, boolean bigEndian) {
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
