package io.arraymorph.manifest;

import java.io.Serializable;
import java.util.List;

/**
 * What one granule holds of one variable, as the indexer read it.
 *
 * @param name the variable's path in the granule (no leading slash)
 * @param dimensions its dimension names
 * @param shape its shape in this granule
 * @param zarray the Zarr v2 {@code .zarray} describing one stored chunk of this granule (dtype,
 *     chunks, filters, fill value), as kerchunk would write it; null for a coordinate
 * @param attributes its attributes as JSON ({@code _ARRAY_DIMENSIONS} left out)
 * @param offsets for a chunked variable: each chunk's byte offset in the granule in C order of the
 *     granule's chunk grid, -1 where no chunk is stored; null for a coordinate
 * @param sizes the chunks' stored sizes, beside {@code offsets}
 * @param dataType for a coordinate: its element type ({@code DataType#zarrName()}), else null
 * @param values for a coordinate (a 1-d variable): its values, little-endian; else null
 * @param dimensionGroups the group defining each dimension, netCDF's way (the variable's own or its
 *     nearest ancestor holding a dataset of that name; "" for the root, also when none does)
 */
public record GranuleVariable(
    String name,
    List<String> dimensions,
    long[] shape,
    String zarray,
    String attributes,
    long[] offsets,
    int[] sizes,
    String dataType,
    byte[] values,
    List<String> dimensionGroups)
    implements Serializable {

  /** Whether the variable is a 1-d coordinate, copied into the manifest rather than referenced. */
  public boolean isCoordinate() {
    return values != null;
  }

  /** The group defining its first dimension ("" for the root), or "" when it has none. */
  public String firstDimensionGroup() {
    return dimensionGroups.isEmpty() ? "" : dimensionGroups.get(0);
  }
}
