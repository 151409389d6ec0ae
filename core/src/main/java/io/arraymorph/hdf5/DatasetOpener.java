package io.arraymorph.hdf5;

import io.arraymorph.array.ChunkGrid;
import io.arraymorph.array.DataType;
import io.arraymorph.engine.ChunkSource;
import io.arraymorph.hdf5.filter.FilterPipeline;
import io.arraymorph.hdf5.filter.FilterSpec;
import io.arraymorph.store.ObjectStore;
import io.jhdf.dataset.DatasetBase;
import io.jhdf.dataset.chunked.ChunkedDatasetBase;
import io.jhdf.object.message.DataLayoutMessage;
import io.jhdf.object.message.DataLayoutMessage.CompactDataLayoutMessage;
import io.jhdf.object.message.DataLayoutMessage.ContiguousDataLayoutMessage;
import io.jhdf.object.message.FillValueMessage;
import io.jhdf.object.message.FillValueOldMessage;
import io.jhdf.object.message.FilterPipelineMessage;
import io.jhdf.storage.HdfBackingStorage;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/** Builds an {@link Hdf5Dataset} from jhdf's parsed object header. */
final class DatasetOpener {
  private final ObjectStore store;
  private final String key;
  private final HdfBackingStorage storage;
  private final long fileSize;
  private final long contiguousChunkBytes;
  private final VirtualSources virtualSources;

  DatasetOpener(
      ObjectStore store,
      String key,
      HdfBackingStorage storage,
      long fileSize,
      long contiguousChunkBytes,
      VirtualSources virtualSources) {
    this.store = store;
    this.key = key;
    this.storage = storage;
    this.fileSize = fileSize;
    this.contiguousChunkBytes = contiguousChunkBytes;
    this.virtualSources = virtualSources;
  }

