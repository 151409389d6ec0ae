package io.arraymorph.api;

import io.arraymorph.array.ChunkGrid;
import io.arraymorph.kerchunk.KerchunkReferences;
import io.arraymorph.store.ObjectStore;
import java.io.Serializable;
import java.util.List;
import java.util.function.Function;

/**
 * What a dataset inside a file (HDF5, NetCDF4, kerchunk references) needs to be read without
 * parsing the file again: made on the planning machine from the opened file, narrowed to each
 * task's chunks ({@link #forChunks}) and shipped with the task, so the machine that reads the
 * chunks makes only their byte-range requests.
 */
public interface InFileChunks extends Serializable {

  /**
   * What reading exactly these chunks of {@code grid} needs (their file offsets, stored sizes and
   * filter masks), or null when they must be read through the file (the planning state did not
   * travel, or {@code grid} is not the dataset's chunk grid).
   */
  InFileChunks forChunks(ChunkGrid grid, List<long[]> chunkCoords);

  /** Whether {@link #open} builds the dataset with no request (the task's chunks are resolved). */
  boolean resolved();

  /**
   * The dataset, reading only the resolved chunks (others read as the fill value), on the store
   * holding the file; makes no request.
   *
   * @param urls where the file URLs of kerchunk refs are read (the store's settings); unused by
   *     HDF5
   * @throws IllegalStateException when not {@link #resolved}
   */
  Dataset open(
      ObjectStore store, int maxInFlight, Function<String, KerchunkReferences.Location> urls);

  /** The file the task reads, as planned (for kerchunk, the reference document). */
  PlannedFile plannedFile();

  /**
   * The files whose bytes the task reads at planned offsets, as planned: what its version check
   * covers ({@link io.arraymorph.scan.VersionCheck#open} pins their reads where the store can,
   * {@link io.arraymorph.scan.VersionCheck#verifyFiles} HEADs the others after the chunks were
   * read). The {@link #plannedFile} by default; for kerchunk refs, the data files of the task's
   * chunks (the refs travelled with the task, so the reference document itself is not read again).
   */
  default List<PlannedFile> filesRead() {
    return List.of(plannedFile());
  }
}
