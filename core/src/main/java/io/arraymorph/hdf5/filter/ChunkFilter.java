package io.arraymorph.hdf5.filter;

/** The decoding half of one HDF5 filter. Implementations are stateless and thread-safe. */
interface ChunkFilter {

  /**
   * Decodes one filter step.
   *
   * @param encoded the bytes this filter produced when writing
   * @param maxOutput the most bytes a valid decoding can produce; more means corrupt data, and
   *     refusing it keeps a corrupt chunk from exhausting memory
   * @throws io.arraymorph.hdf5.Hdf5FormatException when the bytes cannot be decoded
   */
  byte[] decode(byte[] encoded, int maxOutput);
}
