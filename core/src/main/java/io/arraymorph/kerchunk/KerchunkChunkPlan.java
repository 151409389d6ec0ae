package io.arraymorph.kerchunk;

import io.arraymorph.api.Dataset;
import io.arraymorph.api.InFileChunks;
import io.arraymorph.api.PlannedFile;
import io.arraymorph.array.ChunkGrid;
import io.arraymorph.store.ObjectStore;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * An array of kerchunk references as its planner opened them: the parsed references stay on the
 * planning machine (transient) and only each task's refs travel, as {@link KerchunkTaskChunks}, so
 * a task neither GETs nor parses the reference document.
 */
public final class KerchunkChunkPlan implements InFileChunks {
  private static final long serialVersionUID = 1L;

  private final PlannedFile refs;
  private final transient KerchunkDataset dataset;
  private final transient Map<String, PlannedFile> dataFiles;

  private KerchunkChunkPlan(
      PlannedFile refs, KerchunkDataset dataset, Map<String, PlannedFile> dataFiles) {
    this.refs = refs;
    this.dataset = dataset;
    this.dataFiles = dataFiles;
  }

  /**
   * The plan of {@code dataset}, read from the reference document at {@code refsKey} of {@code
   * refsSize} bytes, whose chunk refs read the data files {@code dataFiles} (by URL, as planned:
   * {@link KerchunkDataFiles}); each task carries and checks those its chunks read.
   */
  public static KerchunkChunkPlan of(
      KerchunkDataset dataset, String refsKey, long refsSize, Map<String, PlannedFile> dataFiles) {
    return new KerchunkChunkPlan(
        new PlannedFile("Kerchunk references", refsKey, refsSize, null),
        dataset,
        Map.copyOf(dataFiles));
  }

  @Override
  public InFileChunks forChunks(ChunkGrid grid, List<long[]> chunkCoords) {
    if (dataset == null || !grid.equals(dataset.grid())) {
      return null; // read through the references (a task of another grid)
    }
    return KerchunkTaskChunks.of(dataset, refs, dataFiles, chunkCoords);
  }

  @Override
  public boolean resolved() {
    return false;
  }

  @Override
  public Dataset open(
      ObjectStore store, int maxInFlight, Function<String, KerchunkReferences.Location> urls) {
    throw new IllegalStateException("The refs of '" + refs.key() + "' are resolved per task");
  }

  @Override
  public PlannedFile plannedFile() {
    return refs;
  }
}
