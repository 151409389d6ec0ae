package io.arraymorph.api;

import io.arraymorph.array.ChunkGrid;
import io.arraymorph.array.DataType;
import io.arraymorph.array.Hyperslab;
import io.arraymorph.array.NdArray;
import io.arraymorph.engine.ArrayReader;
import io.arraymorph.scan.VersionCheck;
import io.arraymorph.store.Futures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A dataset in a format ArrayMorph reads but does not write (Zarr v2, HDF5, ArrayMorph's legacy
 * layout): reads go through the shared engine; writes fail with a message saying how to convert.
 */
public abstract class ReadOnlyDataset implements Dataset {
  private final String path;
  private final String formatName;
  private final int maxInFlight;

  protected ReadOnlyDataset(String path, String formatName, int maxInFlight) {
    this.path = path;
    this.formatName = formatName;
    this.maxInFlight = maxInFlight;
  }

  @Override
  public String path() {
    return path;
  }

  @Override
  public DataType dataType() {
    return chunkSource().dataType();
  }

  @Override
  public ChunkGrid grid() {
    return chunkSource().grid();
  }

  @Override
  public long[] shape() {
    return grid().arrayShape();
  }

  @Override
  public int[] chunkShape() {
    return grid().chunkShape();
  }

  /**
   * The xarray convention's {@code _ARRAY_DIMENSIONS} attribute when it names every dimension, else
   * {@code dim_0, dim_1, ...}.
   */
  @Override
  public List<String> dimensionNames() {
    Object recorded = attributes().get("_ARRAY_DIMENSIONS");
    if (recorded instanceof List<?> list && list.size() == grid().rank()) {
      return list.stream().map(String::valueOf).toList();
    }
    List<String> names = new ArrayList<>();
    for (int d = 0; d < grid().rank(); d++) {
      names.add("dim_" + d);
    }
    return names;
  }

  @Override
  public Map<String, Object> attributes() {
    return Map.of();
  }

  @Override
  public NdArray read(Hyperslab selection) {
    return Futures.join(readAsync(selection));
  }

  /**
   * Reads through the one chunk fetch loop; a dataset whose chunks are read at places planned when
   * it was opened ({@link #fileCheck}) is checked after the read, and a failure explained, by
   * {@link VersionCheck#checked}.
   */
  @Override
  public CompletableFuture<NdArray> readAsync(Hyperslab selection) {
    return VersionCheck.checked(
        new ArrayReader(chunkSource(), maxInFlight).readAsync(selection), fileCheck());
  }

  /**
   * Keeps a read of this dataset's chunks made through {@link #chunkSource()} directly (a rechunk
   * task copying decoded chunks straight into its target chunks) to the check {@link #readAsync}
   * makes: {@link VersionCheck#checked} with this dataset's {@link #fileCheck}.
   */
  public final <T> CompletableFuture<T> checked(CompletableFuture<T> read) {
    return VersionCheck.checked(read, fileCheck());
  }

  /**
   * What checks that the files this dataset's chunks are read from are still those it was opened on
   * (e.g. kerchunk's data files), or null when there is nothing to check.
   */
  protected Runnable fileCheck() {
    return null;
  }

  @Override
  public void write(long[] offset, NdArray data) {
    throw readOnly();
  }

  @Override
  public void setAttributes(Map<String, Object> attributes) {
    throw readOnly();
  }

  private UnsupportedOperationException readOnly() {
    return new UnsupportedOperationException(
        "Dataset '"
            + path
            + "' is "
            + formatName
            + ", which ArrayMorph reads but does not modify; copy it into a Zarr v3 dataset to"
            + " write to it");
  }

  @Override
  public String toString() {
    return formatName
        + " dataset '"
        + path
        + "' "
        + dataType().zarrName()
        + java.util.Arrays.toString(shape());
  }
}
