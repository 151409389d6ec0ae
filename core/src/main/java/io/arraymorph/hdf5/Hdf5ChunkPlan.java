package io.arraymorph.hdf5;

import io.arraymorph.api.Dataset;
import io.arraymorph.api.InFileChunks;
import io.arraymorph.api.PlannedFile;
import io.arraymorph.array.ChunkGrid;
import io.arraymorph.kerchunk.KerchunkReferences;
import io.arraymorph.store.ObjectStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A chunked HDF5 dataset as its planner opened it: its chunk index stays on the planning machine
 * (transient) and only each task's chunks travel, as {@link Hdf5TaskChunks}, with what decoding
 * them needs (the element type of plain numbers; for strings, compounds, enums, arrays, n-bit and
 * bfloat16 numbers, the datatype message the task parses again).
 */
public final class Hdf5ChunkPlan implements InFileChunks {
  private static final long serialVersionUID = 1L;

  private final PlannedFile file;
  // One of these two, on the planning machine only: plain numbers' source, or the dataset whose
  // elements a task decodes from its datatype message.
  private final transient Hdf5ChunkSource source;
  private final transient Hdf5Dataset decoded;
  private final transient Map<Long, Hdf5ChunkLocation> index;

  private Hdf5ChunkPlan(PlannedFile file, Hdf5ChunkSource source, Hdf5Dataset decoded) {
    this.file = file;
    this.source = source;
    this.decoded = decoded;
    this.index = decoded == null ? null : indexOf(decoded);
  }

  /**
   * The plan of a dataset of the file at {@code fileKey} of {@code fileSize} bytes and entity tag
   * {@code fileTag} (null when the store gives none), reading its chunk index now; for a contiguous
   * or compact dataset, what reading it needs ({@link Hdf5UnchunkedTask}: its data's offset, or its
   * data); null when the dataset is read through the file (variable-length data, which lives in the
   * file's global heap).
   */
  public static InFileChunks of(Hdf5Dataset ds, String fileKey, long fileSize, String fileTag) {
    if (ds.layout() != Hdf5Layout.CHUNKED) {
      return Hdf5UnchunkedTask.of(ds, fileKey, fileSize, fileTag);
    }
    PlannedFile file = new PlannedFile("File", fileKey, fileSize, fileTag);
    if (ds.storedType() != null) {
      return new Hdf5ChunkPlan(file, null, ds);
    }
    if (ds.readsValues() || !(ds.chunkSource() instanceof Hdf5ChunkSource src)) {
      return null;
    }
    ElementType t = src.type();
    if (!t.equals(new ElementType(t.dataType(), t.bigEndian()))) {
      return null;
    }
    return new Hdf5ChunkPlan(new PlannedFile("File", src.key(), fileSize, fileTag), src, null);
  }

  @Override
  public InFileChunks forChunks(ChunkGrid grid, List<long[]> chunkCoords) {
    ChunkGrid planned = source != null ? source.grid() : decoded != null ? decoded.grid() : null;
    if (planned == null
        || !Arrays.equals(grid.arrayShape(), planned.arrayShape())
        || !Arrays.equals(grid.chunkShape(), planned.chunkShape())) {
      return null;
    }
    List<Hdf5ChunkLocation> stored = new ArrayList<>();
    for (long[] c : chunkCoords) {
      Hdf5ChunkLocation loc =
          source != null ? source.location(c) : index.get(planned.linearIndex(c));
      if (loc != null) {
        stored.add(loc);
      }
    }
    return source != null
        ? new Hdf5TaskChunks(file, source, chunkCoords, stored)
        : Hdf5TaskChunks.decoded(file, decoded, chunkCoords, stored);
  }

  /**
   * The dataset's chunk index by linear chunk index, read now: the planner closes the file before
   * it plans the tasks.
   */
  private static Map<Long, Hdf5ChunkLocation> indexOf(Hdf5Dataset ds) {
    Map<Long, Hdf5ChunkLocation> byChunk = new HashMap<>();
    for (Hdf5ChunkLocation loc : ds.chunkIndex()) {
      byChunk.put(ds.grid().linearIndex(loc.chunkCoords()), loc);
    }
    return byChunk;
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
