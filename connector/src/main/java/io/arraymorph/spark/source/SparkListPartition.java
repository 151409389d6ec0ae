package io.arraymorph.spark.source;

import java.util.List;
import org.apache.spark.sql.connector.read.InputPartition;

/** The rows of a metadata view, gathered on the driver: plain Java values. */
record SparkListPartition(List<Object[]> rows) implements InputPartition {}
