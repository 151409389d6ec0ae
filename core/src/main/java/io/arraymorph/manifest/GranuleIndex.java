package io.arraymorph.manifest;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * The metadata and chunk index of one granule, everything a manifest needs of it: small and
 * serializable, so a Spark job can read granules on executors and write the manifest on the driver.
 *
 * @param url the granule's location, as chunk reads will open it
 * @param attributes the granule's global attributes as JSON
 * @param variables the variables the manifest can hold, in file order
 * @param skipped variables left out, each with the reason
 * @param size the granule's size in bytes when its metadata was read
 * @param tag its entity tag then ({@link io.arraymorph.store.ObjectInfo#tag}), or null when the
 *     store gives none
 * @param groups each sub-group above an indexed variable (its path, no leading slash) and its
 *     attributes as JSON
 */
public record GranuleIndex(
    String url,
    String attributes,
    List<GranuleVariable> variables,
    List<String> skipped,
    long size,
    String tag,
    Map<String, String> groups)
    implements Serializable {

  /** The variable named {@code name}, or null. */
  public GranuleVariable variable(String name) {
    for (GranuleVariable v : variables) {
      if (v.name().equals(name)) {
        return v;
      }
    }
    return null;
  }
}