  /**
   * Opens a dataset.
   *
   * @throws Hdf5UnsupportedException for types, layouts and filters this reader does not support
   */
  Hdf5Dataset open(io.jhdf.api.Dataset jhdf, String path) {
    if (!(jhdf instanceof DatasetBase ds)) {
      throw new Hdf5UnsupportedException("dataset kind " + jhdf.getClass().getSimpleName(), path);
    }
    io.jhdf.object.datatype.DataType dataType = SharedDatatype.of(ds, storage, path);
    // Numbers as jhdf reads them; strings, compounds, enums and arrays by our own parser of the
    // datatype message (jhdf 0.13 misreads several: see Hdf5TypeTree).
    boolean jhdfNumeric =
        DatatypeMask.original(storage, ds.getAddress()) == null
            && (dataType instanceof io.jhdf.object.datatype.FixedPoint
                || dataType instanceof io.jhdf.object.datatype.FloatingPoint
                || dataType instanceof io.jhdf.object.datatype.BitField);
    ByteBuffer message = jhdfNumeric ? null : SharedDatatype.message(ds, storage, path);
    Decoding decoding =
        jhdfNumeric
            ? Decoding.ofNumbers(dataType, path)
            : Decoding.ofTree(Hdf5TypeTree.parse(message, path), path);
    Hdf5TypeTree tree = decoding.tree();
    Hdf5ElementType kind = decoding.kind();
    boolean numeric = decoding.numeric();
    // Strings, compounds and enums are gathered as raw bytes: a uint8 array with the element's
    // bytes as one more axis, so the engine plans, fetches and filter-decodes them like numbers.
    ElementType type = decoding.type();
    int elementSize = decoding.elementSize();
    long[] shape = ds.getDimensionsAsLong();
    ElementType storedType = type.stored();
    byte[] storedFill = fillValue(ds, elementSize, type.bigEndian(), path);
    byte[] fill = decoding.valueFill(storedFill);
    DataLayoutMessage layout = ds.getHeader().getMessageOfType(DataLayoutMessage.class);
    List<FilterSpec> specs = filterSpecs(ds);
    List<String> dims = DimensionNames.of(ds, shape.length, path);
    var attributes = Attributes.of(ds);
    ValueDecoder decoder = numeric ? null : new ValueDecoder(tree, storage, key, path);
    byte[] sourceFill = numeric ? storedFill : new byte[1];

    // What a task rebuilds the decoding from (chunked and contiguous layouts) with no request.
    StoredType task =
        decoding.needsOnlyChunks()
            ? new StoredType(
                bytesOf(message != null ? message : SharedDatatype.message(ds, storage, path)),
                jhdfNumeric,
                storedFill)
            : null;
    if (ds instanceof ChunkedDatasetBase chunked) {
      int[] chunk = chunked.getChunkDimensions();
      ChunkGrid grid = new ChunkGrid(shape, chunk);
      checkChunkFitsABuffer(grid, elementSize, path);
      FilterPipeline pipeline = FilterPipeline.of(specs, elementSize, path);
      boolean unfilteredEdges = !specs.isEmpty() && partialEdgeChunksUnfiltered(ds, layout);
      Memo<List<Hdf5ChunkLocation>> index =
          new Memo<>(
              () ->
                  List.copyOf(
                      Jhdf.call(
                          () ->
                              ChunkIndexReader.read(
                                  storage, chunked, grid, elementSize, fileSize, path),
                          key,
                          path)));
      Supplier<ChunkSource> source =
          new Memo<>(
              () ->
                  chunkedValues(
                      store,
                      key,
                      path,
                      grid,
                      decoding,
                      storedFill,
                      pipeline,
                      unfilteredEdges,
                      index.get(),
                      raw -> raw));
      return new Hdf5Dataset(
          path,
          type,
          kind,
          grid,
          Hdf5Layout.CHUNKED,
          ChunkIndexReader.indexType(layout),
          pipeline,
          fill,
          dims,
          attributes,
          index,
          source,
          decoder,
          -1,
          unfilteredEdges,
          task);
    }
    byte[] virtualLayout = VirtualLayoutMask.original(storage, ds.getAddress());
    if (virtualLayout != null) {
      return virtual(virtualLayout, path, type, kind, shape, fill, dims, attributes);
    }
    if (!specs.isEmpty()) {
      throw new Hdf5FormatException("Unchunked dataset '" + path + "' declares filters");
    }
    if (layout instanceof ContiguousDataLayoutMessage contiguous) {
      ChunkGrid grid =
          new ChunkGrid(
              shape,
              ContiguousChunkSource.syntheticChunks(shape, elementSize, contiguousChunkBytes));
      ChunkGrid stored = numeric ? grid : withElementAxis(grid, elementSize);
      long dataOffset = contiguousOffset(contiguous, shape, elementSize, path);
      ChunkSource source =
          valued(
              new ContiguousChunkSource(store, key, stored, storedType, sourceFill, dataOffset),
              type,
              numeric,
              fill);
      return new Hdf5Dataset(
          path,
          type,
          kind,
          grid,
          Hdf5Layout.CONTIGUOUS,
          "none",
          FilterPipeline.none(),
          fill,
          dims,
          attributes,
          List::of,
          () -> source,
          decoder,
          dataOffset,
          false,
          task);
    }
    if (layout instanceof CompactDataLayoutMessage compact) {
      int[] chunk = Arrays.stream(shape).mapToInt(s -> (int) Math.max(1, s)).toArray();
      ChunkGrid grid = new ChunkGrid(shape, chunk);
      byte[] data = bytesOf(compact.getDataBuffer());
      ChunkSource source = compactValues(grid, decoding, storedFill, data);
      return new Hdf5Dataset(
          path,
          type,
          kind,
          grid,
          Hdf5Layout.COMPACT,
          "none",
          FilterPipeline.none(),
          fill,
          dims,
          attributes,
          List::of,
          () -> source,
          decoder,
          -1,
          false,
          task == null ? null : task.withCompactData(data));
    }
    throw new Hdf5UnsupportedException("layout " + layout.getClass().getSimpleName(), path);
  }

