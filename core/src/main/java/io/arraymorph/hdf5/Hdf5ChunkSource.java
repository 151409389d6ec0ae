package io.arraymorph.hdf5;

import io.arraymorph.array.ChunkGrid;
import io.arraymorph.array.ChunkSelection;
import io.arraymorph.array.DataType;
import io.arraymorph.engine.ChunkSource;
import io.arraymorph.hdf5.filter.FilterPipeline;
import io.arraymorph.store.ObjectStore;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The chunks of a chunked HDF5 dataset, read straight from the store: one range request per chunk
 * at the offset its chunk index entry gives, then the filter pipeline, then conversion to
 * little-endian. jhdf is not on this path, so chunk reads run fully in parallel.
 */
public final class Hdf5ChunkSource implements ChunkSource {
  private final ObjectStore store;
  private final String key;
  private final String path;
  private final ChunkGrid grid;
  private final ElementType type;
  private final byte[] fillValue;
  private final FilterPipeline pipeline;
  private final Map<Long, Hdf5ChunkLocation> index;
  private final int chunkBytes;

  /** The dataset's grid when its partial edge chunks are stored unfiltered, else null. */
  private final ChunkGrid unfilteredEdges;

  Hdf5ChunkSource(
      ObjectStore store,
      String key,
      String path,
      ChunkGrid grid,
      ElementType type,
      byte[] fillValue,
      FilterPipeline pipeline,
      ChunkGrid unfilteredEdges,
      List<Hdf5ChunkLocation> chunks) {
    this.store = store;
    this.key = key;
    this.path = path;
    this.grid = grid;
    this.type = type;
    this.fillValue = fillValue.clone();
    this.pipeline = pipeline;
    this.unfilteredEdges = unfilteredEdges;
    this.chunkBytes = Math.toIntExact(grid.chunkElements() * type.dataType().byteSize());
    this.index = new HashMap<>(chunks.size() * 2);
    for (Hdf5ChunkLocation c : chunks) {
      index.put(grid.linearIndex(c.chunkCoords()), c);
    }
  }

  @Override
  public ChunkGrid grid() {
    return grid;
  }

  @Override
  public DataType dataType() {
    return type.dataType();
  }

  @Override
  public byte[] fillValue() {
    return fillValue.clone();
  }

  String key() {
    return key;
  }

  String path() {
    return path;
  }

  ElementType type() {
    return type;
  }

  FilterPipeline pipeline() {
    return pipeline;
  }

  /** Whether partial edge chunks are stored unfiltered. */
  boolean unfilteredEdges() {
    return unfilteredEdges != null;
  }

  /** The stored chunk at these grid coordinates, or null when it was never written. */
  public Hdf5ChunkLocation location(long[] chunkCoords) {
    return index.get(grid.linearIndex(chunkCoords));
  }

  @Override
  public CompletableFuture<byte[]> readChunk(long[] chunkCoords) {
    Hdf5ChunkLocation loc = location(chunkCoords);
    if (loc == null) {
      return CompletableFuture.completedFuture(null);
    }
    return store
        .getRange(key, loc.offset(), loc.storedSize())
        .thenApply(stored -> decode(loc, stored, 0, chunkBytes));
  }

  /**
   * Decodes only as far as the selection's last element where the chunk's filters allow it ({@link
   * FilterPipeline#decode(byte[], int, int, long)}): a point read of a deflated chunk inflates only
   * the start of it.
   */
  @Override
  public CompletableFuture<byte[]> readChunk(ChunkSelection selection) {
    long[] chunkCoords = selection.chunkCoords();
    Hdf5ChunkLocation loc = location(chunkCoords);
    if (loc == null) {
      return CompletableFuture.completedFuture(null);
    }
    long[] range = selection.elementRange(grid.chunkShape());
    int size = type.dataType().byteSize();
    return store
        .getRange(key, loc.offset(), loc.storedSize())
        .thenApply(stored -> decode(loc, stored, range[0] * size, range[1] * size));
  }

  private byte[] decode(Hdf5ChunkLocation loc, byte[] stored, long fromByte, long toByte) {
    if (stored.length != loc.storedSize()) {
      throw new Hdf5FormatException(
          where(loc)
              + ": read "
              + stored.length
              + " of "
              + loc.storedSize()
              + " bytes (truncated?)");
    }
    byte[] data;
    try {
      data =
          isUnfilteredEdge(loc.chunkCoords())
              ? unfiltered(stored)
              : fromByte > 0 || toByte < chunkBytes
                  ? pipeline.decode(stored, loc.filterMask(), chunkBytes, fromByte, toByte)
                  : pipeline.decode(stored, loc.filterMask(), chunkBytes);
    } catch (Hdf5ChecksumException e) {
      throw new Hdf5ChecksumException(where(loc) + ": " + e.getMessage());
    } catch (Hdf5FormatException e) {
      throw new Hdf5FormatException(where(loc) + ": " + e.getMessage(), e);
    }
    return type.bigEndian() ? Endian.swapInPlace(data, type.dataType().byteSize()) : data;
  }

  /** Whether this chunk reaches past the dataset's edge and is stored as is. */
  private boolean isUnfilteredEdge(long[] coords) {
    if (unfilteredEdges == null) {
      return false;
    }
    long[] shape = unfilteredEdges.arrayShape();
    int[] chunk = unfilteredEdges.chunkShape();
    for (int d = 0; d < shape.length; d++) {
      if ((coords[d] + 1) * chunk[d] > shape[d]) {
        return true;
      }
    }
    return false;
  }

  private byte[] unfiltered(byte[] stored) {
    if (stored.length != chunkBytes) {
      throw new Hdf5FormatException(
          "unfiltered edge chunk has " + stored.length + " bytes, expected " + chunkBytes);
    }
    return stored;
  }

  private String where(Hdf5ChunkLocation loc) {
    return "Chunk "
        + Arrays.toString(loc.chunkCoords())
        + " of dataset '"
        + path
        + "' in '"
        + key
        + "' at offset "
        + loc.offset();
  }
}
