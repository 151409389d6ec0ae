package io.arraymorph.legacy;

import io.arraymorph.ArrayMorphException;
import io.arraymorph.api.ReadOnlyDataset;
import io.arraymorph.array.ChunkGrid;
import io.arraymorph.array.DataType;
import io.arraymorph.array.Shapes;
import io.arraymorph.codec.CodecException;
import io.arraymorph.engine.ChunkSource;
import io.arraymorph.store.Futures;
import io.arraymorph.store.Keys;
import io.arraymorph.store.MissingObjects;
import io.arraymorph.store.ObjectInfo;
import io.arraymorph.store.ObjectStore;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
   * override. An id that names different types under HDF5 1.10 and 1.14 is resolved by the size of
   * a stored chunk (the first or the last, one HEAD request each), and where both fit, as HDF5 1.14
   * (the release the plugin runs on) reads it.
   *
   * @throws ArrayMorphException naming the id and the {@code dtype} option when the id is unknown
   *     or its candidates cannot be told apart
   */
  public static LegacyDataset open(
      ObjectStore store, String path, LegacyMetadata meta, String dtypeOverride, int maxInFlight) {
    DataType type;
    if (dtypeOverride != null && !dtypeOverride.isBlank()) {
      type = DataType.fromZarrName(dtypeOverride.trim());
    } else {
      type = meta.knownDataType().orElseGet(() -> bySize(store, path, meta));
    }
    return new LegacyDataset(store, path, meta, type, maxInFlight);
  }

  private static DataType bySize(ObjectStore store, String path, LegacyMetadata meta) {
    Map<String, DataType> candidates = meta.candidateTypes();
    String handle = "HDF5 type handle 0x" + Long.toHexString(meta.typeId());
    if (candidates.isEmpty()) {
      throw new ArrayMorphException(
          "ArrayMorph dataset '"
              + path
              + "' records "
              + handle
              + ", which is not a known native type handle of HDF5 1.10 or 1.14; name its type"
              + " with the option dtype (e.g. dtype=float32)");
    }
    ChunkGrid grid = new ChunkGrid(meta.shape(), meta.chunkShape());
    long elements = Shapes.product(Shapes.toLong(meta.chunkShape()));
    Optional<ObjectInfo> chunk = Optional.empty();
    for (long index : new long[] {0, grid.chunkCount() - 1}) {
      if (chunk.isEmpty() && index >= 0) {
        chunk = Futures.join(store.head(Keys.join(path, Long.toString(index))));
      }
    }
    List<DataType> fitting = new ArrayList<>();
    for (DataType t : EnumSet.copyOf(candidates.values())) {
      if (chunk.isPresent() && chunk.get().size() == elements * t.byteSize()) {
        fitting.add(t);
      }
    }
    if (fitting.size() == 1) {
      return fitting.get(0);
    }
    // The plugin is a VOL connector, which needs HDF5 1.14: where a stored chunk fits both, its
    // reading wins (0x...29 is 1.14's INT64 and 1.10's ULLONG).
    DataType v114 = candidates.get("HDF5 1.14");
    if (fitting.size() > 1 && fitting.contains(v114)) {
      return v114;
    }
    throw new ArrayMorphException(
        "ArrayMorph dataset '"
            + path
            + "' records "
            + handle
            + ", which means "
            + candidates.entrySet().stream()
                .map(c -> c.getValue().zarrName() + " under " + c.getKey())
                .collect(java.util.stream.Collectors.joining(" but "))
            + (chunk.isEmpty()
                ? " and no chunk is stored to tell them apart"
                : " and a " + chunk.get().size() + "-byte chunk does not tell them apart")
            + "; name its type with the option dtype (e.g. dtype="
            + candidates.values().iterator().next().zarrName()
            + ")");
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

  @Override
  public java.util.Optional<String> chunkObjectKey(long[] chunkCoords) {
    return java.util.Optional.of(chunkKey(chunkCoords));
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
