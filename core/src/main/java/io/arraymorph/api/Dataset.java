package io.arraymorph.api;

import io.arraymorph.array.ChunkGrid;
import io.arraymorph.array.DataType;
import io.arraymorph.array.Hyperslab;
import io.arraymorph.array.NdArray;
import io.arraymorph.engine.ChunkSource;
import io.arraymorph.hdf5.Hdf5ElementType;
import io.arraymorph.hdf5.Hdf5Values;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** A chunked N-dimensional array in a store: its metadata, reads of selections, and writes. */
public interface Dataset {

  /** The dataset's path from the store's root, e.g. {@code values} or {@code group/temperature}. */
  String path();

  /**
   * The numeric type elements are read as.
   *
   * @throws UnsupportedOperationException when elements are not numbers ({@link #readsValues()})
   */
  DataType dataType();

  /**
   * What one element is: a number of {@link #dataType()} for every format, or for HDF5 and NetCDF4
   * also a string, compound, enum, boolean or fixed-size array, which are read as values ({@link
   * #readValuesAsync}). Callers (the Spark schema, the CLI) describe and read a dataset from this,
   * never from its format class.
   */
  default Hdf5ElementType elementType() {
    return new Hdf5ElementType.Numeric(dataType(), false);
  }

  /** Whether elements are read as values ({@link #readValuesAsync}) rather than numbers. */
  default boolean readsValues() {
    return !elementType().isNumeric();
  }

  /** Bytes one element takes in decoded chunks (16 for HDF5 variable-length strings). */
  default int elementBytes() {
    return dataType().byteSize();
  }

  long[] shape();

  int[] chunkShape();

  ChunkGrid grid();

  /** One name per dimension; {@code dim_<d>} where the format records none. */
  List<String> dimensionNames();

  /** User attributes (JSON values: strings, numbers, booleans, lists, maps). */
  Map<String, Object> attributes();

  /** The codecs or filters chunks are stored with, e.g. {@code bytes(little), zstd(3)}. */
  String codecDescription();

  /**
   * The object key (from the store's root) holding the chunk at {@code chunkCoords}, for formats
   * that store one object per chunk (Zarr v3 and v2, ArrayMorph's layout); empty for formats whose
   * chunks live inside a file (HDF5, kerchunk references).
   */
  default Optional<String> chunkObjectKey(long[] chunkCoords) {
    return Optional.empty();
  }

  /**
   * The version this handle was opened at, or -1 when the dataset records none (only datasets
   * ArrayMorph wrote record one); readers that must see one version check it with {@link
   * io.arraymorph.scan.VersionCheck}.
   */
  default long generation() {
    return -1;
  }

  /** Whether a writer was publishing a new version when this handle read the metadata. */
  default boolean publishing() {
    return false;
  }

  /**
   * For a dataset seen {@link #publishing()}: the error to refuse reads with when no writer is
   * publishing it any more (its publication was interrupted and needs a repair), else empty. Makes
   * requests (the writer lock, the metadata again); call it only when publishing.
   */
  default Optional<io.arraymorph.InterruptedPublicationException> interruptedPublication() {
    return Optional.empty();
  }

  /** Fetches and decodes chunks; what planners (the Spark connector) read through. */
  ChunkSource chunkSource();

  /**
   * Reads a selection into a new array of the hyperslab's shape, fetching only overlapping chunks.
   *
   * @throws IndexOutOfBoundsException when the selection leaves the array
   */
  NdArray read(Hyperslab selection);

  /** Reads a selection asynchronously. */
  CompletableFuture<NdArray> readAsync(Hyperslab selection);

  /**
   * Reads a selection of a dataset whose elements are values ({@link #readsValues()}): strings,
   * compounds, enums, booleans, arrays.
   *
   * @throws UnsupportedOperationException for datasets of numbers (use {@link #readAsync})
   */
  default CompletableFuture<Hdf5Values> readValuesAsync(Hyperslab selection) {
    throw new UnsupportedOperationException(
        "Dataset '"
            + path()
            + "' holds numbers ("
            + dataType().zarrName()
            + "): read it with read()");
  }

  /** Reads the whole array. */
  default NdArray read() {
    return read(Hyperslab.all(shape()));
  }

  /** Reads the box {@code [start, start + count)}. */
  default NdArray read(long[] start, long[] count) {
    return read(Hyperslab.box(start, count));
  }

  /**
   * Writes {@code data} with its first element at {@code offset}. Chunks only partly covered keep
   * their other elements. Onto a stored dataset this is the write protocol Spark and the CLI use
   * ({@link io.arraymorph.write.RegionWrite}): under the dataset's writer lock, staged, then
   * published at once as the next version, with the stored codecs and fill value. It has a fixed
   * cost of about 16 requests per call (docs/format.md): write large regions per call.
   *
   * @throws IllegalArgumentException when the data type differs from the dataset's
   * @throws IndexOutOfBoundsException when the data reaches past the dataset's shape
   * @throws UnsupportedOperationException for read-only formats (HDF5, Zarr v2), or a store that
   *     cannot hold a writer lock
   * @throws io.arraymorph.ConcurrentWriteException when another job holds the dataset's writer lock
   *     (nothing is written)
   */
  void write(long[] offset, NdArray data);

  /** Replaces the user attributes. */
  void setAttributes(Map<String, Object> attributes);
}
