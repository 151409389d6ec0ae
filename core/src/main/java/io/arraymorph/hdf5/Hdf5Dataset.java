package io.arraymorph.hdf5;

import io.arraymorph.api.Dataset;
import io.arraymorph.api.NodeInfo;
import io.arraymorph.api.PlannedFile;
import io.arraymorph.array.ChunkGrid;
import io.arraymorph.array.DataType;
import io.arraymorph.array.Hyperslab;
import io.arraymorph.array.NdArray;
import io.arraymorph.engine.ArrayReader;
import io.arraymorph.engine.ChunkSource;
import io.arraymorph.hdf5.filter.FilterPipeline;
import io.arraymorph.hdf5.filter.FilterSpec;
import io.arraymorph.scan.VersionCheck;
import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * One dataset of an HDF5 or netCDF-4 file: its metadata, its chunk index and a {@link ChunkSource}
 * that reads chunks straight from the store. Read-only.
 *
 * <p>Numeric datasets are read as arrays ({@link #read}). Datasets of strings, compounds, enums,
 * h5py booleans and array types ({@link #elementType()}) are read as Java values with {@link
 * #readValues}: their chunks are planned, fetched and filter-decoded the same way, then each
 * element's bytes are decoded (variable-length strings are looked up in the file's global heap
 * through the metadata channel). Their numeric-array methods ({@link #dataType()}, {@link #read},
 * {@link #chunkSource()}) throw {@link UnsupportedOperationException}.
 *
 * <p>Contiguous and compact datasets get a chunk grid too (synthetic runs of about {@link
 * Hdf5ReadOptions#contiguousChunkBytes()} for contiguous data, one chunk for compact data), so
 * every layout is read by the same engine.
 */
public final class Hdf5Dataset implements Dataset {
  private static final int READ_PARALLELISM = 16;

  private final String path;
  private final ElementType type;
  private final Hdf5ElementType elementType;
  private final ValueDecoder decoder;
  private final ChunkGrid grid;
  private final Hdf5Layout layout;
  private final String indexType;
  private final FilterPipeline pipeline;
  private final byte[] fillValue;
  private final List<String> dimensionNames;
  private final Map<String, Object> attributes;
  private final Supplier<List<Hdf5ChunkLocation>> chunkIndex;
  private final Supplier<ChunkSource> source;
  private final long contiguousOffset;
  private final boolean unfilteredEdgeChunks;
  private final Runnable fileCheck;
  private final DatasetOpener.StoredType storedType;

  Hdf5Dataset(
      String path,
      ElementType type,
      Hdf5ElementType elementType,
      ChunkGrid grid,
      Hdf5Layout layout,
      String indexType,
      FilterPipeline pipeline,
      byte[] fillValue,
      List<String> dimensionNames,
      Map<String, Object> attributes,
      Supplier<List<Hdf5ChunkLocation>> chunkIndex,
      Supplier<ChunkSource> source,
      ValueDecoder decoder,
      long contiguousOffset,
      boolean unfilteredEdgeChunks,
      DatasetOpener.StoredType storedType) {
    this.path = path;
    this.storedType = storedType;
    this.unfilteredEdgeChunks = unfilteredEdgeChunks;
    this.type = type;
    this.elementType = elementType;
    this.decoder = decoder;
    this.grid = grid;
    this.layout = layout;
    this.indexType = indexType;
    this.pipeline = pipeline;
    this.fillValue = fillValue.clone();
    this.dimensionNames = List.copyOf(dimensionNames);
    this.attributes = attributes;
    this.chunkIndex = chunkIndex;
    this.source = source;
    this.contiguousOffset = contiguousOffset;
    this.fileCheck = null;
  }

  private Hdf5Dataset(Hdf5Dataset of, Runnable fileCheck) {
    this.path = of.path;
    this.unfilteredEdgeChunks = of.unfilteredEdgeChunks;
    this.type = of.type;
    this.elementType = of.elementType;
    this.decoder = of.decoder;
    this.grid = of.grid;
    this.layout = of.layout;
    this.indexType = of.indexType;
    this.pipeline = of.pipeline;
    this.fillValue = of.fillValue;
    this.dimensionNames = of.dimensionNames;
    this.attributes = of.attributes;
    this.chunkIndex = of.chunkIndex;
    this.source = of.source;
    this.contiguousOffset = of.contiguousOffset;
    this.storedType = of.storedType;
    this.fileCheck = fileCheck;
  }

  /**
   * This dataset, its reads checked against {@code file} (the file as {@link Hdf5File#open} opened
   * it from {@code store}): a read of a file replaced since, even by one of the same size, fails
   * naming it. Where the store can, the file's reads check that themselves ({@link
   * PlannedFile#checkedByReads}: {@link Hdf5File#open} pinned them, no request on S3 and Azure);
   * elsewhere one HEAD after each read does ({@link io.arraymorph.scan.VersionCheck#checked}). What
   * the Java API's {@link io.arraymorph.api.ArrayStore#dataset(String)} opens.
   */
  public Hdf5Dataset checkingFile(PlannedFile file, ObjectStore store) {
    if (file.checkedByReads(store)) {
      return this;
    }
    String where = store.describe();
    return new Hdf5Dataset(this, () -> file.verify(store, where));
  }

  @Override
  public String path() {
    return path;
  }

  /**
   * The numeric element type.
   *
   * @throws UnsupportedOperationException for string, compound and enum datasets
   */
  @Override
  public DataType dataType() {
    requireNumeric();
    return type.dataType();
  }

  /** What an element is: a number, a string, a compound, an enum, a boolean or an array. */
  @Override
  public Hdf5ElementType elementType() {
    return elementType;
  }

  /** Bytes per element as stored (16 for variable-length strings: a global heap reference). */
  @Override
  public int elementBytes() {
    return fillValue.length;
  }

  /**
   * Whether numbers are stored big-endian in the file (they are always returned little-endian);
   * false for other element kinds.
   */
  public boolean storedBigEndian() {
    return type.bigEndian();
  }

  /**
   * Why the stored chunks, once unfiltered, are not the values in {@link #dataType()} as other
   * readers of byte ranges (kerchunk, Zarr) would take them, or null when they are: bfloat16 is
   * widened to float32 here, and partial edge chunks stored unfiltered skip the filters.
   */
  public String storedBytesDiffer() {
    if (type.bfloat16()) {
      return "bfloat16 values (read here as float32; Zarr v2 has no bfloat16 dtype)";
    }
    if (unfilteredEdgeChunks) {
      return "partial edge chunks stored unfiltered (a Zarr codec chain would filter them)";
    }
    if (type.packed()) {
      return "n-bit values (no Zarr dtype describes their stored bits)";
    }
    return null;
  }

  /**
   * What a task rebuilds this chunked or contiguous dataset's decoding from with no request (its
   * datatype message, its stored fill value), or null when its elements are plain numbers (they
   * travel as their type) or need more of the file (variable-length data, in the global heap).
   */
  DatasetOpener.StoredType storedType() {
    return storedType;
  }

  /** Whether partial edge chunks are stored unfiltered. */
  boolean unfilteredEdgeChunks() {
    return unfilteredEdgeChunks;
  }

  @Override
  public long[] shape() {
    return grid.arrayShape();
  }

  /** The chunk shape: the file's for chunked datasets, the synthetic one for the other layouts. */
  @Override
  public int[] chunkShape() {
    return grid.chunkShape();
  }

  @Override
  public ChunkGrid grid() {
    return grid;
  }

  public Hdf5Layout layout() {
    return layout;
  }

  /**
   * The chunk index type: {@code btree-v1}, {@code single-chunk}, {@code implicit}, {@code
   * fixed-array}, {@code extensible-array}, {@code btree-v2}; {@code none} for other layouts.
   */
  public String indexType() {
    return indexType;
  }

  /** The filter pipeline in encoding order. */
  public List<FilterSpec> filters() {
    return pipeline.specs();
  }

  /**
   * One element of the fill value: little-endian for numbers, as stored in the file for the other
   * kinds.
   */
  public byte[] fillValue() {
    return fillValue.clone();
  }

  @Override
  public List<String> dimensionNames() {
    return dimensionNames;
  }

  @Override
  public Map<String, Object> attributes() {
    return attributes;
  }

  @Override
  public String codecDescription() {
    String bytes = decoder == null ? "bytes(" + (type.bigEndian() ? "big" : "little") + ")" : "";
    String filters = pipeline.describe();
    return bytes.isEmpty() ? filters : bytes + ", " + filters;
  }

  /**
   * Every stored chunk of a chunked dataset (never-written chunks are absent), read from the chunk
   * index on first use. Empty for contiguous and compact datasets.
   *
   * @throws Hdf5FormatException when the index is corrupt or points past the end of the file
   */
  public List<Hdf5ChunkLocation> chunkIndex() {
    return chunkIndex.get();
  }

  /**
   * Where a contiguous dataset's elements start in the file (user block included), stored in C
   * order and in the file's byte order; empty for other layouts and when no storage was ever
   * allocated (every element is the fill value). Lets the data be referenced in place, e.g. by
   * kerchunk.
   */
  public java.util.OptionalLong contiguousDataOffset() {
    return contiguousOffset < 0
        ? java.util.OptionalLong.empty()
        : java.util.OptionalLong.of(contiguousOffset);
  }

  /**
   * The numeric chunks.
   *
   * @throws UnsupportedOperationException for string, compound and enum datasets
   */
  @Override
  public ChunkSource chunkSource() {
    requireNumeric();
    return source.get();
  }

  @Override
  public NdArray read(Hyperslab selection) {
    return Futures.join(readAsync(selection));
  }

  @Override
  public CompletableFuture<NdArray> readAsync(Hyperslab selection) {
    return VersionCheck.checked(
        new ArrayReader(chunkSource(), READ_PARALLELISM).readAsync(selection), fileCheck);
  }

  /**
   * Reads a selection of a string, compound or enum dataset as values in C order, fetching only the
   * chunks it overlaps (and, for variable-length strings, the global heap blocks holding them).
   *
   * @throws IndexOutOfBoundsException when the selection leaves the dataset
   * @throws UnsupportedOperationException for numeric datasets (use {@link #read})
   */
  public Hdf5Values readValues(Hyperslab selection) {
    return Futures.join(readValuesAsync(selection));
  }

  /**
   * Reads a selection as values asynchronously; elements are decoded on the common fork-join pool,
   * never on a store's I/O thread (variable-length strings make metadata reads).
   */
  @Override
  public CompletableFuture<Hdf5Values> readValuesAsync(Hyperslab selection) {
    int count = Math.toIntExact(selection.size());
    return VersionCheck.checked(
        new ArrayReader(source.get(), READ_PARALLELISM)
            .readAsync(rawSelection(selection))
            .thenApplyAsync(raw -> decoder.decode(raw.bytes(), count)),
        fileCheck);
  }

  /** The selection in the raw-byte view: every byte of each selected element. */
  private Hyperslab rawSelection(Hyperslab selection) {
    if (decoder == null) {
      throw new UnsupportedOperationException(
          "Dataset '" + path + "' holds numbers (" + describeType() + "): read it with read()");
    }
    selection.checkWithin(shape());
    int rank = selection.rank();
    long[] start = new long[rank + 1];
    long[] stride = new long[rank + 1];
    long[] count = new long[rank + 1];
    long[] block = new long[rank + 1];
    for (int d = 0; d < rank; d++) {
      start[d] = selection.start(d);
      stride[d] = selection.stride(d);
      count[d] = selection.count(d);
      block[d] = selection.block(d);
    }
    stride[rank] = fillValue.length;
    count[rank] = 1;
    block[rank] = fillValue.length;
    return new Hyperslab(start, stride, count, block);
  }

  private void requireNumeric() {
    if (decoder != null) {
      throw new UnsupportedOperationException(
          "Dataset '"
              + path
              + "' holds "
              + describeType()
              + ", not numbers: read it with Hdf5Dataset.readValues (or as a Spark column)");
    }
  }

  private String describeType() {
    return elementType.describe();
  }

  /** HDF5 files are read in place and never modified. */
  @Override
  public void write(long[] offset, NdArray data) {
    throw new UnsupportedOperationException(
        "HDF5 dataset '" + path + "' is read-only; write to a Zarr store instead");
  }

  /** HDF5 files are read in place and never modified. */
  @Override
  public void setAttributes(Map<String, Object> attributes) {
    throw new UnsupportedOperationException("HDF5 dataset '" + path + "' is read-only");
  }

  /** The listing entry of this dataset. */
  public NodeInfo info() {
    return new NodeInfo(
        path,
        NodeInfo.Kind.DATASET,
        shape(),
        describeType(),
        chunkShape(),
        codecDescription(),
        dimensionNames,
        attributes);
  }

  @Override
  public String toString() {
    return "Hdf5Dataset[" + path + " " + describeType() + " " + grid + " " + layout + "]";
  }
}
