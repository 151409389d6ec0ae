package io.arraymorph.store;

import java.util.Optional;

/**
 * A read conditional on an object's version ({@link ObjectStore#getRangesIfUnchanged}) found a
 * different object at the key, or none: the caller's offsets into it may be stale, so nothing it
 * read may be used. Callers turn it into a message that names their own file and fix.
 */
public class ObjectChangedException extends StoreException {
  private final transient ObjectInfo expected;
  private final transient Optional<ObjectInfo> now;

  public ObjectChangedException(String key, ObjectInfo expected, Optional<ObjectInfo> now) {
    super("Object '" + key + "' changed: " + describe(expected, now));
    this.expected = expected;
    this.now = now;
  }

  /** Fails when {@code now} (a HEAD's answer) is not the object {@code expected} describes. */
  public static void check(String key, ObjectInfo expected, Optional<ObjectInfo> now) {
    if (now.isEmpty() || now.get().changedSince(expected.size(), expected.tag())) {
      throw new ObjectChangedException(key, expected, now);
    }
  }

  /** The object's size and tag the read was conditional on. */
  public ObjectInfo expected() {
    return expected;
  }

  /** What the store holds at the key now, when it said (empty: gone or not told). */
  public Optional<ObjectInfo> now() {
    return now;
  }

  /**
   * The change in words: "expected 10 bytes, now 12 bytes", "same size (10 bytes), entity tag a now
   * b" or "expected 10 bytes, now gone".
   */
  public String change() {
    return describe(expected, now);
  }

  private static String describe(ObjectInfo expected, Optional<ObjectInfo> now) {
    if (now.isEmpty()) {
      return "expected " + expected.size() + " bytes, now gone";
    }
    ObjectInfo i = now.get();
    if (i.size() != expected.size()) {
      return "expected " + expected.size() + " bytes, now " + i.size() + " bytes";
    }
    return "same size ("
        + i.size()
        + " bytes), entity tag "
        + expected.tag()
        + " now "
        + (i.tag() == null ? "another" : i.tag());
  }
}
