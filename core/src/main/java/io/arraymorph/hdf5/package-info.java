/**
 * Reads HDF5 and netCDF-4 files in place on any {@link io.arraymorph.store.ObjectStore}, without
 * native libhdf5 and without downloading them.
 *
 * <p>Metadata (superblock, groups, object headers, chunk indexes) is parsed by jhdf over a {@link
 * io.arraymorph.hdf5.channel.StoreByteChannel}, which turns jhdf's many small reads into a few
 * large cached range requests. Chunk data never goes through jhdf: {@link
 * io.arraymorph.hdf5.Hdf5ChunkSource} reads each chunk with one range request at the offset the
 * chunk index gives and decodes the filter pipeline itself ({@link
 * io.arraymorph.hdf5.filter.FilterPipeline}), so the shared read engine fetches chunks concurrently
 * exactly as it does for Zarr. Entry point: {@link io.arraymorph.hdf5.Hdf5File}.
 */
package io.arraymorph.hdf5;
