package io.arraymorph.manifest;

/** How a granule variable enters the manifest, decided by its dimensions. */
enum VariableKind {
  /** Chunked along the record dimension (first): chunks referenced, granules concatenated. */
  RECORD,
  /** Chunked, without the record dimension: the first granule's chunks are referenced. */
  STATIC,
  /** 1-d along the record dimension: values copied and concatenated. */
  RECORD_COORDINATE,
  /** 1-d along another dimension: values copied once. */
  COORDINATE;

  /**
   * The kind of {@code v}, or null when the record dimension is one of its dimensions but not the
   * first.
   */
  static VariableKind of(GranuleVariable v, String recordDimension) {
    boolean along = !v.dimensions().isEmpty() && v.dimensions().get(0).equals(recordDimension);
    if (v.isCoordinate()) {
      return along ? RECORD_COORDINATE : COORDINATE;
    }
    if (along) {
      return RECORD;
    }
    return v.dimensions().contains(recordDimension) ? null : STATIC;
  }

  /** Whether the variable runs along the record dimension (its values or chunks concatenated). */
  boolean alongRecords() {
    return this == RECORD || this == RECORD_COORDINATE;
  }
}
