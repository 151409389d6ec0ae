package io.arraymorph.hdf5;

import io.arraymorph.api.Dataset;
import io.arraymorph.api.InFileChunks;
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

  private final String key;
  private final long fileSize;
  private final String fileTag;
  private final transient Hdf5ChunkSource source;

  private Hdf5ChunkPlan(String key, long fileSize, String fileTag, Hdf5ChunkSource source) {
    this.key = key;
    this.fileSize = fileSize;
    this.fileTag = fileTag;
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
    return new Hdf5ChunkPlan(src.key(), fileSize, fileTag, src);
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
    return new Hdf5TaskChunks(key, fileSize, fileTag, source, chunkCoords, stored);
  }

  @Override
  public boolean resolved() {
    return false;
  }

  @Override
  public Dataset open(
      ObjectStore store, int maxInFlight, Function<String, KerchunkReferences.Location> urls) {
    throw new IllegalStateException("The chunks of '" + key + "' are resolved per task");
  }

  @Override
  public String fileKey() {
    return key;
  }

  @Override
  public void verifyUnchanged(ObjectStore store, String where) {
    InFileChunks.verifyPlanned(store, "File", key, fileSize, fileTag, where);
  }
}
