package io.arraymorph.rechunk;

import java.io.Serializable;

/**
 * A piece of one target chunk (or shard) cut from one source read: the box {@code [lo, hi)} of the
 * chunk's local indices it covers and its values, row-major, little-endian. Blocks are what moves
 * between tasks: many elements each, never one row per element.
 *
 * @param target the target chunk's row-major index in the target grid
 * @param lo the box's first local index per dimension
 * @param hi the box's end (exclusive) per dimension
 * @param values the box's elements
 */
public record Block(long target, int[] lo, int[] hi, byte[] values) implements Serializable {

  /** The number of elements the block holds. */
  public long elements() {
    long n = 1;
    for (int d = 0; d < lo.length; d++) {
      n *= hi[d] - lo[d];
    }
    return n;
  }
}
