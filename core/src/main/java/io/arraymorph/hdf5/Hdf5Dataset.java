package io.arraymorph.hdf5;

import io.arraymorph.api.Dataset;
import io.arraymorph.api.NodeInfo;
import io.arraymorph.array.ChunkGrid;
import io.arraymorph.array.DataType;
import io.arraymorph.array.Hyperslab;
import io.arraymorph.array.NdArray;
import io.arraymorph.engine.ArrayReader;
import io.arraymorph.engine.ChunkSource;
import io.arraymorph.hdf5.filter.FilterPipeline;
import io.arraymorph.hdf5.filter.FilterSpec;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * One numeric dataset of an HDF5 or netCDF-4 file: its metadata, its chunk index and a {@link
 * ChunkSource} that reads chunks straight from the store. Read-only.
 *
 * <p>Contiguous and compact datasets get a chunk grid too (synthetic runs of about {@link
 * Hdf5ReadOptions#contiguousChunkBytes()} for contiguous data, one chunk for compact data), so
 * every layout is read by the same engine.
 */
public final class Hdf5Dataset implements Dataset {
  private static final int READ_PARALLELISM = 16;

  private final String path;
  private final ElementType type;
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

  Hdf5Dataset(
      String path,
      ElementType type,
      ChunkGrid grid,
      Hdf5Layout layout,
      String indexType,
      FilterPipeline pipeline,
      byte[] fillValue,
      List<String> dimensionNames,
      Map<String, Object> attributes,
      Supplier<List<Hdf5ChunkLocation>> chunkIndex,
      Supplier<ChunkSource> source,
      long contiguousOffset) {
    this.path = path;
    this.type = type;
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
  }

  @Override
  public String path() {
    return path;
  }

  @Override
  public DataType dataType() {
    return type.dataType();
  }

  /**
   * Whether elements are stored big-endian in the file (they are always returned little-endian).
   */
  public boolean storedBigEndian() {
    return type.bigEndian();
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

  /** One element of the fill value, little-endian. */
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
    return "bytes(" + (type.bigEndian() ? "big" : "little") + "), " + pipeline.describe();
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

  @Override
  public ChunkSource chunkSource() {
    return source.get();
  }

  @Override
  public NdArray read(Hyperslab selection) {
    return new ArrayReader(chunkSource(), READ_PARALLELISM).read(selection);
  }

  @Override
  public CompletableFuture<NdArray> readAsync(Hyperslab selection) {
    return new ArrayReader(chunkSource(), READ_PARALLELISM).readAsync(selection);
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
        dataType().zarrName(),
        chunkShape(),
        codecDescription(),
        dimensionNames,
        attributes);
  }

  @Override
  public String toString() {
    return "Hdf5Dataset[" + path + " " + dataType().zarrName() + " " + grid + " " + layout + "]";
  }
}
