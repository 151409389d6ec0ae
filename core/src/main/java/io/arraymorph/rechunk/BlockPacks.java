package io.arraymorph.rechunk;

import io.arraymorph.array.ChunkGrid;
import io.arraymorph.array.NdArray;
import io.arraymorph.scan.Region;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Blocks packed into one byte array per group of target chunks: what a distributed rechunk moves
 * between tasks, so that a source read sends each assembling task one record of raw bytes (no
 * object per block to serialize, size and sort). A pack is little-endian: the number of blocks,
 * then per block its target chunk (long), its {@code lo} and {@code hi} in the target chunk (one
 * int per dimension each) and its elements, row-major.
 */
public final class BlockPacks {
  private BlockPacks() {}

  /**
   * Cuts {@code data}, the values of {@code box}, into one pack per group of target chunks it
   * overlaps ({@link RechunkPlan#assemblyGroup}), each block copied once, straight into its pack.
   *
   * @param groups the number of assembly groups
   * @return the packs by group, in group order of first appearance
   */
  // Each pack is ByteBuffer.wrap(new byte[n]): its array is the whole pack, from offset 0.
  @SuppressWarnings("ByteBufferBackingArray")
  public static Map<Integer, byte[]> cut(
      RechunkPlan plan, Region.Box box, NdArray data, int groups) {
    int size = plan.dataType().byteSize();
    int rank = box.lo().length;
    int header = Long.BYTES + 2 * rank * Integer.BYTES;
    long[] boxShape = box.shape();
    ChunkGrid grid = plan.targetGrid();
    long objects = grid.chunkCount();
    Map<Integer, long[]> sizes = new LinkedHashMap<>();
    TargetOverlaps.forEach(
        grid,
        box,
        (target, lo, hi, srcAt, extent) -> {
          long[] s =
              sizes.computeIfAbsent(
                  RechunkPlan.assemblyGroup(target, groups, objects), g -> new long[] {0, 4});
          s[0]++;
          s[1] += header + RechunkPlanner.bytes(extent, size);
        });
    Map<Integer, ByteBuffer> packs = new LinkedHashMap<>();
    for (Map.Entry<Integer, long[]> e : sizes.entrySet()) {
      ByteBuffer b =
          ByteBuffer.wrap(new byte[Math.toIntExact(e.getValue()[1])])
              .order(ByteOrder.LITTLE_ENDIAN);
      b.putInt(Math.toIntExact(e.getValue()[0]));
      packs.put(e.getKey(), b);
    }
    byte[] src = data.bytes();
    long[] origin = new long[rank];
    TargetOverlaps.forEach(
        grid,
        box,
        (target, lo, hi, srcAt, extent) -> {
          ByteBuffer b = packs.get(RechunkPlan.assemblyGroup(target, groups, objects));
          b.putLong(target);
          for (int v : lo) {
            b.putInt(v);
          }
          for (int v : hi) {
            b.putInt(v);
          }
          int at = b.position();
          BoxCopy.copy(src, 0, boxShape, srcAt, b.array(), at, extent, origin, extent, size);
          b.position(at + Math.toIntExact(RechunkPlanner.bytes(extent, size)));
        });
    Map<Integer, byte[]> out = new LinkedHashMap<>();
    packs.forEach((g, b) -> out.put(g, b.array()));
    return out;
  }

  /** Adds every block of {@code pack} to {@code assembler}. */
  public static void addTo(byte[] pack, int rank, ChunkAssembler assembler) {
    ByteBuffer b = ByteBuffer.wrap(pack).order(ByteOrder.LITTLE_ENDIAN);
    int blocks = b.getInt();
    for (int i = 0; i < blocks; i++) {
      long target = b.getLong();
      int[] lo = new int[rank];
      int[] hi = new int[rank];
      for (int d = 0; d < rank; d++) {
        lo[d] = b.getInt();
      }
      for (int d = 0; d < rank; d++) {
        hi[d] = b.getInt();
      }
      int at = b.position();
      b.position(at + assembler.add(target, lo, hi, pack, at));
    }
    if (b.hasRemaining()) {
      throw new IllegalStateException(
          "A rechunk block pack has "
              + b.remaining()
              + " bytes past its "
              + blocks
              + " blocks; refusing it (nothing is published). This is a bug: please report it");
    }
  }
}
