/**
 * Granule collections as one persisted virtual dataset: a manifest (a Zarr v3 group) indexes the
 * chunks of many HDF5/NetCDF4 granules concatenated along their record dimension, so reading the
 * collection needs no HDF5 parsing. {@link io.arraymorph.manifest.GranuleIndexer} reads one
 * granule, {@link io.arraymorph.manifest.ManifestWriter} writes or appends to a manifest (checking
 * the granules in {@code CheckedCollection}, publishing in {@code ManifestPublication}), {@link
 * io.arraymorph.manifest.ManifestDataset} reads one of its arrays. The format is in docs/format.md.
 */
package io.arraymorph.manifest;
