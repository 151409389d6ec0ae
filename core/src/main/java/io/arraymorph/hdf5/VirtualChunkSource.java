package io.arraymorph.hdf5;

import io.arraymorph.array.ChunkGrid;
import io.arraymorph.array.DataType;
import io.arraymorph.array.Hyperslab;
import io.arraymorph.array.NdArray;
import io.arraymorph.engine.ChunkSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A virtual dataset seen through a synthetic chunk grid: each chunk is assembled from the regions
 * of its source datasets that its mappings select (each read through that source's own chunk
 * source, so filters and chunk indexes of sources work as for any dataset), over the fill value.
 * Later mappings win where two overlap, as in libhdf5.
 */
final class VirtualChunkSource implements ChunkSource {
  private final ChunkGrid grid;
  private final DataType type;
  private final byte[] fillValue;
  private final List<ResolvedMapping> mappings;

  VirtualChunkSource(
      ChunkGrid grid, DataType type, byte[] fillValue, List<ResolvedMapping> mappings) {
    this.grid = grid;
    this.type = type;
    this.fillValue = fillValue.clone();
    this.mappings = List.copyOf(mappings);
  }

  @Override
  public ChunkGrid grid() {
    return grid;
  }

  @Override
  public DataType dataType() {
    return type;
  }

  @Override
  public byte[] fillValue() {
    return fillValue.clone();
  }

  /** What one mapping gives a chunk: per dimension, chunk positions and source coordinates. */
  private record Piece(
      int[][] positions,
      long[][] sourceCoords,
      long[] boxStart,
      long[] boxShape,
      int[] sourceDim) {}

  @Override
  public CompletableFuture<byte[]> readChunk(long[] chunkCoords) {
    long[] origin = grid.chunkOrigin(chunkCoords);
    long[] valid = grid.validExtent(chunkCoords);
    List<Piece> pieces = new ArrayList<>();
    List<CompletableFuture<NdArray>> reads = new ArrayList<>();
    for (ResolvedMapping m : mappings) {
      Piece piece = piece(m, origin, valid);
      if (piece != null) {
        pieces.add(piece);
        reads.add(m.source().readAsync(Hyperslab.box(piece.boxStart(), piece.boxShape())));
      }
    }
    if (pieces.isEmpty()) {
      return CompletableFuture.completedFuture(null); // no source here: all fill value
    }
    return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new))
        .thenApply(
            v -> {
              byte[] chunk = filled();
              for (int i = 0; i < pieces.size(); i++) {
                scatter(pieces.get(i), reads.get(i).join().bytes(), chunk);
              }
              return chunk;
            });
  }

  private byte[] filled() {
    int size = fillValue.length;
    byte[] chunk = new byte[Math.toIntExact(grid.chunkElements() * size)];
    for (int at = 0; at < chunk.length; at += size) {
      System.arraycopy(fillValue, 0, chunk, at, size);
    }
    return chunk;
  }

  /** The part of this chunk a mapping covers within its source's extent, or null if none. */
  private static Piece piece(ResolvedMapping m, long[] origin, long[] valid) {
    int rank = origin.length;
    long[] sourceShape = m.source().shape();
    int sourceRank = sourceShape.length;
    int[][] positions = new int[rank][];
    long[][] coords = new long[rank][];
    long[] boxStart = new long[sourceRank];
    long[] boxShape = new long[sourceRank];
    for (int ds = 0; ds < sourceRank; ds++) {
      // Source dimensions no virtual one maps to select one coordinate.
      boxStart[ds] = m.sourceAxes()[ds].coord(0);
      boxShape[ds] = 1;
      if (boxStart[ds] >= sourceShape[ds]) {
        return null;
      }
    }
    for (int d = 0; d < rank; d++) {
      List<long[]> pairs = new ArrayList<>();
      int ds = m.sourceDim()[d];
      SelectionAxis source = ds < 0 ? null : m.sourceAxes()[ds];
      long lo = origin[d];
      long limit = ds < 0 ? Long.MAX_VALUE : sourceShape[ds];
      m.virtual()[d].forEachIn(
          lo,
          lo + valid[d],
          (index, coord) -> {
            long s = source == null ? 0 : source.coord(index);
            if (s < limit) {
              pairs.add(new long[] {coord - lo, s});
            }
          });
      if (pairs.isEmpty()) {
        return null;
      }
      positions[d] = new int[pairs.size()];
      coords[d] = new long[pairs.size()];
      long min = Long.MAX_VALUE;
      long max = Long.MIN_VALUE;
      for (int i = 0; i < pairs.size(); i++) {
        positions[d][i] = Math.toIntExact(pairs.get(i)[0]);
        coords[d][i] = pairs.get(i)[1];
        min = Math.min(min, coords[d][i]);
        max = Math.max(max, coords[d][i]);
      }
      if (ds >= 0) {
        boxStart[ds] = min;
        boxShape[ds] = max - min + 1;
      }
    }
    return new Piece(positions, coords, boxStart, boxShape, m.sourceDim());
  }

  /** Copies a source box's elements to their places in the chunk. */
  private void scatter(Piece p, byte[] box, byte[] chunk) {
    int rank = p.positions().length;
    int size = fillValue.length;
    int[] chunkShape = grid.chunkShape();
    long[] chunkStrides = new long[rank];
    long c = size;
    for (int d = rank - 1; d >= 0; d--) {
      chunkStrides[d] = c;
      c *= chunkShape[d];
    }
    long[] sourceStrides = new long[p.boxShape().length];
    long b = size;
    for (int d = sourceStrides.length - 1; d >= 0; d--) {
      sourceStrides[d] = b;
      b *= p.boxShape()[d];
    }
    long[] boxStrides = new long[rank];
    long[] boxStart = new long[rank];
    for (int d = 0; d < rank; d++) {
      int ds = p.sourceDim()[d];
      boxStrides[d] = ds < 0 ? 0 : sourceStrides[ds];
      boxStart[d] = ds < 0 ? 0 : p.boxStart()[ds];
    }
    int[] at = new int[rank];
    while (true) {
      long chunkOffset = 0;
      long boxOffset = 0;
      for (int d = 0; d < rank; d++) {
        chunkOffset += p.positions()[d][at[d]] * chunkStrides[d];
        boxOffset += (p.sourceCoords()[d][at[d]] - boxStart[d]) * boxStrides[d];
      }
      System.arraycopy(box, (int) boxOffset, chunk, (int) chunkOffset, size);
      int d = rank - 1;
      while (d >= 0 && ++at[d] == p.positions()[d].length) {
        at[d] = 0;
        d--;
      }
      if (d < 0) {
        return;
      }
    }
  }
}
