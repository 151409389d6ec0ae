package io.arraymorph.kerchunk;

import io.arraymorph.api.PlannedFile;
import io.arraymorph.api.ReadOnlyDataset;
import io.arraymorph.array.ChunkGrid;
import io.arraymorph.array.ChunkSelection;
import io.arraymorph.array.DataType;
import io.arraymorph.engine.ChunkSource;
import io.arraymorph.scan.VersionCheck;
import io.arraymorph.zarr.v2.ZarrV2Metadata;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One array of a kerchunk reference document, read-only: its Zarr v2 {@code .zarray} gives shape,
 * chunks, dtype and codecs, and each chunk is fetched through its ref (one ranged GET of the
 * referenced file, or inline data) and decoded by a {@link RefChunkDecoder}. Chunks without a ref
 * read as the fill value. No HDF5 parsing happens on this path.
 */
public final class KerchunkDataset extends ReadOnlyDataset implements ChunkSource {
  private final KerchunkReferences refs;
  private final RefChunkDecoder decoder;
  private final Map<String, Object> attributes;
  private final byte[] zarray;
  private final int maxInFlight;
  private final Runnable fileCheck;

  KerchunkDataset(
      KerchunkReferences refs, String variable, byte[] zarray, byte[] zattrs, int maxInFlight) {
    super(variable, "kerchunk references", maxInFlight);
    this.refs = refs;
    this.decoder = RefChunkDecoder.parse(zarray, variable + "/.zarray");
    this.zarray = zarray;
    this.maxInFlight = maxInFlight;
    this.attributes =
        zattrs == null ? Map.of() : ZarrV2Metadata.parseAttributes(zattrs, variable + "/.zattrs");
    this.fileCheck = null;
  }

  private KerchunkDataset(KerchunkDataset of, KerchunkReferences refs, Runnable fileCheck) {
    super(of.path(), "kerchunk references", of.maxInFlight);
    this.refs = refs;
    this.decoder = of.decoder;
    this.zarray = of.zarray;
    this.maxInFlight = of.maxInFlight;
    this.attributes = of.attributes;
    this.fileCheck = fileCheck;
  }

  /**
   * This dataset, its reads checked against {@code dataFiles} (the data files its refs read, as
   * planned when it was opened: {@link KerchunkDataFiles}): a read of a file replaced since fails
   * naming it. Where the store can, the reads check it themselves ({@link
   * io.arraymorph.scan.VersionCheck#readingDataFiles}: no request on S3 and Azure); other files get
   * one HEAD each after each read ({@link io.arraymorph.scan.VersionCheck#checked}).
   *
   * @param where the location for messages
   */
  public KerchunkDataset checkingFiles(Collection<PlannedFile> dataFiles, String where) {
    List<PlannedFile> files = List.copyOf(dataFiles);
    boolean headed = files.stream().anyMatch(f -> !f.checkedByReads(refs.locate(f.key()).store()));
    return new KerchunkDataset(
        this,
        refs.resolvingWith(VersionCheck.readingDataFiles(files, refs::locate, where)),
        headed ? () -> files.forEach(f -> f.verify(null, refs::locate, where)) : null);
  }

  @Override
  protected Runnable fileCheck() {
    return fileCheck;
  }

  @Override
  public ChunkGrid grid() {
    return decoder.grid();
  }

  @Override
  public DataType dataType() {
    return decoder.dataType();
  }

  @Override
  public byte[] fillValue() {
    return decoder.fillValue();
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
    return decoder.description();
  }

  /** The ref key of a chunk, e.g. {@code group/name/1.2}. */
  public String chunkKey(long[] coords) {
    String k = decoder.metadata().chunkKey(coords);
    return path().isEmpty() ? k : path() + "/" + k;
  }

  /** The {@code .zarray} document this dataset was opened from. */
  byte[] zarray() {
    return zarray.clone();
  }

  /** The references this dataset reads its chunks through. */
  KerchunkReferences references() {
    return refs;
  }

  @Override
  public CompletableFuture<byte[]> readChunk(long[] coords) {
    String key = chunkKey(coords);
    return refs.fetch(key).thenApply(stored -> stored == null ? null : decoder.decode(key, stored));
  }

  /** Decodes only the selection's part where the chunk's codecs allow it. */
  @Override
  public CompletableFuture<byte[]> readChunk(ChunkSelection selection) {
    long[] range = selection.elementRange(decoder.grid().chunkShape());
    long from = range[0] * decoder.dataType().byteSize();
    long to = range[1] * decoder.dataType().byteSize();
    String key = chunkKey(selection.chunkCoords());
    return refs.fetch(key)
        .thenApply(stored -> stored == null ? null : decoder.decode(key, stored, from, to));
  }
}
