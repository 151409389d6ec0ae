package io.arraymorph.hdf5;

import io.jhdf.storage.HdfBackingStorage;

/** HDF5's undefined address: all bits set, at the file's size of offsets. */
final class Hdf5Address {
  private Hdf5Address() {}

  /**
   * Whether an address read as an unsigned number of {@code sizeOfOffsets} bytes is undefined: jhdf
   * compares with -1, which an address of fewer than 8 bytes (e.g. 0xFFFFFFFF) never equals.
   */
  static boolean undefined(long address, int sizeOfOffsets) {
    return address == -1L || (sizeOfOffsets < 8 && address == (1L << (8 * sizeOfOffsets)) - 1);
  }

  static boolean undefined(long address, HdfBackingStorage storage) {
    return undefined(address, storage.getSizeOfOffsets());
  }
}
