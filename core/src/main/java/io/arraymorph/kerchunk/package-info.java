/**
 * Kerchunk references for HDF5 files: {@link io.arraymorph.kerchunk.KerchunkWriter} writes a Zarr
 * v2 view of an HDF5 file's chunked datasets whose chunks are byte ranges of the file, and {@link
 * io.arraymorph.kerchunk.KerchunkReferences} reads such references back as read-only datasets
 * without parsing any HDF5.
 */
package io.arraymorph.kerchunk;
