package io.arraymorph.write;

import java.util.List;

/** The error for an element given twice by one write. */
final class DuplicateCoordinates {
  private DuplicateCoordinates() {}

  /** The element at {@code index} was given twice. */
  static IllegalArgumentException of(DatasetWrite write, long[] index) {
    List<String> names = write.metadata().dimensionNames();
    StringBuilder sb = new StringBuilder("(");
    for (int d = 0; d < index.length; d++) {
      String name =
          names != null && d < names.size() && names.get(d) != null ? names.get(d) : "dim_" + d;
      sb.append(d == 0 ? "" : ", ").append(name).append('=').append(index[d]);
    }
    return new IllegalArgumentException(
        "Duplicate coordinates "
            + sb.append(')')
            + " in the input of dataset '"
            + write.path()
            + "': each element is written once; remove the duplicate rows (e.g. dropDuplicates on"
            + " the index columns)");
  }

  /** Element {@code flat} of the chunk at {@code coords} was given twice. */
  static IllegalArgumentException of(DatasetWrite write, long[] coords, int flat) {
    int[] shape = write.chunkShape();
    long[] index = new long[shape.length];
    for (int d = shape.length - 1; d >= 0; d--) {
      index[d] = coords[d] * shape[d] + flat % shape[d];
      flat /= shape[d];
    }
    return of(write, index);
  }

  /** The chunk at {@code coords} was given whole by one task and given again by another. */
  static IllegalArgumentException ofChunk(DatasetWrite write, long[] coords) {
    int[] shape = write.chunkShape();
    StringBuilder sb = new StringBuilder();
    for (int d = 0; d < shape.length; d++) {
      sb.append(d == 0 ? "" : ", ")
          .append('[')
          .append(coords[d] * shape[d])
          .append(", ")
          .append((coords[d] + 1) * shape[d])
          .append(')');
    }
    return new IllegalArgumentException(
        "Duplicate coordinates in the input of dataset '"
            + write.path()
            + "': the elements of chunk "
            + sb
            + " were given by more than one task; each element is written once; remove the"
            + " duplicate rows (e.g. dropDuplicates on the index columns)");
  }
}
