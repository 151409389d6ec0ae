/**
 * The Spark door to a rechunk: {@link io.arraymorph.spark.rechunk.ArrayMorphRechunk} plans on the
 * driver through core's {@link io.arraymorph.rechunk.RechunkJob} and runs the reads, the moves of
 * blocks and the writes as one Spark job.
 */
package io.arraymorph.spark.rechunk;
