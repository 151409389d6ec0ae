package io.arraymorph.hdf5;

/**
 * A chunk's stored checksum (the fletcher32 filter) does not match its bytes: the data is corrupt.
 */
public final class Hdf5ChecksumException extends Hdf5FormatException {
  public Hdf5ChecksumException(String message) {
    super(message);
  }
}
