package io.arraymorph.zarr;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Which version of a dataset its zarr.json describes, kept in the {@code "arraymorph"} attribute:
 * {@code {"generation": N, "state": "publishing"|"stable"}}. A writer replacing chunks in place
 * first writes the old metadata with the next generation and state {@code publishing}, then moves
 * the chunks, then writes the new metadata with state {@code stable}. A reader that saw the same
 * stable generation before and after fetching its chunks therefore read one whole version. Datasets
 * without the attribute (written by other tools) are read as before.
 *
 * @param generation increases by one with every published write
 * @param stable false while a writer is moving chunks
 */
public record Publication(long generation, boolean stable) {
  /** The attribute holding the publication, beside the user's attributes. */
  public static final String ATTRIBUTE = "arraymorph";

  private static final String STABLE = "stable";
  private static final String PUBLISHING = "publishing";
  private static final String JOB = "job";

  /** The publication recorded in a dataset's attributes, if any. */
  public static Optional<Publication> of(Map<String, Object> attributes) {
    if (attributes == null || !(attributes.get(ATTRIBUTE) instanceof Map<?, ?> m)) {
      return Optional.empty();
    }
    if (!(m.get("generation") instanceof Number g)) {
      return Optional.empty();
    }
    return Optional.of(new Publication(g.longValue(), !PUBLISHING.equals(m.get("state"))));
  }

  /** The publication of metadata, if any. */
  public static Optional<Publication> of(ZarrArrayMetadata metadata) {
    return of(metadata.attributes());
  }

  /** The generation of metadata, 0 when it records none. */
  public static long generationOf(ZarrArrayMetadata metadata) {
    return of(metadata).map(Publication::generation).orElse(0L);
  }

  /** Bound (exclusive) of a new dataset's first generation: exact in any JSON reader's numbers. */
  static final long FIRST_GENERATION_BOUND = 1L << 40;

  /**
   * The first generation of a new dataset: random, so that a dataset deleted and created again does
   * not repeat a generation of its earlier life and a read planned on that earlier life is refused
   * by its version check instead of decoding the new chunks with the old metadata.
   */
  public static Publication first() {
    return new Publication(ThreadLocalRandom.current().nextLong(1, FIRST_GENERATION_BOUND), true);
  }

  /**
   * The publishing state of the version after {@code metadata}'s: the next generation, or a random
   * first one ({@link #first}) when the metadata records none (a dataset created without a write,
   * or written by another tool).
   */
  public static Publication publishingAfter(ZarrArrayMetadata metadata) {
    return of(metadata)
        .map(p -> publishingAfter(p.generation()))
        .orElseGet(() -> new Publication(first().generation(), false));
  }

  /** The publishing state of the generation after {@code generation}. */
  public static Publication publishingAfter(long generation) {
    return new Publication(generation + 1, false);
  }

  /** This generation, stable. */
  public Publication asStable() {
    return new Publication(generation, true);
  }

  /** {@code metadata} with this publication in its attributes (the user's kept). */
  public ZarrArrayMetadata stamp(ZarrArrayMetadata metadata) {
    return stamp(metadata, null);
  }

  /**
   * {@code metadata} with this publication in its attributes, naming the publishing {@code job}
   * (when not null) so an interrupted publication can be found and repaired from the dataset alone.
   */
  public ZarrArrayMetadata stamp(ZarrArrayMetadata metadata, String job) {
    Map<String, Object> attributes = new LinkedHashMap<>(metadata.attributes());
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("generation", generation);
    value.put("state", stable ? STABLE : PUBLISHING);
    if (job != null) {
      value.put(JOB, job);
    }
    attributes.put(ATTRIBUTE, value);
    return metadata.withAttributes(attributes);
  }

  /** The job that marked metadata publishing, if it recorded one. */
  public static Optional<String> jobOf(ZarrArrayMetadata metadata) {
    if (metadata.attributes().get(ATTRIBUTE) instanceof Map<?, ?> m
        && m.get(JOB) instanceof String job) {
      return Optional.of(job);
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return "generation " + generation + " (" + (stable ? STABLE : PUBLISHING) + ")";
  }
}