  /**
   * A virtual dataset: its mappings resolved against the sources now (their extents give an
   * unlimited virtual dataset its extent), its chunks assembled from the sources when read.
   */
  private Hdf5Dataset virtual(
      byte[] layout,
      String path,
      ElementType type,
      Hdf5ElementType kind,
      long[] declaredShape,
      byte[] fill,
      List<String> dims,
      java.util.Map<String, Object> attributes) {
    if (!kind.isNumeric() || !type.equals(new ElementType(type.dataType(), type.bigEndian()))) {
      throw new Hdf5UnsupportedException(
          "virtual dataset of " + kind.describe() + " (only plain numeric types are assembled)",
          path);
    }
    List<VirtualMapping> mappings = VirtualMapping.read(storage, layout, path);
    VirtualResolver.Resolved resolved =
        VirtualResolver.resolve(mappings, declaredShape, type.dataType(), virtualSources, path);
    long[] shape = resolved.shape();
    int elementSize = type.dataType().byteSize();
    ChunkGrid grid =
        new ChunkGrid(
            shape, ContiguousChunkSource.syntheticChunks(shape, elementSize, contiguousChunkBytes));
    ChunkSource source = new VirtualChunkSource(grid, type.dataType(), fill, resolved.mappings());
    return new Hdf5Dataset(
        path,
        new ElementType(type.dataType(), false),
        kind,
        grid,
        Hdf5Layout.VIRTUAL,
        "none",
        FilterPipeline.none(),
        fill,
        dims,
        attributes,
        List::of,
        () -> source,
        null,
        -1,
        false,
        null);
  }

  /**
   * The v4 layout message's "do not filter partial edge chunks" flag (H5Pset_chunk_opts): chunks
   * reaching past the dataset's edge are then stored unfiltered. jhdf does not expose the flags, so
   * the message is read from the object header.
   */
  private boolean partialEdgeChunksUnfiltered(DatasetBase ds, DataLayoutMessage layout) {
    if (!(layout instanceof io.jhdf.object.message.DataLayoutMessage.ChunkedDataLayoutMessageV4)) {
      return false;
    }
    ByteBuffer raw = ObjectHeaderMessages.first(storage, ds.getAddress(), LAYOUT_MESSAGE, false);
    // Flag bit 0 of the v4 message (H5O_LAYOUT_CHUNK_DONT_FILTER_PARTIAL_BOUND_CHUNKS).
    return raw != null && raw.remaining() > 2 && raw.get(0) == 4 && (raw.get(2) & 0x01) != 0;
  }

  private static final int LAYOUT_MESSAGE = 0x0008;

  /**
   * How a dataset's elements are decoded, made from its datatype message alone: numbers as jhdf
   * reads them ({@code tree} null), strings, compounds, enums and arrays by {@link Hdf5TypeTree},
   * gathered as raw bytes (a uint8 {@code type}).
   */
  record Decoding(ElementType type, Hdf5ElementType kind, Hdf5TypeTree tree, int elementSize) {
    static Decoding ofNumbers(io.jhdf.object.datatype.DataType dataType, String path) {
      return new Decoding(
          ElementType.of(dataType, path),
          ElementType.kindOf(dataType, path),
          null,
          dataType.getSize());
    }

    static Decoding ofTree(Hdf5TypeTree tree, String path) {
      if (tree.kind().isNumeric()) {
        throw new Hdf5FormatException(
            "Dataset '" + path + "': jhdf and its datatype message disagree (corrupt file?)");
      }
      return new Decoding(new ElementType(DataType.UINT8, false), tree.kind(), tree, tree.size());
    }

    boolean numeric() {
      return kind.isNumeric();
    }

    /** One element of the fill value as read: n-bit values unpacked, bfloat16 widened. */
    byte[] valueFill(byte[] storedFill) {
      return type.packed()
          ? NbitIntegerSource.values(storedFill, type)
          : type.bfloat16() ? Bfloat16ChunkSource.widen(storedFill) : storedFill;
    }

    /**
     * Whether a task decodes these elements from the datatype message and its chunks alone, with no
     * other part of the file: n-bit and bfloat16 numbers, and strings, compounds, enums and arrays
     * of fixed-size leaves (variable-length data lives in the file's global heap). Plain numbers
     * travel as their element type ({@link Hdf5TaskChunks}), so they need no message.
     */
    boolean needsOnlyChunks() {
      return tree == null ? type.packed() || type.bfloat16() : fixedSize(tree);
    }

