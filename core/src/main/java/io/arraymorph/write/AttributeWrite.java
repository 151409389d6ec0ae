package io.arraymorph.write;

import io.arraymorph.store.Futures;
import io.arraymorph.store.Keys;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.zarr.Publication;
import io.arraymorph.zarr.WriterLock;
import io.arraymorph.zarr.ZarrArrayMetadata;
import io.arraymorph.zarr.ZarrDataset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Replaces the user attributes of a stored Zarr v3 dataset ({@link
 * io.arraymorph.api.Dataset#setAttributes}) under the dataset's writer lock, so an attribute update
 * never races a running write: the metadata is re-read under the lock and only its attributes
 * change, never the shape or the publication a handle opened earlier may hold stale.
 */
public final class AttributeWrite {
  private AttributeWrite() {}

  /**
   * Writes {@code attributes} as the user attributes of the dataset stored at {@code path}. The
   * {@link Publication#ATTRIBUTE} entry is ArrayMorph's own: the stored one is kept whatever {@code
   * attributes} holds under that name, so the dataset keeps its version.
   *
   * @return the metadata written, or empty when no dataset is stored at {@code path} (nothing is
   *     written then)
   * @throws io.arraymorph.ConcurrentWriteException when another job holds the dataset's writer lock
   *     (nothing is written)
   */
  public static Optional<ZarrArrayMetadata> write(
      ObjectStore os, String path, Map<String, Object> attributes) {
    String job = "set-attributes-" + UUID.randomUUID();
    try (WriterLock lock = WriterLock.acquire(os, path, job, RegionWrite.LEASE)) {
      Optional<ZarrArrayMetadata> stored = DatasetWrite.inspect(os, path).stored();
      if (stored.isEmpty()) {
        return Optional.empty();
      }
      Map<String, Object> merged = new LinkedHashMap<>(attributes);
      merged.remove(Publication.ATTRIBUTE);
      Object publication = stored.get().attributes().get(Publication.ATTRIBUTE);
      if (publication != null) {
        merged.put(Publication.ATTRIBUTE, publication);
      }
      ZarrArrayMetadata updated = stored.get().withAttributes(merged);
      lock.verifyHeld();
      Futures.join(os.put(Keys.join(path, ZarrDataset.METADATA_FILE), updated.toJson()));
      return Optional.of(updated);
    }
  }
}
