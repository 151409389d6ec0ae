package io.arraymorph.legacy;

import io.arraymorph.ArrayMorphException;
import io.arraymorph.api.ReadOnlyDataset;
import io.arraymorph.array.ChunkGrid;
import io.arraymorph.array.DataType;
import io.arraymorph.array.Shapes;
import io.arraymorph.codec.CodecException;
import io.arraymorph.engine.ChunkSource;
import io.arraymorph.store.Keys;
import io.arraymorph.store.MissingObjects;
import io.arraymorph.store.ObjectStore;
import java.util.concurrent.CompletableFuture;

/**
 * A dataset written by the ArrayMorph HDF5 plugin: {@code <dataset>/meta} plus raw C-order chunks
 * at {@code <dataset>/<n>}, n the row-major chunk index. Read-only.
 */
public final class LegacyDataset extends ReadOnlyDataset implements ChunkSource {
  /** The object holding a legacy dataset's metadata. */
  public static final String METADATA_FILE = "meta";

  private final ObjectStore store;
  private final ChunkGrid grid;
  private final DataType dataType;
  private final int chunkBytes;

  /**
   * A legacy dataset whose element type is {@code dataType} (from the recorded id, or given by the
   * user when the id is unknown).
   */
  public LegacyDataset(
      ObjectStore store, String path, LegacyMetadata meta, DataType dataType, int maxInFlight) {
    super(Keys.join(path), "the ArrayMorph HDF5 plugin's layout", maxInFlight);
    this.store = store;
    this.grid = new ChunkGrid(meta.shape(), meta.chunkShape());
    this.dataType = dataType;
    this.chunkBytes = Shapes.checkedIntSize(Shapes.toLong(meta.chunkShape()), dataType.byteSize());
  }

  /**
   * Opens a legacy dataset, resolving its type from the recorded HDF5 id or the {@code dtype}
   * override.
   *
   * @throws ArrayMorphException naming the id and the {@code dtype} option when the id is unknown
   */
  public static LegacyDataset open(
      ObjectStore store, String path, LegacyMetadata meta, String dtypeOverride, int maxInFlight) {
    DataType type;
    if (dtypeOverride != null && !dtypeOverride.isBlank()) {
      type = DataType.fromZarrName(dtypeOverride.trim());
    } else {
      type =
          meta.knownDataType()
              .orElseThrow(
                  () ->
                      new ArrayMorphException(
                          "ArrayMorph dataset '"
                              + path
                              + "' records HDF5 type handle "
                              + meta.typeId()
                              + ", which is not a known native type handle; name its type with the"
                              + " option dtype (e.g. dtype=float32)"));
    }
    return new LegacyDataset(store, path, meta, type, maxInFlight);
  }

  @Override
  public ChunkGrid grid() {
    return grid;
  }

  @Override
  public DataType dataType() {
    return dataType;
  }

  @Override
  public byte[] fillValue() {
    return new byte[dataType.byteSize()];
  }

  @Override
  public ChunkSource chunkSource() {
    return this;
  }

  @Override
  public String codecDescription() {
    return "arraymorph legacy (raw little-endian)";
  }

  /** The key of a chunk from the store's root. */
  public String chunkKey(long[] coords) {
    return Keys.join(path(), Long.toString(grid.linearIndex(coords)));
  }

  @Override
  public CompletableFuture<byte[]> readChunk(long[] coords) {
    String key = chunkKey(coords);
    return MissingObjects.getOrNull(store, key).thenApply(data -> checkSize(key, data));
  }

  private byte[] checkSize(String key, byte[] data) {
    if (data != null && data.length != chunkBytes) {
      throw new CodecException(
          "Chunk '"
              + key
              + "' holds "
              + data.length
              + " bytes where a "
              + dataType.zarrName()
              + " chunk needs "
              + chunkBytes
              + "; if the type is wrong, set the option dtype");
    }
    return data;
  }
}