    private static boolean fixedSize(Hdf5TypeTree t) {
      if (t instanceof Hdf5TypeTree.Leaf leaf) {
        io.jhdf.object.datatype.DataType j = leaf.jhdf();
        return j instanceof io.jhdf.object.datatype.FixedPoint
            || j instanceof io.jhdf.object.datatype.FloatingPoint
            || j instanceof io.jhdf.object.datatype.BitField
            || j instanceof io.jhdf.object.datatype.StringData;
      }
      if (t instanceof Hdf5TypeTree.Array a) {
        return fixedSize(a.element());
      }
      if (t instanceof Hdf5TypeTree.Compound c) {
        return c.fields().stream().allMatch(f -> fixedSize(f.type()));
      }
      return t instanceof Hdf5TypeTree.Enum;
    }
  }

  /**
   * What a task rebuilds a chunked dataset's {@link Decoding} from, with no request: the body of
   * its datatype message and one element of its fill value, as stored.
   */
  static final class StoredType implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final byte[] message;
    private final boolean numbers;
    private final byte[] storedFill;
    // A compact dataset's data as stored in its object header (under 64 KiB), else null.
    private final byte[] compactData;

    StoredType(byte[] message, boolean numbers, byte[] storedFill) {
      this(message, numbers, storedFill, null);
    }

    private StoredType(byte[] message, boolean numbers, byte[] storedFill, byte[] compactData) {
      this.message = message;
      this.numbers = numbers;
      this.storedFill = storedFill;
      this.compactData = compactData;
    }

    /** This type with a compact dataset's stored data, so a task needs nothing of the file. */
    StoredType withCompactData(byte[] data) {
      return new StoredType(message, numbers, storedFill, data.clone());
    }

    /** Whether it carries a compact dataset's data ({@link #withCompactData}). */
    boolean compact() {
      return compactData != null;
    }

    Decoding decoding(String path) {
      ByteBuffer body = ByteBuffer.wrap(message).order(java.nio.ByteOrder.LITTLE_ENDIAN);
      return numbers
          ? Decoding.ofNumbers(io.jhdf.object.datatype.DataType.readDataType(body), path)
          : Decoding.ofTree(Hdf5TypeTree.parse(body, path), path);
    }

