package io.arraymorph.options;

/** Where an option is read: a read, a write, or the opening of a store (any door). */
public enum OptionScope {
  /** A read: Spark {@code spark.read}, the Java API's reads. */
  READ,
  /** A write: Spark {@code df.write}. */
  WRITE,
  /** Choosing and reaching a store: every door, the command-line tool's {@code -o} included. */
  STORE
}
