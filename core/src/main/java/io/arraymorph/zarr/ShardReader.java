package io.arraymorph.zarr;

import io.arraymorph.array.ChunkGrid;
import io.arraymorph.array.ChunkSelection;
import io.arraymorph.array.DimRuns;
import io.arraymorph.array.ElementCopier;
import io.arraymorph.array.Hyperslab;
import io.arraymorph.array.Shapes;
import io.arraymorph.codec.CodecException;
import io.arraymorph.codec.ShardingCodec;
import io.arraymorph.store.CostModel;
import io.arraymorph.store.MissingObjects;
import io.arraymorph.store.ObjectStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Reads the part of a shard a selection needs: the index first, then only the overlapping inner
 * chunks, by byte ranges merged where the gap costs less than a request.
 */
final class ShardReader {
  private final ObjectStore store;
  private final ShardingCodec codec;
  private final int[] shardShape;
  private final int elementSize;
  private final byte[] fillInner;
  private final CostModel costModel;
  private final ChunkGrid innerGrid;

  ShardReader(
      ObjectStore store,
      ShardingCodec codec,
      int[] shardShape,
      int elementSize,
      byte[] fillInner,
      CostModel costModel) {
    this.store = store;
    this.codec = codec;
    this.shardShape = shardShape;
    this.elementSize = elementSize;
    this.fillInner = fillInner;
    this.costModel = costModel;
    this.innerGrid = codec.innerGrid(shardShape);
  }

  /**
   * The shard's elements (little-endian, shard shape) valid at least where selected; null if
   * absent.
   */
  CompletableFuture<byte[]> read(String key, ChunkSelection selection) {
    long count = innerGrid.chunkCount();
    int indexSize = codec.indexBytes(count);
    CompletableFuture<long[][]> index;
    if (codec.indexAtEnd()) {
      index =
          store
              .head(key)
              .thenCompose(
                  info ->
                      info.isEmpty()
                          ? CompletableFuture.completedFuture(null)
                          : store
                              .getRange(key, info.get().size() - indexSize, indexSize)
                              .thenApply(b -> codec.decodeIndex(b, count, info.get().size())));
    } else {
      index =
          MissingObjects.getRangeOrNull(store, key, 0, indexSize)
              .thenApply(b -> b == null ? null : codec.decodeIndex(b, count, -1));
    }
    return index.thenCompose(
        entries ->
            entries == null
                ? CompletableFuture.completedFuture(null)
                : fetch(key, selection, entries));
  }

  private CompletableFuture<byte[]> fetch(String key, ChunkSelection selection, long[][] entries) {
    boolean[] needed = neededInnerChunks(selection);
    List<Integer> wanted = new ArrayList<>();
    for (int i = 0; i < needed.length; i++) {
      if (needed[i] && entries[i][0] != ShardingCodec.EMPTY) {
        wanted.add(i);
      }
    }
    wanted.sort(Comparator.comparingLong(i -> entries[i][0]));
    byte[] shard = new byte[Math.toIntExact(Shapes.product(shardShape) * elementSize)];
    byte[][] decoded = new byte[needed.length][];
    List<CompletableFuture<Void>> reads = new ArrayList<>();
    long gap = costModel.mergeGapBytes();
    int g = 0;
    while (g < wanted.size()) {
      int first = g;
      long start = entries[wanted.get(g)][0];
      long end = start + entries[wanted.get(g)][1];
      while (g + 1 < wanted.size() && entries[wanted.get(g + 1)][0] - end <= gap) {
        g++;
        end = Math.max(end, entries[wanted.get(g)][0] + entries[wanted.get(g)][1]);
      }
      List<Integer> group = wanted.subList(first, g + 1);
      long groupStart = start;
      reads.add(
          store
              .getRange(key, groupStart, Math.toIntExact(end - groupStart))
              .thenAccept(
                  bytes -> {
                    for (int i : group) {
                      int from = (int) (entries[i][0] - groupStart);
                      int to = from + (int) entries[i][1];
                      if (to > bytes.length) {
                        throw new CodecException(
                            "Shard '" + key + "' is shorter than its index says");
                      }
                      decoded[i] =
                          codec.decodeInner(
                              Arrays.copyOfRange(bytes, from, to), elementSize, fillInner.length);
                    }
                  }));
      g++;
    }
    return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new))
        .thenApply(
            v -> {
              ElementCopier copier =
                  new ElementCopier(elementSize, codec.innerShape(), Shapes.toLong(shardShape));
              int i = 0;
              for (ChunkSelection inner :
                  innerGrid.plan(Hyperslab.all(Shapes.toLong(shardShape)))) {
                if (needed[i]) {
                  copier.chunkToOutput(inner, decoded[i] != null ? decoded[i] : fillInner, shard);
                }
                i++;
              }
              return shard;
            });
  }

  /** Which inner chunks (row-major) hold at least one element of the selection. */
  private boolean[] neededInnerChunks(ChunkSelection selection) {
    int rank = shardShape.length;
    int[] inner = codec.innerShape();
    List<long[]> perDim = new ArrayList<>();
    for (int d = 0; d < rank; d++) {
      DimRuns runs = selection.runs(d);
      boolean[] hit = new boolean[(int) innerGrid.gridShape()[d]];
      for (int r = 0; r < runs.runCount(); r++) {
        int from = runs.chunkOffset(r) / inner[d];
        int to = (runs.chunkOffset(r) + runs.length(r) - 1) / inner[d];
        for (int k = from; k <= to; k++) {
          hit[k] = true;
        }
      }
      long[] indices = new long[hit.length];
      int n = 0;
      for (int k = 0; k < hit.length; k++) {
        if (hit[k]) {
          indices[n++] = k;
        }
      }
      perDim.add(Arrays.copyOf(indices, n));
    }
    boolean[] needed = new boolean[Math.toIntExact(innerGrid.chunkCount())];
    mark(perDim, 0, new long[rank], needed);
    return needed;
  }

  private void mark(List<long[]> perDim, int d, long[] coords, boolean[] needed) {
    if (d == perDim.size()) {
      needed[(int) innerGrid.linearIndex(coords)] = true;
      return;
    }
    for (long k : perDim.get(d)) {
      coords[d] = k;
      mark(perDim, d + 1, coords, needed);
    }
  }
}
