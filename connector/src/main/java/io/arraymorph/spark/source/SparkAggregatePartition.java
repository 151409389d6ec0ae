package io.arraymorph.spark.source;

import org.apache.spark.sql.connector.read.InputPartition;

/**
 * A chunk partition whose task returns one partial aggregate row instead of its elements.
 *
 * @param chunks the chunks, as a plain scan would read them (possibly no segment: an empty region
 *     still gives Spark one partial row, so count is 0 and not null)
 * @param aggregates what to compute
 */
record SparkAggregatePartition(SparkChunkPartition chunks, SparkAggregates aggregates)
    implements InputPartition {}
