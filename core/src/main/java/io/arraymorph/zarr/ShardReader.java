package io.arraymorph.zarr;

import io.arraymorph.array.ChunkGrid;
import io.arraymorph.array.ChunkSelection;
import io.arraymorph.array.DimRuns;
import io.arraymorph.array.ElementCopier;
import io.arraymorph.array.Shapes;
import io.arraymorph.codec.CodecException;
import io.arraymorph.codec.ShardingCodec;
import io.arraymorph.engine.ByteRanges;
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
 * chunks (of uncompressed inner chunks only the byte ranges the selection needs, when the cost
 * model says so), by byte ranges merged across inner chunks where the gap costs less than a
 * request.
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

  /**
   * Part of a stored inner chunk to fetch: {@code length} bytes from {@code from} in inner chunk
   * {@code inner}, at {@code at} in the shard object. {@code whole}: the inner chunk as stored.
   */
  private record Piece(int inner, int from, long at, int length, boolean whole) {}

  private CompletableFuture<byte[]> fetch(String key, ChunkSelection selection, long[][] entries) {
    boolean[] needed = neededInnerChunks(selection);
    int[] innerShape = codec.innerShape();
    ChunkSelection[] parts = new ChunkSelection[needed.length];
    byte[][] decoded = new byte[needed.length][];
    List<Piece> pieces = new ArrayList<>();
    for (int i = 0; i < needed.length; i++) {
      if (needed[i]) {
        parts[i] = selection.within(innerGrid.chunkCoords(i), innerShape);
      }
      if (parts[i] != null && entries[i][0] != ShardingCodec.EMPTY) {
        plan(i, parts[i], entries[i], pieces, decoded);
      }
    }
    pieces.sort(Comparator.comparingLong(Piece::at));
    List<ByteRanges.Range> reads =
        ByteRanges.merge(
            pieces.stream().map(p -> new ByteRanges.Range(p.at(), p.length())).toList(),
            costModel.mergeGapBytes());
    List<CompletableFuture<Void>> done = new ArrayList<>();
    int p = 0;
    for (ByteRanges.Range read : reads) {
      int first = p;
      while (p < pieces.size() && pieces.get(p).at() < read.end()) {
        p++;
      }
      List<Piece> inRead = pieces.subList(first, p);
      done.add(
          store
              .getRange(key, read.offset(), read.length())
              .thenAccept(bytes -> place(read.offset(), bytes, inRead, decoded)));
    }
    return CompletableFuture.allOf(done.toArray(CompletableFuture[]::new))
        .thenApply(
            v -> {
              ElementCopier copier =
                  new ElementCopier(elementSize, innerShape, Shapes.toLong(shardShape));
              byte[] shard = new byte[Math.toIntExact(Shapes.product(shardShape) * elementSize)];
              boolean ranged = codec.inner().isUncompressed();
              for (int i = 0; i < needed.length; i++) {
                if (parts[i] == null) {
                  continue;
                }
                byte[] chunk = decoded[i];
                if (chunk == null) {
                  chunk = fillInner;
                } else if (ranged) {
                  chunk = codec.inner().decodeUncompressed(chunk, elementSize);
                }
                copier.chunkToOutput(parts[i], chunk, shard);
              }
              return shard;
            });
  }

  /**
   * Plans what to fetch of one stored inner chunk: for uncompressed inner chunks, only the byte
   * ranges the selection needs when the cost model says they beat reading it whole (the rule of
   * unsharded chunks); otherwise the stored inner chunk whole.
   */
  private void plan(
      int i, ChunkSelection part, long[] entry, List<Piece> pieces, byte[][] decoded) {
    int[] innerShape = codec.innerShape();
    if (!codec.inner().isUncompressed()) {
      pieces.add(new Piece(i, 0, entry[0], Math.toIntExact(entry[1]), true));
      return;
    }
    int innerBytes = fillInner.length;
    if (entry[1] != innerBytes) {
      throw new CodecException(
          "stores uncompressed inner chunk "
              + i
              + " in "
              + entry[1]
              + " bytes where its shape needs "
              + innerBytes);
    }
    // Filled by place() where selected; its other bytes are never copied out.
    decoded[i] = new byte[innerBytes];
    List<ByteRanges.Range> ranges =
        part.coversWholeChunk(innerShape)
            ? null
            : ByteRanges.of(part, innerShape, elementSize, costModel.mergeGapBytes());
    long rangeBytes =
        ranges == null ? 0 : ranges.stream().mapToLong(ByteRanges.Range::length).sum();
    if (ranges == null || !costModel.rangesPayOff(ranges.size(), rangeBytes, innerBytes)) {
      pieces.add(new Piece(i, 0, entry[0], innerBytes, false));
      return;
    }
    for (ByteRanges.Range r : ranges) {
      pieces.add(new Piece(i, (int) r.offset(), entry[0] + r.offset(), r.length(), false));
    }
  }

  /** Puts the pieces of one read (from {@code offset} in the shard) in their inner chunks. */
  private void place(long offset, byte[] bytes, List<Piece> pieces, byte[][] decoded) {
    for (Piece piece : pieces) {
      int from = (int) (piece.at() - offset);
      if (from + piece.length() > bytes.length) {
        throw new CodecException("is shorter than its index says");
      }
      if (piece.whole()) {
        decoded[piece.inner()] =
            codec.decodeInner(
                Arrays.copyOfRange(bytes, from, from + piece.length()),
                elementSize,
                fillInner.length);
      } else {
        System.arraycopy(bytes, from, decoded[piece.inner()], piece.from(), piece.length());
      }
    }
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
