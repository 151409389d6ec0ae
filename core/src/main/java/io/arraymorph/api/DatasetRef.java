package io.arraymorph.api;

import io.arraymorph.array.ChunkGrid;
import io.arraymorph.array.DataType;
import io.arraymorph.kerchunk.KerchunkReferences;
import io.arraymorph.legacy.LegacyDataset;
import io.arraymorph.legacy.LegacyMetadata;
import io.arraymorph.manifest.ManifestDataset;
import io.arraymorph.manifest.ManifestFormat;
import io.arraymorph.store.CostModel;
import io.arraymorph.store.Keys;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.zarr.ZarrArrayMetadata;
import io.arraymorph.zarr.ZarrDataset;
import io.arraymorph.zarr.v2.ZarrV2Dataset;
import io.arraymorph.zarr.v2.ZarrV2Metadata;
import java.io.Serializable;
import java.util.Map;
import java.util.function.Function;

/**
 * A dataset's metadata exactly as it was read once (the metadata objects' bytes and what was
 * resolved from them), small and serializable: a planner ships it to the machines that read chunks,
 * which reopen the dataset from it without any metadata request ({@link ArrayStore#dataset(
 * DatasetRef)}). Datasets whose metadata lives inside a file (HDF5, NetCDF4, kerchunk references)
 * are {@link Format#IN_FILE}: they are reopened through the file, except chunked numeric HDF5
 * datasets, whose per-task references ({@link #forChunks}) carry the task's chunk locations.
 *
 * @param path the dataset's path from the store's root
 * @param format how the bytes are to be read
 * @param metadata the metadata object's bytes ({@code zarr.json}, {@code .zarray}, {@code meta}),
 *     or null for {@link Format#IN_FILE}
 * @param attributes Zarr v2's {@code .zattrs} bytes, or null
 * @param resolvedType for ArrayMorph's layout, the element type resolved when it was opened ({@link
 *     DataType#zarrName()}), else null
 * @param inFile for {@link Format#IN_FILE}, what reading its chunks needs without parsing the file
 *     again (see {@link #forChunks}), or null when it is read through the file
 */
public record DatasetRef(
    String path,
    Format format,
    byte[] metadata,
    byte[] attributes,
    String resolvedType,
    InFileChunks inFile)
    implements Serializable {

  /** A reference with no in-file chunk information. */
  public DatasetRef(
      String path, Format format, byte[] metadata, byte[] attributes, String resolvedType) {
    this(path, format, metadata, attributes, resolvedType, null);
  }

  /** How a dataset's metadata is stored. */
  public enum Format {
    ZARR_V3,
    ZARR_V2,
    ARRAYMORPH_LAYOUT,
    IN_FILE
  }

  /** A reference to a dataset that is reopened through its file. */
  public static DatasetRef inFile(String path) {
    return new DatasetRef(path, Format.IN_FILE, null, null, null);
  }

  /**
   * A reference to a dataset inside a file whose chunks can be read without the file's metadata.
   */
  public static DatasetRef inFile(String path, InFileChunks chunks) {
    return new DatasetRef(path, Format.IN_FILE, null, null, null, chunks);
  }

  /**
   * The reference one task ships to read only {@code chunkCoords} of {@code grid}: for a dataset
   * inside a file chunked on that grid, with those chunks' locations, so the task reads them with
   * no metadata request; else this one.
   */
  public DatasetRef forChunks(ChunkGrid grid, java.util.List<long[]> chunkCoords) {
    if (inFile == null || inFile.resolved()) {
      return this;
    }
    return new DatasetRef(
        path, format, metadata, attributes, resolvedType, inFile.forChunks(grid, chunkCoords));
  }

  /** Whether {@link ArrayStore#dataset(DatasetRef)} opens it without reading the file. */
  public boolean opensWithoutFile() {
    return inFile != null && inFile.resolved();
  }

  /**
   * Builds the dataset on {@code store} from these bytes: no request is made. {@code granules}
   * resolves the granule URLs of a manifest's virtual arrays.
   */
  Dataset open(
      ObjectStore store,
      int maxInFlight,
      CostModel costModel,
      Function<String, KerchunkReferences.Location> granules) {
    return switch (format) {
      case ZARR_V3 ->
          ManifestFormat.isVirtualArray(metadata)
              ? new ManifestDataset(store, path, metadata, granules, maxInFlight)
              : new ZarrDataset(
                  store,
                  path,
                  ZarrArrayMetadata.parse(metadata, Keys.join(path, ZarrDataset.METADATA_FILE)),
                  maxInFlight,
                  costModel);
      case ZARR_V2 ->
          new ZarrV2Dataset(
              store,
              path,
              ZarrV2Metadata.parse(metadata, Keys.join(path, ZarrV2Dataset.METADATA_FILE)),
              attributes == null
                  ? Map.of()
                  : ZarrV2Metadata.parseAttributes(attributes, Keys.join(path, ".zattrs")),
              maxInFlight);
      case ARRAYMORPH_LAYOUT ->
          new LegacyDataset(
              store,
              path,
              LegacyMetadata.parse(metadata, Keys.join(path, LegacyDataset.METADATA_FILE)),
              DataType.fromZarrName(resolvedType),
              maxInFlight);
      case IN_FILE ->
          throw new IllegalStateException("Dataset '" + path + "' is opened in its file");
    };
  }
}
