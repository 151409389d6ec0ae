package io.arraymorph.zarr.v2;

import io.arraymorph.api.ReadOnlyDataset;
import io.arraymorph.array.ChunkGrid;
import io.arraymorph.array.DataType;
import io.arraymorph.array.Shapes;
import io.arraymorph.codec.CodecException;
import io.arraymorph.codec.EndianCodec;
import io.arraymorph.engine.ChunkSource;
import io.arraymorph.store.Keys;
import io.arraymorph.store.MissingObjects;
import io.arraymorph.store.ObjectStore;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** A Zarr v2 array, read-only. */
public final class ZarrV2Dataset extends ReadOnlyDataset implements ChunkSource {
  /** The file holding a Zarr v2 array's metadata. */
  public static final String METADATA_FILE = ".zarray";

  private final ObjectStore store;
  private final ZarrV2Metadata meta;
  private final Map<String, Object> attributes;
  private final ChunkGrid grid;
  private final int chunkBytes;

  public ZarrV2Dataset(
      ObjectStore store,
      String path,
      ZarrV2Metadata meta,
      Map<String, Object> attributes,
      int maxInFlight) {
    super(Keys.join(path), "Zarr v2", maxInFlight);
    this.store = store;
    this.meta = meta;
    this.attributes = attributes;
    this.grid = meta.grid();
    this.chunkBytes =
        Shapes.checkedIntSize(Shapes.toLong(meta.chunks()), meta.dataType().byteSize());
  }

  @Override
  public ChunkGrid grid() {
    return grid;
  }

  @Override
  public DataType dataType() {
    return meta.dataType();
  }

  @Override
  public byte[] fillValue() {
    return meta.fillValue().clone();
  }

  @Override
  public ChunkSource chunkSource() {
    return this;
  }

  @Override
  public Map<String, Object> attributes() {
    return attributes;
  }

  @Override
  public String codecDescription() {
    String order = meta.byteOrder() == ByteOrder.BIG_ENDIAN ? "big" : "little";
    String compressor = meta.compressor() == null ? "" : ", " + meta.compressor().name();
    return "zarr v2 ("
        + order
        + "-endian"
        + compressor
        + (meta.fortranOrder() ? ", F order" : "")
        + ")";
  }

  @Override
  public java.util.Optional<String> chunkObjectKey(long[] chunkCoords) {
    return java.util.Optional.of(chunkKey(chunkCoords));
  }

  /** The key of a chunk from the store's root. */
  public String chunkKey(long[] coords) {
    return Keys.join(path(), meta.chunkKey(coords));
  }

  @Override
  public CompletableFuture<byte[]> readChunk(long[] coords) {
    String key = chunkKey(coords);
    return MissingObjects.getOrNull(store, key)
        .thenApply(stored -> stored == null ? null : decode(key, stored));
  }

  private byte[] decode(String key, byte[] stored) {
    byte[] data;
    try {
      data = meta.compressor() == null ? stored : meta.compressor().decode(stored, chunkBytes);
    } catch (CodecException e) {
      throw new CodecException("Chunk '" + key + "': " + e.getMessage(), e);
    }
    if (data.length != chunkBytes) {
      throw new CodecException(
          "Chunk '"
              + key
              + "' holds "
              + data.length
              + " bytes where the chunk shape needs "
              + chunkBytes);
    }
    int size = meta.dataType().byteSize();
    if (meta.byteOrder() == ByteOrder.BIG_ENDIAN) {
      EndianCodec.swap(data, size);
    }
    return meta.fortranOrder() ? FortranOrder.toC(data, meta.chunks(), size) : data;
  }
}
