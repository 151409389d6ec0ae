package io.arraymorph.zarr.v2;

/** Reorders a chunk stored in Fortran (column-major) order into C (row-major) order. */
final class FortranOrder {
  private FortranOrder() {}

  static byte[] toC(byte[] fortran, int[] shape, int elementSize) {
    int rank = shape.length;
    if (rank < 2) {
      return fortran;
    }
    long[] fStrides = new long[rank];
    long s = 1;
    for (int d = 0; d < rank; d++) {
      fStrides[d] = s;
      s *= shape[d];
    }
    byte[] out = new byte[fortran.length];
    int[] index = new int[rank];
    long fOffset = 0;
    for (int c = 0; c < s; c++) {
      System.arraycopy(fortran, (int) (fOffset * elementSize), out, c * elementSize, elementSize);
      int d = rank - 1;
      while (d >= 0) {
        index[d]++;
        fOffset += fStrides[d];
        if (index[d] < shape[d]) {
          break;
        }
        fOffset -= fStrides[d] * shape[d];
        index[d] = 0;
        d--;
      }
    }
    return out;
  }
}
