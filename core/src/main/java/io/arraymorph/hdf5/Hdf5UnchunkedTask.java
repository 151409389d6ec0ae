package io.arraymorph.hdf5;

import io.arraymorph.api.Dataset;
import io.arraymorph.api.InFileChunks;
import io.arraymorph.api.PlannedFile;
import io.arraymorph.array.ChunkGrid;
import io.arraymorph.array.DataType;
import io.arraymorph.engine.ChunkSource;
import io.arraymorph.kerchunk.KerchunkReferences;
import io.arraymorph.store.ObjectStore;
import java.util.List;
import java.util.function.Function;

/**
 * What a task needs to read a contiguous or compact HDF5 dataset with no superblock or object
 * header read: the element type and byte order of plain numbers (or, for strings, compounds, enums,
 * arrays, n-bit and bfloat16 numbers, the datatype message the task parses again), the (synthetic)
 * chunk grid and fill value, and the data's offset in the file (contiguous: each chunk is one range
 * request) or, for compact data, which lives in the object header, the data itself (at most 64 KiB:
 * the task makes no request but its file check). The same for every task.
 */
public final class Hdf5UnchunkedTask implements InFileChunks {
  private static final long serialVersionUID = 1L;

  private final PlannedFile file;
  private final String path;
  private final long[] shape;
  private final int[] chunkShape;
  private final String dataType;
  private final boolean bigEndian;
  private final byte[] fill;
  private final long dataOffset;
  private final byte[] compactData;
  // Non-null for contiguous elements decoded from the datatype message (dataType, bigEndian and
  // fill are then unused).
  private final DatasetOpener.StoredType storedType;
  private final boolean forTask;

  private Hdf5UnchunkedTask(
      PlannedFile file,
      String path,
      ChunkGrid grid,
      ElementType type,
      byte[] fill,
      long dataOffset,
      byte[] compactData,
      DatasetOpener.StoredType storedType) {
    this.file = file;
    this.path = path;
    this.shape = grid.arrayShape();
    this.chunkShape = grid.chunkShape();
    this.dataType = type.dataType().zarrName();
    this.bigEndian = type.bigEndian();
    this.fill = fill;
    this.dataOffset = dataOffset;
    this.compactData = compactData;
    this.storedType = storedType;
    this.forTask = false;
  }

  private Hdf5UnchunkedTask(Hdf5UnchunkedTask plan) {
    this.file = plan.file;
    this.path = plan.path;
    this.shape = plan.shape;
    this.chunkShape = plan.chunkShape;
    this.dataType = plan.dataType;
    this.bigEndian = plan.bigEndian;
    this.fill = plan.fill;
    this.dataOffset = plan.dataOffset;
    this.compactData = plan.compactData;
    this.storedType = plan.storedType;
    this.forTask = true;
  }

  /**
   * The task reference of a contiguous or compact dataset, or null when it is read through the file
   * (variable-length data, which lives in the file's global heap).
   */
  static Hdf5UnchunkedTask of(Hdf5Dataset ds, String fileKey, long fileSize, String fileTag) {
    if (ds.storedType() != null
        && (ds.layout() == Hdf5Layout.CONTIGUOUS || ds.layout() == Hdf5Layout.COMPACT)) {
      return new Hdf5UnchunkedTask(
          new PlannedFile("File", fileKey, fileSize, fileTag),
          ds.path(),
          ds.grid(),
          new ElementType(DataType.UINT8, false),
          new byte[1],
          ds.contiguousDataOffset().orElse(-1),
          null,
          ds.storedType());
    }
    if (ds.readsValues()) {
      return null;
    }
    ChunkSource source = ds.chunkSource();
    if (source instanceof ContiguousChunkSource c) {
      ElementType t = c.type();
      if (!t.equals(new ElementType(t.dataType(), t.bigEndian())) || !c.grid().equals(ds.grid())) {
        return null;
      }
      return new Hdf5UnchunkedTask(
          new PlannedFile("File", c.key(), fileSize, fileTag),
          ds.path(),
          c.grid(),
          t,
          c.fillValue(),
          c.dataOffset(),
          null,
          null);
    }
    if (source instanceof CompactChunkSource c && c.grid().equals(ds.grid())) {
      return new Hdf5UnchunkedTask(
          new PlannedFile("File", fileKey, fileSize, fileTag),
          ds.path(),
          c.grid(),
          new ElementType(c.dataType(), false),
          c.fillValue(),
          -1,
          c.data(),
          null);
    }
    return null;
  }

  /**
   * The reference a task ships: every chunk is readable from what travels. The planner's own
   * reference stays unresolved, so the planning machine opens the dataset through the file, with
   * its attributes and dimension names, which a task does not need.
   */
  @Override
  public InFileChunks forChunks(ChunkGrid grid, List<long[]> chunkCoords) {
    return forTask ? this : new Hdf5UnchunkedTask(this);
  }

  @Override
  public boolean resolved() {
    return forTask;
  }

  @Override
  public Dataset open(
      ObjectStore store, int maxInFlight, Function<String, KerchunkReferences.Location> urls) {
    if (!forTask) {
      throw new IllegalStateException(
          "'" + path + "' of '" + file.key() + "' is resolved per task");
    }
    ChunkGrid grid = new ChunkGrid(shape, chunkShape);
    if (storedType != null) {
      return DatasetOpener.unchunkedForTask(store, file.key(), path, grid, storedType, dataOffset);
    }
    DataType type = DataType.fromZarrName(dataType);
    ChunkSource source =
        compactData != null
            ? new CompactChunkSource(grid, type, fill, compactData)
            : new ContiguousChunkSource(
                store, file.key(), grid, new ElementType(type, bigEndian), fill, dataOffset);
    return new Hdf5TaskChunks.TaskDataset(path, source, maxInFlight, bigEndian);
  }

  @Override
  public PlannedFile plannedFile() {
    return file;
  }
}
