package io.arraymorph.hdf5;

import io.arraymorph.api.Dataset;
import io.arraymorph.api.InFileChunks;
import io.arraymorph.api.PlannedFile;
import io.arraymorph.api.ReadOnlyDataset;
import io.arraymorph.array.ChunkGrid;
import io.arraymorph.array.ChunkSelection;
import io.arraymorph.array.DataType;
import io.arraymorph.engine.ChunkSource;
import io.arraymorph.hdf5.filter.FilterPipeline;
import io.arraymorph.hdf5.filter.FilterSpec;
import io.arraymorph.kerchunk.KerchunkReferences;
import io.arraymorph.scan.PackedLongs;
import io.arraymorph.store.ObjectStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * What one task needs to read its chunks of a chunked HDF5 dataset with one range request each and
 * no superblock, object header or chunk index read: the file's key and size at planning, the
 * dataset's element type and byte order (plain numbers) or its datatype message and stored fill
 * value (strings, compounds, enums, arrays, n-bit and bfloat16 numbers: parsed again on the task),
 * chunk grid, fill value, filter pipeline, and the offset, stored size and filter mask of each of
 * the task's stored chunks (chunks absent here were never written and read as the fill value).
 */
public final class Hdf5TaskChunks implements InFileChunks {
  private static final long serialVersionUID = 1L;

  private final PlannedFile file;
  private final String path;
  private final long[] shape;
  private final int[] chunkShape;
  private final String dataType;
  private final boolean bigEndian;
  private final byte[] fill;
  private final ArrayList<FilterSpec> filters;
  private final boolean unfilteredEdges;
  // Non-null for elements decoded from the datatype message (dataType and fill are then unused).
  private final DatasetOpener.StoredType storedType;
  // Packed (delta varints): a task over many files carries these for every file.
  private final PackedLongs taskChunks;
  private final PackedLongs storedChunks;
  private final PackedLongs offsets;
  private final PackedLongs sizes;
  private final PackedLongs masks;

  Hdf5TaskChunks(
      PlannedFile file,
      Hdf5ChunkSource src,
      List<long[]> taskChunks,
      List<Hdf5ChunkLocation> stored) {
    this(
        file,
        src.path(),
        src.grid(),
        src.type().dataType().zarrName(),
        src.type().bigEndian(),
        src.fillValue(),
        src.pipeline().specs(),
        src.unfilteredEdges(),
        null,
        taskChunks,
        stored);
  }

  /** The task's chunks of {@code ds}, whose elements the task decodes from its datatype message. */
  static Hdf5TaskChunks decoded(
      PlannedFile file, Hdf5Dataset ds, List<long[]> taskChunks, List<Hdf5ChunkLocation> stored) {
    return new Hdf5TaskChunks(
        file,
        ds.path(),
        ds.grid(),
        null,
        false,
        null,
        ds.filters(),
        ds.unfilteredEdgeChunks(),
        ds.storedType(),
        taskChunks,
        stored);
  }

  private Hdf5TaskChunks(
      PlannedFile file,
      String path,
      ChunkGrid grid,
      String dataType,
      boolean bigEndian,
      byte[] fill,
      List<FilterSpec> filters,
      boolean unfilteredEdges,
      DatasetOpener.StoredType storedType,
      List<long[]> taskChunks,
      List<Hdf5ChunkLocation> stored) {
    this.file = file;
    this.path = path;
    this.shape = grid.arrayShape();
    this.chunkShape = grid.chunkShape();
    this.dataType = dataType;
    this.bigEndian = bigEndian;
    this.fill = fill;
    this.filters = new ArrayList<>(filters);
    this.unfilteredEdges = unfilteredEdges;
    this.storedType = storedType;
    PackedLongs.Writer task = new PackedLongs.Writer();
    for (long[] c : taskChunks) {
      task.add(grid.linearIndex(c));
    }
    this.taskChunks = task.done();
    PackedLongs.Writer chunks = new PackedLongs.Writer();
    PackedLongs.Writer at = new PackedLongs.Writer();
    PackedLongs.Writer size = new PackedLongs.Writer();
    PackedLongs.Writer mask = new PackedLongs.Writer();
    for (Hdf5ChunkLocation loc : stored) {
      chunks.add(grid.linearIndex(loc.chunkCoords()));
      at.add(loc.offset());
      size.add(loc.storedSize());
      mask.add(loc.filterMask());
    }
    this.storedChunks = chunks.done();
    this.offsets = at.done();
    this.sizes = size.done();
    this.masks = mask.done();
  }

