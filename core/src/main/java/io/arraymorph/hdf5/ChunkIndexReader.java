package io.arraymorph.hdf5;

import io.arraymorph.array.ChunkGrid;
import io.jhdf.btree.BTreeV1;
import io.jhdf.dataset.chunked.Chunk;
import io.jhdf.dataset.chunked.ChunkedDatasetBase;
import io.jhdf.dataset.chunked.DatasetInfo;
import io.jhdf.dataset.chunked.indexing.BTreeIndex;
import io.jhdf.dataset.chunked.indexing.ChunkIndex;
import io.jhdf.dataset.chunked.indexing.SingleChunkIndex;
import io.jhdf.object.message.DataLayoutMessage;
import io.jhdf.object.message.DataLayoutMessage.ChunkedDataLayoutMessage;
import io.jhdf.object.message.DataLayoutMessage.ChunkedDataLayoutMessageV4;
import io.jhdf.storage.HdfBackingStorage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.List;

/**
 * Enumerates a chunked dataset's chunk index, whatever its type, through jhdf's public index
 * classes (the same ones jhdf's own chunk lookup uses), and validates each entry against the grid
 * and the file.
 */
final class ChunkIndexReader {
  private ChunkIndexReader() {}

  /** The index type of a chunked dataset's layout message, as listed in {@link Hdf5Dataset}. */
  static String indexType(DataLayoutMessage layout) {
    if (layout instanceof ChunkedDataLayoutMessage) {
      return "btree-v1";
    }
    if (layout instanceof ChunkedDataLayoutMessageV4 v4) {
      return switch (v4.getIndexingType()) {
        case ChunkedDataLayoutMessageV4.SINGLE_CHUNK_INDEX -> "single-chunk";
        case ChunkedDataLayoutMessageV4.IMPLICIT_INDEX -> "implicit";
        case ChunkedDataLayoutMessageV4.FIXED_ARRAY_INDEX -> "fixed-array";
        case ChunkedDataLayoutMessageV4.EXTENSIBLE_ARRAY_INDEX -> "extensible-array";
        case ChunkedDataLayoutMessageV4.B_TREE_V2_INDEX -> "btree-v2";
        default -> "unknown(" + v4.getIndexingType() + ")";
      };
    }
    return "none";
  }

  /**
   * Reads every allocated chunk's location.
   *
   * @param fileSize entries reaching past it mean a truncated or corrupt file
   * @throws Hdf5FormatException when an entry does not fit the grid or the file
   */
  static List<Hdf5ChunkLocation> read(
      HdfBackingStorage storage,
      ChunkedDatasetBase dataset,
      ChunkGrid grid,
      int elementSize,
      long fileSize,
      String path) {
    DataLayoutMessage layout = dataset.getHeader().getMessageOfType(DataLayoutMessage.class);
    List<FixedArrayIndexReader.RawChunk> chunks =
        rawChunks(storage, layout, grid, dataset.getMaxSize(), elementSize, path);
    long base = storage.getUserBlockSize();
    List<Hdf5ChunkLocation> out = new ArrayList<>(chunks.size());
    for (FixedArrayIndexReader.RawChunk chunk : chunks) {
      long[] coords = chunk.coords();
      long offset = chunk.address() + base;
      int size = chunk.size();
      if (offset < 0 || size < 0 || offset + size > fileSize) {
        throw corrupt(
            path,
            "chunk "
                + Arrays.toString(coords)
                + " at bytes ["
                + offset
                + ", "
                + (offset + size)
                + ") lies beyond the end of the file ("
                + fileSize
                + " bytes): truncated?");
      }
      out.add(new Hdf5ChunkLocation(coords, offset, size, chunk.filterMask()));
    }
    return out;
  }

  /** jhdf's chunks, keyed by element offsets, as grid coordinates; unwritten slots dropped. */
  private static List<FixedArrayIndexReader.RawChunk> fromJhdf(
      HdfBackingStorage storage, Collection<Chunk> chunks, ChunkGrid grid, String path) {
    int[] chunkShape = grid.chunkShape();
    long[] gridShape = grid.gridShape();
    List<FixedArrayIndexReader.RawChunk> out = new ArrayList<>(chunks.size());
    for (Chunk chunk : chunks) {
      if (Hdf5Address.undefined(chunk.getAddress(), storage)) {
        continue; // allocated index slot, chunk never written
      }
      long[] elementOffset = chunk.getChunkOffset();
      if (elementOffset.length != chunkShape.length) {
        throw corrupt(path, "chunk index entry has rank " + elementOffset.length);
      }
      long[] coords = new long[chunkShape.length];
      for (int d = 0; d < coords.length; d++) {
        coords[d] = elementOffset[d] / chunkShape[d];
        if (elementOffset[d] % chunkShape[d] != 0 || coords[d] < 0 || coords[d] >= gridShape[d]) {
          throw corrupt(
              path, "chunk index entry at element offset " + Arrays.toString(elementOffset));
        }
      }
      out.add(
          new FixedArrayIndexReader.RawChunk(
              chunk.getAddress(), chunk.getSize(), coords, toMask(chunk.getFilterMask())));
    }
    return out;
  }

