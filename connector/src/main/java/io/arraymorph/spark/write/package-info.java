/**
 * The Spark door to a write: {@link io.arraymorph.spark.write.SparkWriteBuilder} turns a
 * DataFrame's schema and options into core's {@link io.arraymorph.write.DatasetWrite}, tasks turn
 * rows into chunks through core's writer, and the commit merges staged fragments and publishes
 * through the same core protocol the Java API and the CLI use.
 */
package io.arraymorph.spark.write;