    byte[] storedFill() {
      return storedFill.clone();
    }
  }

  /**
   * The values of a chunked dataset's stored chunks at {@code locations} (on the dataset's grid):
   * fetched by range and unfiltered by {@code raw}'s source, which {@code restrict} may wrap (a
   * task's: only its chunks), then decoded as {@code d} says.
   */
  static ChunkSource chunkedValues(
      ObjectStore store,
      String key,
      String path,
      ChunkGrid grid,
      Decoding d,
      byte[] storedFill,
      FilterPipeline pipeline,
      boolean unfilteredEdges,
      List<Hdf5ChunkLocation> locations,
      java.util.function.UnaryOperator<ChunkSource> restrict) {
    boolean numeric = d.numeric();
    ChunkSource raw =
        new Hdf5ChunkSource(
            store,
            key,
            path,
            numeric ? grid : withElementAxis(grid, d.elementSize()),
            d.type().stored(),
            numeric ? storedFill : new byte[1],
            pipeline,
            unfilteredEdges ? grid : null,
            numeric ? locations : withElementAxis(locations));
    return valued(restrict.apply(raw), d.type(), numeric, d.valueFill(storedFill));
  }

  /**
   * A chunked dataset as a task sees it, rebuilt from what travelled: {@code stored}'s decoding,
   * the task's chunk locations and filters; no attributes, no request until chunks are read.
   */
  static Hdf5Dataset forTask(
      ObjectStore store,
      String key,
      String path,
      ChunkGrid grid,
      StoredType stored,
      FilterPipeline pipeline,
      boolean unfilteredEdges,
      List<Hdf5ChunkLocation> locations,
      java.util.function.UnaryOperator<ChunkSource> restrict) {
    Decoding d = stored.decoding(path);
    byte[] storedFill = stored.storedFill();
    ChunkSource source =
        chunkedValues(
            store, key, path, grid, d, storedFill, pipeline, unfilteredEdges, locations, restrict);
    List<String> dims = new ArrayList<>();
    for (int k = 0; k < grid.rank(); k++) {
      dims.add("dim_" + k);
    }
    return new Hdf5Dataset(
        path,
        d.type(),
        d.kind(),
        grid,
        Hdf5Layout.CHUNKED,
        "planned",
        pipeline,
        d.valueFill(storedFill),
        dims,
        java.util.Map.of(),
        () -> locations,
        () -> source,
        d.numeric() ? null : new ValueDecoder(d.tree(), null, key, path),
        -1,
        unfilteredEdges,
        null);
  }

  /**
   * A contiguous or compact dataset as a task sees it, rebuilt from what travelled: {@code
   * stored}'s decoding and, for contiguous data, the data's offset ({@code -1}: never allocated,
   * all fill), for compact data the data itself ({@link StoredType#withCompactData}); no
   * attributes, no request until contiguous elements are read, none at all for compact ones.
   */
  static Hdf5Dataset unchunkedForTask(
      ObjectStore store, String key, String path, ChunkGrid grid, StoredType stored, long offset) {
    Decoding d = stored.decoding(path);
    byte[] storedFill = stored.storedFill();
    boolean numeric = d.numeric();
    ChunkSource source =
        stored.compact()
            ? compactValues(grid, d, storedFill, stored.compactData)
            : valued(
                new ContiguousChunkSource(
                    store,
                    key,
                    numeric ? grid : withElementAxis(grid, d.elementSize()),
                    d.type().stored(),
                    numeric ? storedFill : new byte[1],
                    offset),
                d.type(),
                numeric,
                d.valueFill(storedFill));
    List<String> dims = new ArrayList<>();
    for (int k = 0; k < grid.rank(); k++) {
      dims.add("dim_" + k);
    }
    return new Hdf5Dataset(
        path,
        d.type(),
        d.kind(),
        grid,
        stored.compact() ? Hdf5Layout.COMPACT : Hdf5Layout.CONTIGUOUS,
        "none",
        FilterPipeline.none(),
        d.valueFill(storedFill),
        dims,
        java.util.Map.of(),
        List::of,
        () -> source,
        numeric ? null : new ValueDecoder(d.tree(), null, key, path),
        stored.compact() ? -1 : offset,
        false,
        null);
  }

  /**
   * A compact dataset's values on its (one-chunk) {@code grid}, from {@code stored}, its data as
   * the object header holds it (the order of the file; not modified).
   */
  private static ChunkSource compactValues(
      ChunkGrid grid, Decoding d, byte[] storedFill, byte[] stored) {
    boolean numeric = d.numeric();
    byte[] data = stored.clone();
    if (d.type().bigEndian()) {
      Endian.swapInPlace(data, d.elementSize());
    }
    return valued(
        new CompactChunkSource(
            numeric ? grid : withElementAxis(grid, d.elementSize()),
            d.type().stored().dataType(),
            numeric ? storedFill : new byte[1],
            data),
        d.type(),
        numeric,
        d.valueFill(storedFill));
  }

  private static byte[] bytesOf(ByteBuffer body) {
    ByteBuffer b = body.duplicate();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  /**
   * The values of a source of stored bits: bfloat16 widened, n-bit types unpacked, non-numeric
   * elements filled.
   */
  private static ChunkSource valued(
      ChunkSource raw, ElementType type, boolean numeric, byte[] elementFill) {
    if (type.bfloat16()) {
      return new Bfloat16ChunkSource(raw);
    }
    if (!numeric) {
      return new ElementFillChunkSource(raw, elementFill);
    }
    return type.packed() ? new NbitIntegerSource(raw, type) : raw;
  }

  /** The grid of the raw-byte view: one more axis holding each element's bytes, whole. */
  private static ChunkGrid withElementAxis(ChunkGrid grid, int elementSize) {
    long[] shape = Arrays.copyOf(grid.arrayShape(), grid.rank() + 1);
    int[] chunk = Arrays.copyOf(grid.chunkShape(), grid.rank() + 1);
    shape[grid.rank()] = elementSize;
    chunk[grid.rank()] = elementSize;
    return new ChunkGrid(shape, chunk);
  }

  /** Chunk locations of the dataset's grid, placed in the raw-byte view's grid. */
  private static List<Hdf5ChunkLocation> withElementAxis(List<Hdf5ChunkLocation> chunks) {
    return chunks.stream()
        .map(
            c ->
                new Hdf5ChunkLocation(
                    Arrays.copyOf(c.chunkCoords(), c.chunkCoords().length + 1),
                    c.offset(),
                    c.storedSize(),
                    c.filterMask()))
        .toList();
  }

  private long contiguousOffset(
      ContiguousDataLayoutMessage layout, long[] shape, int elementSize, String path) {
    if (Hdf5Address.undefined(layout.getAddress(), storage)) {
      return -1;
    }
    long bytes = elementSize;
    for (long s : shape) {
      bytes = Math.multiplyExact(bytes, s);
    }
    long offset = layout.getAddress() + storage.getUserBlockSize();
    if (offset < 0 || offset + bytes > fileSize) {
      throw new Hdf5FormatException(
          "Contiguous data of '"
              + path
              + "' at bytes ["
              + offset
              + ", "
              + (offset + bytes)
              + ") lies beyond the end of '"
              + key
              + "' ("
              + fileSize
              + " bytes): truncated?");
    }
    return offset;
  }

  /**
   * A chunk is decoded into one array; libhdf5 allows up to 4 GiB, Java arrays hold 2 GiB. Checked
   * at open, since corrupt chunk dimensions would otherwise overflow the size computation later.
   */
  private static void checkChunkFitsABuffer(ChunkGrid grid, int elementSize, String path) {
    long bytes;
    try {
      bytes = Math.multiplyExact(grid.chunkElements(), (long) elementSize);
    } catch (ArithmeticException e) {
      bytes = Long.MAX_VALUE;
    }
    if (bytes > Integer.MAX_VALUE - 8) {
      throw new Hdf5UnsupportedException(
          "chunks of "
              + Arrays.toString(grid.chunkShape())
              + " elements of "
              + elementSize
              + " bytes (over 2 GiB per chunk)",
          path);
    }
  }

  /**
   * The fill value message's value, else the old fill value message's, else zero (libhdf5's). A
   * string, compound or enum fill value stays as stored (its decoder reads the file's order).
   */
  private static byte[] fillValue(DatasetBase ds, int size, boolean bigEndian, String path) {
    var header = ds.getHeader();
    ByteBuffer stored = null;
    if (header.hasMessageOfType(FillValueMessage.class)) {
      FillValueMessage m = header.getMessageOfType(FillValueMessage.class);
      if (m.isFillValueDefined()) {
        stored = m.getFillValue();
      }
    } else if (header.hasMessageOfType(FillValueOldMessage.class)) {
      stored = header.getMessageOfType(FillValueOldMessage.class).getFillValue();
    }
    byte[] fill = new byte[size];
    if (stored == null || stored.remaining() == 0) {
      return fill;
    }
    if (stored.remaining() != size) {
      throw new Hdf5FormatException(
          "Fill value of '" + path + "' has " + stored.remaining() + " bytes, expected " + size);
    }
    stored.duplicate().get(fill);
    return bigEndian ? Endian.swapInPlace(fill, size) : fill;
  }

  private static List<FilterSpec> filterSpecs(DatasetBase ds) {
    var header = ds.getHeader();
    if (!header.hasMessageOfType(FilterPipelineMessage.class)) {
      return List.of();
    }
    List<FilterSpec> specs = new ArrayList<>();
    for (FilterPipelineMessage.FilterInfo f :
        header.getMessageOfType(FilterPipelineMessage.class).getFilters()) {
      specs.add(new FilterSpec(f.getId(), filterName(f), f.isOptional(), f.getData()));
    }
    return specs;
  }

  private static String filterName(FilterPipelineMessage.FilterInfo f) {
    return switch (f.getId()) {
      case 1 -> "deflate";
      case 2 -> "shuffle";
      case 3 -> "fletcher32";
      case 4 -> "szip";
      case 5 -> "nbit";
      case 6 -> "scaleoffset";
      case 307 -> "bzip2";
      case 32000 -> "lzf";
      case 32004 -> "lz4";
      default -> f.getName();
    };
  }
}
