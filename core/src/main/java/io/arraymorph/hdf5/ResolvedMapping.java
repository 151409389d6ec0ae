package io.arraymorph.hdf5;

/**
 * A virtual dataset mapping resolved against its source: along each virtual dimension {@code d}
 * with a source dimension {@code sourceDim[d]}, the {@code i}-th selected coordinate takes the
 * value at the {@code i}-th selected coordinate of that source dimension. Dimensions selecting one
 * coordinate may have no counterpart (a 1-d source into a column of a 2-d dataset): then {@code
 * sourceDim[d]} is -1, and a source dimension nothing maps to is read at its one coordinate.
 *
 * @param source the source dataset
 * @param virtual the virtual selection, one axis per dimension, unlimited axes resolved
 * @param sourceAxes the source selection, one axis per source dimension
 * @param sourceDim per virtual dimension, its source dimension or -1
 */
record ResolvedMapping(
    Hdf5Dataset source, SelectionAxis[] virtual, SelectionAxis[] sourceAxes, int[] sourceDim) {}