  private static List<FixedArrayIndexReader.RawChunk> rawChunks(
      HdfBackingStorage storage,
      DataLayoutMessage layout,
      ChunkGrid grid,
      long[] maxShape,
      int elementSize,
      String path) {
    if (layout instanceof ChunkedDataLayoutMessage v3) {
      if (Hdf5Address.undefined(v3.getBTreeAddress(), storage)) {
        return List.of();
      }
      return fromJhdf(
          storage,
          BTreeV1.createDataBTree(storage, v3.getBTreeAddress(), grid.rank()).getChunks(),
          grid,
          path);
    }
    if (!(layout instanceof ChunkedDataLayoutMessageV4 v4)) {
      throw corrupt(path, "not a chunked layout: " + layout.getClass().getSimpleName());
    }
    if (Hdf5Address.undefined(v4.getAddress(), storage)) {
      return List.of();
    }
    long chunkBytes = grid.chunkElements() * elementSize;
    if (chunkBytes > Integer.MAX_VALUE) {
      throw new Hdf5UnsupportedException("chunks larger than 2 GiB", path);
    }
    // The array-like indexes number chunks over the maximum shape: read them here, not by jhdf.
    switch (v4.getIndexingType()) {
      case ChunkedDataLayoutMessageV4.FIXED_ARRAY_INDEX -> {
        return FixedArrayIndexReader.read(
            storage, v4.getAddress(), ChunkIndexOrder.fixed(grid, maxShape), (int) chunkBytes);
      }
      case ChunkedDataLayoutMessageV4.EXTENSIBLE_ARRAY_INDEX -> {
        return ExtensibleArrayIndexReader.read(
            storage,
            v4.getAddress(),
            ChunkIndexOrder.extensible(grid, maxShape, path),
            (int) chunkBytes,
            path);
      }
      case ChunkedDataLayoutMessageV4.IMPLICIT_INDEX -> {
        return implicit(v4.getAddress(), ChunkIndexOrder.fixed(grid, maxShape), grid, chunkBytes);
      }
      default -> {
        // single chunk and version-2 B-trees (which key chunks by their coordinates): jhdf
      }
    }
    DatasetInfo info = new DatasetInfo((int) chunkBytes, grid.arrayShape(), grid.chunkShape());
    ChunkIndex index =
        switch (v4.getIndexingType()) {
          case ChunkedDataLayoutMessageV4.SINGLE_CHUNK_INDEX -> new SingleChunkIndex(v4, info);
          case ChunkedDataLayoutMessageV4.B_TREE_V2_INDEX ->
              new BTreeIndex(storage, v4.getAddress(), info);
          default ->
              throw new Hdf5UnsupportedException("chunk index type " + v4.getIndexingType(), path);
        };
    return fromJhdf(storage, index.getAllChunks(), grid, path);
  }

  /**
   * The implicit index: every chunk allocated at once, contiguous from {@code address}, in the
   * order of {@link ChunkIndexOrder#fixed} (unfiltered, so each chunk has the unfiltered size).
   */
  private static List<FixedArrayIndexReader.RawChunk> implicit(
      long address, ChunkIndexOrder order, ChunkGrid grid, long chunkBytes) {
    List<FixedArrayIndexReader.RawChunk> out = new ArrayList<>();
    long[] gridShape = grid.gridShape();
    long[] coords = new long[grid.rank()];
    for (long n = 0; n < grid.chunkCount(); n++) {
      long position = order.position(coords);
      out.add(
          new FixedArrayIndexReader.RawChunk(
              address + position * chunkBytes, (int) chunkBytes, coords.clone(), 0));
      for (int d = coords.length - 1; d >= 0; d--) {
        if (++coords[d] < gridShape[d]) {
          break;
        }
        coords[d] = 0;
      }
    }
    return out;
  }

  private static int toMask(BitSet mask) {
    if (mask == null || mask.isEmpty()) {
      return 0;
    }
    return (int) mask.toLongArray()[0];
  }

  private static Hdf5FormatException corrupt(String path, String what) {
    return new Hdf5FormatException("Corrupt chunk index of dataset '" + path + "': " + what);
  }
}
