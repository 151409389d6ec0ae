/**
 * Decoding of HDF5 filter pipelines: deflate, shuffle, fletcher32 (verified), lzf and lz4,
 * honouring each chunk's filter mask and refusing output larger than a chunk.
 */
package io.arraymorph.hdf5.filter;
