package io.arraymorph.spark;

import java.util.List;
import org.apache.spark.sql.connector.write.WriterCommitMessage;

/**
 * What one task wrote: the chunks (the same for every target) and the largest index it saw per
 * dimension (-1 when none), for inferring the shape.
 */
record SparkWriteCommitMessage(List<long[]> chunks, long[] maxIndex, long rows)
    implements WriterCommitMessage {}
