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
 * What one task needs to read its chunks of a chunked numeric HDF5 dataset with one range request
 * each and no superblock, object header or chunk index read: the file's key and size at planning,
 * the dataset's element type and byte order, chunk grid, fill value, filter pipeline, and the
 * offset, stored size and filter mask of each of the task's stored chunks (chunks absent here were
 * never written and read as the fill value).
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
    this.file = file;
    this.path = src.path();
    this.shape = src.grid().arrayShape();
    this.chunkShape = src.grid().chunkShape();
    this.dataType = src.type().dataType().zarrName();
    this.bigEndian = src.type().bigEndian();
    this.fill = src.fillValue();
    this.filters = new ArrayList<>(src.pipeline().specs());
    this.unfilteredEdges = src.unfilteredEdges();
    PackedLongs.Writer task = new PackedLongs.Writer();
    for (long[] c : taskChunks) {
      task.add(src.grid().linearIndex(c));
    }
    this.taskChunks = task.done();
    PackedLongs.Writer chunks = new PackedLongs.Writer();
    PackedLongs.Writer at = new PackedLongs.Writer();
    PackedLongs.Writer size = new PackedLongs.Writer();
    PackedLongs.Writer mask = new PackedLongs.Writer();
    for (Hdf5ChunkLocation loc : stored) {
      chunks.add(src.grid().linearIndex(loc.chunkCoords()));
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
    DataType type = DataType.fromZarrName(dataType);
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
    Set<Long> covered = new HashSet<>();
    for (long c : taskChunks.toArray()) {
      covered.add(c);
    }
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
    private final Hdf5ChunkSource stored;
    private final Set<Long> covered;
    private final String key;

    TaskChunkSource(Hdf5ChunkSource stored, Set<Long> covered, String key) {
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
