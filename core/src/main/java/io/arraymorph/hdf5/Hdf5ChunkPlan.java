package io.arraymorph.hdf5;

import io.arraymorph.api.Dataset;
import io.arraymorph.api.InFileChunks;
import io.arraymorph.api.PlannedFile;
import io.arraymorph.array.ChunkGrid;
import io.arraymorph.kerchunk.KerchunkReferences;
import io.arraymorph.store.ObjectStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * A chunked numeric HDF5 dataset as its planner opened it: its chunk index stays on the planning
 * machine (transient) and only each task's chunks travel, as {@link Hdf5TaskChunks}.
 */
public final class Hdf5ChunkPlan implements InFileChunks {
  private static final long serialVersionUID = 1L;

  private final PlannedFile file;
  private final transient Hdf5ChunkSource source;

  private Hdf5ChunkPlan(PlannedFile file, Hdf5ChunkSource source) {
    this.file = file;
    this.source = source;
  }

  /**
   * The plan of a dataset of the file at {@code fileKey} of {@code fileSize} bytes and entity tag
   * {@code fileTag} (null when the store gives none), reading its chunk index now; for a contiguous
   * or compact numeric dataset, what reading it needs ({@link Hdf5UnchunkedTask}: its data's
   * offset, or its data); null when the dataset is read through the file (strings, compounds,
   * enums, bfloat16, n-bit types).
   */
  public static InFileChunks of(Hdf5Dataset ds, String fileKey, long fileSize, String fileTag) {
    if (ds.readsValues()) {
      return null;
    }
    if (ds.layout() != Hdf5Layout.CHUNKED) {
      return Hdf5UnchunkedTask.of(ds, fileKey, fileSize, fileTag);
    }
    if (!(ds.chunkSource() instanceof Hdf5ChunkSource src)) {
      return null; // bfloat16 widened or n-bit unpacked: decoded by a wrapping source
    }
    ElementType t = src.type();
    if (!t.equals(new ElementType(t.dataType(), t.bigEndian()))) {
      return null;
    }
    return new Hdf5ChunkPlan(new PlannedFile("File", src.key(), fileSize, fileTag), src);
  }

  @Override
  public InFileChunks forChunks(ChunkGrid grid, List<long[]> chunkCoords) {
    if (source == null
        || !Arrays.equals(grid.arrayShape(), source.grid().arrayShape())
        || !Arrays.equals(grid.chunkShape(), source.grid().chunkShape())) {
      return null;
    }
    List<Hdf5ChunkLocation> stored = new ArrayList<>();
    for (long[] c : chunkCoords) {
      Hdf5ChunkLocation loc = source.location(c);
      if (loc != null) {
        stored.add(loc);
      }
    }
    return new Hdf5TaskChunks(file, source, chunkCoords, stored);
  }

  @Override
  public boolean resolved() {
    return false;
  }

  @Override
  public Dataset open(
      ObjectStore store, int maxInFlight, Function<String, KerchunkReferences.Location> urls) {
    throw new IllegalStateException("The chunks of '" + file.key() + "' are resolved per task");
  }

  @Override
  public PlannedFile plannedFile() {
    return file;
  }
}
