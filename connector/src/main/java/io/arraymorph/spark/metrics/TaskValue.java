package io.arraymorph.spark.metrics;

import org.apache.spark.sql.connector.metric.CustomTaskMetric;

/** One task's value of a metric, as a task reports it to Spark. */
record TaskValue(String name, long value) implements CustomTaskMetric {}
