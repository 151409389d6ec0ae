package io.arraymorph.scan;

import io.arraymorph.api.Dataset;
import io.arraymorph.api.InFileChunks;
import io.arraymorph.api.PlannedFile;
import io.arraymorph.array.ChunkGrid;
import io.arraymorph.kerchunk.KerchunkReferences;
import io.arraymorph.store.ObjectStore;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * In-file chunks that record what the planner narrowed them to (grid and chunks); resolved once
 * narrowed, unresolved as planned ({@code grid} null).
 */
record RecordingChunks(ChunkGrid grid, List<long[]> coords) implements InFileChunks {
  /** As a planner holds them, before any narrowing. */
  static RecordingChunks planned() {
    return new RecordingChunks(null, null);
  }

  @Override
  public InFileChunks forChunks(ChunkGrid g, List<long[]> chunkCoords) {
    return new RecordingChunks(g, new ArrayList<>(chunkCoords));
  }

  @Override
  public boolean resolved() {
    return grid != null;
  }

  @Override
  public Dataset open(
      ObjectStore store, int maxInFlight, Function<String, KerchunkReferences.Location> urls) {
    throw new UnsupportedOperationException();
  }

  @Override
  public PlannedFile plannedFile() {
    return new PlannedFile("File", "f.h5", 1, null);
  }
}
