package io.arraymorph.rechunk;

import io.arraymorph.array.ChunkGrid;
import io.arraymorph.array.ChunkSelection;
import io.arraymorph.array.Hyperslab;
import io.arraymorph.engine.ChunkFetchLoop;
import io.arraymorph.engine.ChunkSource;
import io.arraymorph.scan.Region;
import io.arraymorph.store.Futures;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A direct or one-stage task's read of its region through the source's {@link ChunkSource}: each
 * source chunk is fetched and decoded ({@link ChunkSource#readChunks}: a granule manifest reads a
 * granule's chunks in one call into a reused buffer and inflates into a reused one) and its part of
 * the region copied straight into the target chunks, on the thread that decoded it, from the buffer
 * the source lends ({@link ChunkSource#useChunks}: a granule manifest's byte-shuffled chunk is left
 * shuffled in the thread's inflation buffer and unshuffled by that copy); the task's thread counts
 * each slice once its copies are done and writes the chunks it completes. Against reading each
 * slice into an array and copying that into the target chunks, this saves a copy of every element
 * and the slice's allocation, and the copies run on the fetching threads, several at once, rather
 * than on the task's thread alone.
 *
 * <p>The region is taken one slice of whole source chunks at a time ({@link RechunkPlan#slices}),
 * with at most {@link #SLICES_IN_FLIGHT} slices fetched at once: besides its target chunks, a task
 * holds the decoded parts of that many slices at most.
 */
final class ChunkScatter {
  /** Slices fetched at once: the next slice's fetches overlap the copies of the one before. */
  static final int SLICES_IN_FLIGHT = 2;

  private ChunkScatter() {}

  /**
   * Reads {@code box} of {@code source} into {@code assembler}'s target chunks, writing those it
   * completes from this (the task's) thread as slices finish.
   *
   * @throws RuntimeException the first fetch or decode failure, as the source reports it
   */
  static void run(
      ChunkSource source,
      RechunkPlan plan,
      Region.Box box,
      ChunkAssembler assembler,
      int maxInFlight) {
    ChunkFetchLoop loop = new ChunkFetchLoop(maxInFlight);
    ArrayDeque<Map.Entry<Region.Box, CompletableFuture<Void>>> inFlight = new ArrayDeque<>();
    for (Region.Box slice : plan.slices(box)) {
      while (inFlight.size() >= SLICES_IN_FLIGHT) {
        finish(inFlight.poll(), assembler);
      }
      inFlight.add(Map.entry(slice, start(loop, source, slice, assembler)));
    }
    while (!inFlight.isEmpty()) {
      finish(inFlight.poll(), assembler);
    }
  }

  /** Waits for a slice's copies, then counts it and writes the target chunks it completes. */
  private static void finish(
      Map.Entry<Region.Box, CompletableFuture<Void>> slice, ChunkAssembler assembler) {
    Futures.join(slice.getValue());
    assembler.copied(slice.getKey());
  }

  /** Starts the fetches of one slice's source chunks, each copied into place as it arrives. */
  private static CompletableFuture<Void> start(
      ChunkFetchLoop loop, ChunkSource source, Region.Box slice, ChunkAssembler assembler) {
    ChunkGrid grid = source.grid();
    int rank = grid.rank();
    long[] chunkShape = new long[rank];
    for (int d = 0; d < rank; d++) {
      chunkShape[d] = grid.chunkShape()[d];
    }
    List<long[]> coords = new ArrayList<>();
    List<ChunkSelection> needed = new ArrayList<>();
    for (ChunkSelection sel : grid.plan(Hyperslab.box(slice.lo(), slice.shape()))) {
      coords.add(sel.chunkCoords());
      needed.add(sel);
    }
    ChunkAssembler.Targets targets = assembler.targets(slice);
    long[][] origins = new long[coords.size()][];
    Region.Box[] pieces = new Region.Box[coords.size()];
    for (int i = 0; i < pieces.length; i++) {
      long[] origin = grid.chunkOrigin(coords.get(i));
      long[] lo = new long[rank];
      long[] hi = new long[rank];
      for (int d = 0; d < rank; d++) {
        lo[d] = Math.max(slice.lo()[d], origin[d]);
        hi[d] = Math.min(slice.hi()[d], origin[d] + chunkShape[d]);
      }
      origins[i] = origin;
      pieces[i] = new Region.Box(lo, hi);
    }
    // Each chunk is copied from the buffer the source lends, before the source's checks are done:
    // a failed check fails the slice, whose target chunks are then never counted or written.
    return loop.useAll(
        source,
        coords,
        needed,
        true,
        (i, part) -> assembler.copyChunkPart(pieces[i], targets, origins[i], chunkShape, part));
  }
}
