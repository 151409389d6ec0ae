package io.arraymorph.rechunk;

import io.arraymorph.array.NdArray;
import io.arraymorph.scan.Region;
import java.util.ArrayList;
import java.util.List;

/** Cuts one source read into the {@link Block}s of the target chunks it overlaps. */
public final class BlockCutter {
  private BlockCutter() {}

  /**
   * The blocks of {@code data}, the values of {@code box}: one per target chunk (or shard) the box
   * overlaps, in target grid order.
   */
  public static List<Block> cut(RechunkPlan plan, Region.Box box, NdArray data) {
    int size = plan.dataType().byteSize();
    long[] boxShape = box.shape();
    List<Block> out = new ArrayList<>();
    TargetOverlaps.forEach(
        plan.targetGrid(),
        box,
        (target, lo, hi, srcAt, extent) -> {
          byte[] values = new byte[Math.toIntExact(RechunkPlanner.bytes(extent, size))];
          BoxCopy.copy(
              data.bytes(), boxShape, srcAt, values, extent, new long[lo.length], extent, size);
          out.add(new Block(target, lo, hi, values));
        });
    return out;
  }
}
