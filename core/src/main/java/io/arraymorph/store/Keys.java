package io.arraymorph.store;

/** Rules for object keys, shared by every store. */
public final class Keys {
  private Keys() {}

  /**
   * Checks that a key is relative and cannot climb out of the store's root.
   *
   * @throws IllegalArgumentException naming the key when it is absolute, empty, has a {@code ..} or
   *     {@code .} segment, a backslash or a NUL
   */
  public static String validate(String key) {
    if (key == null
        || key.isEmpty()
        || key.startsWith("/")
        || key.indexOf('\\') >= 0
        || key.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(
          "Invalid object key '" + key + "': keys are non-empty relative paths using '/'");
    }
    for (String segment : key.split("/", -1)) {
      if (segment.equals("..") || segment.equals(".") || segment.isEmpty()) {
        throw new IllegalArgumentException(
            "Invalid object key '" + key + "': empty, '.' and '..' segments are not allowed");
      }
    }
    return key;
  }

  /** Joins path segments with {@code /}, skipping empty ones. */
  public static String join(String... parts) {
    StringBuilder sb = new StringBuilder();
    for (String p : parts) {
      if (p == null || p.isEmpty()) {
        continue;
      }
      // Leading and trailing slashes dropped by hand: this runs for every chunk key, and a regular
      // expression would be compiled each time.
      int from = 0;
      int to = p.length();
      while (from < to && p.charAt(from) == '/') {
        from++;
      }
      while (to > from && p.charAt(to - 1) == '/') {
        to--;
      }
      if (from == to) {
        continue;
      }
      if (sb.length() > 0) {
        sb.append('/');
      }
      sb.append(p, from, to);
    }
    return sb.toString();
  }
}
