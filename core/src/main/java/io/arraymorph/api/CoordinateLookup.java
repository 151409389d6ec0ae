package io.arraymorph.api;

import io.arraymorph.ArrayMorphException;
import io.arraymorph.hdf5.Hdf5File;
import io.arraymorph.store.Futures;
import io.arraymorph.store.Keys;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the coordinate variables of one dataset's dimensions: for a dimension named {@code n}, the
 * dataset {@code n} in the dataset's group or the nearest ancestor group that has one (where netCDF
 * and xarray put coordinate variables), in the dataset's own format.
 *
 * <p>On a store that lists one level in one request (S3, Azure Blob), each group tried is listed
 * once and only names that are there are opened, so a dataset whose dimensions have no coordinate
 * variable costs one LIST per group instead of one GET per dimension and group. Elsewhere, or when
 * listing fails (a credential allowed to read but not to list), each candidate is looked up
 * directly, as before. Variables inside a file (HDF5, NetCDF4, kerchunk references) are looked up
 * in the file.
 */
public final class CoordinateLookup {
  private final ArrayStore store;
  private final DatasetRef ref;
  private final Map<String, Optional<List<String>>> children = new HashMap<>();

  /** Looks up companions of the dataset {@code ref} in {@code store}. */
  public CoordinateLookup(ArrayStore store, DatasetRef ref) {
    this.store = store;
    this.ref = ref;
  }

  /** The variable {@code name} in the dataset's group or an ancestor, or empty. */
  public Optional<Dataset> find(String name) {
    String path = ref.path();
    String group = path.contains("/") ? path.substring(0, path.lastIndexOf('/')) : "";
    while (true) {
      Optional<Dataset> found =
          mayHold(group, name) ? open(Keys.join(group, name)) : Optional.empty();
      if (found.isPresent() || group.isEmpty()) {
        return found;
      }
      group = group.contains("/") ? group.substring(0, group.lastIndexOf('/')) : "";
    }
  }

  /** False only when the group's listing is known and has no child {@code name}. */
  private boolean mayHold(String group, String name) {
    if (ref.format() == DatasetRef.Format.IN_FILE) {
      return true; // looked up in the file's metadata, already read
    }
    return children.computeIfAbsent(group, this::list).map(l -> l.contains(name)).orElse(true);
  }

  private Optional<List<String>> list(String group) {
    String prefix = group.isEmpty() ? "" : Keys.join(group) + "/";
    try {
      return Futures.join(store.objectStore().listChildren(prefix));
    } catch (ArrayMorphException e) {
      return Optional.empty(); // e.g. no permission to list: look names up one by one
    }
  }

  private Optional<Dataset> open(String path) {
    try {
      Optional<Hdf5File> hdf5 = store.hdf5File();
      if (hdf5.isPresent()) {
        return Optional.of(hdf5.get().dataset(path));
      }
      return store.findDatasetLike(ref, path);
    } catch (ArrayMorphException | UnsupportedOperationException e) {
      return Optional.empty(); // no such variable, a group, or one this reader cannot read
    }
  }
}
