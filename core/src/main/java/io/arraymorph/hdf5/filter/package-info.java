/**
 * Decoding of HDF5 filter pipelines: deflate, shuffle, fletcher32 (verified), lzf, lz4, zstd,
 * bitshuffle (none, lz4, zstd), Blosc, scaleoffset, nbit and szip, honouring each chunk's filter
 * mask and refusing output larger than a chunk.
 */
package io.arraymorph.hdf5.filter;
