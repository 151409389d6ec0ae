package io.arraymorph.manifest;

import io.arraymorph.api.ArraySpec;
import io.arraymorph.array.DataType;
import io.arraymorph.array.NdArray;
import io.arraymorph.engine.ArrayWriter;
import io.arraymorph.store.Futures;
import io.arraymorph.store.Keys;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.zarr.ZarrArrayMetadata;
import io.arraymorph.zarr.ZarrDataset;

/**
 * Writes a manifest's coordinate arrays, whose values are copied out of the granules into plain
 * Zarr v3 arrays (gzip, chunks of up to 65,536 values): the record coordinate concatenated across
 * granules, another 1-d coordinate once. Only chunks are written; the caller publishes the returned
 * zarr.json with the manifest's other arrays.
 */
final class CoordinateArrayWriter {
  private static final int COORDINATE_CHUNK = 65536;
  private static final int MAX_IN_FLIGHT = 16;

  private CoordinateArrayWriter() {}

  /** Writes the new granules' values of record coordinate {@code name}; returns its zarr.json. */
  static byte[] recordCoordinate(
      ObjectStore store,
      String arrayPath,
      String name,
      CheckedCollection checked,
      boolean append,
      GranuleTable table,
      long generation) {
    GranuleVariable sample = checked.granules().get(0).variable(name);
    DataType type = DataType.fromZarrName(sample.dataType());
    NdArray values = NdArray.allocate(type, table.records() - table.firstRecord());
    int at = 0;
    for (GranuleIndex g : checked.granules()) {
      byte[] v = g.variable(name).values();
      System.arraycopy(v, 0, values.bytes(), at, v.length);
      at += v.length;
    }
    ZarrArrayMetadata meta;
    if (append) {
      String key = Keys.join(arrayPath, "zarr.json");
      meta = ZarrArrayMetadata.parse(Futures.join(store.get(key)), key);
      meta =
          meta.withShape(new long[] {table.records()})
              .withAttributes(ManifestJson.stamped(meta.attributes(), generation));
    } else {
      meta = metadata(sample, table.records(), generation);
    }
    // Chunks only: the manifest job publishes every array's zarr.json itself, under its own lock.
    ZarrDataset ds = new ZarrDataset(store, arrayPath, meta, MAX_IN_FLIGHT);
    new ArrayWriter(ds, MAX_IN_FLIGHT).write(new long[] {table.firstRecord()}, values);
    return meta.toJson();
  }

  /** Writes a non-record coordinate (values of the first granule) and returns its zarr.json. */
  static byte[] coordinate(ObjectStore store, String arrayPath, GranuleVariable v) {
    ZarrArrayMetadata meta = metadata(v, v.shape()[0], 1);
    ZarrDataset ds = new ZarrDataset(store, arrayPath, meta, MAX_IN_FLIGHT);
    new ArrayWriter(ds, MAX_IN_FLIGHT).write(new long[] {0}, CoordinateRanges.values(v));
    return meta.toJson();
  }

  private static ZarrArrayMetadata metadata(GranuleVariable v, long length, long generation) {
    ArraySpec spec =
        ArraySpec.of(DataType.fromZarrName(v.dataType()), length)
            .chunks((int) Math.max(1, Math.min(COORDINATE_CHUNK, length)))
            .compression(ArraySpec.Compression.GZIP)
            .dimensionNames(v.dimensions().toArray(String[]::new))
            .attributes(ManifestJson.stamped(ManifestJson.readMap(v.attributes()), generation));
    return ZarrArrayMetadata.fromSpec(spec);
  }
}