  /** The number of stored chunks this task reads. */
  public int storedChunks() {
    return offsets.size();
  }

  @Override
  public InFileChunks forChunks(ChunkGrid grid, List<long[]> chunkCoords) {
    return this;
  }

  @Override
  public boolean resolved() {
    return true;
  }

  @Override
  public Dataset open(
      ObjectStore store, int maxInFlight, Function<String, KerchunkReferences.Location> urls) {
    ChunkGrid grid = new ChunkGrid(shape, chunkShape);
    long[] linear = storedChunks.toArray();
    long[] at = offsets.toArray();
    long[] size = sizes.toArray();
    long[] mask = masks.toArray();
    List<Hdf5ChunkLocation> stored = new ArrayList<>(at.length);
    for (int i = 0; i < at.length; i++) {
      stored.add(
          new Hdf5ChunkLocation(grid.chunkCoords(linear[i]), at[i], (int) size[i], (int) mask[i]));
    }
    Set<Long> covered = new HashSet<>();
    for (long c : taskChunks.toArray()) {
      covered.add(c);
    }
    if (storedType != null) {
      int elementSize = storedType.decoding(path).elementSize();
      return DatasetOpener.forTask(
          store,
          file.key(),
          path,
          grid,
          storedType,
          FilterPipeline.of(filters, elementSize, path),
          unfilteredEdges,
          stored,
          raw -> new TaskChunkSource(raw, covered, file.key()));
    }
    DataType type = DataType.fromZarrName(dataType);
    Hdf5ChunkSource source =
        new Hdf5ChunkSource(
            store,
            file.key(),
            path,
            grid,
            new ElementType(type, bigEndian),
            fill,
            FilterPipeline.of(filters, type.byteSize(), path),
            unfilteredEdges ? grid : null,
            stored);
    return new TaskDataset(
        path, new TaskChunkSource(source, covered, file.key()), maxInFlight, bigEndian);
  }

  @Override
  public PlannedFile plannedFile() {
    return file;
  }

  /**
   * The task's chunks only: a chunk outside them is refused (reading it as the fill value would be
   * silently wrong).
   */
  private static final class TaskChunkSource implements ChunkSource {
    private final ChunkSource stored;
    private final Set<Long> covered;
    private final String key;

    TaskChunkSource(ChunkSource stored, Set<Long> covered, String key) {
      this.stored = stored;
      this.covered = covered;
      this.key = key;
    }

    @Override
    public ChunkGrid grid() {
      return stored.grid();
    }

    @Override
    public DataType dataType() {
      return stored.dataType();
    }

    @Override
    public byte[] fillValue() {
      return stored.fillValue();
    }

    @Override
    public CompletableFuture<byte[]> readChunk(long[] chunkCoords) {
      return covered.contains(stored.grid().linearIndex(chunkCoords))
          ? stored.readChunk(chunkCoords)
          : notPlanned(chunkCoords);
    }

    @Override
    public CompletableFuture<byte[]> readChunk(ChunkSelection selection) {
      long[] chunkCoords = selection.chunkCoords();
      return covered.contains(stored.grid().linearIndex(chunkCoords))
          ? stored.readChunk(selection)
          : notPlanned(chunkCoords);
    }

    private CompletableFuture<byte[]> notPlanned(long[] chunkCoords) {
      return CompletableFuture.failedFuture(
          new IllegalStateException(
              "Chunk "
                  + Arrays.toString(chunkCoords)
                  + " of '"
                  + key
                  + "' was not planned for this task; reopen the file to read it"));
    }
  }

  /** The dataset as one task sees it: its chunks, read by range; nothing else of the file. */
  static final class TaskDataset extends ReadOnlyDataset {
    private final ChunkSource source;
    private final boolean bigEndian;

    TaskDataset(String path, ChunkSource source, int maxInFlight, boolean bigEndian) {
      super(path, "HDF5 file", maxInFlight);
      this.source = source;
      this.bigEndian = bigEndian;
    }

    @Override
    public ChunkSource chunkSource() {
      return source;
    }

    @Override
    public Map<String, Object> attributes() {
      return Map.of();
    }

    @Override
    public String codecDescription() {
      return "bytes(" + (bigEndian ? "big" : "little") + ")";
    }
  }
}
