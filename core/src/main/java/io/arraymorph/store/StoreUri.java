package io.arraymorph.store;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * A parsed store location: a scheme, an authority (bucket, container, or empty) and a path inside
 * it without leading or trailing slashes. Plain paths without a scheme are local paths.
 */
public record StoreUri(String scheme, String authority, String path, String original) {

  /**
   * Parses a location.
   *
   * @throws IllegalArgumentException naming the location when it is not a valid URI
   */
  public static StoreUri parse(String location) {
    if (location == null || location.isBlank()) {
      throw new IllegalArgumentException("A store location (path or URI) is required");
    }
    String trimmed = location.trim();
    if (!trimmed.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*") || trimmed.matches("^[A-Za-z]:[\\\\/].*")) {
      return new StoreUri("file", "", trimmed, location);
    }
    try {
      URI uri = new URI(trimmed);
      String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
      String authority = uri.getRawAuthority() == null ? "" : uri.getAuthority();
      String path = uri.getPath() == null ? "" : uri.getPath();
      if (scheme.equals("file")) {
        return new StoreUri(scheme, "", path, location);
      }
      return new StoreUri(scheme, authority, Keys.join(path), location);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "Invalid store location '" + location + "': " + e.getReason(), e);
    }
  }

  @Override
  public String toString() {
    return original;
  }
}
